package fulcio

import (
	"errors"
	"fmt"
)

// Sentinel errors, matchable with errors.Is.
var (
	// ErrNoCertificates reports a CA roots document without any usable certificate.
	ErrNoCertificates = errors.New("fulcio: no CA certificates")
	// ErrIntermediates reports policy-supplied intermediates that do not parse.
	ErrIntermediates = errors.New("fulcio: invalid trusted intermediate certificates")
	// ErrCertificateFormat reports a leaf certificate or chain annotation that does not parse, or a
	// leaf annotation that does not hold exactly one certificate.
	ErrCertificateFormat = errors.New("fulcio: malformed certificate data")
	// ErrChain reports that the leaf does not chain to the trust anchors at the given time for
	// code signing. The concrete error is a *ChainError.
	ErrChain = errors.New("fulcio: certificate chain verification failed")
	// ErrIssuer reports a missing, malformed, inconsistent or unexpected OIDC issuer extension.
	ErrIssuer = errors.New("fulcio: OIDC issuer not accepted")
	// ErrSubject reports a certificate subject (email, URI, pattern, hostname) that does not match
	// the policy.
	ErrSubject = errors.New("fulcio: certificate subject not accepted")
	// ErrExtension reports a Fulcio certificate extension that is malformed or does not have the
	// value the policy requires.
	ErrExtension = errors.New("fulcio: certificate extension not accepted")
	// ErrRules reports identity rules that cannot be applied (Rules.Validate).
	ErrRules = errors.New("fulcio: invalid identity rules")
	// ErrZeroTime reports a zero verification time, refused so that crypto/x509 never falls back
	// to the wall clock.
	ErrZeroTime = errors.New("fulcio: zero verification time")
)

// ChainError reports a crypto/x509 verification failure. Err is the crypto/x509 error
// (x509.CertificateInvalidError, x509.UnknownAuthorityError, …).
type ChainError struct {
	Err error
}

// Error uses containers/image's wording, typo included.
func (e *ChainError) Error() string {
	return fmt.Sprintf("veryfing leaf certificate failed: %v", e.Err)
}

// Unwrap returns the crypto/x509 error.
func (e *ChainError) Unwrap() error { return e.Err }

// Is makes errors.Is(err, ErrChain) true.
func (e *ChainError) Is(target error) bool { return target == ErrChain }

// IssuerMismatchError reports a certificate OIDC issuer different from the required one.
type IssuerMismatchError struct {
	Expected string
	Actual   string
}

// Error returns containers/image's message for this failure, followed by the expected value.
func (e *IssuerMismatchError) Error() string {
	return fmt.Sprintf("Unexpected Fulcio OIDC issuer %q, expected %q", e.Actual, e.Expected)
}

// Is makes errors.Is(err, ErrIssuer) true.
func (e *IssuerMismatchError) Is(target error) bool { return target == ErrIssuer }

// EmailMismatchError reports that the required email is not among the certificate's rfc822Name
// SANs (compared exactly, case-sensitively).
type EmailMismatchError struct {
	Expected string
	Actual   []string
}

// Error returns containers/image's message for this failure.
func (e *EmailMismatchError) Error() string {
	return fmt.Sprintf("Required email %q not found (got %q)", e.Expected, e.Actual)
}

// Is makes errors.Is(err, ErrSubject) true.
func (e *EmailMismatchError) Is(target error) bool { return target == ErrSubject }

// HostnameMismatchError reports that the certificate is not valid for the required hostname. Err
// is the crypto/x509 error (usually x509.HostnameError).
type HostnameMismatchError struct {
	Expected string
	Actual   []string // the certificate's DNS name SANs
	Err      error
}

// Error returns containers/image's message for this failure.
func (e *HostnameMismatchError) Error() string {
	return fmt.Sprintf("Unexpected subject hostname: %v", e.Err)
}

// Unwrap returns the crypto/x509 error.
func (e *HostnameMismatchError) Unwrap() error { return e.Err }

