package namespace

import (
	"errors"
	"strings"
	"testing"
)

func TestValidateName(t *testing.T) {
	tests := []struct {
		name, ns string
		reason   string // "" when valid; else a substring of the reason
	}{
		{"single letter", "a", ""},
		{"single digit", "0", ""},
		{"default", "default", ""},
		{"hyphenated", "kube-system", ""},
		{"leading digit", "1st-team", ""},
		{"63 characters", strings.Repeat("a", 63), ""},
		{"empty", "", "empty"},
		{"64 characters", strings.Repeat("a", 64), "longer than 63"},
		{"parent traversal", "../etc", "invalid character"},
		{"dot", ".", "invalid character"},
		{"dot dot", "..", "invalid character"},
		{"slash", "a/b", "invalid character"},
		{"absolute", "/tmp/evil", "invalid character"},
		{"upper case", "Prod", "invalid character"},
		{"NUL", "a\x00b", "invalid character"},
		{"dot inside", "a.b", "invalid character"},
		{"underscore", "a_b", "invalid character"},
		{"space", "a b", "invalid character"},
		{"newline", "a\n", "invalid character"},
		{"backslash", `a\b`, "invalid character"},
		{"non-ASCII", "é", "invalid character"},
		{"leading hyphen", "-a", "must start"},
		{"trailing hyphen", "a-", "must end"},
		{"only hyphen", "-", "must start"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := ValidateName(tt.ns)
			if tt.reason == "" {
				if err != nil {
					t.Fatalf("ValidateName(%q) = %v, want nil", tt.ns, err)
				}
				return
			}
			var ie *InvalidNamespaceError
			if !errors.As(err, &ie) || !errors.Is(err, ErrInvalidNamespace) {
				t.Fatalf("ValidateName(%q) = %v, want an *InvalidNamespaceError", tt.ns, err)
			}
			if ie.Name != tt.ns || !strings.Contains(ie.Reason, tt.reason) {
				t.Fatalf("got Name %q Reason %q, want Name %q and a reason containing %q", ie.Name, ie.Reason, tt.ns, tt.reason)
			}
		})
	}
}

func TestInvalidNamespaceErrorMessage(t *testing.T) {
	tests := []struct {
		name, ns   string
		wantSubstr string
		maxLen     int
	}{
		{"control bytes are escaped", "a\x00\n", `"a\x00\n"`, 200},
		{"long names are truncated", strings.Repeat("x", 10000), "…", 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			msg := ValidateName(tt.ns).Error()
			if !strings.Contains(msg, tt.wantSubstr) || len(msg) > tt.maxLen {
				t.Fatalf("message %q: want it to contain %q and be at most %d bytes", msg, tt.wantSubstr, tt.maxLen)
			}
		})
	}
}
