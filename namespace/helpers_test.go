package namespace

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/containers/image/v5/docker/reference"

	"github.com/sigpolicy/sigpolicy/policy"
	"github.com/sigpolicy/sigpolicy/source"
	"github.com/sigpolicy/sigpolicy/verify"
)

const (
	fixtures      = "../testdata/containers-image"
	cosignImage   = fixtures + "/dir-img-cosign-valid"
	cosignRef     = "192.168.64.2:5000/cosign-signed-single-sample"
	acceptPolicy  = `{"default":[{"type":"insecureAcceptAnything"}]}`
	rejectPolicy  = `{"default":[{"type":"reject"}]}`
	brokenPolicy  = `{"default":[{"type":"reject"}]` // truncated
	unknownPolicy = `{"default":[{"type":"reject"}],"bogus":1}`
)

// cosignImageDir is cosignImage as an absolute path, fixed before any test changes directory.
var cosignImageDir = func() string {
	dir, err := filepath.Abs(cosignImage)
	if err != nil {
		panic(err)
	}
	return dir
}()

// keyPolicy is a policy that admits cosignRef only with a sigstore signature by the key in keyPath.
func keyPolicy(keyPath string) string {
	return `{"default":[{"type":"reject"}],"transports":{"docker":{"` + cosignRef +
		`":[{"type":"sigstoreSigned","keyPath":"` + keyPath + `","signedIdentity":{"type":"matchRepository"}}]}}}`
}

// writeAtomic replaces path with data by writing a temporary file in the same directory and
// renaming it over path.
func writeAtomic(t testing.TB, path, data string) {
	t.Helper()
	tmp, err := os.CreateTemp(filepath.Dir(path), ".tmp-*")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tmp.WriteString(data); err != nil {
		t.Fatal(err)
	}
	if err := tmp.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		t.Fatal(err)
	}
}

func writeFile(t testing.TB, path, data string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

func copyFile(t testing.TB, from, to string) {
	t.Helper()
	data, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	writeAtomic(t, to, string(data))
}

// layout is a temporary global policy file and policy directory.
type layout struct {
	base, global, dir string
}

func newLayout(t testing.TB, global string) layout {
	t.Helper()
	base := t.TempDir()
	l := layout{base: base, global: filepath.Join(base, "policy.json"), dir: filepath.Join(base, "policies")}
	if err := os.Mkdir(l.dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if global != "" {
		writeFile(t, l.global, global)
	}
	return l
}

func (l layout) nsFile(ns string) string { return filepath.Join(l.dir, ns+".json") }

// resolver returns a Resolver for l whose clock runs ahead of the file system's by more than
// racyWindow, so that files the test has just written count as settled and results are cached at
// once (TestRacyTimestamps covers the real clock).
func (l layout) resolver(t testing.TB, opts ...Option) *Resolver {
	t.Helper()
	r, err := New(l.global, l.dir, opts...)
	if err != nil {
		t.Fatal(err)
	}
	r.cfg.now = settledClock
	return r
}

func settledClock() time.Time { return time.Now().Add(racyWindow + time.Minute) }

// defaultType returns the type of the first default requirement of the resolved policy.
func defaultType(res *Resolved) policy.RequirementType {
	return res.Evaluator.Policy().Default[0].Type()
}

// evaluateCosign evaluates the real containers/image fixture dir-img-cosign-valid under res.
func evaluateCosign(t testing.TB, res *Resolved) *verify.Decision {
	t.Helper()
	ref, err := reference.ParseNormalizedNamed(cosignRef)
	if err != nil {
		t.Fatal(err)
	}
	d, err := res.Evaluator.Evaluate(context.Background(), verify.Image{Reference: ref, Source: source.NewDir(cosignImageDir)})
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// mustResolve calls Resolve and fails the test on an error.
func mustResolve(t testing.TB, r *Resolver, ns string) *Resolved {
	t.Helper()
	res, err := r.Resolve(ns)
	if err != nil {
		t.Fatalf("Resolve(%q): %v", ns, err)
	}
	return res
}
