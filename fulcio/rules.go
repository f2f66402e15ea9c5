package fulcio

import (
	"fmt"
	"slices"
)

// Rules are the identity rules a verified Fulcio certificate must satisfy: one issuer rule (Issuer
// or IssuerPattern), one subject rule (Email, URI or SubjectPattern) and any number of extension
// values. They are the compiled form of a policy "fulcio" object (package verify builds them);
// Email and Issuer alone are containers/image's rules, the others are sigpolicy extensions. A Rules
// value is read-only once built and safe for concurrent use.
type Rules struct {
	Issuer         string   // exact OIDC issuer
	IssuerPattern  *Pattern // whole-value pattern over the OIDC issuer
	Email          string   // exact rfc822Name SAN
	URI            string   // exact URI SAN
	SubjectPattern *Pattern // whole-value pattern over the rfc822Name, URI and otherName SANs
	// Extensions are extension values the certificate must carry exactly, by name (see
	// ExtensionNames).
	Extensions []ExtensionRule
}

// ExtensionRule requires the named Fulcio extension to have exactly Value.
type ExtensionRule struct {
	Name  string
	Value string
}

// Validate checks that r has exactly one issuer rule, exactly one subject rule, and only known,
// non-empty extension rules. Errors wrap ErrRules.
func (r *Rules) Validate() error {
	if r == nil {
		return fmt.Errorf("%w: no rules", ErrRules)
	}
	if n := count(r.Issuer != "", r.IssuerPattern != nil); n != 1 {
		return fmt.Errorf("%w: %d issuer rules, want exactly one of an issuer and an issuer pattern", ErrRules, n)
	}
	if n := count(r.Email != "", r.URI != "", r.SubjectPattern != nil); n != 1 {
		return fmt.Errorf("%w: %d subject rules, want exactly one of an email, a URI and a subject pattern", ErrRules, n)
	}
	for _, e := range r.Extensions {
		if _, ok := findExtension(e.Name); !ok {
			return fmt.Errorf("%w: unknown certificate extension %q", ErrRules, e.Name)
		}
		if e.Value == "" {
			return fmt.Errorf("%w: empty value for certificate extension %q", ErrRules, e.Name)
		}
	}
	return nil
}

func count(bs ...bool) int {
	n := 0
	for _, b := range bs {
		if b {
			n++
		}
	}
	return n
}

// Check applies every rule of r to id (r must satisfy Validate; otherwise Check returns the
// Validate error). It returns nil when all rules hold, the rule's error when one fails, and a
// *RulesError listing each failure when several fail. Every rule error names the expected and the
// actual value: *IssuerMismatchError, *IssuerPatternMismatchError, *EmailMismatchError,
// *URIMismatchError, *SubjectPatternMismatchError, *ExtensionMismatchError; a certificate whose
// Fulcio extensions do not parse fails every extension rule with one error wrapping ErrExtension.
func (id *Identity) Check(r *Rules) error {
	if err := r.Validate(); err != nil {
		return err
	}
	var failures []error
	add := func(err error) {
		if err != nil {
			failures = append(failures, err)
		}
	}
	if r.IssuerPattern != nil {
		add(id.CheckIssuerPattern(r.IssuerPattern))
	} else {
		add(id.CheckIssuer(r.Issuer))
	}
	switch {
	case r.Email != "":
		add(id.CheckEmail(r.Email))
	case r.URI != "":
		add(id.CheckURI(r.URI))
	default:
		add(id.CheckSubjectPattern(r.SubjectPattern))
	}
	if len(r.Extensions) > 0 && id.ExtensionsErr != nil {
		add(newErr(ErrExtension, id.ExtensionsErr, "parsing Fulcio certificate extensions: %v", id.ExtensionsErr))
	} else {
		for _, e := range r.Extensions {
			add(id.CheckExtension(e.Name, e.Value))
		}
	}
	switch len(failures) {
	case 0:
		return nil
	case 1:
		return failures[0]
	default:
		return &RulesError{Failures: failures}
	}
}

// CheckIssuerPattern requires the whole OIDC issuer to match p. The error is an
// *IssuerPatternMismatchError.
func (id *Identity) CheckIssuerPattern(p *Pattern) error {
	if !p.Match(id.Issuer) {
		return &IssuerPatternMismatchError{Pattern: p.String(), Actual: id.Issuer}
	}
	return nil
}

// CheckURI requires want to be one of the certificate's URI SANs, compared exactly with their
// string form (url.URL.String, as cosign compares them). The error is a *URIMismatchError.
func (id *Identity) CheckURI(want string) error {
	if !slices.Contains(id.URIs, want) {
		return &URIMismatchError{Expected: want, Actual: slices.Clone(id.URIs)}
	}
	return nil
}

// Subjects returns the certificate subjects a subject pattern is matched against: the rfc822Name
// SANs, the URI SANs and Fulcio's otherName SAN (OID 1.3.6.1.4.1.57264.1.7), in that order.
// DNS names and IP addresses are not subjects of a Fulcio identity and are left out.
func (id *Identity) Subjects() []string {
	out := make([]string, 0, len(id.Emails)+len(id.URIs)+1)
	out = append(out, id.Emails...)
	out = append(out, id.URIs...)
	if id.OtherName != "" {
		out = append(out, id.OtherName)
	}
	return out
}

// CheckSubjectPattern requires p to match the whole of at least one subject (see Subjects). The
// error is a *SubjectPatternMismatchError.
func (id *Identity) CheckSubjectPattern(p *Pattern) error {
	subjects := id.Subjects()
	if slices.ContainsFunc(subjects, p.Match) {
		return nil
	}
	return &SubjectPatternMismatchError{Pattern: p.String(), Actual: subjects}
}

// CheckExtension requires the named Fulcio extension (see ExtensionNames) to equal want exactly.
// The error is an *ExtensionMismatchError, or wraps ErrExtension when the certificate's extensions
// do not parse or ErrRules when the name is unknown.
func (id *Identity) CheckExtension(name, want string) error {
	f, ok := findExtension(name)
	if !ok {
		return fmt.Errorf("%w: unknown certificate extension %q", ErrRules, name)
	}
	if id.ExtensionsErr != nil {
		return newErr(ErrExtension, id.ExtensionsErr, "parsing Fulcio certificate extensions: %v", id.ExtensionsErr)
	}
	if got := f.get(&id.Extensions); got != want {
		return &ExtensionMismatchError{Name: name, OID: f.oid.String(), Expected: want, Actual: got}
	}
	return nil
}
