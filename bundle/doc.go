// Package bundle verifies sigstore bundles (media types v0.1, v0.2 and v0.3; message signatures
// and DSSE envelopes with in-toto statements) against a sigstore trusted root.
//
// [Verify] takes the untrusted bundle bytes, a [TrustedMaterial] (from a trusted_root.json with
// [FromTrustedRootJSON], from policy-style PEM material with [FromPolicyMaterial], or the embedded
// public-good root with [PublicGood]) and [Options] (the artifact or its digest, and either a
// certificate identity or a public key), and returns a [Result]: the verified content, identity,
// log entries and signature-backed times. Verification is pure: no I/O, and no clock: the only
// notion of "now" is Options.CurrentTime, which the caller passes explicitly (the CLI passes
// time.Now() for the "integrated time in the future" check that sigstore-conformance requires).
//
// # Steps
//
//  1. Parse with sigstore-go (protobuf-specs JSON), then refuse any media type other than the
//     four known ones (sigstore-go accepts any "…bundle.vX.Y.Z+json" below v0.4).
//  2. Run sigstore-go v1.3.0's verifier configured as its own sigstore-conformance client:
//     signature over the artifact or DSSE PAE, in-toto subject digest, certificate chain to a
//     Fulcio CA of the trusted root at every verified time (CA validFor windows checked there),
//     embedded SCTs when the root has CT logs, RFC 3161 timestamps when the bundle has some and
//     the root has TSAs (TSA validFor windows checked), at least one verified log entry, the
//     integrated time counted only when an inclusion promise signs it, and the identity (issuer
//     and SAN, exact). No option trusts the current time.
//  3. Re-check every transparency-log entry with sigpolicy's own code (package rekor): see below.
//  4. Require at least one signature-backed time, each inside the signing certificate's validity
//     (inclusive bounds) and not after Options.CurrentTime; re-check the message digest and the
//     identity that sigstore-go matched.
//
// # What sigstore-go v1.3.0 skips, and what this package adds
//
// Checked against the module source (pkg/verify/tlog.go, pkg/tlog/entry.go):
//
//   - VerifyTlogEntry skips ("continue") entries whose log ID is not in the trusted root, and
//     entries whose inclusion promise (SET) fails to verify; only the threshold then decides.
//     Here every entry must come from a trusted log and every promise must verify.
//   - For Rekor v1 checkpoints, tlog.VerifyInclusion calls rekor's VerifyInclusion and
//     VerifyCheckpointSignature, which compare only the root hash: the checkpoint's tree size is
//     not compared with the proof's, and its origin is not checked. Here the size must equal the
//     proof's tree size, and the origin must be "<log host> - <tree ID>", the signature line must
//     be named after the log host and carry the key hint of the log's key.
//   - The log ID: sigstore-go finds the log by the entry's logId and trusts the root's mapping.
//     Here the ID is recomputed from the key (SHA-256 of the PKIX DER; for Rekor v2 Ed25519 logs
//     the C2SP key ID SHA-256(origin ‖ "\n" ‖ 0x01 ‖ key)) and must equal both the trusted
//     root's logId and the entry's.
//   - Promise and proof consistency: both are checked over the same canonicalizedBody, with the
//     global logIndex in the promise and the shard-local inclusionProof.logIndex in the proof.
//     For Rekor v2 entries, sigstore-go proves inclusion of an entry hash it rebuilds from the
//     bundle's signature, key and digest; this package proves inclusion of
//     SHA-256(0x00 ‖ canonicalizedBody) under the same proof and root, so both succeeding binds the
//     logged body to the bundle's content.
//   - The body cross-check for Rekor v1 entries (signature bytes, key or certificate, artifact
//     digest or DSSE payload hash) is done by sigstore-go (tlog.go) and not repeated.
//   - Log key validity windows: sigstore-go checks them only for inclusion promises. Here every
//     entry's log must have a validity start, and each verified time of the entry (its integrated
//     time, else the TSA times) must be inside the window (inclusive end).
//   - Bundles v0.2 and later, and every Rekor v2 entry, must carry an inclusion proof.
//
// Deviation from sigstore-go: a private instance whose checkpoints are signed under a name
// other than the log's URL host (sigstore-go's scaffolding vector, signed by a pod name) is
// refused, because its checkpoint origin cannot be tied to the trusted log.
//
// # Errors
//
// Every error wraps one of ErrTrustedMaterial, ErrOptions, ErrFormat, ErrSignature,
// ErrTransparencyLog, ErrTime or ErrIdentity, and keeps its cause (sigstore-go's error, or a
// rekor error such as rekor.ErrInclusionProof or a *rekor.CheckpointMismatchError).
package bundle
