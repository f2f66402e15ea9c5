// Package gen holds small deterministic signing helpers for test fixtures: keys derived from a
// fixed seed, payload signatures, cosign payloads, Rekor signed entry timestamps (SETs) and X.509
// certificates for a test Fulcio CA or a private PKI.
//
// Every output is a pure function of its inputs. Go 1.26 ignores the random source passed to key
// generation and to most signing functions, so nothing here passes one: private keys are derived
// from a SHA-256 based stream (DRBG) of a seed string and a label, ECDSA signs with RFC 6979
// (crypto/ecdsa's PrivateKey.Sign with a nil random source), RSA signs with PKCS #1 v1.5 and
// Ed25519 is deterministic by design. Certificates have fixed serial numbers and validity periods.
//
// These keys are public test material. Never use them for anything else.
package gen
