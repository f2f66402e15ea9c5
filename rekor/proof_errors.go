package rekor

import (
	"errors"
	"fmt"
)

// Sentinel errors for inclusion proofs, checkpoints and inclusion promises, matchable with
// errors.Is. Every error returned by Log methods wraps exactly one of them.
var (
	// ErrLog reports a transparency log description that cannot be used (unsupported key type,
	// invalid name).
	ErrLog = errors.New("rekor: invalid transparency log")
	// ErrNoteFormat reports a malformed signed note or checkpoint body.
	ErrNoteFormat = errors.New("rekor: malformed checkpoint")
	// ErrNoteSignature reports that no signature line of a checkpoint was made by the log's key,
	// or that a signature line claiming the log's key did not verify.
	ErrNoteSignature = errors.New("rekor: checkpoint signature not verified")
	// ErrCheckpointMismatch reports a verified checkpoint that does not describe the log or the
	// proof being checked. The concrete error is a *CheckpointMismatchError.
	ErrCheckpointMismatch = errors.New("rekor: checkpoint does not match")
	// ErrInclusionProof reports a malformed inclusion proof or one that does not lead to the
	// checkpoint's root hash.
	ErrInclusionProof = errors.New("rekor: inclusion proof not verified")
	// ErrLogID reports that an entry's log ID is not the ID of the key that verified it. The
	// concrete error is a *LogIDMismatchError.
	ErrLogID = errors.New("rekor: log ID does not match the log key")
)

// Fields compared by CheckpointMismatchError.
const (
	FieldOrigin   = "origin"   // the checkpoint's first line against the log's origin
	FieldTreeSize = "treeSize" // the checkpoint's size against the proof's tree size
	FieldRootHash = "rootHash" // the checkpoint's root hash against the proof's root hash
)

// CheckpointMismatchError reports which line of a verified checkpoint differs from what the log
// or the proof requires. Expected is the log's or proof's value, Actual the checkpoint's (hashes
// hex-encoded).
type CheckpointMismatchError struct {
	Field    string // one of FieldOrigin, FieldTreeSize, FieldRootHash
	Expected string
	Actual   string
}

// Error describes the mismatch.
func (e *CheckpointMismatchError) Error() string {
	return fmt.Sprintf("checkpoint %s %q does not match expected %q", e.Field, e.Actual, e.Expected)
}

// Is makes errors.Is(err, ErrCheckpointMismatch) true.
func (e *CheckpointMismatchError) Is(target error) bool { return target == ErrCheckpointMismatch }

// LogIDMismatchError reports an entry whose log ID differs from the ID of the log key that
// verifies it. Both values are hex-encoded.
type LogIDMismatchError struct {
	Expected string // the ID of the verifying key
	Actual   string // the ID the entry claims
}

// Error describes the mismatch.
func (e *LogIDMismatchError) Error() string {
	return fmt.Sprintf("log ID %s does not match the log key's ID %s", e.Actual, e.Expected)
}

// Is makes errors.Is(err, ErrLogID) true.
func (e *LogIDMismatchError) Is(target error) bool { return target == ErrLogID }
