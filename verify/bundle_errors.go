package verify

import "errors"

// ErrBundleUnsupported: a sigstore bundle was found but the requirement cannot be satisfied by
// bundles at all (a pki requirement, or public keys without a Rekor key).
var ErrBundleUnsupported = errors.New("sigstore bundles cannot satisfy this requirement")

// BundleUnsupportedError says why a requirement cannot use sigstore bundles.
type BundleUnsupportedError struct {
	Reason string
}

func (e *BundleUnsupportedError) Error() string { return "sigstore bundle not usable: " + e.Reason }

// Unwrap makes a BundleUnsupportedError match ErrBundleUnsupported.
func (e *BundleUnsupportedError) Unwrap() error { return ErrBundleUnsupported }

// BundleContentError is a bundle whose signed content is not a cosign image signature: a message
// signature, a DSSE payload that is not an in-toto statement, or an in-toto statement of another
// predicate type (an attestation). Field names the part at fault, e.g. "predicateType".
type BundleContentError struct {
	Field    string
	Expected string
	Actual   string
	Msg      string
}

func (e *BundleContentError) Error() string { return e.Msg }

// Unwrap makes a BundleContentError match ErrInvalidSignature.
func (e *BundleContentError) Unwrap() error { return ErrInvalidSignature }
