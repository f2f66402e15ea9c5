package ci

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sigpolicy/sigpolicy/examples/internal/demoregistry"
)

// sigpolicy builds the sigpolicy command, as the CI job installs it.
func sigpolicy(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "sigpolicy")
	cmd := exec.Command("go", "build", "-o", bin, "../../cmd/sigpolicy")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

func runTable(t *testing.T, bin, table string) (int, string) {
	t.Helper()
	var out bytes.Buffer
	cmd := exec.Command(bin, "test", "-v", table)
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	var exit *exec.ExitError
	switch {
	case err == nil:
		return 0, out.String()
	case errors.As(err, &exit):
		return exit.ExitCode(), out.String()
	}
	t.Fatal(err)
	return 0, ""
}

// TestPolicyRepository runs `sigpolicy test` as the CI job does: on the repository's table, on a
// table with a wrong expectation, and on cases read from a loopback registry.
func TestPolicyRepository(t *testing.T) {
	bin := sigpolicy(t)
	dir := t.TempDir()
	write := func(name, body string) string {
		t.Helper()
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	abs := func(p string) string {
		a, err := filepath.Abs(p)
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
	// The same policies with one wrong expectation: the job must fail and say which and why.
	wrong := write("wrong.yaml", "policy: "+abs("policy.json")+"\npolicy-dir: "+abs("namespaces")+`
cases:
  - name: demo image in team-b
    image: registry.example.com/demo/hello:1.0
    namespace: team-b
    from-dir: `+abs("../demo/image")+`
    expect: allow
`)
	reg := demoregistry.Start(demoregistry.PlainHTTP())
	defer reg.Close()
	if _, err := reg.PushDir(context.Background(), "demo/hello:1.0", "../demo/image"); err != nil {
		t.Fatal(err)
	}
	// From a registry: the demo image is signed as registry.example.com/demo/hello, so under its
	// loopback name only a policy naming that identity admits it.
	fromRegistry := write("registry.yaml", "policy: "+abs("policy.json")+"\npolicy-dir: "+abs("namespaces")+`
plain-http: true
cases:
  - name: pulled from the registry, denied under its registry name by the global policy
    image: `+reg.Host()+`/demo/hello:1.0
    namespace: default
    from-registry: true
    expect: deny
    reason: is rejected by policy
  - name: pulled from the registry in sandbox
    image: `+reg.Host()+`/demo/hello:1.0
    namespace: sandbox
    from-registry: true
    expect: allow
  - name: missing tag
    image: `+reg.Host()+`/demo/hello:2.0
    namespace: sandbox
    from-registry: true
    expect: deny
    reason: MANIFEST_UNKNOWN
`)
	tests := []struct {
		name  string
		table string
		code  int
		want  []string
	}{
		{"the repository's table passes", "tests/policy-tests.yaml", 0, []string{"9 cases, 9 passed, 0 failed"}},
		{"a wrong expectation fails with a diff", wrong, 1, []string{
			"FAIL demo image in team-b (" + wrong + ":4)", "expect: allow", "got:    deny",
			`Required email "release-bot@example.com" not found`, "1 cases, 0 passed, 1 failed"}},
		{"registry cases", fromRegistry, 0, []string{"3 cases, 3 passed, 0 failed"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, out := runTable(t, bin, tc.table)
			if code != tc.code {
				t.Fatalf("exit %d, want %d:\n%s", code, tc.code, out)
			}
			for _, w := range tc.want {
				if !strings.Contains(out, w) {
					t.Errorf("output lacks %q:\n%s", w, out)
				}
			}
		})
	}
}
