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
// # Sigstore bundles
//
// A sigstoreSigned requirement is also satisfied by a sigstore bundle attached to the image
// (source.Bundle: an OCI 1.1 referrer, or sigstore-bundle-N.json beside a dir: layout), exactly in
// the shape `cosign sign` v3 produces: a DSSE envelope of payload type application/vnd.in-toto+json
// holding an in-toto Statement v1 whose predicate type is CosignSignPredicateType
// ("https://sigstore.dev/cosign/sign/v1") and one of whose subjects has the image manifest's
// sha256 digest. Other predicate types are attestations and are rejected; message-signature
// bundles are rejected, as cosign rejects them for images. Legacy cosign signatures keep counting
// beside bundles: any one accepted signature or bundle satisfies the requirement. Each bundle
// appears in the Decision as a signature of Kind "bundle", its reason prefixed by where it was found.
//
// Verification is package bundle's (bundle.Verify: signature, certificate chain at every verified
// time, transparency-log promise, inclusion proof and checkpoint, identity), with the evaluator's
// clock (WithClock) as Options.CurrentTime and no other clock. The requirement's material maps as
// follows:
//
//   - public keys with Rekor keys: the bundle must be signed by one of the keys (Options.PublicKey,
//     any one verifying) and logged by one of the Rekor keys, bound to checkpoints of the log at
//     WithRekorURL (default DefaultRekorURL);
//   - public keys without a Rekor key, and pki requirements: bundles are rejected with
//     ErrBundleUnsupported (a bundle's time evidence is its log entry; PKI has no bundle mapping);
//   - fulcio: the bundle is verified against the fulcio caData/caPath and the Rekor keys
//     (bundle.FromPolicyMaterial) with Identity{Issuer: oidcIssuer, SAN: subjectEmail (or
//     subjectURI)}, then the verified leaf is verified again with the requirement's own Fulcio
//     anchors at the first signature-backed time and every fulcio rule (issuer, subject, patterns,
//     certificateExtensions) is applied to it. With issuer or subject patterns, the identity given
//     to bundle.Verify is the certificate's own, and the rules decide.
//
// As in containers/image, every certificate of caData/caPath is a trust anchor; but a v0.3
// bundle carries the leaf alone, so a keyless bundle policy must put the Fulcio intermediate in
// the CA data (bundle.FromPolicyMaterial also needs the self-signed root there), or the evaluator
// must be compiled WithTrustedRoot. With WithTrustedRoot, fulcio requirements verify bundles
// against that trusted root (its intermediates, validity windows, CT logs, timestamp authorities)
// and, so that it never widens the policy, the leaf must also chain to the requirement's own CA
// data (with the root's intermediates as the untrusted chain) and a Rekor key of the requirement
// must have logged the entry.
//
// After verification the statement is trusted: the manifest digest is checked first (a bundle
// for another digest is a *DigestMismatchError), then, when the matching subject has a name, that
// name is checked with signedIdentity as a signature's docker-reference would be. cosign v3 writes
// no subject name: such a bundle binds the digest only, and signedIdentity is not applied.
// Bundles are not kept in the verified-signature cache (each is verified in full every time).
//
// # Caches
//
// An Evaluator keeps, per sigstoreSigned requirement, the signatures whose time-independent checks
// already passed under its trust material (payload signature, Rekor SET, Fulcio certificate at the
// integrated time, issuer and subject rules), compared byte for byte: evaluating the same signature
// again (a container-create re-check, the next pod of a deployment) then costs only the manifest
// digest and identity checks. PKI requirements, which depend on the clock, are never cached there.
// WithoutSignatureCache turns it off.
//
// WithDecisionCache adds an optional DecisionCache (LRU, with a TTL for decisions that depend on the
// clock), keyed by the evaluator's content digest, the image reference as written, the manifest
// digest and the exact bytes of every signature; see DecisionCache.
//
// Every decision is explained: a Decision lists the scope that applied and, per requirement and per
// signature, what was accepted and why not. Denials wrap the sentinel errors of this package and
// typed errors (for example *IdentityMismatchError) for errors.Is and errors.As.
package verify
