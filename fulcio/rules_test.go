package fulcio

import (
	"crypto/elliptic"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/sigstore/fulcio/pkg/certificate"

	"github.com/sigpolicy/sigpolicy/internal/fixturegen/gen"
)

const extFixtures = "../testdata/extensions/"

// sigstoreJSIdentity verifies the GitHub Actions leaf of sigstore-go's
// sigstore.js@2.0.0-provenance bundle against the public-good Fulcio CA at its Rekor integrated time.
func sigstoreJSIdentity(t *testing.T) *Identity {
	t.Helper()
	var bundle struct {
		VerificationMaterial struct {
			X509CertificateChain struct {
				Certificates []struct {
					RawBytes []byte `json:"rawBytes"`
				} `json:"certificates"`
			} `json:"x509CertificateChain"`
			TlogEntries []struct {
				IntegratedTime json.Number `json:"integratedTime"`
			} `json:"tlogEntries"`
		} `json:"verificationMaterial"`
	}
	var root struct {
		CertificateAuthorities []struct {
			CertChain struct {
				Certificates []struct {
					RawBytes []byte `json:"rawBytes"`
				} `json:"certificates"`
			} `json:"certChain"`
		} `json:"certificateAuthorities"`
	}
	for name, v := range map[string]any{"sigstore.js@2.0.0-provenance.sigstore.json": &bundle, "public-good.json": &root} {
		raw, err := os.ReadFile(extFixtures + name)
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(raw, v); err != nil {
			t.Fatal(err)
		}
	}
	toPEM := func(der ...[]byte) []byte {
		var out []byte
		for _, d := range der {
			out = append(out, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: d})...)
		}
		return out
	}
	ca := root.CertificateAuthorities[1].CertChain.Certificates // intermediate, root (2022-04-13 onwards)
	anchors, err := NewFulcioAnchors(toPEM(ca[1].RawBytes))
	if err != nil {
		t.Fatal(err)
	}
	at, err := bundle.VerificationMaterial.TlogEntries[0].IntegratedTime.Int64()
	if err != nil {
		t.Fatal(err)
	}
	leaf := toPEM(bundle.VerificationMaterial.X509CertificateChain.Certificates[0].RawBytes)
	id, err := anchors.VerifyFulcio(leaf, toPEM(ca[0].RawBytes, ca[1].RawBytes), time.Unix(at, 0))
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func mustPattern(t testing.TB, s string) *Pattern {
	t.Helper()
	p, err := CompilePattern(s)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

const (
	jsURI    = "https://github.com/sigstore/sigstore-js/.github/workflows/release.yml@refs/heads/main"
	ghIssuer = "https://token.actions.githubusercontent.com"
	jsSHA    = "f0b49a04e5a62250e0f60fb128004a73110fe311"
)

func TestRulesRealGitHubActionsCertificate(t *testing.T) {
	id := sigstoreJSIdentity(t)
	base := func(mod func(r *Rules)) *Rules {
		r := &Rules{Issuer: ghIssuer, URI: jsURI}
		if mod != nil {
			mod(r)
		}
		return r
	}
	ext := func(name, value string) func(r *Rules) {
		return func(r *Rules) { r.Extensions = append(r.Extensions, ExtensionRule{name, value}) }
	}
	tests := []struct {
		name  string
		rules *Rules
		is    error  // nil = accepted
		msg   string // substring of the error
	}{
		{"issuer and URI", base(nil), nil, ""},
		{"other URI", base(func(r *Rules) { r.URI = strings.Replace(jsURI, "main", "dev", 1) }), ErrSubject,
			`Required URI "https://github.com/sigstore/sigstore-js/.github/workflows/release.yml@refs/heads/dev" not found (got ["` + jsURI + `"])`},
		{"URI is not an email", base(func(r *Rules) { r.URI, r.Email = "", jsURI }), ErrSubject, "Required email"},
		{"other issuer", base(func(r *Rules) { r.Issuer = "https://accounts.google.com" }), ErrIssuer,
			`Unexpected Fulcio OIDC issuer "` + ghIssuer + `", expected "https://accounts.google.com"`},
		{"issuer pattern", base(func(r *Rules) {
			r.Issuer, r.IssuerPattern = "", mustPattern(t, `https://token\.actions\.githubusercontent\.com`)
		}), nil, ""},
		{"issuer pattern prefix only", base(func(r *Rules) { r.Issuer, r.IssuerPattern = "", mustPattern(t, `https://token\.actions`) }), ErrIssuer,
			`Fulcio OIDC issuer "` + ghIssuer + `" does not match oidcIssuerPattern "https://token\\.actions"`},
		{"subject pattern", base(func(r *Rules) {
			r.URI, r.SubjectPattern = "", mustPattern(t, `https://github\.com/sigstore/sigstore-js/\.github/workflows/[a-z]+\.yml@refs/heads/main`)
		}), nil, ""},
		{"subject pattern, unescaped dots still match", base(func(r *Rules) { r.URI, r.SubjectPattern = "", mustPattern(t, jsURI) }), nil, ""},
		{"subject pattern, suffix smuggling denied", base(func(r *Rules) {
			r.URI, r.SubjectPattern = "", mustPattern(t, `https://github\.com/sigstore/sigstore-js/\.github/workflows/release\.yml@refs/heads/mai`)
		}), ErrSubject, `No certificate subject matches subjectPattern`},
		{"subject pattern, other owner", base(func(r *Rules) { r.URI, r.SubjectPattern = "", mustPattern(t, `https://github\.com/sigstore-evil/.*`) }), ErrSubject, jsURI},
		{"subject pattern, prefix not anchored denied", base(func(r *Rules) { r.URI, r.SubjectPattern = "", mustPattern(t, `sigstore-js/.*`) }), ErrSubject, ""},
	}
	// Every extension the leaf carries, with its real value, is accepted; a changed value is denied.
	for name, want := range map[string]string{
		"issuer": ghIssuer, "githubWorkflowTrigger": "push", "githubWorkflowSHA": jsSHA, "githubWorkflowName": "Release",
		"githubWorkflowRepository": "sigstore/sigstore-js", "githubWorkflowRef": "refs/heads/main", "buildSignerURI": jsURI,
		"buildSignerDigest": jsSHA, "runnerEnvironment": "github-hosted", "sourceRepositoryURI": "https://github.com/sigstore/sigstore-js",
		"sourceRepositoryDigest": jsSHA, "sourceRepositoryRef": "refs/heads/main", "sourceRepositoryIdentifier": "495574555",
		"sourceRepositoryOwnerURI": "https://github.com/sigstore", "sourceRepositoryOwnerIdentifier": "71096353", "buildConfigURI": jsURI,
		"buildConfigDigest": jsSHA, "buildTrigger": "push", "runInvocationURI": "https://github.com/sigstore/sigstore-js/actions/runs/5904696764/attempts/1",
		"sourceRepositoryVisibilityAtSigning": "public",
	} {
		oid, _ := ExtensionOID(name)
		tests = append(tests,
			struct {
				name  string
				rules *Rules
				is    error
				msg   string
			}{"extension " + name, base(ext(name, want)), nil, ""},
			struct {
				name  string
				rules *Rules
				is    error
				msg   string
			}{"extension " + name + " wrong", base(ext(name, want+"x")), ErrExtension,
				"Certificate extension " + name + " (" + oid.String() + `) is "` + want + `", expected "` + want + `x"`})
	}
	tests = append(tests, struct {
		name  string
		rules *Rules
		is    error
		msg   string
	}{"several failures are all named", &Rules{Issuer: "https://gitlab.com", URI: "https://x", Extensions: []ExtensionRule{{"sourceRepositoryRef", "refs/heads/evil"}}},
		ErrExtension, `3 certificate identity rules failed: Unexpected Fulcio OIDC issuer "` + ghIssuer + `", expected "https://gitlab.com"; Required URI "https://x" not found`})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := id.Check(tt.rules)
			if tt.is == nil {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if !errors.Is(err, tt.is) || !strings.Contains(err.Error(), tt.msg) {
				t.Fatalf("got %v, want %v containing %q", err, tt.is, tt.msg)
			}
		})
	}
}

