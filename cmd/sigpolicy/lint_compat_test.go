package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const extPolicy = `{
  "default": [{"type": "reject"}],
  "transports": {"docker": {"ghcr.io/org/app": [{
    "type": "sigstoreSigned",
    "fulcio": {"caPath": "/etc/containers/fulcio.pem",
               "oidcIssuer": "https://token.actions.githubusercontent.com",
               "subjectPattern": "https://github\\.com/org/app/\\.github/workflows/release\\.yml@refs/tags/v[0-9.]+",
               "certificateExtensions": {"sourceRepositoryURI": "https://github.com/org/app"}},
    "rekorPublicKeyPath": "/etc/containers/rekor.pub",
    "signedIdentity": {"type": "matchRepository"}}]}}
}
`

func TestRunLintCompat(t *testing.T) {
	dir := t.TempDir()
	ext := filepath.Join(dir, "ext.json")
	plain := filepath.Join(dir, "plain.json")
	for p, c := range map[string]string{ext: extPolicy, plain: `{"default":[{"type":"reject"}]}`} {
		if err := os.WriteFile(p, []byte(c), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	const scope = `transports.docker["ghcr.io/org/app"][0].fulcio.`
	for _, c := range []struct {
		name      string
		args      []string
		code      int
		stdoutHas []string
	}{
		{"extensions valid without --compat", []string{ext}, 0, nil},
		{"compat reports each extension", []string{"--compat", "containers-image", ext}, 1, []string{
			ext + `:7:16: ` + scope + `subjectPattern: unknown key "subjectPattern": a sigpolicy extension`,
			ext + `:8:16: ` + scope + `certificateExtensions: unknown key "certificateExtensions"`}},
		{"compat on a plain policy", []string{"--compat", "containers-image", plain}, 0, nil},
		{"compat unknown mode", []string{"--compat", "podman", ext}, 2, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			if code := runLint(c.args, &stdout, &stderr); code != c.code {
				t.Fatalf("exit %d, want %d (stdout %q stderr %q)", code, c.code, stdout.String(), stderr.String())
			}
			if c.stdoutHas == nil && stdout.Len() != 0 {
				t.Errorf("unexpected output %q", stdout.String())
			}
			for _, s := range c.stdoutHas {
				if !strings.Contains(stdout.String(), s) {
					t.Errorf("output %q lacks %q", stdout.String(), s)
				}
			}
			if got := strings.Count(stdout.String(), "\n"); c.stdoutHas != nil && got != len(c.stdoutHas) {
				t.Errorf("%d lines, want %d", got, len(c.stdoutHas))
			}
		})
	}
	var stdout, stderr bytes.Buffer
	if code := runLint([]string{"-o", "json", "--compat", "containers-image", ext}, &stdout, &stderr); code != 1 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	var got []lintFinding
	if err := json.Unmarshal(stdout.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].Path != scope+"subjectPattern" || got[0].Line != 7 || got[1].Path != scope+"certificateExtensions" {
		t.Fatalf("findings %+v", got)
	}
}
