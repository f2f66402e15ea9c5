package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sigpolicy/sigpolicy/internal/limits"
)

// TestFixtureTableSizeLimit: a `sigpolicy test` table over limits.MaxFixtureTableSize is refused
// with exit 2 and a message naming the file and the limit.
func TestFixtureTableSizeLimit(t *testing.T) {
	path := filepath.Join(t.TempDir(), "big.yaml")
	if err := os.WriteFile(path, append([]byte("cases: []\n"), bytes.Repeat([]byte("#"), limits.MaxFixtureTableSize)...), 0o644); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	if code := run([]string{"test", path}, &stdout, &stderr); code != exitError {
		t.Fatalf("exit %d, want %d", code, exitError)
	}
	if out := stdout.String() + stderr.String(); !strings.Contains(out, "larger than") || !strings.Contains(out, "big.yaml") {
		t.Fatalf("output does not name the file and the limit: %s", out)
	}
}