func TestRulesErrorsCarryValues(t *testing.T) {
	id := sigstoreJSIdentity(t)
	err := id.Check(&Rules{IssuerPattern: mustPattern(t, "x"), SubjectPattern: mustPattern(t, "y"), Extensions: []ExtensionRule{{"buildTrigger", "tag"}}})
	var re *RulesError
	var ip *IssuerPatternMismatchError
	var sp *SubjectPatternMismatchError
	var em *ExtensionMismatchError
	if !errors.As(err, &re) || len(re.Failures) != 3 || !errors.As(err, &ip) || !errors.As(err, &sp) || !errors.As(err, &em) {
		t.Fatalf("got %v", err)
	}
	if ip.Pattern != "x" || ip.Actual != ghIssuer || sp.Pattern != "y" || len(sp.Actual) != 1 || sp.Actual[0] != jsURI ||
		em.Name != "buildTrigger" || em.OID != "1.3.6.1.4.1.57264.1.20" || em.Expected != "tag" || em.Actual != "push" {
		t.Fatalf("values %+v %+v %+v", ip, sp, em)
	}
	var um *URIMismatchError
	if err := id.CheckURI("u"); !errors.As(err, &um) || um.Expected != "u" || len(um.Actual) != 1 {
		t.Fatalf("got %v", err)
	}
}

