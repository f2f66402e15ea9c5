// Package fulcio verifies the X.509 certificates that sign sigstore signatures: keyless Fulcio
// certificates and certificates from a private PKI ("BYOPKI").
//
// The rules are those of containers/image v5.36.2 (signature/fulcio_cert.go and pki_cert.go),
// split into a verification step that returns an [Identity] and policy checks on that identity:
//
//   - [Anchors.VerifyFulcio] (verifyFulcioCertificateAtTime): the chain annotation minus its last
//     element supplies untrusted intermediates; the leaf must be exactly one PEM certificate; a
//     critical Subject Alternative Name extension is tolerated (Fulcio certificates may carry only
//     an otherName SAN); the chain is verified with crypto/x509 against the Fulcio CA pool at the
//     given time (the Rekor integrated time) for the code-signing EKU; the OIDC issuer is read from
//     extension 1.3.6.1.4.1.57264.1.1 (raw) and/or 1.3.6.1.4.1.57264.1.8 (DER UTF8String), which
//     must agree, and one of them must be present.
//   - [Anchors.VerifyPKI] (verifyPKI): intermediates from the policy plus the chain annotation minus
//     its last element; no SAN workaround; verified at the given time (containers/image uses the
//     current time, so callers pass their injected clock's now).
//   - [Identity.CheckIssuer], [Identity.CheckEmail] (exact, case-sensitive) and
//     [Identity.CheckHostname] (crypto/x509 VerifyHostname: case-insensitive, wildcards, IPs).
//   - [Identity.Check] applies a whole [Rules] set: containers/image's issuer and email rules and
//     sigpolicy's extensions (exact URI SAN, whole-value [Pattern] over the issuer or the subjects,
//     exact Fulcio certificate extension values read with certificate.ParseExtensions), reporting
//     every failed rule with its expected and actual value.
//
// Trust anchors are loaded once into an immutable [Anchors]: CA roots leniently (as
// x509.CertPool.AppendCertsFromPEM does, but at least one certificate is required), PKI
// intermediates strictly.
//
// # Chain cache
//
// Fulcio's CA keys are P-384, so re-verifying the intermediate's signature by the root for every
// signature roughly doubles the cost of a keyless verification. An [Anchors] therefore remembers,
// in a small bounded lock-free cache, upper chains (issuing intermediate … root) that crypto/x509
// has fully verified before. For a new leaf whose issuer is such a cached intermediate, present in
// this call's intermediates, the leaf is verified by crypto/x509 with that intermediate as the only
// root (checking the leaf's validity, signature, critical extensions, EKU, name constraints and
// the intermediate's validity at the given time), and every other certificate of the cached path
// has its validity window checked at the given time. Everything else crypto/x509 would check on the
// upper part of the path is independent of time and of the leaf, and was established when the
// path was first verified. The fast path is taken only when it is provably equivalent to a full
// crypto/x509 Verify (see chaincache.go for the argument and its preconditions); whenever it does
// not accept, the full Verify runs, so error messages are also those of crypto/x509.
package fulcio
