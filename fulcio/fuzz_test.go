package fulcio

import (
	"testing"
	"time"
)

// FuzzVerifyFulcio feeds arbitrary leaf and chain annotations to the cached and the uncached
// verifier. Neither may panic, they must agree, and nothing but the real fixture leaf (or a
// re-encoding of it) can be accepted under the public-good root.
func FuzzVerifyFulcio(f *testing.F) {
	s := readSigstoreSig(f, "dir-img-cosign-fulcio-rekor-valid/signature-1")
	root := readFixture(f, "fulcio_v1.crt.pem")
	cert, chain := []byte(s.Annotations["dev.sigstore.cosign/certificate"]), []byte(s.Annotations["dev.sigstore.cosign/chain"])
	f.Add(cert, chain, int64(1674247893))
	f.Add(cert, []byte{}, int64(1674247893))
	f.Add([]byte("garbage\n"), root, int64(0))
	f.Add(chain, cert, int64(-1))
	cached := mustFulcio(f, root)
	plain := mustFulcio(f, root, WithChainCacheSize(0))
	if _, err := cached.VerifyFulcio(cert, chain, keylessSETTime); err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, leafPEM, chainPEM []byte, unix int64) {
		at := keylessSETTime
		if unix != 0 {
			at = keylessSETTime.Add(time.Duration(unix%3600) * time.Second)
		}
		id1, err1 := cached.VerifyFulcio(leafPEM, chainPEM, at)
		_, err2 := plain.VerifyFulcio(leafPEM, chainPEM, at)
		if (err1 == nil) != (err2 == nil) || (err1 != nil && err1.Error() != err2.Error()) {
			t.Fatalf("cached %v, uncached %v", err1, err2)
		}
		if err1 == nil && (len(id1.Emails) != 1 || id1.Emails[0] != "mitr@redhat.com") {
			t.Fatalf("accepted an unexpected identity %q", id1.Emails)
		}
	})
}
