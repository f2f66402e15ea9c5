package bundle

import (
	"crypto"
	"time"

	protocommon "github.com/sigstore/protobuf-specs/gen/pb-go/common/v1"
)

// digestAlgorithms are the artifact digest algorithms Options accepts.
var digestAlgorithms = map[string]struct {
	size  int
	hash  crypto.Hash
	proto protocommon.HashAlgorithm
}{
	"sha256": {32, crypto.SHA256, protocommon.HashAlgorithm_SHA2_256},
	"sha384": {48, crypto.SHA384, protocommon.HashAlgorithm_SHA2_384},
	"sha512": {64, crypto.SHA512, protocommon.HashAlgorithm_SHA2_512},
}

// digestAlgorithm returns the artifact digest algorithm, defaulting to sha256.
func (o Options) digestAlgorithm() string {
	if o.ArtifactDigestAlgorithm == "" {
		return "sha256"
	}
	return o.ArtifactDigestAlgorithm
}

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
	// ArtifactDigest is the digest of the signed artifact, computed with ArtifactDigestAlgorithm.
	ArtifactDigest []byte
	// ArtifactDigestAlgorithm is "sha256" (the default when empty), "sha384" or "sha512".
	ArtifactDigestAlgorithm string
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
	case o.ArtifactDigest == nil && o.ArtifactDigestAlgorithm != "":
		return newErr(ErrOptions, nil, "an artifact digest algorithm without an artifact digest")
	case o.ArtifactDigest != nil && digestAlgorithms[o.digestAlgorithm()].size == 0:
		return newErr(ErrOptions, nil, "unsupported artifact digest algorithm %q", o.ArtifactDigestAlgorithm)
	case o.ArtifactDigest != nil && len(o.ArtifactDigest) != digestAlgorithms[o.digestAlgorithm()].size:
		return newErr(ErrOptions, nil, "artifact digest is %d bytes, want %d for %s", len(o.ArtifactDigest),
			digestAlgorithms[o.digestAlgorithm()].size, o.digestAlgorithm())
	case o.Identity != nil && o.PublicKey != nil:
		return newErr(ErrOptions, nil, "both a certificate identity and a public key given")
	case o.Identity == nil && o.PublicKey == nil:
		return newErr(ErrOptions, nil, "a certificate identity or a public key is required")
	case o.Identity != nil && (o.Identity.Issuer == "" || o.Identity.SAN == ""):
		return newErr(ErrOptions, nil, "a certificate identity needs both an issuer and a subject alternative name")
	}
	return nil
}
