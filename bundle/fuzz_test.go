package bundle

import (
	"bytes"
	"os"
	"testing"
)

// FuzzVerify feeds arbitrary bundle bytes to Verify with the public-good trusted root and the
// sigstore-js identity and digest: it must never panic, and since no fuzzer can forge a Rekor or
// Fulcio signature, the only bundle it may accept is the real one (re-encoding it is fine: the
// verified content must then be the seed's).
func FuzzVerify(f *testing.F) {
	seed, err := os.ReadFile(sigstoreJSBundle)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(seed)
	for _, p := range []string{dsseBundle, othernameBundle} {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(`{"mediaType":"application/vnd.dev.sigstore.bundle.v0.3+json"}`))
	tm := publicGood(f)
	opts := sigstoreJSOptions(f)
	want, err := Verify(seed, tm, opts)
	if err != nil {
		f.Fatalf("seed refused: %v", err)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		got, err := Verify(data, tm, opts)
		if err != nil {
			return
		}
		if !bytes.Equal(got.Content.Payload, want.Content.Payload) || got.Identity == nil {
			t.Fatalf("accepted a bundle with other content: %q", data)
		}
	})
}
