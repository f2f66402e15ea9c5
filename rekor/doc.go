// Package rekor verifies Rekor transparency-log evidence attached to sigstore signatures.
//
// It has two halves: the containers/image-compatible check of a signed entry timestamp in a cosign
// annotation ([Keys.VerifySET]), and the stricter evidence of sigstore bundles: inclusion proofs
// bound to signed checkpoints, and inclusion promises bound to their log ([Log]).
//
// # Signed entry timestamps in cosign annotations
//
// This is the check containers/image v5.36.2 performs for `sigstoreSigned` requirements: the cosign
// `dev.sigstore.cosign/bundle` annotation carries
//
//	{"SignedEntryTimestamp": <base64 ECDSA ASN.1 signature>,
//	 "Payload": {"body": <base64 hashedrekord entry>, "integratedTime": N, "logIndex": N, "logID": "<hex>"}}
//
// [Keys.VerifySET] checks, in this order and with exactly the containers/image rules:
//
//  1. the bundle has exactly the keys SignedEntryTimestamp and Payload (no more, no duplicates);
//  2. Payload is canonicalised with RFC 8785 (JSON Canonicalization Scheme), so reordered keys,
//     whitespace or an integer written as 1.674247893e9 still verify;
//  3. the SET is an ASN.1 ECDSA signature over SHA-256 of the canonical payload by any one of the
//     configured Rekor keys (which must all be ECDSA, see [NewKeys]);
//  4. the canonical payload has exactly body, integratedTime, logIndex and logID;
//  5. body is leniently decoded as a Rekor entry whose kind is exactly "hashedrekord" and
//     apiVersion exactly "0.0.1";
//  6. the entry's public key or certificate (PEM, no trailing data) has the same DER bytes as the
//     caller's key or certificate PEM (no trailing data beyond one newline);
//  7. the entry's signature bytes equal the base64-decoded signature annotation;
//  8. the entry's data hash is "sha256" and its hex value (any case) equals SHA-256 of the payload.
//
// The verified integrated time is returned in an [Entry]. As in containers/image, logID and
// logIndex are not checked against anything; they are returned for explanations only, together
// with whether the log ID matches the key that verified the SET ([Entry.LogIDMatchesKey]).
//
// Plain annotations (as Rekor and cosign write them) take a fast path that builds the canonical
// payload directly instead of running the general JSON decoders and canonicalizer; anything else
// takes the full path. FuzzSETFastPath checks that both give the same result.
//
// # Inclusion proofs and checkpoints (sigstore bundles, Rekor v1 and v2)
//
// A [Log] is one trusted transparency log: its version, its name (the checkpoint origin's host)
// and its key (ECDSA for Rekor v1, ECDSA or Ed25519 for Rekor v2). [Log.VerifyInclusion] accepts an
// entry only when its RFC 6962 inclusion proof (transparency-dev/merkle) leads to the root hash of a
// checkpoint (a C2SP signed note) that the log's key signed, whose origin names the log ("<host> -
// <tree ID>" for v1, the host for v2), whose signature line carries the log's name and key hint,
// and whose tree size equals the proof's; witness cosignatures are ignored. [Log.VerifyPromise]
// checks a bundle's inclusion promise (SET) and that the entry's log ID is the key's. The global log
// index (signed by the promise) and the shard-local index (used by the proof) are kept apart in
// [Promise] and [InclusionProof]. A proof alone authenticates nothing: only the checkpoint
// signature binds its root to the log.
//
// Verification is pure: no I/O, no clock. Inputs that have not been verified yet are named
// untrusted…; only [Keys.VerifySET] returns verified data.
package rekor
