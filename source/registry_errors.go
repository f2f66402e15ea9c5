package source

import (
	"errors"
	"fmt"
	"strings"
)

// Sentinel errors of the registry source, matchable with errors.Is.
var (
	// ErrRegistry reports a registry request that failed with an HTTP error status. The concrete
	// error is a *RegistryError.
	ErrRegistry = errors.New("registry request failed")
	// ErrManifestDigest reports a manifest whose digest is not the one it was requested by. The
	// concrete error is a *ManifestDigestError.
	ErrManifestDigest = errors.New("manifest digest mismatch")
	// ErrNoMatchingPlatform reports a manifest list without an instance for the wanted platform.
	// The concrete error is a *PlatformError.
	ErrNoMatchingPlatform = errors.New("no instance for the platform")
	// ErrUnsupportedManifest reports a manifest that cannot be used where it was found: a
	// manifest list inside a manifest list, a signature attachment manifest that is not an OCI
	// image manifest, or an ambiguous or malformed manifest. The concrete error is an
	// *UnsupportedManifestError.
	ErrUnsupportedManifest = errors.New("unsupported manifest")
)

// RegistryError is a registry response with an unexpected HTTP status. Code and Message are the
// first error of the OCI distribution error body ({"errors":[{"code","message"}]}), when the body
// has one.
type RegistryError struct {
	Op         string // what was being done, e.g. "reading manifest"
	Ref        string // the reference or blob requested, e.g. "registry.example/app:v1"
	StatusCode int    // the HTTP status code
	Code       string // the distribution error code, e.g. "MANIFEST_UNKNOWN"; "" if none
	Message    string // the distribution error message, if any

	manifestUnknown bool // containers/image would treat the response as "manifest unknown"
}

// Error implements error.
func (e *RegistryError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s: HTTP status %d", e.Op, e.Ref, e.StatusCode)
	if e.Code != "" {
		b.WriteString(" " + e.Code)
	}
	if e.Message != "" {
		b.WriteString(": " + e.Message)
	}
	return b.String()
}

// Is makes errors.Is(err, ErrRegistry) true.
func (e *RegistryError) Is(target error) bool { return target == ErrRegistry }

// ManifestDigestError reports a manifest fetched by digest whose content has another digest.
type ManifestDigestError struct {
	Ref      string // the reference the manifest was fetched by
	Expected string // the digest it was requested by
	Actual   string // the digest of the bytes received (as containers/image computes it)
}

// Error implements error. The text starts like containers/image's for the same condition.
func (e *ManifestDigestError) Error() string {
	return fmt.Sprintf("Manifest does not match provided manifest digest %s: %s has digest %s", e.Expected, e.Ref, e.Actual)
}

// Is makes errors.Is(err, ErrManifestDigest) true.
func (e *ManifestDigestError) Is(target error) bool { return target == ErrManifestDigest }

// PlatformError reports a manifest list without an instance for the wanted platform.
type PlatformError struct {
	Ref       string   // the manifest list's reference
	Wanted    string   // the most preferred wanted platform, "os/arch[/variant]"
	Available []string // the platforms the list offers, in list order
}

// Error implements error.
func (e *PlatformError) Error() string {
	return fmt.Sprintf("no image found in manifest list %s for platform %s (available: %s)",
		e.Ref, e.Wanted, strings.Join(e.Available, ", "))
}

// Is makes errors.Is(err, ErrNoMatchingPlatform) true.
func (e *PlatformError) Is(target error) bool { return target == ErrNoMatchingPlatform }

// UnsupportedManifestError reports a manifest that cannot be used where it was found.
type UnsupportedManifestError struct {
	Ref       string // the manifest's reference
	MediaType string // its media type, as the registry reported it
	Reason    string // why it cannot be used
	Err       error  // the underlying decoding error, if any
}

// Error implements error.
func (e *UnsupportedManifestError) Error() string {
	s := fmt.Sprintf("manifest %s (%q): %s", e.Ref, e.MediaType, e.Reason)
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

// Unwrap returns the decoding error, if any.
func (e *UnsupportedManifestError) Unwrap() error { return e.Err }

// Is makes errors.Is(err, ErrUnsupportedManifest) true.
func (e *UnsupportedManifestError) Is(target error) bool { return target == ErrUnsupportedManifest }
