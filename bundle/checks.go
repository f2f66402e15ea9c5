package bundle

import (
	"bytes"
	"encoding/hex"

	sgbundle "github.com/sigstore/sigstore-go/pkg/bundle"
	"github.com/sigstore/sigstore-go/pkg/verify"
)

// checkTimes requires at least one signature-backed time, every such time within the signing
// certificate's validity (inclusive bounds, as crypto/x509), and none after opts.CurrentTime.
func checkTimes(b *sgbundle.Bundle, r *Result, opts Options) error {
	times := r.VerifiedTimes()
	if len(times) == 0 {
		return newErr(ErrTime, nil, "no time is vouched for by a signature")
	}
	vc, err := b.VerificationContent()
	if err != nil {
		return newErr(ErrFormat, err, "verification material: %v", err)
	}
	leaf := vc.Certificate()
	for _, at := range times {
		if !opts.CurrentTime.IsZero() && at.After(opts.CurrentTime) {
			return &TimeError{What: "verifier's current time", Time: at, NotAfter: opts.CurrentTime}
		}
		if leaf != nil && (at.Before(leaf.NotBefore) || at.After(leaf.NotAfter)) {
			return &TimeError{What: "signing certificate", Time: at, NotBefore: leaf.NotBefore, NotAfter: leaf.NotAfter}
		}
	}
	return nil
}

// fillContent records the verified signed content and re-checks that a message signature's
// digest is the artifact's.
func fillContent(b *sgbundle.Bundle, r *Result, opts Options) error {
	if ms := b.GetMessageSignature(); ms != nil {
		md := ms.GetMessageDigest()
		alg := ""
		for name, a := range digestAlgorithms {
			if a.proto == md.GetAlgorithm() {
				alg = name
			}
		}
		want, ok := artifactDigest(opts, alg)
		if alg == "" || !ok || !bytes.Equal(md.GetDigest(), want) {
			return newErr(ErrSignature, nil, "message digest %s %x does not match the artifact's %s",
				md.GetAlgorithm(), md.GetDigest(), hex.EncodeToString(want))
		}
		r.Content = Content{Kind: KindMessageSignature, MessageDigest: bytes.Clone(md.GetDigest())}
		return nil
	}
	if env := b.GetDsseEnvelope(); env != nil {
		r.Content = Content{Kind: KindDSSE, PayloadType: env.GetPayloadType(), Payload: bytes.Clone(env.GetPayload())}
		return nil
	}
	return newErr(ErrFormat, nil, "bundle has neither a message signature nor a DSSE envelope")
}

// checkIdentity re-checks the identity sigstore-go matched and returns it.
func checkIdentity(b *sgbundle.Bundle, res *verify.VerificationResult, want CertificateIdentity) (*Identity, error) {
	if res.Signature == nil || res.Signature.Certificate == nil {
		return nil, newErr(ErrIdentity, nil, "bundle is not signed with a certificate")
	}
	sum := res.Signature.Certificate
	if sum.Issuer != want.Issuer {
		return nil, &IdentityMismatchError{Field: "issuer", Expected: want.Issuer, Actual: sum.Issuer}
	}
	if sum.SubjectAlternativeName != want.SAN {
		return nil, &IdentityMismatchError{Field: "subjectAlternativeName", Expected: want.SAN, Actual: sum.SubjectAlternativeName}
	}
	vc, err := b.VerificationContent()
	if err != nil {
		return nil, newErr(ErrFormat, err, "verification material: %v", err)
	}
	return &Identity{Issuer: sum.Issuer, SAN: sum.SubjectAlternativeName, Extensions: sum.Extensions,
		Certificate: vc.Certificate()}, nil
}
