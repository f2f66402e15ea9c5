package rekor

import (
	"bytes"
	"encoding/hex"
	"strconv"

	"github.com/transparency-dev/merkle/proof"
	"github.com/transparency-dev/merkle/rfc6962"

	"github.com/sigpolicy/sigpolicy/internal/limits"
)

// MaxProofHashes is the largest number of hashes accepted in an inclusion proof (a proof for a
// tree of 2^63 leaves has 63).
const MaxProofHashes = limits.MaxProofHashes

// InclusionProof is an untrusted RFC 6962 inclusion proof of one entry, as carried in a sigstore
// bundle's inclusionProof. LogIndex is the entry's index in the tree the proof is about: for a
// sharded Rekor v1 log that is the shard-local index, not the global logIndex that the inclusion
// promise signs.
type InclusionProof struct {
	LogIndex   int64    // shard-local leaf index
	TreeSize   int64    // size of the tree the proof leads to
	RootHash   []byte   // root hash of that tree, as the proof claims it
	Hashes     [][]byte // the audit path, leaf to root
	Checkpoint []byte   // the signed note committing to the tree
}

// VerifyInclusion verifies that untrustedBody (a log entry's canonicalized body, whose leaf hash
// is SHA-256(0x00 ‖ body)) is in the log: the checkpoint verifies with [Log.VerifyCheckpoint]; its
// size equals the proof's tree size and its root hash the proof's root hash; the leaf index is in
// range; and the RFC 6962 audit path leads from the leaf at that index to the checkpoint's root
// (transparency-dev/merkle's proof.VerifyInclusion). The returned Checkpoint is the verified one.
// Errors wrap ErrNoteFormat, ErrNoteSignature, ErrCheckpointMismatch or ErrInclusionProof.
func (l *Log) VerifyInclusion(untrustedBody []byte, untrustedProof InclusionProof) (Checkpoint, error) {
	p := untrustedProof
	if p.LogIndex < 0 || p.TreeSize <= 0 || p.LogIndex >= p.TreeSize {
		return Checkpoint{}, newErr(ErrInclusionProof, nil, "inclusion proof index %d is not in a tree of size %d", p.LogIndex, p.TreeSize)
	}
	if len(p.Hashes) > MaxProofHashes {
		return Checkpoint{}, newErr(ErrInclusionProof, nil, "inclusion proof has %d hashes, more than %d", len(p.Hashes), MaxProofHashes)
	}
	for i, h := range p.Hashes {
		if len(h) != hashSize {
			return Checkpoint{}, newErr(ErrInclusionProof, nil, "inclusion proof hash %d is %d bytes, want %d", i, len(h), hashSize)
		}
	}
	cp, err := l.VerifyCheckpoint(p.Checkpoint)
	if err != nil {
		return Checkpoint{}, err
	}
	if cp.Size != uint64(p.TreeSize) {
		return Checkpoint{}, &CheckpointMismatchError{Field: FieldTreeSize,
			Expected: strconv.FormatInt(p.TreeSize, 10), Actual: strconv.FormatUint(cp.Size, 10)}
	}
	if !bytes.Equal(cp.RootHash, p.RootHash) {
		return Checkpoint{}, &CheckpointMismatchError{Field: FieldRootHash,
			Expected: hex.EncodeToString(p.RootHash), Actual: hex.EncodeToString(cp.RootHash)}
	}
	leaf := rfc6962.DefaultHasher.HashLeaf(untrustedBody)
	if err := proof.VerifyInclusion(rfc6962.DefaultHasher, uint64(p.LogIndex), cp.Size, leaf, p.Hashes, cp.RootHash); err != nil {
		return Checkpoint{}, newErr(ErrInclusionProof, err, "inclusion proof of entry %d in tree of size %d: %v", p.LogIndex, cp.Size, err)
	}
	return cp, nil
}
