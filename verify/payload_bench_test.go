package verify

import (
	"os"
	"testing"

	"github.com/sigpolicy/sigpolicy/source"
)

func BenchmarkParsePayload(b *testing.B) {
	blob, err := os.ReadFile("../testdata/containers-image/dir-img-cosign-valid-with-tag/signature-1")
	if err != nil {
		b.Fatal(err)
	}
	sig, err := source.ParseSignatureBlob(blob)
	if err != nil {
		b.Fatal(err)
	}
	payload := sig.(source.Sigstore).UntrustedPayload
	b.ReportAllocs()
	for b.Loop() {
		if _, err := parsePayload(payload, sigstorePayloadType, true); err != nil {
			b.Fatal(err)
		}
	}
}
