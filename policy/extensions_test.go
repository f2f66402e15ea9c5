package policy

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

// extDoc wraps a "fulcio" object in a complete sigstoreSigned policy.
func extDoc(fulcio string) string {
	return `{"default":[{"type":"reject"}],"transports":{"docker":{"ghcr.io/org":[{"type":"sigstoreSigned",` +
		`"fulcio":` + fulcio + `,"rekorPublicKeyPath":"/r.pub","signedIdentity":{"type":"matchRepository"}}]}}}`
}

const ghaURI = `https://github.com/sigstore/sigstore-js/.github/workflows/release.yml@refs/heads/main`

// validExtensionFulcios are "fulcio" objects that use extension fields and are valid.
var validExtensionFulcios = map[string]string{
	"subjectURI": `{"caPath":"/f.pem","oidcIssuer":"https://token.actions.githubusercontent.com","subjectURI":"` + ghaURI + `"}`,
	"subjectPattern": `{"caPath":"/f.pem","oidcIssuer":"https://token.actions.githubusercontent.com",` +
		`"subjectPattern":"https://github\\.com/sigstore/sigstore-js/\\.github/workflows/[^/@]+@refs/tags/v[0-9.]+"}`,
	"issuerPattern+email": `{"caData":"YWJj","oidcIssuerPattern":"https://accounts\\.(google|example)\\.com","subjectEmail":"a@example.com"}`,
	"certificateExtensions": `{"caPath":"/f.pem","oidcIssuer":"https://gitlab.com","subjectURI":"https://gitlab.com/org/app//.gitlab-ci.yml@refs/heads/main",` +
		`"certificateExtensions":{"sourceRepositoryURI":"https://gitlab.com/org/app","sourceRepositoryRef":"refs/heads/main","runnerEnvironment":"gitlab-hosted",` +
		`"githubWorkflowRef":"refs/heads/main","issuer":"https://gitlab.com","sourceRepositoryVisibilityAtSigning":"private"}}`,
	"everything": `{"caPath":"/f.pem","oidcIssuerPattern":"https://token\\.actions\\.githubusercontent\\.com",` +
		`"subjectPattern":".+@example\\.com","certificateExtensions":{"buildTrigger":"push"},"subjectEmail":null,"oidcIssuer":""}`,
	"subjectEmail empty counts as absent": `{"caPath":"/f.pem","oidcIssuer":"i","subjectEmail":"","subjectURI":"spiffe://x/y"}`,
}

func TestExtensionsParse(t *testing.T) {
	for name, f := range validExtensionFulcios {
		t.Run(name, func(t *testing.T) {
			doc := []byte(extDoc(f))
			p, err := Parse(doc)
			if err != nil {
				t.Fatal(err)
			}
			uses := p.Extensions()
			if len(uses) == 0 {
				t.Fatal("no extension use reported")
			}
			for _, u := range uses {
				if !strings.HasPrefix(u.Path, `transports.docker["ghcr.io/org"][0].fulcio.`) || !strings.HasSuffix(u.Path, "."+u.Field) {
					t.Errorf("use %+v", u)
				}
			}
			// Round trip.
			out, err := p.MarshalJSON()
			if err != nil {
				t.Fatal(err)
			}
			p2, err := Parse(out)
			if err != nil || !reflect.DeepEqual(p, p2) {
				t.Fatalf("round trip %s: %v", out, err)
			}
			// The compatibility mode refuses each use, at the key, with ErrExtension.
			_, err = ParseWithOptions(doc, WithCompat(CompatContainersImage))
			if !errors.Is(err, ErrExtension) || !errors.Is(err, ErrUnknownKey) {
				t.Fatalf("compat: %v", err)
			}
			lint, err := LintWithOptions(doc, WithCompat(CompatContainersImage), WithFileName("p.json"))
			if err != nil {
				t.Fatal(err)
			}
			if len(lint) != len(uses) {
				t.Fatalf("compat lint %v, uses %v", lint, uses)
			}
			for i, e := range lint {
				if !errors.Is(e, ErrExtension) || e.Path != uses[i].Path && !strings.HasSuffix(e.Path, "."+uses[i].Field) || e.Line != 1 || e.File != "p.json" {
					t.Errorf("lint[%d] = %v (%+v), use %+v", i, e, e, uses[i])
				}
				if got := string(doc[e.Column-1 : e.Column-1+len(`"`+lint[i].Path[strings.LastIndex(lint[i].Path, ".")+1:]+`"`)]); !strings.HasPrefix(got, `"`) {
					t.Errorf("lint[%d] column %d does not point at a key: %q", i, e.Column, got)
				}
			}
			if l := Lint("", doc); len(l) != 0 {
				t.Fatalf("default lint: %v", l)
			}
		})
	}
}

