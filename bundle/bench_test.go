package bundle

import (
	"testing"

	sgbundle "github.com/sigstore/sigstore-go/pkg/bundle"
	"github.com/sigstore/sigstore-go/pkg/verify"
)

// BenchmarkVerify compares, on the same bundle (sigstore.js@2.0.0 provenance: SET + inclusion
// proof + checkpoint + certificate chain + SCT), sigpolicy's Verify (which runs sigstore-go and
// then its own log checks) with sigstore-go's Verifier alone, configured the same way.
func BenchmarkVerify(b *testing.B) {
	raw := readFile(b, sigstoreJSBundle)
	tm := publicGood(b)
	opts := sigstoreJSOptions(b)
	b.Run("sigpolicy", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := Verify(raw, tm, opts); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("sigstore-go", func(b *testing.B) {
		b.ReportAllocs()
		v, err := verify.NewVerifier(tm.SigstoreGo(), verify.WithSignedCertificateTimestamps(1),
			verify.WithTransparencyLog(1), verify.WithIntegratedTimestamps(1))
		if err != nil {
			b.Fatal(err)
		}
		id, err := verify.NewShortCertificateIdentity(sigstoreJSIssuer, "", sigstoreJSSAN, "")
		if err != nil {
			b.Fatal(err)
		}
		policy := verify.NewPolicy(verify.WithArtifactDigest("sha512", opts.ArtifactDigest), verify.WithCertificateIdentity(id))
		for b.Loop() {
			var bun sgbundle.Bundle
			if err := bun.UnmarshalJSON(raw); err != nil {
				b.Fatal(err)
			}
			if _, err := v.Verify(&bun, policy); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("sigpolicy-log-checks-only", func(b *testing.B) {
		b.ReportAllocs()
		var bun sgbundle.Bundle
		if err := bun.UnmarshalJSON(raw); err != nil {
			b.Fatal(err)
		}
		for b.Loop() {
			if _, err := tm.checkEntries(&bun, nil, opts); err != nil {
				b.Fatal(err)
			}
		}
	})
}
