package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestVerifyBundleCLI(t *testing.T) {
	const (
		b       = "../../testdata/bundle/sigstore.js@2.0.0-provenance.sigstore.json"
		issuer  = "https://token.actions.githubusercontent.com"
		san     = "https://github.com/sigstore/sigstore-js/.github/workflows/release.yml@refs/heads/main"
		scaffld = "../../testdata/bundle/scaffolding.json"
	)
	// cosign's OCI attestation bundle (v0.3, DSSE) for the empty image; see testdata/README-bundle.md.
	const (
		oci       = "../../testdata/bundle/oci-attestation.sigstore.json"
		ociRoot   = "../../testdata/bundle/trusted_root_pgi.json"
		ociDigest = "sha256:732112270d7e59418a8c080b134b24cabd67d250d0d0147a97ed95ba5c280aa4"
		ociSAN    = "cody@soyland.com"
		ociIssuer = "https://github.com/login/oauth"
	)
	dir := t.TempDir()
	artifact := filepath.Join(dir, "artifact")
	if err := os.WriteFile(artifact, []byte("not the signed tarball"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		args     []string
		env      string
		wantCode int
		wantErr  string
	}{
		{"verified-embedded-root", []string{"--bundle", oci, "--certificate-identity", ociSAN, "--certificate-oidc-issuer", ociIssuer, ociDigest}, "", exitOK, ""},
		{"verified-root-flag", []string{"--bundle", oci, "--certificate-identity", ociSAN, "--certificate-oidc-issuer", ociIssuer, "--trusted-root", ociRoot, ociDigest}, "", exitOK, ""},
		{"verified-root-env", []string{"--bundle", oci, "--certificate-identity", ociSAN, "--certificate-oidc-issuer", ociIssuer, ociDigest}, ociRoot, exitOK, ""},
		{"oci-wrong-identity", []string{"--bundle", oci, "--certificate-identity", "someone@example.com", "--certificate-oidc-issuer", ociIssuer, ociDigest}, "", exitNo, "refused"},
		{"oci-wrong-root", []string{"--bundle", oci, "--certificate-identity", ociSAN, "--certificate-oidc-issuer", ociIssuer, "--trusted-root", scaffld, ociDigest}, "", exitNo, "refused"},
		{"no-args", nil, "", exitError, "usage"},
		{"missing-identity", []string{"--bundle", b, artifact}, "", exitError, "--certificate-identity"},
		{"key-and-identity", []string{"--bundle", b, "--key", "k.pem", "--certificate-identity", san, artifact}, "", exitError, "--key excludes"},
		{"bad-digest", []string{"--bundle", b, "--certificate-identity", san, "--certificate-oidc-issuer", issuer, "sha256:zz"}, "", exitError, "invalid sha256"},
		{"missing-bundle", []string{"--bundle", filepath.Join(dir, "none"), "--certificate-identity", san, "--certificate-oidc-issuer", issuer, artifact}, "", exitError, "no such file"},
		{"wrong-artifact", []string{"--bundle", b, "--certificate-identity", san, "--certificate-oidc-issuer", issuer, artifact}, "", exitNo, "refused"},
		{"wrong-digest", []string{"--bundle", b, "--certificate-identity", san, "--certificate-oidc-issuer", issuer, "sha256:" + strings.Repeat("00", 32)}, "", exitNo, "refused"},
		{"other-root-by-flag", []string{"--bundle", b, "--certificate-identity", san, "--certificate-oidc-issuer", issuer, "--trusted-root", scaffld, artifact}, "", exitNo, "refused"},
		{"root-from-env-unreadable", []string{"--bundle", b, "--certificate-identity", san, "--certificate-oidc-issuer", issuer, artifact}, filepath.Join(dir, "none.json"), exitError, "no such file"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv(envTrustedRoot, tc.env)
			var stdout, stderr bytes.Buffer
			code := runVerifyBundle(tc.args, &stdout, &stderr)
			if code != tc.wantCode || !strings.Contains(stderr.String(), tc.wantErr) {
				t.Fatalf("exit %d, stderr %q; want exit %d and %q", code, stderr.String(), tc.wantCode, tc.wantErr)
			}
		})
	}
}

// TestVerifyBundleCLIRootSelection checks the trusted-root precedence: --trusted-root, then
// $SIGPOLICY_TRUSTED_ROOT, then the embedded public-good root.
func TestVerifyBundleCLIRootSelection(t *testing.T) {
	tests := []struct {
		name string
		path string
		env  string
		ok   bool
	}{
		{"embedded", "", "", true},
		{"flag", "../../testdata/bundle/scaffolding.json", "", true},
		{"env", "", "../../testdata/bundle/scaffolding.json", true},
		{"flag-wins-over-env", "../../testdata/bundle/scaffolding.json", "/nonexistent", true},
		{"not-a-root", "../../testdata/bundle/dsse.sigstore.json", "", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv(envTrustedRoot, tc.env)
			tm, err := loadTrustedRoot(tc.path)
			if (err == nil) != tc.ok || (tc.ok && tm == nil) {
				t.Fatalf("loadTrustedRoot(%q) with env %q = %v, %v", tc.path, tc.env, tm, err)
			}
		})
	}
}
