package limits

// Limits on policy documents, transparency-log evidence, sigstore bundles and the inputs of the
// CLI and examples. Each is applied by the package named, which exports it under its own name where
// callers may need it.
const (
	// MaxPolicySize is the largest policy.json, in bytes, that policy.ParseFile reads
	// (containers/image reads without a bound).
	MaxPolicySize = 4 << 20

	// MaxBundleSize is the largest sigstore bundle, in bytes, that bundle.Verify parses.
	MaxBundleSize = 16 << 20

	// MaxBundleLogEntries is the largest number of transparency-log entries accepted in one bundle
	// (sigstore-go's own verifier limit is 32 as well).
	MaxBundleLogEntries = 32

	// MaxNoteSize is the largest signed note (checkpoint), in bytes, that rekor parses. Real
	// checkpoints are a few hundred bytes.
	MaxNoteSize = 16 << 10

	// MaxNoteSignatures is the largest number of signature lines parsed in one signed note (the
	// log's own signature and witness cosignatures).
	MaxNoteSignatures = 64

	// MaxCheckpointExtensions is the largest number of extension lines accepted after a
	// checkpoint's root hash.
	MaxCheckpointExtensions = 16

	// MaxProofHashes is the largest number of hashes in an inclusion proof: a proof for a tree of
	// 2^64 leaves has 64.
	MaxProofHashes = 64

	// MaxStatementSubjects bounds the subjects examined in one in-toto statement of a bundle.
	MaxStatementSubjects = 1024

	// MaxFixtureTableSize is the largest `sigpolicy test` fixture table, in bytes.
	MaxFixtureTableSize = 4 << 20

	// MaxAdmissionReviewSize is the largest AdmissionReview request body, in bytes, that the
	// example webhook reads (the API server's own limit is 3 MiB per object).
	MaxAdmissionReviewSize = 8 << 20
)
