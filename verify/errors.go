package verify

import (
	"errors"
	"fmt"
)

// Sentinel errors. Every denial reason wraps one of them, so callers can classify a decision with
// errors.Is without parsing messages.
var (
	// ErrRejected: a "reject" requirement applied.
	ErrRejected = errors.New("rejected by policy")
	// ErrNotImplemented: a requirement type containers/image parses but never accepts
	// (signedBaseLayer, signedBy with a keyType other than GPGKeys).
	ErrNotImplemented = errors.New("requirement not implemented")
	// ErrNoSignature: a signature requirement found no signature to check.
	ErrNoSignature = errors.New("no signature")
	// ErrNoneAccepted: several signatures were checked and none was accepted.
	ErrNoneAccepted = errors.New("none of the signatures were accepted")
	// ErrTrustMaterial: the requirement's keys, CA certificates or keyrings could not be loaded.
	ErrTrustMaterial = errors.New("trust material unusable")
	// ErrInvalidSignature: a signature is malformed or fails cryptographic verification.
	ErrInvalidSignature = errors.New("invalid signature")
	// ErrIdentity: a signature's claimed identity is not accepted by signedIdentity.
	ErrIdentity = errors.New("signed identity not accepted")
	// ErrDigest: a signature is for another manifest digest.
	ErrDigest = errors.New("signed digest does not match")
	// ErrManifest: the image's manifest could not be read or does not match the pulled digest.
	ErrManifest = errors.New("manifest unusable")
	// ErrSource: the image's signatures could not be read.
	ErrSource = errors.New("signatures unreadable")
)

// FormatError is a malformed signature, payload or annotation. Field names the part at fault.
type FormatError struct {
	Field string // e.g. "payload.critical.type"; may be empty
	Msg   string
}

func (e *FormatError) Error() string { return e.Msg }

// Unwrap makes a FormatError match ErrInvalidSignature.
func (e *FormatError) Unwrap() error { return ErrInvalidSignature }

// IdentityMismatchError is a signature whose signed docker reference the requirement's
// signedIdentity rule does not accept for the image.
type IdentityMismatchError struct {
	Rule     string // the signedIdentity type, e.g. "matchRepoDigestOrExact"
	Expected string // the image reference (or the rule's fixed reference) the rule compared against
	Signed   string // the docker-reference the signature claims (untrusted before this check)
}

func (e *IdentityMismatchError) Error() string {
	return fmt.Sprintf("Signature for identity %q is not accepted", e.Signed)
}

// Unwrap makes an IdentityMismatchError match ErrIdentity.
func (e *IdentityMismatchError) Unwrap() error { return ErrIdentity }

// DigestMismatchError is a signature made for another manifest.
type DigestMismatchError struct {
	Signed string // the digest in the signature
	Actual string // the digest of the image's manifest, when it could be computed
}

func (e *DigestMismatchError) Error() string {
	return fmt.Sprintf("Signature for digest %s does not match", e.Signed)
}

// Unwrap makes a DigestMismatchError match ErrDigest.
func (e *DigestMismatchError) Unwrap() error { return ErrDigest }

// TrustMaterialError is a requirement whose trust material failed to load when the policy was
// compiled. The requirement denies every signature with this error.
type TrustMaterialError struct {
	Field string // the policy field, e.g. "keyPaths[1]" or "fulcio.caPath"
	Err   error
}

func (e *TrustMaterialError) Error() string { return e.Err.Error() }

// Unwrap returns both the cause and ErrTrustMaterial.
func (e *TrustMaterialError) Unwrap() []error { return []error{ErrTrustMaterial, e.Err} }

// SignatureError marks a cryptographic or certificate failure of one signature.
type SignatureError struct {
	Msg string
	Err error // the cause, from fulcio, rekor or the signature verifier; may be nil
}

func (e *SignatureError) Error() string {
	if e.Err != nil && e.Msg == "" {
		return e.Err.Error()
	}
	if e.Err != nil {
		return e.Msg + ": " + e.Err.Error()
	}
	return e.Msg
}

// Unwrap returns both the cause and ErrInvalidSignature.
func (e *SignatureError) Unwrap() []error {
	if e.Err == nil {
		return []error{ErrInvalidSignature}
	}
	return []error{ErrInvalidSignature, e.Err}
}

// ManifestError is an image whose manifest is unreadable or does not match the pulled digest.
type ManifestError struct {
	Msg string
	Err error
}

func (e *ManifestError) Error() string {
	if e.Err != nil {
		if e.Msg == "" {
			return e.Err.Error()
		}
		return e.Msg + ": " + e.Err.Error()
	}
	return e.Msg
}

// Unwrap returns both the cause and ErrManifest.
func (e *ManifestError) Unwrap() []error {
	if e.Err == nil {
		return []error{ErrManifest}
	}
	return []error{ErrManifest, e.Err}
}

// RequirementError is the denial of one requirement: for signature requirements, the summary of
// every rejected signature (Reasons), as containers/image phrases it.
type RequirementError struct {
	Msg     string
	Kind    error   // one of the sentinels (ErrNoSignature, ErrNoneAccepted, ErrRejected, ...)
	Reasons []error // per-signature rejections, when several signatures were rejected
}

func (e *RequirementError) Error() string { return e.Msg }

// Unwrap returns the sentinel and every per-signature reason, so errors.As reaches each of them.
func (e *RequirementError) Unwrap() []error { return append([]error{e.Kind}, e.Reasons...) }
