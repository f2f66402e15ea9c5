package rekor_test

import (
	"testing"
)

// FuzzVerifyCheckpoint feeds arbitrary notes to the checkpoint parser and verifier: it must never
// panic, and must only accept notes that carry a valid signature by the log's key.
func FuzzVerifyCheckpoint(f *testing.F) {
	l := newTestLogV1(f)
	valid := l.checkpoint(f, testHost, l.tree.Size(), l.tree.Hash())
	f.Add(valid)
	f.Add([]byte("rekor.example.test - 1\n1\nAAAA\n\n\u2014 rekor.example.test AAAAAAAA\n"))
	f.Add([]byte("\n\n"))
	f.Fuzz(func(t *testing.T, note []byte) {
		cp, err := l.log.VerifyCheckpoint(note)
		if err == nil && (cp.Size == 0 && len(cp.RootHash) == 0) {
			t.Fatalf("accepted an empty checkpoint from %q", note)
		}
	})
}
