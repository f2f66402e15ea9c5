package source

import (
	"bytes"
	"maps"
)

// Signature is one untrusted signature as found next to an image: a Sigstore attachment or a
// SimpleSigning blob. The set of implementations is closed; switch on the concrete type.
type Signature interface {
	isSignature()
}

// Sigstore is a cosign/containers "sigstore" signature attachment: a payload with a MIME type and
// annotations (the cryptographic signature, certificate, chain and Rekor bundle live in the
// annotations). Nothing in it has been verified.
type Sigstore struct {
	// UntrustedMIMEType is the attachment's media type; cosign signatures use
	// SigstoreSignatureMIMEType.
	UntrustedMIMEType string
	// UntrustedPayload is the signed payload (for signatures, the simple-signing JSON document).
	UntrustedPayload []byte
	// UntrustedAnnotations holds the attachment annotations, e.g. SignatureAnnotationKey.
	UntrustedAnnotations map[string]string
}

// SimpleSigning is an OpenPGP "simple signing" signature, as used by the signedBy policy
// requirement. Nothing in it has been verified.
type SimpleSigning struct {
	// UntrustedBlob is the OpenPGP message, as stored.
	UntrustedBlob []byte
}

func (Sigstore) isSignature()      {}
func (SimpleSigning) isSignature() {}

// Compile-time checks that both kinds implement Signature.
var (
	_ Signature = Sigstore{}
	_ Signature = SimpleSigning{}
)

// Clone returns a deep copy of s, so that the copy can be handed out without sharing the payload
// or the annotations map.
func (s Sigstore) Clone() Sigstore {
	return Sigstore{
		UntrustedMIMEType:    s.UntrustedMIMEType,
		UntrustedPayload:     bytes.Clone(s.UntrustedPayload),
		UntrustedAnnotations: maps.Clone(s.UntrustedAnnotations),
	}
}

// Sigstore attachment constants, with the values cosign and containers/image use.
const (
	// SigstoreSignatureMIMEType is the media type of a cosign image signature attachment; any
	// other type is a non-signature attachment.
	SigstoreSignatureMIMEType = "application/vnd.dev.cosign.simplesigning.v1+json"
	// SignatureAnnotationKey holds the base64 signature over the payload.
	SignatureAnnotationKey = "dev.cosignproject.cosign/signature"
	// BundleAnnotationKey holds the Rekor signed entry timestamp (SET) JSON.
	BundleAnnotationKey = "dev.sigstore.cosign/bundle"
	// CertificateAnnotationKey holds the PEM signing certificate (Fulcio or PKI).
	CertificateAnnotationKey = "dev.sigstore.cosign/certificate"
	// ChainAnnotationKey holds the PEM certificate chain: intermediates, then the root.
	ChainAnnotationKey = "dev.sigstore.cosign/chain"
)
