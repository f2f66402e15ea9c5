package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sigpolicy/sigpolicy/internal/cioracle"
)

const committed = "../../testdata/generated"

// readTree returns every regular file under dir, by slash-separated relative path.
func readTree(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		b, err := os.ReadFile(path)
		files[filepath.ToSlash(rel)] = b
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// TestGeneratedIsUpToDate regenerates into a temporary directory and requires byte-identical
// output to the committed testdata/generated: the generator is deterministic and the committed
// fixtures are current.
func TestGeneratedIsUpToDate(t *testing.T) {
	tmp := filepath.Join(t.TempDir(), "generated")
	if err := generate(tmp); err != nil {
		t.Fatal(err)
	}
	got, want := readTree(t, tmp), readTree(t, committed)
	if len(want) == 0 {
		t.Fatal("no committed fixtures; run go generate ./internal/fixturegen")
	}
	for name, b := range got {
		w, ok := want[name]
		switch {
		case !ok:
			t.Errorf("%s: generated but not committed (run go generate ./internal/fixturegen)", name)
		case !bytes.Equal(b, w):
			t.Errorf("%s: differs from the committed file", name)
		}
	}
	for name := range want {
		if _, ok := got[name]; !ok {
			t.Errorf("%s: committed but no longer generated", name)
		}
	}
}

// TestGenerateTwice checks determinism independently of the committed files.
func TestGenerateTwice(t *testing.T) {
	a, b := filepath.Join(t.TempDir(), "a"), filepath.Join(t.TempDir(), "b")
	if err := generate(a); err != nil {
		t.Fatal(err)
	}
	if err := generate(b); err != nil {
		t.Fatal(err)
	}
	ta, tb := readTree(t, a), readTree(t, b)
	if len(ta) != len(tb) {
		t.Fatalf("%d files vs %d", len(ta), len(tb))
	}
	for name, x := range ta {
		if !bytes.Equal(x, tb[name]) {
			t.Errorf("%s differs between two runs", name)
		}
	}
}

// loadCases reads the committed cases.json.
func loadCases(t *testing.T) []Case {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(committed, "cases.json"))
	if err != nil {
		t.Fatal(err)
	}
	var cases []Case
	if err := json.Unmarshal(b, &cases); err != nil {
		t.Fatal(err)
	}
	return cases
}

// absolutise rewrites the relative key paths of a requirement to absolute ones.
func absolutise(v any, base string) any {
	switch x := v.(type) {
	case string:
		if strings.HasPrefix(x, "keys/") {
			return filepath.Join(base, x)
		}
		return x
	case []any:
		for i := range x {
			x[i] = absolutise(x[i], base)
		}
		return x
	case map[string]any:
		for k := range x {
			x[k] = absolutise(x[k], base)
		}
		return x
	default:
		return v
	}
}

// cimageAllowed evaluates the layout at dir, pulled as pullRef, under policyJSON with
// containers/image (the oracle of research §8).
func cimageAllowed(ctx context.Context, policyJSON []byte, dir, pullRef string) (bool, error) {
	return cioracle.DecideDir(ctx, policyJSON, dir, pullRef)
}

// TestContainersImageDecisions evaluates every generated case with containers/image under its
// requirement and checks the documented expectation, proving the fixtures are real signatures
// (the "allow" cases) and that each negative case fails for the intended reason.
func TestContainersImageDecisions(t *testing.T) {
	base, err := filepath.Abs(committed)
	if err != nil {
		t.Fatal(err)
	}
	cases := loadCases(t)
	var allowed int
	for _, c := range cases {
		t.Run(c.Name, func(t *testing.T) {
			req := absolutise(c.Requirement, base)
			policy, err := json.Marshal(map[string]any{
				"default":    []any{map[string]any{"type": "reject"}},
				"transports": map[string]any{"docker": map[string]any{"": []any{req}}},
			})
			if err != nil {
				t.Fatal(err)
			}
			ok, err := cimageAllowed(context.Background(), policy, filepath.Join(base, c.Dir), c.PullReference)
			if got := map[bool]string{true: "allow", false: "deny"}[ok]; got != c.Expected {
				t.Fatalf("containers/image: %s (%v), cases.json expects %s", got, err, c.Expected)
			}
			if ok {
				allowed++
			}
			if c.ExpectedError != "" && (err == nil || !strings.Contains(err.Error(), c.ExpectedError)) {
				t.Errorf("containers/image error %q does not contain %q", err, c.ExpectedError)
			}
		})
	}
	if allowed == 0 {
		t.Error("no case was allowed")
	}
}

// TestDemoIsUpToDate regenerates the demo policy and image of examples/demo and requires them to be
// byte-identical to the committed ones.
func TestDemoIsUpToDate(t *testing.T) {
	tmp := t.TempDir()
	if err := generateDemo(tmp); err != nil {
		t.Fatal(err)
	}
	got, want := readTree(t, tmp), readTree(t, "../../examples/demo")
	for name, b := range got {
		if w, ok := want[name]; !ok || !bytes.Equal(b, w) {
			t.Errorf("examples/demo/%s differs from the generator's output (run go generate ./internal/fixturegen)", name)
		}
	}
	if len(got) != len(want) {
		t.Errorf("examples/demo has %d files, the generator writes %d", len(want), len(got))
	}
}
