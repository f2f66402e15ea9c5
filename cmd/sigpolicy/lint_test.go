package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestRunLint(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	valid := write("valid.json", `{"default":[{"type":"reject"}]}`)
	invalid := write("invalid.json", "{\"default\":[{\"type\":\"reject\",\"x\":1}],\n \"transports\":{\"dir\":{\"rel\":[{\"type\":\"reject\"}]}}}")
	missing := filepath.Join(dir, "missing.json")

	for _, c := range []struct {
		name       string
		args       []string
		code       int
		stdoutHas  []string
		stdoutNone bool
	}{
		{"valid", []string{valid}, 0, nil, true},
		{"invalid text", []string{valid, invalid}, 1, []string{
			invalid + `:1:30: default[0].x: unknown key "x"`,
			invalid + `:2:23: transports.dir["rel"]: invalid dir scope "rel": must be an absolute path`}, false},
		{"no files", nil, 2, nil, true},
		{"bad flag", []string{"-x", valid}, 2, nil, true},
		{"bad format", []string{"-o", "yaml", valid}, 2, nil, true},
		{"unreadable", []string{missing}, 2, nil, true},
		{"json valid", []string{"-o", "json", valid}, 0, []string{"[]"}, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			if code := runLint(c.args, &stdout, &stderr); code != c.code {
				t.Errorf("exit %d, want %d (stderr %q)", code, c.code, stderr.String())
			}
			if c.stdoutNone && stdout.Len() != 0 {
				t.Errorf("unexpected output %q", stdout.String())
			}
			for _, s := range c.stdoutHas {
				if !strings.Contains(stdout.String(), s) {
					t.Errorf("output %q lacks %q", stdout.String(), s)
				}
			}
		})
	}
}

func TestRunLintJSON(t *testing.T) {
	p := filepath.Join(t.TempDir(), "p.json")
	if err := os.WriteFile(p, []byte(`{"default":[]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	if code := runLint([]string{"-o", "json", p}, &stdout, &stderr); code != 1 {
		t.Fatalf("exit %d, stderr %q", code, stderr.String())
	}
	var got []lintFinding
	if err := json.Unmarshal(stdout.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	want := []lintFinding{{File: p, Line: 1, Column: 12, Path: "default", Message: "requirement list must not be empty"}}
	if len(got) != 1 || got[0] != want[0] {
		t.Errorf("got %+v, want %+v", got, want)
	}
}
