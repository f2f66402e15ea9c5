package verify_test

import (
	"encoding/json"

	"os"
	"path/filepath"
	"strings"
	"testing"
)

// genDir holds the fixtures written by internal/fixturegen (see testdata/generated/README.md).
var genDir = mustAbs("../testdata/generated")

// genCase is one entry of testdata/generated/cases.json.
type genCase struct {
	Name            string         `json:"name"`
	Dir             string         `json:"dir"`
	PullReference   string         `json:"pullReference"`
	SignedReference string         `json:"signedReference"`
	Requirement     map[string]any `json:"requirement"`
	Expected        string         `json:"expected"`
}

func loadGenCases(t *testing.T) []genCase {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(genDir, "cases.json"))
	if err != nil {
		t.Fatal(err)
	}
	var cases []genCase
	if err := json.Unmarshal(raw, &cases); err != nil {
		t.Fatal(err)
	}
	return cases
}

// absolutize makes every …Path / …Paths value of a requirement absolute (relative to genDir), so
// that containers/image and sigpolicy read the same files whatever the working directory.
func absolutize(v any) any {
	switch v := v.(type) {
	case map[string]any:
		out := map[string]any{}
		for k, x := range v {
			switch {
			case strings.HasSuffix(k, "Path"):
				if s, ok := x.(string); ok && s != "" {
					x = filepath.Join(genDir, s)
				}
			case strings.HasSuffix(k, "Paths"):
				if l, ok := x.([]any); ok {
					nl := make([]any, len(l))
					for i, e := range l {
						nl[i] = filepath.Join(genDir, e.(string))
					}
					x = nl
				}
			default:
				x = absolutize(x)
			}
			out[k] = x
		}
		return out
	default:
		return v
	}
}

// variant derives a policy from a generated case's requirement.
type variant struct {
	name   string
	ref    func(c genCase) string
	reqs   func(req map[string]any) []any
	expect bool // the case's own expectation applies (else only agreement is checked)
}

func withIdentity(req map[string]any, identity map[string]any) map[string]any {
	out := map[string]any{}
	for k, v := range req {
		out[k] = v
	}
	out["signedIdentity"] = identity
	return out
}

func withKey(req map[string]any, key string) map[string]any {
	out := map[string]any{}
	for k, v := range req {
		out[k] = v
	}
	if _, ok := out["keyPath"]; ok {
		out["keyPath"] = key
	}
	if _, ok := out["keyPaths"]; ok {
		out["keyPaths"] = []any{key}
	}
	return out
}

func variants() []variant {
	pull := func(c genCase) string { return c.PullReference }
	return []variant{
		{"as-generated", pull, func(r map[string]any) []any { return []any{r} }, true},
		{"accept-anything-first", pull, func(r map[string]any) []any { return []any{map[string]any{"type": "insecureAcceptAnything"}, r} }, true},
		{"twice", pull, func(r map[string]any) []any { return []any{r, r} }, true},
		{"matchRepository", pull, func(r map[string]any) []any { return []any{withIdentity(r, map[string]any{"type": "matchRepository"})} }, false},
		{"matchExact", pull, func(r map[string]any) []any { return []any{withIdentity(r, map[string]any{"type": "matchExact"})} }, false},
		{"matchRepository-other-repo", func(genCase) string { return "registry.example.com/sigpolicy/other:v1" },
			func(r map[string]any) []any { return []any{withIdentity(r, map[string]any{"type": "matchRepository"})} }, false},
		{"exactRepository-elsewhere", func(genCase) string { return "mirror.example.net/x/y:z" },
			func(r map[string]any) []any {
				return []any{withIdentity(r, map[string]any{"type": "exactRepository", "dockerRepository": "registry.example.com/sigpolicy/app"})}
			}, false},
		{"other-key", pull, func(r map[string]any) []any { return []any{withKey(r, filepath.Join(genDir, "keys/other-ecdsa.pub"))} }, false},
		{"then-reject", pull, func(r map[string]any) []any { return []any{r, map[string]any{"type": "reject"}} }, false},
	}
}

// TestDifferentialGenerated evaluates every generated case under several policy variants with both
// sigpolicy and containers/image, which must agree; the generated expectation must hold where the
// variant keeps it.
func TestDifferentialGenerated(t *testing.T) {
	var cases []diffCase
	for _, g := range loadGenCases(t) {
		req := absolutize(g.Requirement).(map[string]any)
		for _, v := range variants() {
			pol, err := json.Marshal(map[string]any{
				"default":    []any{map[string]any{"type": "reject"}},
				"transports": map[string]any{"docker": map[string]any{"": v.reqs(req)}},
			})
			if err != nil {
				t.Fatal(err)
			}
			c := diffCase{name: g.Name + "/" + v.name, policy: pol, dir: filepath.Join(genDir, g.Dir), ref: v.ref(g)}
			if v.expect {
				c.want = ptr(g.Expected == "allow")
			}
			cases = append(cases, c)
		}
	}
	allowed := runDifferential(t, cases)
	if allowed == 0 || allowed == len(cases) {
		t.Fatalf("degenerate corpus: %d of %d allowed", allowed, len(cases))
	}
	t.Logf("%d cases, %d allowed by both, %d denied by both", len(cases), allowed, len(cases)-allowed)
}
