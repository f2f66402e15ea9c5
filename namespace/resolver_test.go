package namespace

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/sigpolicy/sigpolicy/policy"
	"github.com/sigpolicy/sigpolicy/verify"
)

func TestNewRefusesBadArguments(t *testing.T) {
	tests := []struct {
		name        string
		global, dir string
		opts        []Option
	}{
		{"empty global path", "", "/d", nil},
		{"NUL in global path", "/p\x00.json", "/d", nil},
		{"NUL in dir", "/p.json", "/d\x00", nil},
		{"nil option", "/p.json", "/d", []Option{nil}},
		{"nil compile option", "/p.json", "/d", []Option{WithCompileOptions(nil)}},
		{"invalid compile option", "/p.json", "/d", []Option{WithCompileOptions(verify.WithClock(nil))}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := New(tt.global, tt.dir, tt.opts...)
			if tt.name == "invalid compile option" {
				// verify validates its options when compiling: the first Resolve fails closed.
				if err != nil {
					t.Fatal(err)
				}
				if _, err := r.Resolve(""); err == nil {
					t.Fatal("Resolve succeeded with an invalid compile option")
				}
				return
			}
			if err == nil {
				t.Fatal("New succeeded")
			}
		})
	}
}

// TestResolveRefusesHostileNames builds, next to the policy directory, the files that the hostile
// names would reach if they were joined to the directory as CRI-O does, each an accept-anything
// policy; the global policy does not exist. Every name must be refused as a name, before any path.
func TestResolveRefusesHostileNames(t *testing.T) {
	l := newLayout(t, "")
	writeFile(t, filepath.Join(l.base, "etc.json"), acceptPolicy) // <dir>/../etc.json
	writeFile(t, filepath.Join(l.base, "policy.json.json"), acceptPolicy)
	if err := os.Mkdir(filepath.Join(l.dir, "a"), 0o755); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(l.dir, "a", "b.json"), acceptPolicy) // <dir>/a/b.json
	writeFile(t, filepath.Join(l.dir, "..json"), acceptPolicy)      // <dir>/. + .json
	writeFile(t, filepath.Join(l.dir, "Prod.json"), acceptPolicy)
	r := l.resolver(t)

	for _, tt := range []struct{ name, ns string }{
		{"parent", "../etc"},
		{"parent to global", "../policy.json"},
		{"subdirectory", "a/b"},
		{"dot", "."},
		{"dot dot", ".."},
		{"absolute", l.base + "/etc"},
		{"upper case", "Prod"},
		{"64 characters", strings.Repeat("a", 64)},
		{"NUL", "a\x00"},
		{"trailing hyphen", "a-"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			res, err := r.Resolve(tt.ns)
			var ie *InvalidNamespaceError
			if res != nil || !errors.As(err, &ie) || ie.Name != tt.ns {
				t.Fatalf("Resolve(%q) = %v, %v; want an *InvalidNamespaceError naming it", tt.ns, res, err)
			}
			if errors.Is(err, ErrPolicyFile) {
				t.Fatal("the error also reports a policy file: a path was built")
			}
		})
	}
}

func TestResolveChoosesFile(t *testing.T) {
	l := newLayout(t, rejectPolicy)
	writeFile(t, l.nsFile("team-a"), acceptPolicy)
	tests := []struct {
		name     string
		opts     []Option
		dir      string
		ns       string
		wantFile string
		wantType policy.RequirementType
		wantErr  error
	}{
		{"namespace with its own file", nil, l.dir, "team-a", l.nsFile("team-a"), policy.TypeInsecureAcceptAnything, nil},
		{"namespace without a file", nil, l.dir, "team-b", l.global, policy.TypeReject, nil},
		{"empty namespace", nil, l.dir, "", l.global, policy.TypeReject, nil},
		{"empty namespace refused when required", []Option{WithRequireNamespace()}, l.dir, "", "", "", ErrInvalidNamespace},
		{"no directory configured", nil, "", "team-a", l.global, policy.TypeReject, nil},
		{"missing directory", nil, filepath.Join(l.base, "nope"), "team-a", l.global, policy.TypeReject, nil},
		{"directory is a file", nil, l.global, "team-a", "", "", syscall.ENOTDIR},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := New(l.global, tt.dir, tt.opts...)
			if err != nil {
				t.Fatal(err)
			}
			res, err := r.Resolve(tt.ns)
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) || res != nil {
					t.Fatalf("Resolve(%q) = %v, %v; want error %v", tt.ns, res, err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if res.File != tt.wantFile || res.Namespace != tt.ns || defaultType(res) != tt.wantType || res.Overlay {
				t.Fatalf("got File %q Namespace %q default %q Overlay %v; want %q %q %q false",
					res.File, res.Namespace, defaultType(res), res.Overlay, tt.wantFile, tt.ns, tt.wantType)
			}
			if res.Files[0] != tt.wantFile || !strings.HasPrefix(res.Digest, "sha256:") || len(res.Digest) != 71 {
				t.Fatalf("got Files %q Digest %q", res.Files, res.Digest)
			}
		})
	}
}

