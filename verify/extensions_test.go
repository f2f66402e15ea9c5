package verify_test

import (
	"context"
	"crypto/elliptic"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/containers/image/v5/docker/reference"
	"github.com/opencontainers/go-digest"

	"github.com/sigpolicy/sigpolicy/fulcio"
	"github.com/sigpolicy/sigpolicy/internal/fixturegen/gen"
	"github.com/sigpolicy/sigpolicy/policy"
	"github.com/sigpolicy/sigpolicy/source"
	"github.com/sigpolicy/sigpolicy/verify"
)

// extImage is a dir: image signed keylessly by a generated Fulcio leaf carrying GitHub Actions
// extensions, with a Rekor SET, plus the trust material a policy needs.
type extImage struct {
	dir       string
	caB64     string // base64 of the Fulcio root PEM (caData)
	rekorB64  string // base64 of the Rekor public key PEM (rekorPublicKeyData)
	repo      string // the signed repository
	subject   string // the leaf's URI SAN
	email     string // the leaf's email SAN
	extension map[string]string
}

const (
	extSeed     = "sigpolicy-verify-extensions"
	extWorkflow = "https://github.com/org/app/.github/workflows/release.yml@refs/heads/main"
	extIssuer   = "https://token.actions.githubusercontent.com"
)

// buildExtImage writes the image into a temporary directory. Every byte is deterministic.
func buildExtImage(t *testing.T, spec gen.LeafSpec) *extImage {
	t.Helper()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	caKey, err := gen.ECDSAKey(extSeed, "fulcio-root", elliptic.P384())
	must(err)
	leafKey, err := gen.ECDSAKey(extSeed, "leaf", elliptic.P256())
	must(err)
	rekorKey, err := gen.ECDSAKey(extSeed, "rekor", elliptic.P256())
	must(err)
	t0 := time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)
	root, err := gen.MakeCert(gen.CertSpec{Serial: 1, Subject: pkix.Name{Organization: []string{"sigpolicy test"}, CommonName: "fulcio"},
		NotBefore: t0.Add(-24 * time.Hour), NotAfter: t0.Add(365 * 24 * time.Hour), IsCA: true}, caKey.Public(), nil, caKey)
	must(err)
	spec.Serial, spec.NotBefore = 2, t0
	leaf, err := gen.MakeFulcioLeaf(spec, leafKey.Public(), root, caKey)
	must(err)
	leafPEM := gen.CertPEM(leaf)

	manifest, err := os.ReadFile(fx("dir-img-cosign-valid/manifest.json"))
	must(err)
	repo := "ghcr.io/org/app"
	payload := gen.Payload{DockerReference: repo, ManifestDigest: digest.FromBytes(manifest).String(), Optional: "null"}.Marshal()
	sig, err := gen.SignPayload(leafKey, payload)
	must(err)
	set, err := gen.MakeSET(rekorKey, gen.NewHashedRekord(payload, sig, leafPEM).Marshal(), t0.Add(time.Minute).Unix(), 7)
	must(err)
	dir := filepath.Join(t.TempDir(), "img")
	must(source.WriteDir(dir, manifest, []source.Signature{source.Sigstore{
		UntrustedMIMEType: source.SigstoreSignatureMIMEType,
		UntrustedPayload:  payload,
		UntrustedAnnotations: map[string]string{
			source.SignatureAnnotationKey:   base64.StdEncoding.EncodeToString(sig),
			source.CertificateAnnotationKey: string(leafPEM),
			source.ChainAnnotationKey:       string(gen.CertPEM(root)),
			source.BundleAnnotationKey:      set.Marshal(),
		},
	}}))
	rekorPEM, err := gen.PublicKeyPEM(rekorKey.Public())
	must(err)
	img := &extImage{dir: dir, caB64: base64.StdEncoding.EncodeToString(gen.CertPEM(root)),
		rekorB64: base64.StdEncoding.EncodeToString(rekorPEM), repo: repo, extension: map[string]string{}}
	if len(spec.URIs) > 0 {
		img.subject = spec.URIs[0]
	}
	if len(spec.Emails) > 0 {
		img.email = spec.Emails[0]
	}
	for _, name := range fulcio.ExtensionNames() {
		img.extension[name], _ = fulcio.ExtensionValue(&spec.Extensions, name)
	}
	return img
}

