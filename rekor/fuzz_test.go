package rekor

import (
	"testing"
)

// FuzzVerifySET feeds arbitrary bundle annotations and keys/certificates to VerifySET: it must
// never panic, and whatever it accepts must be signed by the fixture Rekor key (which a fuzzer
// cannot forge), so acceptance is only possible for the seed.
func FuzzVerifySET(f *testing.F) {
	keys := mustKeys(f, "rekor.pub")
	f.Add(readFixture(f, "rekor-set"), readFixture(f, "fulcio-cert"), string(readFixture(f, "rekor-sig")), readFixture(f, "rekor-payload"))
	f.Add([]byte(`{"SignedEntryTimestamp":"","Payload":{}}`), []byte("-----BEGIN X-----\n-----END X-----\n"), "", []byte{})
	f.Add([]byte(`{"Payload":null,"SignedEntryTimestamp":null}`), []byte{}, "====", []byte("x"))
	seedSET := string(readFixture(f, "rekor-set"))
	f.Fuzz(func(t *testing.T, set, keyOrCert []byte, sig string, payload []byte) {
		e, err := keys.VerifySET(set, keyOrCert, sig, payload)
		if err == nil && (string(set) != seedSET && e.IntegratedTime.Unix() != 1670870899) {
			t.Fatalf("accepted a non-seed SET: %q", set)
		}
	})
}