// TestResolveFailuresAreIsolated checks that each file is read only when it applies, and that a
// file that applies but is unusable is an error, never a fallback.
func TestResolveFailuresAreIsolated(t *testing.T) {
	l := newLayout(t, brokenPolicy)
	writeFile(t, l.nsFile("good"), acceptPolicy)
	writeFile(t, l.nsFile("broken"), unknownPolicy)
	writeFile(t, l.nsFile("empty"), "")
	if err := os.Mkdir(l.nsFile("directory"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("missing-target.json", l.nsFile("dangling")); err != nil {
		t.Fatal(err)
	}
	big := `{"default":[{"type":"reject"}]}` + strings.Repeat(" ", policy.MaxPolicySize)
	writeFile(t, l.nsFile("huge"), big)
	r := l.resolver(t)

	tests := []struct {
		name     string
		ns       string
		wantFile string
		wantErr  error // nil: resolves
	}{
		{"own file despite a broken global", "good", l.nsFile("good"), nil},
		{"fallback to the broken global", "other", l.global, policy.ErrSyntax},
		{"the broken global itself", "", l.global, policy.ErrSyntax},
		{"broken namespace file", "broken", l.nsFile("broken"), policy.ErrUnknownKey},
		{"empty namespace file", "empty", l.nsFile("empty"), policy.ErrSyntax},
		{"directory in place of the file", "directory", l.nsFile("directory"), ErrNotRegularFile},
		{"dangling symbolic link", "dangling", l.nsFile("dangling"), fs.ErrNotExist},
		{"file over the size limit", "huge", l.nsFile("huge"), policy.ErrTooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for call := 0; call < 2; call++ { // the second call is answered from the cache
				res, err := r.Resolve(tt.ns)
				if tt.wantErr == nil {
					if err != nil || res.File != tt.wantFile {
						t.Fatalf("call %d: Resolve(%q) = %v, %v; want file %s", call, tt.ns, res, err, tt.wantFile)
					}
					continue
				}
				var pe *PolicyFileError
				if res != nil || !errors.As(err, &pe) || !errors.Is(err, ErrPolicyFile) || !errors.Is(err, tt.wantErr) {
					t.Fatalf("call %d: Resolve(%q) = %v, %v; want a *PolicyFileError matching %v", call, tt.ns, res, err, tt.wantErr)
				}
				if pe.File != tt.wantFile || pe.Namespace != tt.ns {
					t.Fatalf("call %d: error names file %q namespace %q; want %q %q", call, pe.File, pe.Namespace, tt.wantFile, tt.ns)
				}
			}
		})
	}
}

func TestResolveSymbolicLinks(t *testing.T) {
	l := newLayout(t, rejectPolicy)
	outside := filepath.Join(l.base, "outside.json")
	writeFile(t, outside, acceptPolicy)
	if err := os.Mkdir(filepath.Join(l.dir, "sub"), 0o755); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(l.dir, "sub", "inside.json"), acceptPolicy)
	links := map[string]string{
		"relative-inside":  "sub/inside.json",
		"absolute-inside":  filepath.Join(l.dir, "sub", "inside.json"),
		"relative-outside": "../outside.json",
		"absolute-outside": outside,
		"via-inside-link":  "relative-outside.json", // a link inside that leads outside
		"to-global":        l.global,
	}
	for ns, target := range links {
		if err := os.Symlink(target, l.nsFile(ns)); err != nil {
			t.Fatal(err)
		}
	}
	r := l.resolver(t)
	tests := []struct {
		ns      string
		allowed bool // resolves, to an accept-anything policy
	}{
		{"relative-inside", true},
		{"absolute-inside", true},
		{"relative-outside", false},
		{"absolute-outside", false},
		{"via-inside-link", false},
		{"to-global", false},
	}
	for _, tt := range tests {
		t.Run(tt.ns, func(t *testing.T) {
			res, err := r.Resolve(tt.ns)
			if tt.allowed {
				if err != nil || defaultType(res) != policy.TypeInsecureAcceptAnything || res.File != l.nsFile(tt.ns) {
					t.Fatalf("Resolve(%q) = %v, %v", tt.ns, res, err)
				}
				return
			}
			if res != nil || !errors.Is(err, ErrOutsideDirectory) || !errors.Is(err, ErrPolicyFile) {
				t.Fatalf("Resolve(%q) = %v, %v; want ErrOutsideDirectory", tt.ns, res, err)
			}
		})
	}
}

