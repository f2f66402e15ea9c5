package bundle

import (
	"crypto"
	"crypto/sha256"
	"time"
)

// CertificateIdentity is the keyless identity a bundle's certificate must carry: the OIDC issuer
// (Fulcio extension 1.3.6.1.4.1.57264.1.8, or .1.1) and the subject alternative name (email, URI
// or Fulcio otherName), both compared exactly.
type CertificateIdentity struct {
	Issuer string
	SAN    string
}

// Options says what a bundle must prove. Exactly one of ArtifactDigest and Artifact, and exactly
// one of Identity and PublicKey, must be set.
type Options struct {
	// ArtifactDigest is the SHA-256 digest of the signed artifact.
	ArtifactDigest []byte
	// Artifact is the signed artifact itself (non-nil means set; it may be empty).
	Artifact []byte
	// Identity requires a certificate-signed bundle with this identity, chaining to a Fulcio CA of
	// the trusted material.
	Identity *CertificateIdentity
	// PublicKey requires a bundle signed by this key (no certificate).
	PublicKey crypto.PublicKey
	// CurrentTime, when not zero, is the verifier's notion of now: an integrated time or
	// timestamp after it denies. The library never reads a clock; the CLI passes time.Now().
	CurrentTime time.Time
}

// Validate checks that the options are complete and consistent. Errors wrap ErrOptions.
func (o Options) Validate() error {
	switch {
	case o.ArtifactDigest != nil && o.Artifact != nil:
		return newErr(ErrOptions, nil, "both an artifact and an artifact digest given")
	case o.ArtifactDigest == nil && o.Artifact == nil:
		return newErr(ErrOptions, nil, "an artifact or an artifact digest is required")
	case o.ArtifactDigest != nil && len(o.ArtifactDigest) != sha256.Size:
		return newErr(ErrOptions, nil, "artifact digest is %d bytes, want a %d-byte SHA-256", len(o.ArtifactDigest), sha256.Size)
	case o.Identity != nil && o.PublicKey != nil:
		return newErr(ErrOptions, nil, "both a certificate identity and a public key given")
	case o.Identity == nil && o.PublicKey == nil:
		return newErr(ErrOptions, nil, "a certificate identity or a public key is required")
	case o.Identity != nil && (o.Identity.Issuer == "" || o.Identity.SAN == ""):
		return newErr(ErrOptions, nil, "a certificate identity needs both an issuer and a subject alternative name")
	}
	return nil
}
