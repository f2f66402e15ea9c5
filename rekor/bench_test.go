package rekor

import "testing"

// BenchmarkVerifySET measures the SET check of the real keyless containers/image fixture.
func BenchmarkVerifySET(b *testing.B) {
	s := readSigstoreSig(b, "dir-img-cosign-fulcio-rekor-valid/signature-1")
	keys := mustKeys(b, "rekor.pub")
	set, cert, sig := []byte(s.Annotations[annBundle]), []byte(s.Annotations[annCertificate]), s.Annotations[annSignature]
	b.ReportAllocs()
	for b.Loop() {
		if _, err := keys.VerifySET(set, cert, sig, s.Payload); err != nil {
			b.Fatal(err)
		}
	}
}