func TestRulesValidate(t *testing.T) {
	p := mustPattern(t, "p")
	tests := []struct {
		name  string
		rules *Rules
	}{
		{"nil", nil},
		{"no issuer", &Rules{Email: "e"}},
		{"two issuers", &Rules{Issuer: "i", IssuerPattern: p, Email: "e"}},
		{"no subject", &Rules{Issuer: "i"}},
		{"two subjects", &Rules{Issuer: "i", Email: "e", URI: "u"}},
		{"email and pattern", &Rules{Issuer: "i", Email: "e", SubjectPattern: p}},
		{"unknown extension", &Rules{Issuer: "i", Email: "e", Extensions: []ExtensionRule{{"deploymentEnv", "x"}}}},
		{"empty extension value", &Rules{Issuer: "i", Email: "e", Extensions: []ExtensionRule{{"buildTrigger", ""}}}},
	}
	id := &Identity{Issuer: "i", Emails: []string{"e"}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.rules.Validate(); !errors.Is(err, ErrRules) {
				t.Fatalf("Validate = %v", err)
			}
			if err := id.Check(tt.rules); !errors.Is(err, ErrRules) {
				t.Fatalf("Check = %v", err)
			}
		})
	}
	if err := id.Check(&Rules{Issuer: "i", Email: "e"}); err != nil {
		t.Fatal(err)
	}
}

// genLeaf issues a generated Fulcio leaf under a generated CA and verifies it.
func genLeaf(t *testing.T, spec gen.LeafSpec) (*Identity, error) {
	t.Helper()
	caKey, err := gen.ECDSAKey("sigpolicy-extensions", "ca", elliptic.P384())
	if err != nil {
		t.Fatal(err)
	}
	leafKey, err := gen.ECDSAKey("sigpolicy-extensions", "leaf", elliptic.P256())
	if err != nil {
		t.Fatal(err)
	}
	t0 := time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)
	ca, err := gen.MakeCert(gen.CertSpec{Serial: 1, Subject: pkix.Name{CommonName: "test fulcio"}, NotBefore: t0.Add(-time.Hour),
		NotAfter: t0.Add(24 * time.Hour), IsCA: true}, caKey.Public(), nil, caKey)
	if err != nil {
		t.Fatal(err)
	}
	spec.NotBefore = t0
	leaf, err := gen.MakeFulcioLeaf(spec, leafKey.Public(), ca, caKey)
	if err != nil {
		t.Fatal(err)
	}
	a, err := NewFulcioAnchors(gen.CertPEM(ca))
	if err != nil {
		t.Fatal(err)
	}
	return a.VerifyFulcio(gen.CertPEM(leaf), nil, t0.Add(time.Minute))
}

