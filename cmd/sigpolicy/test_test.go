package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestTestCommand runs `sigpolicy test` on small tables against the demo policy and image.
func TestTestCommand(t *testing.T) {
	dir := t.TempDir()
	demoPolicy, err := filepath.Abs("../../examples/demo/policy.json")
	if err != nil {
		t.Fatal(err)
	}
	demoImage, err := filepath.Abs("../../examples/demo/image")
	if err != nil {
		t.Fatal(err)
	}
	head := "policy: " + demoPolicy + "\ncases:\n"
	okCase := "  - image: registry.example.com/demo/hello:1.0\n    from-dir: " + demoImage + "\n    expect: allow\n"
	tests := []struct {
		name   string
		table  string
		code   int
		stdout []string
		stderr []string
	}{
		{name: "allow holds", table: head + okCase, code: exitOK,
			stdout: []string{"1 cases, 1 passed, 0 failed"}},
		{name: "deny with reason holds", table: head + "  - image: registry.example.com/demo/unsigned:1\n    from-dir: " + demoImage +
			"\n    expect: deny\n    reason: rejected by policy\n", code: exitOK, stdout: []string{"1 passed"}},
		{name: "wrong expectation", table: head + okCase + "  - name: expected deny\n    image: registry.example.com/demo/hello:1.0\n    from-dir: " +
			demoImage + "\n    expect: deny\n", code: exitNo,
			stdout: []string{"FAIL expected deny (", ".yaml:6)", "expect: deny", "got:    allow", "explanation:", "ALLOWED registry.example.com/demo/hello:1.0", "2 cases, 1 passed, 1 failed"}},
		{name: "wrong reason", table: head + "  - image: registry.example.com/demo/unsigned:1\n    from-dir: " + demoImage +
			"\n    expect: deny\n    reason: no such text\n", code: exitNo,
			stdout: []string{`reason: the explanation does not contain "no such text"`}},
		{name: "missing image directory denies", table: head + "  - image: registry.example.com/demo/hello:1.0\n    from-dir: " +
			filepath.Join(dir, "nowhere") + "\n    expect: deny\n", code: exitOK, stdout: []string{"1 passed"}},
		{name: "unknown field", table: head + okCase + "    expected: allow\n", code: exitError,
			stderr: []string{"line 6: field expected not found"}},
		{name: "duplicate key", table: head + okCase + "    expect: deny\n", code: exitError,
			stderr: []string{"line 6", `"expect" already defined`}},
		{name: "bad expect", table: head + "  - image: x\n    from-dir: d\n    expect: maybe\n", code: exitError,
			stderr: []string{".yaml:3: case 1: \"expect\" must be \"allow\" or \"deny\""}},
		{name: "both sources", table: head + "  - image: x\n    from-dir: d\n    from-registry: true\n    expect: allow\n", code: exitError,
			stderr: []string{"case 1: exactly one of"}},
		{name: "no source", table: head + "  - image: x\n    expect: allow\n", code: exitError, stderr: []string{"exactly one of"}},
		{name: "bad image", table: head + "  - image: UPPER/case\n    from-dir: d\n    expect: allow\n", code: exitError, stderr: []string{"invalid image reference"}},
		{name: "no policy", table: "cases:\n" + okCase, code: exitError, stderr: []string{`"policy" is required`}},
		{name: "no cases", table: "policy: p.json\n", code: exitError, stderr: []string{`"cases" is empty`}},
		{name: "two documents", table: head + okCase + "---\npolicy: x\n", code: exitError, stderr: []string{".yaml:6: more than one YAML document"}},
		{name: "wrong type", table: "policy: [1]\ncases: []\n", code: exitError, stderr: []string{"line 1"}},
		{name: "empty file", table: "", code: exitError, stderr: []string{"empty document"}},
	}
	for i, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(dir, strings.ReplaceAll(tc.name, " ", "-")+".yaml")
			if err := os.WriteFile(path, []byte(tc.table), 0o644); err != nil {
				t.Fatal(err)
			}
			var stdout, stderr bytes.Buffer
			code := run([]string{"test", path}, &stdout, &stderr)
			if code != tc.code {
				t.Fatalf("case %d: exit %d, want %d\nstdout:\n%s\nstderr:\n%s", i, code, tc.code, stdout.String(), stderr.String())
			}
			for _, s := range tc.stdout {
				if !strings.Contains(stdout.String(), s) {
					t.Errorf("stdout lacks %q:\n%s", s, stdout.String())
				}
			}
			for _, s := range tc.stderr {
				if !strings.Contains(stderr.String(), s) {
					t.Errorf("stderr lacks %q:\n%s", s, stderr.String())
				}
			}
		})
	}
}

func TestTestUsage(t *testing.T) {
	tests := []struct {
		name string
		args []string
	}{
		{"no file", []string{"test"}},
		{"two files", []string{"test", "a", "b"}},
		{"unreadable file", []string{"test", filepath.Join(t.TempDir(), "missing.yaml")}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			if code := run(tc.args, &stdout, &stderr); code != exitError {
				t.Fatalf("exit %d, want %d", code, exitError)
			}
			if stderr.Len() == 0 {
				t.Fatal("nothing on stderr")
			}
		})
	}
}
