package verify

import (
	"fmt"
	"sort"

	"github.com/sigpolicy/sigpolicy/fulcio"
	"github.com/sigpolicy/sigpolicy/policy"
)

// fulcioRules compiles the identity rules of a policy "fulcio" object: containers/image's
// oidcIssuer and subjectEmail, and sigpolicy's extension fields oidcIssuerPattern, subjectURI,
// subjectPattern and certificateExtensions (docs/policy-extensions.md). The parser has already
// validated a parsed policy; a hand-built one that is invalid fails here, and the requirement then
// denies every signature (fail closed). The error names the offending policy field.
func fulcioRules(f *policy.Fulcio) (*fulcio.Rules, string, error) {
	r := &fulcio.Rules{Issuer: f.OIDCIssuer, Email: f.SubjectEmail, URI: f.SubjectURI}
	var err error
	if f.OIDCIssuerPattern != "" {
		if r.IssuerPattern, err = fulcio.CompilePattern(f.OIDCIssuerPattern); err != nil {
			return nil, "fulcio.oidcIssuerPattern", fmt.Errorf("invalid oidcIssuerPattern: %w", err)
		}
	}
	if f.SubjectPattern != "" {
		if r.SubjectPattern, err = fulcio.CompilePattern(f.SubjectPattern); err != nil {
			return nil, "fulcio.subjectPattern", fmt.Errorf("invalid subjectPattern: %w", err)
		}
	}
	names := make([]string, 0, len(f.CertificateExtensions))
	for name := range f.CertificateExtensions {
		names = append(names, name)
	}
	sort.Strings(names) // a deterministic order of the failures
	for _, name := range names {
		r.Extensions = append(r.Extensions, fulcio.ExtensionRule{Name: name, Value: f.CertificateExtensions[name]})
	}
	if err := r.Validate(); err != nil {
		return nil, "fulcio", err
	}
	return r, "", nil
}
