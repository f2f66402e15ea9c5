package verify_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/sigpolicy/sigpolicy/source"
)

// FuzzSigstoreSignature mutates every untrusted part of a sigstore signature (payload, signature,
// certificate, chain, Rekor bundle) and requires sigpolicy and containers/image to reach the same
// decision under a key policy, a key + Rekor policy and a Fulcio + Rekor policy.
func FuzzSigstoreSignature(f *testing.F) {
	for _, dir := range []string{"dir-img-cosign-valid", "dir-img-cosign-key-rekor-valid", "dir-img-cosign-fulcio-rekor-valid", "dir-img-cosign-valid-with-tag"} {
		sigs, err := source.NewDir(fx(dir)).Signatures(context.Background())
		if err != nil {
			f.Fatal(err)
		}
		s := sigs[0].(source.Sigstore)
		a := s.UntrustedAnnotations
		f.Add(s.UntrustedPayload, a[source.SignatureAnnotationKey], a[source.CertificateAnnotationKey], a[source.ChainAnnotationKey], a[source.BundleAnnotationKey])
	}
	policies := [][]byte{
		policyFor(`{"type":"sigstoreSigned","keyPath":"FX/cosign.pub",` + mr + `}`),
		policyFor(`{"type":"sigstoreSigned","keyPath":"FX/cosign2.pub","rekorPublicKeyPath":"FX/rekor.pub",` + mr + `}`),
		policyFor(`{"type":"sigstoreSigned",` + fulcioSpec + `,` + mr + `}`),
	}
	manifest634, err := os.ReadFile(fx("dir-img-cosign-valid/manifest.json"))
	if err != nil {
		f.Fatal(err)
	}
	manifest048, err := os.ReadFile(fx("dir-img-cosign-key-rekor-valid/manifest.json"))
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, payload []byte, sig, cert, chain, bundle string) {
		ann := map[string]string{source.SignatureAnnotationKey: sig}
		for k, v := range map[string]string{source.CertificateAnnotationKey: cert, source.ChainAnnotationKey: chain, source.BundleAnnotationKey: bundle} {
			if v != "" {
				ann[k] = v
			}
		}
		s := source.Sigstore{UntrustedMIMEType: source.SigstoreSignatureMIMEType, UntrustedPayload: payload, UntrustedAnnotations: ann}
		ctx := context.Background()
		for i, manifest := range [][]byte{manifest634, manifest048} {
			dir := filepath.Join(t.TempDir(), "img")
			if err := source.WriteDir(dir, manifest, []source.Signature{s}); err != nil {
				t.Fatal(err)
			}
			for j, pol := range policies {
				for _, ref := range []string{single, keyRekorRef, fulcioRef} {
					ciOK, ciErr := oracleDecide(ctx, pol, dir, ref)
					d, err := ourDecide(ctx, pol, dir, ref)
					if err != nil {
						t.Fatal(err)
					}
					if d.Allowed != ciOK {
						t.Fatalf("manifest %d policy %d ref %s: containers/image allowed=%v (%v), sigpolicy allowed=%v (%v)", i, j, ref, ciOK, ciErr, d.Allowed, d.Err)
					}
				}
			}
		}
	})
}
