package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestResolve(t *testing.T) {
	dir := t.TempDir()
	global := filepath.Join(dir, "policy.json")
	nsDir := filepath.Join(dir, "policies")
	if err := os.Mkdir(nsDir, 0o755); err != nil {
		t.Fatal(err)
	}
	write := func(path, body string) {
		t.Helper()
		if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(global, `{"default":[{"type":"insecureAcceptAnything"}]}`)
	write(filepath.Join(nsDir, "team-a.json"), `{"default":[{"type":"reject"}],"transports":{"docker":{"quay.io/team-a":[{"type":"insecureAcceptAnything"}]}}}`)
	write(filepath.Join(nsDir, "broken.json"), `{"default":[]}`)

	tests := []struct {
		name      string
		args      []string
		code      int
		file      string
		scope     string
		isDefault bool
		stderr    string
	}{
		{"namespace file", []string{"--namespace", "team-a", "quay.io/team-a/app:1"}, exitOK, filepath.Join(nsDir, "team-a.json"), "quay.io/team-a", false, ""},
		{"namespace file, other image", []string{"--namespace", "team-a", "docker.io/library/busybox"}, exitOK, filepath.Join(nsDir, "team-a.json"), "", true, ""},
		{"fallback to global", []string{"--namespace", "team-b"}, exitOK, global, "", false, ""},
		{"no namespace", nil, exitOK, global, "", false, ""},
		{"broken namespace file", []string{"--namespace", "broken"}, exitError, "", "", false, "must not be empty"},
		{"path traversal", []string{"--namespace", "../etc"}, exitError, "", "", false, "refused namespace name"},
		{"slash", []string{"--namespace", "a/b"}, exitError, "", "", false, "refused namespace name"},
		{"upper case", []string{"--namespace", "Team-A"}, exitError, "", "", false, "refused namespace name"},
		{"too long", []string{"--namespace", strings.Repeat("a", 64)}, exitError, "", "", false, "refused namespace name"},
		{"bad image", []string{"--namespace", "team-a", "UPPER/case"}, exitError, "", "", false, "invalid image reference"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			args := append([]string{"resolve", "-o", "json", "--policy", global, "--policy-dir", nsDir}, tc.args...)
			code := run(args, &stdout, &stderr)
			if code != tc.code {
				t.Fatalf("exit %d, want %d; stderr: %s", code, tc.code, stderr.String())
			}
			if tc.stderr != "" && !strings.Contains(stderr.String(), tc.stderr) {
				t.Fatalf("stderr %q lacks %q", stderr.String(), tc.stderr)
			}
			if code != exitOK {
				return
			}
			var got resolution
			if err := json.Unmarshal(stdout.Bytes(), &got); err != nil {
				t.Fatalf("%v: %s", err, stdout.String())
			}
			if got.File != tc.file || !strings.HasPrefix(got.Digest, "sha256:") {
				t.Fatalf("got %+v", got)
			}
			if got.Scope != nil && (*got.Scope != tc.scope || got.Default != tc.isDefault || len(got.Requirements) == 0) {
				t.Fatalf("scope: got %+v", got)
			}
		})
	}
}

func TestResolveText(t *testing.T) {
	var stdout, stderr bytes.Buffer
	code := run([]string{"resolve", "--policy", "../../examples/demo/policy.json", "registry.example.com/demo/hello:1.0"}, &stdout, &stderr)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	for _, want := range []string{"policy file: ../../examples/demo/policy.json", `scope: transports.docker["registry.example.com/demo"]`, `"type": "sigstoreSigned"`} {
		if !strings.Contains(stdout.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, stdout.String())
		}
	}
}
