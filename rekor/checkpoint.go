package rekor

import (
	"encoding/base64"
	"strconv"
	"strings"

	"github.com/sigpolicy/sigpolicy/internal/limits"
)

// MaxCheckpointExtensions is the largest number of extension lines accepted after the root hash
// of a checkpoint.
const MaxCheckpointExtensions = limits.MaxCheckpointExtensions

// Checkpoint is the verified content of a signed checkpoint (a C2SP tlog-checkpoint): the log's
// origin, the tree size and the root hash of the tree of that size. Only [Log.VerifyCheckpoint]
// and [Log.VerifyInclusion] return one.
type Checkpoint struct {
	// Origin is the first line: the log's identity ("rekor.sigstore.dev - 1193050959916656506"
	// for a Rekor v1 shard, "log2025-1.rekor.sigstore.dev" for a Rekor v2 log).
	Origin string
	// Size is the number of leaves of the tree.
	Size uint64
	// RootHash is the RFC 6962 root hash of the tree of that size.
	RootHash []byte
	// Extensions are the optional lines after the root hash (for example Rekor v1's
	// "Timestamp: …" line), unverified by any other means and not interpreted.
	Extensions []string
}

// parseCheckpointText parses the signed text of a checkpoint: origin, decimal size, base64 root
// hash, then optional non-empty extension lines, each ending with a newline.
func parseCheckpointText(text []byte) (Checkpoint, error) {
	s := string(text)
	if !strings.HasSuffix(s, "\n") {
		return Checkpoint{}, newErr(ErrNoteFormat, nil, "checkpoint text does not end with a newline")
	}
	lines := strings.Split(strings.TrimSuffix(s, "\n"), "\n")
	if len(lines) < 3 {
		return Checkpoint{}, newErr(ErrNoteFormat, nil, "checkpoint has %d lines, want at least 3", len(lines))
	}
	if len(lines)-3 > MaxCheckpointExtensions {
		return Checkpoint{}, newErr(ErrNoteFormat, nil, "checkpoint has %d extension lines, more than %d", len(lines)-3, MaxCheckpointExtensions)
	}
	cp := Checkpoint{Origin: lines[0]}
	if cp.Origin == "" {
		return Checkpoint{}, newErr(ErrNoteFormat, nil, "checkpoint origin is empty")
	}
	size, err := parseDecimal(lines[1])
	if err != nil {
		return Checkpoint{}, newErr(ErrNoteFormat, err, "checkpoint size %q: %v", lines[1], err)
	}
	cp.Size = size
	root, err := base64.StdEncoding.Strict().DecodeString(lines[2])
	if err != nil {
		return Checkpoint{}, newErr(ErrNoteFormat, err, "checkpoint root hash %q: %v", lines[2], err)
	}
	if len(root) != hashSize {
		return Checkpoint{}, newErr(ErrNoteFormat, nil, "checkpoint root hash is %d bytes, want %d", len(root), hashSize)
	}
	cp.RootHash = root
	for _, ext := range lines[3:] {
		if ext == "" {
			return Checkpoint{}, newErr(ErrNoteFormat, nil, "checkpoint has an empty extension line")
		}
		cp.Extensions = append(cp.Extensions, ext)
	}
	return cp, nil
}

// parseDecimal parses a canonical unsigned decimal: digits only, no sign, no leading zero
// (except "0" itself).
func parseDecimal(s string) (uint64, error) {
	if s == "" || (len(s) > 1 && s[0] == '0') || strings.TrimLeft(s, "0123456789") != "" {
		return 0, newErr(ErrNoteFormat, nil, "not a canonical decimal number")
	}
	return strconv.ParseUint(s, 10, 64)
}