// Is makes errors.Is(err, ErrSubject) true.
func (e *HostnameMismatchError) Is(target error) bool { return target == ErrSubject }

// classified is an error with a containers/image-compatible message and a sentinel class.
type classified struct {
	class error
	msg   string
	err   error // optional cause
}

func (e *classified) Error() string { return e.msg }

func (e *classified) Is(target error) bool { return target == e.class }

func (e *classified) Unwrap() error { return e.err }

func newErr(class, cause error, format string, args ...any) error {
	return &classified{class: class, msg: fmt.Sprintf(format, args...), err: cause}
}

// IssuerPatternMismatchError reports a certificate OIDC issuer that the policy's
// oidcIssuerPattern does not match as a whole.
type IssuerPatternMismatchError struct {
	Pattern string // as written in the policy, without the implicit anchors
	Actual  string
}

// Error names the issuer and the pattern.
func (e *IssuerPatternMismatchError) Error() string {
	return fmt.Sprintf("Fulcio OIDC issuer %q does not match oidcIssuerPattern %q", e.Actual, e.Pattern)
}

// Is makes errors.Is(err, ErrIssuer) true.
func (e *IssuerPatternMismatchError) Is(target error) bool { return target == ErrIssuer }

// URIMismatchError reports that the required URI is not among the certificate's URI SANs
// (compared exactly).
type URIMismatchError struct {
	Expected string
	Actual   []string // the certificate's URI SANs
}

// Error names the expected URI and the certificate's URI SANs.
func (e *URIMismatchError) Error() string {
	return fmt.Sprintf("Required URI %q not found (got %q)", e.Expected, e.Actual)
}

// Is makes errors.Is(err, ErrSubject) true.
func (e *URIMismatchError) Is(target error) bool { return target == ErrSubject }

// SubjectPatternMismatchError reports that the policy's subjectPattern matches none of the
// certificate's subjects (rfc822Name and URI SANs, Fulcio otherName SAN) as a whole.
type SubjectPatternMismatchError struct {
	Pattern string   // as written in the policy, without the implicit anchors
	Actual  []string // the subjects compared
}

// Error names the pattern and the certificate's subjects.
func (e *SubjectPatternMismatchError) Error() string {
	return fmt.Sprintf("No certificate subject matches subjectPattern %q (got %q)", e.Pattern, e.Actual)
}

// Is makes errors.Is(err, ErrSubject) true.
func (e *SubjectPatternMismatchError) Is(target error) bool { return target == ErrSubject }

// ExtensionMismatchError reports a Fulcio certificate extension whose value differs from the one
// the policy requires, or that the certificate does not carry (Actual "").
type ExtensionMismatchError struct {
	Name     string // policy name, e.g. "sourceRepositoryRef"
	OID      string // e.g. "1.3.6.1.4.1.57264.1.14"
	Expected string
	Actual   string // "" when absent
}

// Error names the extension, the expected value and the certificate's value.
func (e *ExtensionMismatchError) Error() string {
	if e.Actual == "" {
		return fmt.Sprintf("Certificate extension %s (%s) is absent, expected %q", e.Name, e.OID, e.Expected)
	}
	return fmt.Sprintf("Certificate extension %s (%s) is %q, expected %q", e.Name, e.OID, e.Actual, e.Expected)
}

// Is makes errors.Is(err, ErrExtension) true.
func (e *ExtensionMismatchError) Is(target error) bool { return target == ErrExtension }

// RulesError reports several failed identity rules of one certificate. Failures holds one error
// per failed rule, in the order Identity.Check applies them (issuer, subject, extensions), so
// errors.As reaches each of them.
type RulesError struct {
	Failures []error
}

// Error lists every failure.
func (e *RulesError) Error() string {
	msg := fmt.Sprintf("%d certificate identity rules failed: ", len(e.Failures))
	for i, f := range e.Failures {
		if i > 0 {
			msg += "; "
		}
		msg += f.Error()
	}
	return msg
}

// Unwrap returns the failures.
func (e *RulesError) Unwrap() []error { return e.Failures }
