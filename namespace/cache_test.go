package namespace

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sigpolicy/sigpolicy/policy"
)

// TestResolveCache checks that an unchanged file yields the very same *Resolved, and that each kind
// of change is seen by the next call.
func TestResolveCache(t *testing.T) {
	l := newLayout(t, rejectPolicy)
	ns := l.nsFile("team")
	writeFile(t, ns, acceptPolicy)
	r := l.resolver(t)
	prev := mustResolve(t, r, "team")
	steps := []struct {
		name     string
		change   func(t *testing.T)
		wantFile string
		wantType policy.RequirementType
		changed  bool // a new *Resolved is expected
	}{
		{"unchanged", func(*testing.T) {}, ns, policy.TypeInsecureAcceptAnything, false},
		{"atomic rename over the file", func(t *testing.T) { writeAtomic(t, ns, rejectPolicy) }, ns, policy.TypeReject, true},
		{"unchanged after the rename", func(*testing.T) {}, ns, policy.TypeReject, false},
		{"rewritten in place", func(t *testing.T) { writeFile(t, ns, acceptPolicy) }, ns, policy.TypeInsecureAcceptAnything, true},
		{"rewritten in place with the same size", func(t *testing.T) { writeFile(t, ns, `{"default":[{"type":"reject"}]}             `) }, ns, policy.TypeReject, true},
		{"modification time changed", func(t *testing.T) { touch(t, ns) }, ns, policy.TypeReject, true},
		{"namespace file deleted", func(t *testing.T) { remove(t, ns) }, l.global, policy.TypeReject, true},
		{"global file replaced", func(t *testing.T) { writeAtomic(t, l.global, acceptPolicy) }, l.global, policy.TypeInsecureAcceptAnything, true},
		{"unchanged fallback", func(*testing.T) {}, l.global, policy.TypeInsecureAcceptAnything, false},
		{"namespace file created", func(t *testing.T) { writeAtomic(t, ns, rejectPolicy) }, ns, policy.TypeReject, true},
	}
	for _, s := range steps {
		t.Run(s.name, func(t *testing.T) {
			s.change(t)
			res := mustResolve(t, r, "team")
			if res.File != s.wantFile || defaultType(res) != s.wantType {
				t.Fatalf("got %s with default %q; want %s with %q", res.File, defaultType(res), s.wantFile, s.wantType)
			}
			if (res != prev) != s.changed {
				t.Fatalf("new result: %v, want %v", res != prev, s.changed)
			}
			prev = res
		})
	}
}

func touch(t *testing.T, path string) {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	m := fi.ModTime().Add(-3 * 1e9)
	if err := os.Chtimes(path, m, m); err != nil {
		t.Fatal(err)
	}
}

func remove(t *testing.T, path string) {
	t.Helper()
	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
}

// TestResolveFallbackIsShared checks that namespaces without a file share the global Evaluator and
// digest, each with its own namespace name, and that a changed global policy reaches all of them.
func TestResolveFallbackIsShared(t *testing.T) {
	l := newLayout(t, rejectPolicy)
	r := l.resolver(t)
	g := mustResolve(t, r, "")
	a, b := mustResolve(t, r, "a"), mustResolve(t, r, "b")
	if a.Evaluator != g.Evaluator || b.Evaluator != g.Evaluator || a.Digest != g.Digest || a.Namespace != "a" || b.Namespace != "b" || g.Namespace != "" {
		t.Fatalf("fallback results do not share the global policy: %+v %+v %+v", g, a, b)
	}
	if again := mustResolve(t, r, "a"); again != a {
		t.Fatal("an unchanged fallback was rebuilt")
	}
	writeAtomic(t, l.global, acceptPolicy)
	a2 := mustResolve(t, r, "a")
	if a2 == a || a2.Evaluator != mustResolve(t, r, "").Evaluator || defaultType(a2) != policy.TypeInsecureAcceptAnything {
		t.Fatal("the changed global policy did not reach the namespace")
	}
}

func TestResolveDigest(t *testing.T) {
	l := newLayout(t, acceptPolicy)
	key := filepath.Join(l.base, "key.pub")
	copyFile(t, fixtures+"/cosign.pub", key)
	writeFile(t, l.nsFile("a"), keyPolicy(key))
	writeFile(t, l.nsFile("b"), keyPolicy(key))
	r := l.resolver(t)
	a, b := mustResolve(t, r, "a"), mustResolve(t, r, "b")
	if a.Digest != b.Digest || a.Evaluator == b.Evaluator {
		t.Fatalf("identical policies in two files: digests %s %s, want equal (and separate evaluators)", a.Digest, b.Digest)
	}
	want := []string{l.nsFile("a"), key}
	if strings.Join(a.Files, "\n") != strings.Join(want, "\n") {
		t.Fatalf("Files = %q, want %q", a.Files, want)
	}
	policyBytes, err := os.ReadFile(l.nsFile("a"))
	if err != nil {
		t.Fatal(err)
	}
	keyBytes, err := os.ReadFile(key)
	if err != nil {
		t.Fatal(err)
	}
	if got := digestOf(false, [][]byte{policyBytes}, []trustFile{{path: key, data: keyBytes}}); got != a.Digest {
		t.Fatalf("digest %s, want the documented framing's %s", a.Digest, got)
	}
	copyFile(t, fixtures+"/cosign2.pub", key)
	a2 := mustResolve(t, r, "a")
	if a2.Digest == a.Digest {
		t.Fatal("digest unchanged after the key file changed")
	}
	remove(t, key)
	a3 := mustResolve(t, r, "a")
	if a3.Digest == a2.Digest || a3.Digest == a.Digest {
		t.Fatal("digest unchanged after the key file was removed")
	}
}

// TestRacyTimestamps checks the racy-timestamp rule with the real clock: a result built from a file
// changed within racyWindow is rebuilt by the next call, so that a same-size rewrite within one
// timestamp granule cannot go unseen; once the files have settled, results are cached.
func TestRacyTimestamps(t *testing.T) {
	l := newLayout(t, rejectPolicy)
	ns := l.nsFile("team")
	a := `{"default":[{"type":"insecureAcceptAnything"}]}`
	b := `{"default":[{"type":"reject"}],"transports":{}}` // the same length as a
	if len(a) != len(b) {
		t.Fatalf("test policies differ in length: %d, %d", len(a), len(b))
	}
	writeFile(t, ns, a)
	r, err := New(l.global, l.dir)
	if err != nil {
		t.Fatal(err)
	}
	first := mustResolve(t, r, "team")
	if defaultType(first) != policy.TypeInsecureAcceptAnything {
		t.Fatalf("default %q", defaultType(first))
	}
	writeFile(t, ns, b) // in place, same size, very likely within the same timestamp granule
	second := mustResolve(t, r, "team")
	if second == first || defaultType(second) != policy.TypeReject {
		t.Fatalf("same-size rewrite not seen: default %q", defaultType(second))
	}
	if third := mustResolve(t, r, "team"); third == second {
		t.Fatal("a result built from a just-written file was reused")
	}
	r.cfg.now = settledClock
	settled := mustResolve(t, r, "team")
	if again := mustResolve(t, r, "team"); again != settled {
		t.Fatal("a result built from settled files was not reused")
	}
}