func TestRulesGeneratedLeaves(t *testing.T) {
	gha := gen.GitHubActionsExtensions("org/app", ".github/workflows/release.yml", "refs/heads/main", strings.Repeat("a", 40), "push")
	ghaURI := "https://github.com/org/app/.github/workflows/release.yml@refs/heads/main"
	id, err := genLeaf(t, gen.LeafSpec{Serial: 10, URIs: []string{ghaURI}, Extensions: gha})
	if err != nil {
		t.Fatal(err)
	}
	// Each extension, matching and not matching.
	for _, name := range ExtensionNames() {
		got, _ := ExtensionValue(&id.Extensions, name)
		if got == "" {
			t.Fatalf("generated leaf lacks %s", name)
		}
		t.Run(name, func(t *testing.T) {
			if err := id.Check(&Rules{Issuer: gha.Issuer, URI: ghaURI, Extensions: []ExtensionRule{{name, got}}}); err != nil {
				t.Fatal(err)
			}
			err := id.Check(&Rules{Issuer: gha.Issuer, URI: ghaURI, Extensions: []ExtensionRule{{name, got + "-other"}}})
			var em *ExtensionMismatchError
			if !errors.As(err, &em) || em.Actual != got {
				t.Fatalf("got %v", err)
			}
		})
	}
	// Patterns: suffix and prefix smuggling.
	patterns := []struct {
		pattern, subject string
		ok               bool
	}{
		{`https://github\.com/org/app/\.github/workflows/release\.yml@refs/heads/main`, ghaURI, true},
		{`https://github\.com/org/app/\.github/workflows/release\.yml@refs/heads/main`, ghaURI + ".evil", false},
		{`https://github.com/org/app/.github/workflows/release.yml@refs/heads/main`, ghaURI + ".evil", false},
		{`https://github.com/org/app/.github/workflows/release.yml@refs/heads/main`, "https://evil.example/?" + ghaURI, false},
		{`https://github\.com/org/.*`, "https://github.com/org-evil/app/.github/workflows/release.yml@refs/heads/main", false},
		{`https://github\.com/org/.*`, "https://github.com/org/x@evil", true}, // what .* spells
		{`https://github\.com/org/[^/@]+/\.github/workflows/release\.yml@refs/heads/main`, "https://github.com/org/x@evil", false},
		{`https://github\.com/org/[^/@]+/\.github/workflows/release\.yml@refs/heads/main`, "https://github.com/org/evil/.github/workflows/release.yml@refs/heads/main", true},
		{`https://github.com/org/app/.github/workflows/release.yml@refs/heads/main`, "https://github.com/org/app/.github/workflows/releaseXyml@refs/heads/main", true}, // "." is any character
	}
	for _, p := range patterns {
		t.Run(p.pattern+"~"+p.subject, func(t *testing.T) {
			id, err := genLeaf(t, gen.LeafSpec{Serial: 11, URIs: []string{p.subject}, Extensions: gha})
			if err != nil {
				t.Fatal(err)
			}
			err = id.Check(&Rules{Issuer: gha.Issuer, SubjectPattern: mustPattern(t, p.pattern)})
			if (err == nil) != p.ok {
				t.Fatalf("Check = %v, want ok=%v", err, p.ok)
			}
		})
	}
	// otherName, email and issuer patterns.
	on, err := genLeaf(t, gen.LeafSpec{Serial: 12, OtherName: "ci-bot!oidc.internal.example", Extensions: certificate.Extensions{Issuer: "https://oidc.internal.example"}})
	if err != nil {
		t.Fatal(err)
	}
	if err := on.Check(&Rules{IssuerPattern: mustPattern(t, `https://oidc\.internal\.example`), SubjectPattern: mustPattern(t, `[a-z-]+!oidc\.internal\.example`)}); err != nil {
		t.Fatal(err)
	}
	if err := on.Check(&Rules{Issuer: "https://oidc.internal.example", SubjectPattern: mustPattern(t, `ci-bot`)}); !errors.Is(err, ErrSubject) {
		t.Fatalf("prefix of an otherName accepted: %v", err)
	}
	if err := on.Check(&Rules{IssuerPattern: mustPattern(t, `https://oidc\.internal\.example/.*`), SubjectPattern: mustPattern(t, `.*`)}); !errors.Is(err, ErrIssuer) {
		t.Fatalf("issuer pattern: %v", err)
	}
}

func TestRulesMalformedExtensionFailsClosed(t *testing.T) {
	bad := pkix.Extension{Id: certificate.OIDSourceRepositoryRef, Value: []byte("refs/heads/main")} // raw, not DER
	id, err := genLeaf(t, gen.LeafSpec{Serial: 13, Emails: []string{"a@example.com"}, Extensions: certificate.Extensions{Issuer: "https://i"}, Extra: []pkix.Extension{bad}})
	if err != nil {
		t.Fatal(err) // containers/image does not read the extension: the certificate itself verifies
	}
	if id.ExtensionsErr == nil {
		t.Fatal("malformed extension parsed")
	}
	if err := id.Check(&Rules{Issuer: "https://i", Email: "a@example.com"}); err != nil {
		t.Fatalf("rules without extensions: %v", err)
	}
	err = id.Check(&Rules{Issuer: "https://i", Email: "a@example.com", Extensions: []ExtensionRule{{"buildTrigger", "push"}}})
	if !errors.Is(err, ErrExtension) || !strings.Contains(err.Error(), "parsing Fulcio certificate extensions") {
		t.Fatalf("got %v", err)
	}
}

func TestPatternSource(t *testing.T) {
	p := mustPattern(t, `a.b`)
	if p.String() != "a.b" || !p.Match("axb") || p.Match("axbc") {
		t.Fatalf("%v", p)
	}
	for _, bad := range []string{"", "x)|(.*", "(?P<n>"} {
		if _, err := CompilePattern(bad); err == nil {
			t.Errorf("accepted %q", bad)
		}
	}
}