func TestExtensionsParseValues(t *testing.T) {
	p, err := Parse([]byte(extDoc(validExtensionFulcios["certificateExtensions"])))
	if err != nil {
		t.Fatal(err)
	}
	f := p.Transports["docker"]["ghcr.io/org"][0].(*SigstoreSigned).Fulcio
	want := &Fulcio{CAPath: "/f.pem", OIDCIssuer: "https://gitlab.com", SubjectURI: "https://gitlab.com/org/app//.gitlab-ci.yml@refs/heads/main",
		CertificateExtensions: map[string]string{"sourceRepositoryURI": "https://gitlab.com/org/app", "sourceRepositoryRef": "refs/heads/main",
			"runnerEnvironment": "gitlab-hosted", "githubWorkflowRef": "refs/heads/main", "issuer": "https://gitlab.com",
			"sourceRepositoryVisibilityAtSigning": "private"}}
	if !reflect.DeepEqual(f, want) {
		t.Fatalf("got %+v", f)
	}
	if got := f.Extensions(); !reflect.DeepEqual(got, []string{FieldSubjectURI, FieldCertificateExtensions}) {
		t.Fatalf("Extensions() = %v", got)
	}
}

func TestExtensionsParseErrors(t *testing.T) {
	const pre = `{"caPath":"/f.pem",`
	tests := []struct {
		name   string
		fulcio string
		is     error
		path   string // suffix of the error path after ...fulcio
		msg    string // substring of the message
	}{
		{"no subject", pre + `"oidcIssuer":"i"}`, ErrMissingKey, "", "subjectEmail not specified"},
		{"no issuer", pre + `"subjectURI":"u"}`, ErrMissingKey, "", "oidcIssuer not specified"},
		{"two issuers", pre + `"oidcIssuer":"i","oidcIssuerPattern":"i","subjectURI":"u"}`, ErrConflict, "", "oidcIssuer and oidcIssuerPattern cannot be used simultaneously"},
		{"email and URI", pre + `"oidcIssuer":"i","subjectEmail":"e","subjectURI":"u"}`, ErrConflict, "", "exactly one of subjectEmail, subjectURI and subjectPattern"},
		{"URI and pattern", pre + `"oidcIssuer":"i","subjectPattern":"u","subjectURI":"u"}`, ErrConflict, "", "exactly one of"},
		{"empty URI", pre + `"oidcIssuer":"i","subjectURI":""}`, ErrInvalidValue, ".subjectURI", "subjectURI must not be empty"},
		{"null URI", pre + `"oidcIssuer":"i","subjectURI":null}`, ErrType, ".subjectURI", "string expected, got null"},
		{"number URI", pre + `"oidcIssuer":"i","subjectURI":1}`, ErrType, ".subjectURI", "string expected, got number"},
		{"empty subject pattern", pre + `"oidcIssuer":"i","subjectPattern":""}`, ErrInvalidValue, ".subjectPattern", "must not be empty"},
		{"invalid subject pattern", pre + `"oidcIssuer":"i","subjectPattern":"a(b"}`, ErrInvalidValue, ".subjectPattern", "invalid subjectPattern: error parsing regexp: missing closing )"},
		{"Perl lookahead refused by RE2", pre + `"oidcIssuer":"i","subjectPattern":"(?=a)a"}`, ErrInvalidValue, ".subjectPattern", "invalid subjectPattern"},
		{"group escape x)|(.*", pre + `"oidcIssuer":"i","subjectPattern":"x)|(.*"}`, ErrInvalidValue, ".subjectPattern", "unexpected )"},
		{"group escape in issuer", pre + `"oidcIssuerPattern":"https://a)|(.*","subjectEmail":"e"}`, ErrInvalidValue, ".oidcIssuerPattern", "unexpected )"},
		{"backreference refused by RE2", pre + `"oidcIssuer":"i","subjectPattern":"(a)\\1"}`, ErrInvalidValue, ".subjectPattern", "invalid"},
		{"invalid issuer pattern", pre + `"oidcIssuerPattern":"[","subjectEmail":"e"}`, ErrInvalidValue, ".oidcIssuerPattern", "invalid oidcIssuerPattern"},
		{"empty issuer pattern", pre + `"oidcIssuerPattern":"","subjectEmail":"e"}`, ErrInvalidValue, ".oidcIssuerPattern", "must not be empty"},
		{"unknown extension", pre + `"oidcIssuer":"i","subjectEmail":"e","certificateExtensions":{"sourceRepo":"x"}}`, ErrUnknownKey, ".certificateExtensions.sourceRepo", `unknown certificate extension "sourceRepo"`},
		{"extension name is case-sensitive", pre + `"oidcIssuer":"i","subjectEmail":"e","certificateExtensions":{"SourceRepositoryURI":"x"}}`, ErrUnknownKey, ".certificateExtensions.SourceRepositoryURI", "unknown certificate extension"},
		{"OID is not a name", pre + `"oidcIssuer":"i","subjectEmail":"e","certificateExtensions":{"1.3.6.1.4.1.57264.1.12":"x"}}`, ErrUnknownKey, `.certificateExtensions["1.3.6.1.4.1.57264.1.12"]`, "unknown certificate extension"},
		{"empty extension value", pre + `"oidcIssuer":"i","subjectEmail":"e","certificateExtensions":{"buildTrigger":""}}`, ErrInvalidValue, ".certificateExtensions.buildTrigger", "buildTrigger must not be empty"},
		{"null extension value", pre + `"oidcIssuer":"i","subjectEmail":"e","certificateExtensions":{"buildTrigger":null}}`, ErrType, ".certificateExtensions.buildTrigger", "string expected"},
		{"duplicate extension", pre + `"oidcIssuer":"i","subjectEmail":"e","certificateExtensions":{"buildTrigger":"a","buildTrigger":"a"}}`, ErrDuplicateKey, ".certificateExtensions.buildTrigger", "duplicate key"},
		{"no extensions", pre + `"oidcIssuer":"i","subjectEmail":"e","certificateExtensions":{}}`, ErrInvalidValue, ".certificateExtensions", "contains no entries"},
		{"null extensions", pre + `"oidcIssuer":"i","subjectEmail":"e","certificateExtensions":null}`, ErrType, ".certificateExtensions", "JSON object expected, got null"},
		{"extensions array", pre + `"oidcIssuer":"i","subjectEmail":"e","certificateExtensions":[]}`, ErrType, ".certificateExtensions", "JSON object expected"},
		{"unknown fulcio key still refused", pre + `"oidcIssuer":"i","subjectEmail":"e","subjectHostname":"h"}`, ErrUnknownKey, ".subjectHostname", `unknown key "subjectHostname"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := []byte(extDoc(tt.fulcio))
			_, err := Parse(doc)
			var e *Error
			if !errors.As(err, &e) || !errors.Is(err, tt.is) {
				t.Fatalf("got %v, want %v", err, tt.is)
			}
			if want := `transports.docker["ghcr.io/org"][0].fulcio` + tt.path; e.Path != want {
				t.Errorf("path %q, want %q", e.Path, want)
			}
			if !strings.Contains(e.Msg, tt.msg) || e.Line != 1 || e.Column < 1 {
				t.Errorf("error %v, want message containing %q", e, tt.msg)
			}
			if l := Lint("", doc); len(l) == 0 || l[0].Error() != e.Error() {
				t.Errorf("Lint %v, Parse %v", l, e)
			}
		})
	}
}

func TestExtensionsPositions(t *testing.T) {
	doc := "{\"default\":[{\"type\":\"sigstoreSigned\",\"rekorPublicKeyPath\":\"/r\",\n" +
		" \"fulcio\":{\"caPath\":\"/c\",\"oidcIssuer\":\"i\",\n" +
		"   \"subjectPattern\":\"a(\"}}]}"
	_, err := ParseWithOptions([]byte(doc), WithFileName("p.json"))
	if got, want := err.Error(), "p.json:3:21: default[0].fulcio.subjectPattern: invalid subjectPattern: error parsing regexp: missing closing ): `a(`"; got != want {
		t.Fatalf("got  %s\nwant %s", got, want)
	}
	_, err = ParseWithOptions([]byte(doc), WithFileName("p.json"), WithCompat(CompatContainersImage))
	if got, want := err.Error(), `p.json:3:4: default[0].fulcio.subjectPattern: unknown key "subjectPattern": a sigpolicy extension, refused by containers/image (CRI-O, Podman, Skopeo)`; got != want {
		t.Fatalf("got  %s\nwant %s", got, want)
	}
}

func TestCompilePatternAnchoring(t *testing.T) {
	tests := []struct {
		pattern, value string
		match          bool
	}{
		{`https://github\.com/org/.*`, `https://github.com/org/x@evil`, true}, // .* spells "anything after org/"
		{`https://github\.com/org/.*`, `https://github.com/org-evil/x`, false},
		{`https://github\.com/org/.*`, `https://evil.example/https://github.com/org/x`, false},
		{`https://github.com/org/repo/.github/workflows/release.yml@refs/heads/main`, `https://github.com/org/repo/.github/workflows/release.yml@refs/heads/main`, true},
		{`https://github.com/org/repo/.github/workflows/release.yml@refs/heads/main`, `https://github.com/org/repo/.github/workflows/release.yml@refs/heads/main.evil`, false},
		{`https://github.com/org/repo/.github/workflows/release.yml@refs/heads/main`, `x https://github.com/org/repo/.github/workflows/release.yml@refs/heads/main`, false},
		{`https://github.com/org/repo/.github/workflows/release.yml@refs/heads/main`, `https://github.com/org/repo/.github/workflows/releaseXyml@refs/heads/main`, true}, // unescaped "."
		{`https://github\.com/org/repo/\.github/workflows/release\.yml@refs/heads/main`, `https://github.com/org/repo/.github/workflows/releaseXyml@refs/heads/main`, false},
		{`a|b`, `ab`, false}, // alternation stays inside the group
		{`a|b`, `b`, true},
		{`^a$`, `a`, true}, // explicit anchors are harmless
		{`(?i)ORG`, `org`, true},
		{`a`, "a\n", false},
	}
	for _, tt := range tests {
		t.Run(tt.pattern+"~"+tt.value, func(t *testing.T) {
			re, err := CompilePattern(tt.pattern)
			if err != nil {
				t.Fatal(err)
			}
			if got := re.MatchString(tt.value); got != tt.match {
				t.Fatalf("match = %v, want %v", got, tt.match)
			}
		})
	}
	for _, bad := range []string{"", "x)|(.*", "a)(b", ")", "(?:a))|((?:"} {
		if re, err := CompilePattern(bad); err == nil {
			t.Errorf("pattern %q accepted as %v", bad, re)
		}
	}
}

func TestExtensionUsesOrder(t *testing.T) {
	f := validExtensionFulcios["everything"]
	doc := `{"default":[{"type":"sigstoreSigned","fulcio":` + f + `,"rekorPublicKeyPath":"/r"}],"transports":{"docker":{` +
		`"b.io":[{"type":"reject"},{"type":"sigstoreSigned","fulcio":` + validExtensionFulcios["subjectURI"] + `,"rekorPublicKeyPath":"/r"}],` +
		`"a.io":[{"type":"sigstoreSigned","fulcio":` + validExtensionFulcios["subjectURI"] + `,"rekorPublicKeyPath":"/r"}]},"atomic":{}}}`
	p, err := Parse([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	want := []ExtensionUse{
		{`default[0].fulcio.oidcIssuerPattern`, FieldOIDCIssuerPattern},
		{`default[0].fulcio.subjectPattern`, FieldSubjectPattern},
		{`default[0].fulcio.certificateExtensions`, FieldCertificateExtensions},
		{`transports.docker["a.io"][0].fulcio.subjectURI`, FieldSubjectURI},
		{`transports.docker["b.io"][1].fulcio.subjectURI`, FieldSubjectURI},
	}
	if got := p.Extensions(); !reflect.DeepEqual(got, want) {
		t.Fatalf("got %+v", got)
	}
	plain, err := Parse([]byte(`{"default":[{"type":"reject"}]}`))
	if err != nil || plain.Extensions() != nil {
		t.Fatalf("%v %v", plain.Extensions(), err)
	}
}

func TestWithCompatInvalid(t *testing.T) {
	if _, err := ParseWithOptions([]byte(`{}`), WithCompat("podman")); !errors.Is(err, ErrInvalidOption) {
		t.Fatalf("got %v", err)
	}
	if _, err := LintWithOptions([]byte(`{}`), WithCompat("")); !errors.Is(err, ErrInvalidOption) {
		t.Fatalf("got %v", err)
	}
}

func TestCertificateExtensionNames(t *testing.T) {
	names := CertificateExtensionNames()
	if len(names) != 20 || names[0] != "issuer" || names[19] != "sourceRepositoryVisibilityAtSigning" {
		t.Fatalf("names %v", names)
	}
	names[0] = "changed"
	if !IsCertificateExtensionName("issuer") || IsCertificateExtensionName("changed") {
		t.Fatal("CertificateExtensionNames returned the internal slice")
	}
}
