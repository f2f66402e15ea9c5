//go:build unix

package namespace

import (
	"errors"
	"path/filepath"
	"syscall"
	"testing"
)

// TestResolveRefusesFIFOs checks that a FIFO in place of a policy or key file is refused without
// blocking: opening a FIFO for reading would wait for a writer.
func TestResolveRefusesFIFOs(t *testing.T) {
	l := newLayout(t, rejectPolicy)
	key := filepath.Join(l.base, "key.pub")
	for _, path := range []string{l.nsFile("fifo"), key} {
		if err := syscall.Mkfifo(path, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	writeFile(t, l.nsFile("keyed"), keyPolicy(key))
	r := l.resolver(t)
	t.Run("namespace file", func(t *testing.T) {
		if res, err := r.Resolve("fifo"); res != nil || !errors.Is(err, ErrNotRegularFile) || !errors.Is(err, ErrPolicyFile) {
			t.Fatalf("Resolve = %v, %v; want ErrNotRegularFile", res, err)
		}
	})
	t.Run("key file", func(t *testing.T) {
		res := mustResolve(t, r, "keyed") // trust material failures deny at evaluation
		if d := evaluateCosign(t, res); d.Allowed || !errors.Is(d.Err, ErrNotRegularFile) {
			t.Fatalf("allowed %v with %v; want a denial for the FIFO key", d.Allowed, d.Err)
		}
	})
}
