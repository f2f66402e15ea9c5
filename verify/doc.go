// Package verify evaluates a containers policy.json against an image and its signatures.
//
// Compile loads a parsed policy's trust material once (public keys, Fulcio and PKI CA pools, Rekor
// keys, OpenPGP keyrings) and returns an immutable Evaluator that any number of goroutines may share.
// Evaluator.Evaluate then decides one image with the semantics of containers/image v5.36.2:
//
//   - the most specific scope of the policy applies (see policy.Policy.RequirementsFor);
//   - every requirement of that scope must be satisfied, and the first denial decides;
//   - a signature requirement is satisfied by any one accepted signature;
//   - insecureAcceptAnything accepts, reject and signedBaseLayer deny;
//   - signedBy verifies OpenPGP "simple signing" signatures against the configured keyring;
//   - sigstoreSigned verifies cosign-style signatures with public keys (optionally with a Rekor
//     signed entry timestamp), with Fulcio certificates checked at the Rekor integrated time, or with
//     a private PKI checked at the evaluation clock;
//   - a payload must be of the exact expected type, name the image's manifest digest (checked first)
//     and a docker reference accepted by the requirement's signedIdentity rule (checked second).
//
// Evaluation does no I/O of its own: the manifest and signatures come from a source.Image, and the
// only clock used is the one given with WithClock (for PKI certificates and OpenPGP signature expiry,
// where containers/image uses the wall clock).
//
// Every decision is explained: a Decision lists the scope that applied and, per requirement and per
// signature, what was accepted and why not. Denials wrap the sentinel errors of this package and
// typed errors (for example *IdentityMismatchError) for errors.Is and errors.As.
package verify
