package policy

import (
	"errors"
	"reflect"
	"testing"
)

// FuzzFulcioExtensions fuzzes the "fulcio" object, where the extension fields live, inside a fixed
// sigstoreSigned requirement. It fails when parsing panics, when an error lacks a position or a
// sentinel, when Lint and Parse disagree, when an accepted policy breaks the extension invariants
// (one issuer rule, one subject rule, compilable patterns, known non-empty extensions) or does not
// round-trip, or when the compatibility mode accepts a document that uses an extension. Run with:
//
//	go test -run '^$' -fuzz FuzzFulcioExtensions -fuzztime 5m ./policy/
func FuzzFulcioExtensions(f *testing.F) {
	for _, fulcio := range validExtensionFulcios {
		f.Add([]byte(fulcio))
	}
	f.Add([]byte(`{"caPath":"/f.pem","oidcIssuer":"i","subjectEmail":"e"}`))
	f.Add([]byte(`{"caPath":"/f.pem","oidcIssuer":"i","subjectPattern":"x)|(.*"}`))
	f.Add([]byte(`{"caPath":"/f.pem","oidcIssuer":"i","subjectEmail":"e","certificateExtensions":{"buildTrigger":"a","x":null}}`))
	f.Fuzz(func(t *testing.T, fulcio []byte) {
		doc := []byte(extDoc(string(fulcio)))
		p, err := Parse(doc)
		lint := Lint("", doc)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) || !errors.Is(err, ErrInvalidPolicy) || e.Line < 1 || e.Column < 1 {
				t.Fatalf("bad error %v (%T)", err, err)
			}
			if len(lint) == 0 || lint[0].Error() != err.Error() {
				t.Fatalf("Lint %v, Parse %v", lint, err)
			}
			if _, cerr := ParseWithOptions(doc, WithCompat(CompatContainersImage)); cerr == nil {
				t.Fatalf("compatibility mode accepts a document the default mode refuses: %v", err)
			}
			return
		}
		if len(lint) != 0 {
			t.Fatalf("Lint %v on an accepted document", lint)
		}
		ss := p.Transports["docker"]["ghcr.io/org"][0].(*SigstoreSigned)
		checkFulcioInvariants(t, ss.Fulcio)
		out, err := p.MarshalJSON()
		if err != nil {
			t.Fatal(err)
		}
		p2, err := Parse(out)
		if err != nil || !reflect.DeepEqual(p, p2) {
			t.Fatalf("round trip %s: %v", out, err)
		}
		_, cerr := ParseWithOptions(doc, WithCompat(CompatContainersImage))
		if uses := p.Extensions(); (len(uses) == 0) != (cerr == nil) {
			t.Fatalf("extension uses %v, compatibility mode error %v", uses, cerr)
		}
		if cerr != nil && !errors.Is(cerr, ErrExtension) {
			t.Fatalf("compatibility mode error %v is not ErrExtension", cerr)
		}
	})
}

func checkFulcioInvariants(t *testing.T, f *Fulcio) {
	t.Helper()
	if count(f.OIDCIssuer != "", f.OIDCIssuerPattern != "") != 1 ||
		count(f.SubjectEmail != "", f.SubjectURI != "", f.SubjectPattern != "") != 1 ||
		count(f.CAPath != "", f.CAData != nil) != 1 {
		t.Fatalf("accepted %+v", f)
	}
	for _, p := range []string{f.OIDCIssuerPattern, f.SubjectPattern} {
		if p == "" {
			continue
		}
		if _, err := CompilePattern(p); err != nil {
			t.Fatalf("accepted pattern %q: %v", p, err)
		}
	}
	if f.CertificateExtensions != nil && len(f.CertificateExtensions) == 0 {
		t.Fatal("accepted empty certificateExtensions")
	}
	for k, v := range f.CertificateExtensions {
		if !IsCertificateExtensionName(k) || v == "" {
			t.Fatalf("accepted extension %q=%q", k, v)
		}
	}
}
