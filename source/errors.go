package source

import (
	"errors"
	"fmt"
)

// Sentinel errors, matchable with errors.Is on every error this package returns for the
// corresponding condition.
var (
	// ErrLimitExceeded reports that a file, or the number of signatures, exceeds a limit from
	// internal/limits. The concrete error is a *LimitError.
	ErrLimitExceeded = errors.New("limit exceeded")
	// ErrInvalidSignatureBlob reports a signature blob in no format containers/image understands.
	// The concrete error is a *BlobFormatError, wrapped in a *SignatureFileError when the blob
	// came from a file.
	ErrInvalidSignatureBlob = errors.New("invalid signature blob")
)

// LimitError reports that reading Path would exceed Limit. What names the limited quantity
// ("manifest size", "signature size" or "signature count").
type LimitError struct {
	Path  string // the file being read, or, for a count, the first file beyond the limit
	What  string // what is limited
	Limit int64  // the limit: bytes for a size, signatures for a count
}

// Error implements error.
func (e *LimitError) Error() string {
	return fmt.Sprintf("reading %q: %s exceeds the limit of %d", e.Path, e.What, e.Limit)
}

// Is makes errors.Is(err, ErrLimitExceeded) true.
func (e *LimitError) Is(target error) bool { return target == ErrLimitExceeded }

// BlobFormatError reports why a signature blob could not be decoded. Its text is the text
// containers/image v5.36.2 uses for the same condition.
type BlobFormatError struct {
	Reason string // a description of the problem; empty when Err says it all
	Err    error  // the underlying decoding error, if any
}

// Error implements error.
func (e *BlobFormatError) Error() string {
	switch {
	case e.Err == nil:
		return e.Reason
	case e.Reason == "":
		return e.Err.Error()
	default:
		return e.Reason + ": " + e.Err.Error()
	}
}

// Unwrap returns the underlying decoding error.
func (e *BlobFormatError) Unwrap() error { return e.Err }

// Is makes errors.Is(err, ErrInvalidSignatureBlob) true.
func (e *BlobFormatError) Is(target error) bool { return target == ErrInvalidSignatureBlob }

// SignatureFileError reports a signature file that could not be decoded. Its text is
// containers/image's: `parsing signature "<path>": <reason>`.
type SignatureFileError struct {
	Path string // the signature file
	Err  error  // why it failed, usually a *BlobFormatError
}

// Error implements error.
func (e *SignatureFileError) Error() string {
	return fmt.Sprintf("parsing signature %q: %v", e.Path, e.Err)
}

// Unwrap returns the reason.
func (e *SignatureFileError) Unwrap() error { return e.Err }
