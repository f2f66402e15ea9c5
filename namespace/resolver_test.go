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
