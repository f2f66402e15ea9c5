package bundle

import (
	"errors"
	"fmt"
	"time"
)

// Sentinel errors, matchable with errors.Is. Every error returned by Verify wraps exactly one of
// them (errors from sigstore-go or the rekor package are wrapped as causes, so errors.Is also finds
// their own sentinels, e.g. rekor.ErrInclusionProof).
var (
	// ErrTrustedMaterial reports trusted material that cannot be loaded.
	ErrTrustedMaterial = errors.New("bundle: invalid trusted material")
	// ErrOptions reports invalid verification options (no artifact, no identity or key, …).
	ErrOptions = errors.New("bundle: invalid verification options")
	// ErrFormat reports a bundle that does not parse, is too large, or has an unknown media type
	// or shape.
	ErrFormat = errors.New("bundle: malformed bundle")
	// ErrSignature reports that sigstore-go's verification (signature, certificate chain, SCTs,
	// timestamps, transparency-log thresholds, identity or artifact policy) refused the bundle.
	ErrSignature = errors.New("bundle: signature not verified")
	// ErrTransparencyLog reports that sigpolicy's own check of a transparency-log entry (log
	// trusted, log ID, inclusion promise, checkpoint, inclusion proof, log validity window)
	// refused the bundle.
	ErrTransparencyLog = errors.New("bundle: transparency log entry not verified")
	// ErrTime reports a verified time that is outside a validity window, or in the future.
	ErrTime = errors.New("bundle: time check failed")
	// ErrIdentity reports a verified certificate whose identity is not the required one.
	ErrIdentity = errors.New("bundle: certificate identity mismatch")
)

// TimeError reports a verified time outside a window: a certificate's validity, a log key's
// validity in the trusted root, or after the caller's current time. Zero bounds are open.
type TimeError struct {
	What      string    // what the window belongs to, e.g. "signing certificate"
	Time      time.Time // the verified time
	NotBefore time.Time
	NotAfter  time.Time
}

// Error describes the failure.
func (e *TimeError) Error() string {
	return fmt.Sprintf("time %s is outside the validity of the %s (%s – %s)", e.Time.UTC().Format(time.RFC3339),
		e.What, fmtBound(e.NotBefore), fmtBound(e.NotAfter))
}

// Is makes errors.Is(err, ErrTime) true.
func (e *TimeError) Is(target error) bool { return target == ErrTime }

func fmtBound(t time.Time) string {
	if t.IsZero() {
		return "open"
	}
	return t.UTC().Format(time.RFC3339)
}

// IdentityMismatchError reports a certificate identity that differs from the required one.
type IdentityMismatchError struct {
	Field    string // "issuer" or "subjectAlternativeName"
	Expected string
	Actual   string
}

// Error describes the mismatch.
func (e *IdentityMismatchError) Error() string {
	return fmt.Sprintf("certificate %s %q does not match the required %q", e.Field, e.Actual, e.Expected)
}

// Is makes errors.Is(err, ErrIdentity) true.
func (e *IdentityMismatchError) Is(target error) bool { return target == ErrIdentity }

// classified is an error with a sentinel class and an optional cause.
type classified struct {
	class error
	msg   string
	err   error
}

func (e *classified) Error() string { return e.msg }

func (e *classified) Is(target error) bool { return target == e.class }

func (e *classified) Unwrap() error { return e.err }

func newErr(class, cause error, format string, args ...any) error {
	return &classified{class: class, msg: fmt.Sprintf(format, args...), err: cause}
}
