package bundle

import (
	"bytes"
	"slices"
	"time"

	sgbundle "github.com/sigstore/sigstore-go/pkg/bundle"
	"github.com/sigstore/sigstore-go/pkg/root"
	"github.com/sigstore/sigstore-go/pkg/verify"
	"github.com/sigstore/sigstore/pkg/signature"

	"github.com/sigpolicy/sigpolicy/internal/limits"
)

// MaxBundleSize is the largest bundle, in bytes, that Verify parses.
const MaxBundleSize = limits.MaxBundleSize

// knownMediaTypes are the bundle media types Verify accepts; anything else denies.
var knownMediaTypes = []string{
	"application/vnd.dev.sigstore.bundle+json;version=0.1",
	"application/vnd.dev.sigstore.bundle+json;version=0.2",
	"application/vnd.dev.sigstore.bundle+json;version=0.3",
	"application/vnd.dev.sigstore.bundle.v0.3+json",
}

// Verify verifies a sigstore bundle (v0.1, v0.2 or v0.3; message signature or DSSE envelope)
// against the trusted material and the options, and returns what it proves. Verification is pure:
// no I/O and no clock (see Options.CurrentTime). See the package documentation for the steps.
func Verify(untrustedBundleJSON []byte, tm *TrustedMaterial, opts Options) (*Result, error) {
	if err := opts.Validate(); err != nil {
		return nil, err
	}
	if tm == nil {
		return nil, newErr(ErrTrustedMaterial, nil, "no trusted material")
	}
	if len(untrustedBundleJSON) > MaxBundleSize {
		return nil, newErr(ErrFormat, nil, "bundle is %d bytes, more than %d", len(untrustedBundleJSON), MaxBundleSize)
	}
	var untrusted sgbundle.Bundle
	if err := untrusted.UnmarshalJSON(untrustedBundleJSON); err != nil {
		return nil, newErr(ErrFormat, err, "parsing bundle: %v", err)
	}
	if !slices.Contains(knownMediaTypes, untrusted.MediaType) {
		return nil, newErr(ErrFormat, nil, "unknown bundle media type %q", untrusted.MediaType)
	}

	// 1. sigstore-go: signature, certificate chain at each verified time, SCTs, RFC 3161
	//    timestamps, log thresholds, the entry body against the signature, identity, artifact.
	res, err := verifyWithSigstoreGo(&untrusted, tm, opts)
	if err != nil {
		return nil, newErr(ErrSignature, err, "%v", err)
	}
	// 2. sigpolicy's own checks of every log entry, and of times and identity.
	result := &Result{MediaType: untrusted.MediaType}
	for _, ts := range res.VerifiedTimestamps {
		if ts.Type == "TimestampAuthority" {
			result.TimestampTimes = append(result.TimestampTimes, ts.Timestamp)
		}
	}
	result.LogEntries, err = tm.checkEntries(&untrusted, result.TimestampTimes, opts)
	if err != nil {
		return nil, err
	}
	if err := checkTimes(&untrusted, result, opts); err != nil {
		return nil, err
	}
	if err := fillContent(&untrusted, result, opts); err != nil {
		return nil, err
	}
	if opts.Identity != nil {
		id, err := checkIdentity(&untrusted, res, *opts.Identity)
		if err != nil {
			return nil, err
		}
		result.Identity = id
	}
	return result, nil
}

// verifyWithSigstoreGo runs sigstore-go's verifier configured as its own sigstore-conformance
// client is: SCTs required for certificates (when the trusted material has CT logs), RFC 3161
// timestamps required when the bundle has some and the material has TSAs, one verified log
// entry, and the integrated time counted only when an inclusion promise signs it. No option
// trusts the current time.
func verifyWithSigstoreGo(b *sgbundle.Bundle, tm *TrustedMaterial, opts Options) (*verify.VerificationResult, error) {
	material := tm.material
	var vopts []verify.VerifierOption
	var popts []verify.PolicyOption
	if opts.PublicKey != nil {
		v, err := signature.LoadDefaultVerifier(opts.PublicKey)
		if err != nil {
			return nil, newErr(ErrOptions, err, "public key: %v", err)
		}
		key := root.NewTrustedPublicKeyMaterial(func(string) (root.TimeConstrainedVerifier, error) {
			return root.NewExpiringKey(v, time.Time{}, time.Time{}), nil
		})
		material = root.TrustedMaterialCollection{key, material}
		popts = append(popts, verify.WithKey())
	} else {
		if len(material.CTLogs()) > 0 {
			vopts = append(vopts, verify.WithSignedCertificateTimestamps(1))
		}
		id, err := verify.NewShortCertificateIdentity(opts.Identity.Issuer, "", opts.Identity.SAN, "")
		if err != nil {
			return nil, newErr(ErrOptions, err, "certificate identity: %v", err)
		}
		popts = append(popts, verify.WithCertificateIdentity(id))
	}
	timestamps, err := b.Timestamps()
	if err != nil {
		return nil, newErr(ErrFormat, err, "timestamps: %v", err)
	}
	if len(material.TimestampingAuthorities()) > 0 && len(timestamps) > 0 {
		vopts = append(vopts, verify.WithSignedTimestamps(1))
	}
	if len(material.RekorLogs()) > 0 {
		vopts = append(vopts, verify.WithTransparencyLog(1))
		if b.HasInclusionPromise() {
			vopts = append(vopts, verify.WithIntegratedTimestamps(1))
		}
	}
	v, err := verify.NewVerifier(material, vopts...)
	if err != nil {
		return nil, err
	}
	var artifact verify.ArtifactPolicyOption
	if opts.ArtifactDigest != nil {
		artifact = verify.WithArtifactDigest(opts.digestAlgorithm(), opts.ArtifactDigest)
	} else {
		artifact = verify.WithArtifact(bytes.NewReader(opts.Artifact))
	}
	return v.Verify(b, verify.NewPolicy(artifact, popts...))
}

// artifactDigest returns the digest the options require, with the algorithm alg; ok is false
// when only a digest of another algorithm is known.
func artifactDigest(opts Options, alg string) (digest []byte, ok bool) {
	if opts.ArtifactDigest != nil {
		return opts.ArtifactDigest, opts.digestAlgorithm() == alg
	}
	h := digestAlgorithms[alg].hash.New()
	h.Write(opts.Artifact)
	return h.Sum(nil), true
}