// TestResolveConfigMapSwap mimics a Kubernetes ConfigMap volume: "<ns>.json" links to
// "..data/<ns>.json", and an update atomically renames a new "..data" link into place.
func TestResolveConfigMapSwap(t *testing.T) {
	l := newLayout(t, rejectPolicy)
	for _, v := range []struct{ dir, policy string }{{"..v1", acceptPolicy}, {"..v2", rejectPolicy}} {
		if err := os.Mkdir(filepath.Join(l.dir, v.dir), 0o755); err != nil {
			t.Fatal(err)
		}
		writeFile(t, filepath.Join(l.dir, v.dir, "team.json"), v.policy)
	}
	if err := os.Symlink("..v1", filepath.Join(l.dir, "..data")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("..data/team.json", l.nsFile("team")); err != nil {
		t.Fatal(err)
	}
	r := l.resolver(t)
	if res := mustResolve(t, r, "team"); defaultType(res) != policy.TypeInsecureAcceptAnything {
		t.Fatalf("before the swap: default %q", defaultType(res))
	}
	if err := os.Symlink("..v2", filepath.Join(l.dir, "..data_tmp")); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(filepath.Join(l.dir, "..data_tmp"), filepath.Join(l.dir, "..data")); err != nil {
		t.Fatal(err)
	}
	if res := mustResolve(t, r, "team"); defaultType(res) != policy.TypeReject {
		t.Fatalf("after the swap: default %q, want reject", defaultType(res))
	}
}

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

// TestKeyRotation uses the real containers/image fixture dir-img-cosign-valid, signed by the key in
// cosign.pub: replacing the policy's key file with cosign2.pub must deny its signatures on the very
// next Resolve, however the file is replaced.
func TestKeyRotation(t *testing.T) {
	for _, replace := range []struct {
		name  string
		write func(t testing.TB, from, to string)
	}{
		{"atomic rename", copyFile},
		{"rewritten in place", func(t testing.TB, from, to string) {
			data, err := os.ReadFile(from)
			if err != nil {
				t.Fatal(err)
			}
			writeFile(t, to, string(data))
		}},
	} {
		t.Run(replace.name, func(t *testing.T) {
			l := newLayout(t, rejectPolicy)
			key := filepath.Join(l.base, "key.pub")
			replace.write(t, fixtures+"/cosign.pub", key)
			writeFile(t, l.nsFile("signed"), keyPolicy(key))
			r := l.resolver(t)
			steps := []struct {
				name    string
				change  func(t *testing.T)
				allowed bool
				wantErr error // the denial, when not allowed
			}{
				{"signing key", func(*testing.T) {}, true, nil},
				{"rotated to another key", func(t *testing.T) { replace.write(t, fixtures+"/cosign2.pub", key) }, false, verify.ErrInvalidSignature},
				{"rotated back", func(t *testing.T) { replace.write(t, fixtures+"/cosign.pub", key) }, true, nil},
				{"key file removed", func(t *testing.T) { remove(t, key) }, false, verify.ErrTrustMaterial},
				{"key file restored", func(t *testing.T) { replace.write(t, fixtures+"/cosign.pub", key) }, true, nil},
			}
			for _, s := range steps {
				s.change(t)
				d := evaluateCosign(t, mustResolve(t, r, "signed"))
				if d.Allowed != s.allowed {
					t.Fatalf("%s: allowed %v, want %v (%v)", s.name, d.Allowed, s.allowed, d.Err)
				}
				if !s.allowed && !errors.Is(d.Err, s.wantErr) {
					t.Fatalf("%s: denied with %v, want %v", s.name, d.Err, s.wantErr)
				}
			}
		})
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