// policy returns a policy for img.repo whose "fulcio" object has the CA plus the given fields.
func (img *extImage) policy(t *testing.T, fields map[string]any) []byte {
	t.Helper()
	f := map[string]any{"caData": img.caB64}
	for k, v := range fields {
		f[k] = v
	}
	doc, err := json.Marshal(map[string]any{
		"default": []any{map[string]any{"type": "reject"}},
		"transports": map[string]any{"docker": map[string]any{img.repo: []any{map[string]any{
			"type": "sigstoreSigned", "fulcio": f, "rekorPublicKeyData": img.rekorB64,
			"signedIdentity": map[string]any{"type": "matchRepository"}}}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

func TestExtensionsEndToEnd(t *testing.T) {
	gha := gen.GitHubActionsExtensions("org/app", ".github/workflows/release.yml", "refs/heads/main", strings.Repeat("c", 40), "push")
	img := buildExtImage(t, gen.LeafSpec{URIs: []string{extWorkflow}, Extensions: gha})
	ref := img.repo + ":v1"
	type fields = map[string]any
	tests := []struct {
		name   string
		fields fields
		is     error    // nil = allowed
		names  []string // substrings of the denial: expected and actual values
	}{
		{"subjectURI", fields{"oidcIssuer": extIssuer, "subjectURI": extWorkflow}, nil, nil},
		{"subjectURI other branch", fields{"oidcIssuer": extIssuer, "subjectURI": strings.Replace(extWorkflow, "main", "dev", 1)},
			fulcio.ErrSubject, []string{`Required URI "https://github.com/org/app/.github/workflows/release.yml@refs/heads/dev"`, `got ["` + extWorkflow + `"]`}},
		{"subjectPattern", fields{"oidcIssuer": extIssuer, "subjectPattern": `https://github\.com/org/app/\.github/workflows/[^/@]+@refs/heads/main`}, nil, nil},
		{"subjectPattern main.evil only", fields{"oidcIssuer": extIssuer, "subjectPattern": `https://github\.com/org/app/\.github/workflows/release\.yml@refs/heads/main\.evil`},
			fulcio.ErrSubject, []string{`subjectPattern "https://github\\.com/org/app`, extWorkflow}},
		{"subjectPattern other org", fields{"oidcIssuer": extIssuer, "subjectPattern": `https://github\.com/org-evil/.*`}, fulcio.ErrSubject, nil},
		{"subjectPattern prefix only", fields{"oidcIssuer": extIssuer, "subjectPattern": `https://github\.com/org/app`}, fulcio.ErrSubject, nil},
		{"oidcIssuerPattern", fields{"oidcIssuerPattern": `https://token\.actions\.githubusercontent\.com`, "subjectURI": extWorkflow}, nil, nil},
		{"oidcIssuerPattern mismatch", fields{"oidcIssuerPattern": `https://gitlab\.com`, "subjectURI": extWorkflow},
			fulcio.ErrIssuer, []string{`"https://token.actions.githubusercontent.com" does not match oidcIssuerPattern "https://gitlab\\.com"`}},
		{"oidcIssuer mismatch", fields{"oidcIssuer": "https://gitlab.com", "subjectURI": extWorkflow},
			fulcio.ErrIssuer, []string{`"https://token.actions.githubusercontent.com", expected "https://gitlab.com"`}},
		{"all extensions", fields{"oidcIssuer": extIssuer, "subjectURI": extWorkflow, "certificateExtensions": img.extension}, nil, nil},
		{"sourceRepositoryRef wrong", fields{"oidcIssuer": extIssuer, "subjectURI": extWorkflow,
			"certificateExtensions": map[string]string{"sourceRepositoryURI": "https://github.com/org/app", "sourceRepositoryRef": "refs/tags/v1"}},
			fulcio.ErrExtension, []string{`sourceRepositoryRef (1.3.6.1.4.1.57264.1.14) is "refs/heads/main", expected "refs/tags/v1"`}},
		{"everything wrong", fields{"oidcIssuer": "https://gitlab.com", "subjectURI": "https://x",
			"certificateExtensions": map[string]string{"runnerEnvironment": "self-hosted"}},
			fulcio.ErrExtension, []string{"3 certificate identity rules failed", `expected "https://gitlab.com"`, `Required URI "https://x"`, `is "github-hosted", expected "self-hosted"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := evaluate(t, img.policy(t, tt.fields), img.dir, ref)
			if tt.is == nil {
				if !d.Allowed {
					t.Fatalf("denied: %v", d.Err)
				}
				return
			}
			if d.Allowed {
				t.Fatal("allowed")
			}
			if !errors.Is(d.Err, tt.is) || !errors.Is(d.Err, verify.ErrInvalidSignature) {
				t.Fatalf("errors.Is(%v, %v) = false", d.Err, tt.is)
			}
			for _, s := range tt.names {
				if !strings.Contains(d.Err.Error(), s) {
					t.Errorf("denial %q does not name %q", d.Err, s)
				}
			}
			if r := d.Requirements[0].Signatures[0].Reason; r != d.Err.Error() {
				t.Errorf("explanation %q differs from %q", r, d.Err)
			}
		})
	}
}

// TestExtensionsEndToEndDifferential: an image whose leaf carries an email SAN and every CI
// extension is decided identically by containers/image and sigpolicy under policies without
// extension fields, and sigpolicy's extension fields then narrow the decision.
func TestExtensionsEndToEndDifferential(t *testing.T) {
	gha := gen.GitHubActionsExtensions("org/app", ".github/workflows/release.yml", "refs/heads/main", strings.Repeat("d", 40), "push")
	gha.Issuer = "https://accounts.example.com"
	img := buildExtImage(t, gen.LeafSpec{Emails: []string{"ci@example.com"}, Extensions: gha})
	ref := img.repo + ":v1"
	var cases []diffCase
	for _, c := range []struct {
		name          string
		issuer, email string
		allow         bool
	}{
		{"match", "https://accounts.example.com", "ci@example.com", true},
		{"other email", "https://accounts.example.com", "cd@example.com", false},
		{"other issuer", "https://accounts.example.com/", "ci@example.com", false},
	} {
		allow := c.allow
		cases = append(cases, diffCase{name: c.name, policy: img.policy(t, map[string]any{"oidcIssuer": c.issuer, "subjectEmail": c.email}),
			dir: img.dir, ref: ref, want: &allow})
	}
	runDifferential(t, cases)
	for _, tt := range []struct {
		name   string
		fields map[string]any
		allow  bool
	}{
		{"email pattern", map[string]any{"oidcIssuer": gha.Issuer, "subjectPattern": `[a-z]+@example\.com`}, true},
		{"email pattern suffix", map[string]any{"oidcIssuer": gha.Issuer, "subjectPattern": `ci@example`}, false},
		{"email as URI", map[string]any{"oidcIssuer": gha.Issuer, "subjectURI": "ci@example.com"}, false},
		{"email with extension", map[string]any{"oidcIssuer": gha.Issuer, "subjectEmail": "ci@example.com",
			"certificateExtensions": map[string]string{"buildTrigger": "push"}}, true},
		{"email with wrong extension", map[string]any{"oidcIssuer": gha.Issuer, "subjectEmail": "ci@example.com",
			"certificateExtensions": map[string]string{"buildTrigger": "workflow_dispatch"}}, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			pol := img.policy(t, tt.fields)
			if _, err := policy.ParseWithOptions(pol, policy.WithCompat(policy.CompatContainersImage)); !errors.Is(err, policy.ErrExtension) {
				t.Fatalf("compat parse: %v", err)
			}
			if d := evaluate(t, pol, img.dir, ref); d.Allowed != tt.allow {
				t.Fatalf("allowed=%v, want %v (%v)", d.Allowed, tt.allow, d.Err)
			}
		})
	}
}

// TestExtensionsHandBuiltPolicyFailsClosed: a hand-built Fulcio policy with an invalid pattern or
// two subject rules denies every signature with ErrTrustMaterial.
func TestExtensionsHandBuiltPolicyFailsClosed(t *testing.T) {
	gha := gen.GitHubActionsExtensions("org/app", ".github/workflows/release.yml", "refs/heads/main", strings.Repeat("e", 40), "push")
	img := buildExtImage(t, gen.LeafSpec{URIs: []string{extWorkflow}, Extensions: gha})
	ca, _ := base64.StdEncoding.DecodeString(img.caB64)
	rk, _ := base64.StdEncoding.DecodeString(img.rekorB64)
	for name, f := range map[string]*policy.Fulcio{
		"bad pattern":       {CAData: ca, OIDCIssuer: extIssuer, SubjectPattern: "x)|(.*"},
		"two subjects":      {CAData: ca, OIDCIssuer: extIssuer, SubjectURI: extWorkflow, SubjectPattern: ".*"},
		"unknown extension": {CAData: ca, OIDCIssuer: extIssuer, SubjectURI: extWorkflow, CertificateExtensions: map[string]string{"x": "y"}},
		"no issuer":         {CAData: ca, SubjectURI: extWorkflow},
	} {
		t.Run(name, func(t *testing.T) {
			p := &policy.Policy{Default: policy.Requirements{&policy.SigstoreSigned{Fulcio: f, RekorPublicKeyData: rk, SignedIdentity: policy.MatchRepository{}}}}
			ev, err := verify.Compile(p)
			if err != nil {
				t.Fatal(err)
			}
			r, err := reference.ParseNormalizedNamed(img.repo + ":v1")
			if err != nil {
				t.Fatal(err)
			}
			d, err := ev.Evaluate(context.Background(), verify.Image{Reference: r, Source: source.NewDir(img.dir)})
			if err != nil {
				t.Fatal(err)
			}
			if d.Allowed || !errors.Is(d.Err, verify.ErrTrustMaterial) {
				t.Fatalf("allowed=%v err=%v", d.Allowed, d.Err)
			}
		})
	}
}

// TestExtensionNamesAgree: the parser (policy) and the checker (fulcio) know the same extension
// names, and validate patterns identically.
func TestExtensionNamesAgree(t *testing.T) {
	if p, f := policy.CertificateExtensionNames(), fulcio.ExtensionNames(); strings.Join(p, ",") != strings.Join(f, ",") {
		t.Fatalf("policy %v\nfulcio %v", p, f)
	}
	for _, pat := range []string{"", "a", "x)|(.*", `https://github\.com/.*`, "(?i)a", "[", "a{1001}", `\p{Greek}+`, "(a)(b", "a))((b"} {
		t.Run(pat, func(t *testing.T) {
			_, perr := policy.CompilePattern(pat)
			_, ferr := fulcio.CompilePattern(pat)
			if (perr == nil) != (ferr == nil) {
				t.Fatalf("policy %v, fulcio %v", perr, ferr)
			}
		})
	}
}
