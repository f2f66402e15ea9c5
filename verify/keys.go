package verify

import (
	"bytes"
	"crypto"
	"fmt"
	"strings"

	"github.com/sigstore/sigstore/pkg/cryptoutils"
	sigsig "github.com/sigstore/sigstore/pkg/signature"
)

// verifierFunc checks a signature over a message.
type verifierFunc func(sig, message []byte) error

// newPayloadKey prepares a public key for payload verification: the sigstore verifier with the
// SHA-256 digest containers/image hard-codes (ECDSA of any curve with DER or IEEE P1363 signatures,
// RSA PKCS#1 v1.5, pure Ed25519), and the PEM form compared with Rekor entries.
func newPayloadKey(pk crypto.PublicKey) *payloadKey {
	k := &payloadKey{key: pk}
	v, err := sigsig.LoadVerifier(pk, crypto.SHA256)
	if err != nil {
		k.loadErr = err
	} else {
		k.verifier = func(sig, msg []byte) error {
			return v.VerifySignature(bytes.NewReader(sig), bytes.NewReader(msg))
		}
	}
	pemBytes, err := cryptoutils.MarshalPublicKeyToPEM(pk)
	if err != nil && k.loadErr == nil {
		k.loadErr = fmt.Errorf("re-marshaling public key to PEM: %w", err)
	}
	k.pem = pemBytes
	return k
}

// verifyPayloadSignature accepts the payload when any candidate key verifies the signature. As in
// containers/image, a candidate whose verifier cannot be built fails the whole check.
func verifyPayloadSignature(candidates []*payloadKey, untrustedPayload, untrustedSig []byte) error {
	if len(candidates) == 0 {
		return &SignatureError{Msg: "Need at least one public key to verify the sigstore payload, but got 0"}
	}
	for _, k := range candidates {
		if k.loadErr != nil {
			return &SignatureError{Err: k.loadErr}
		}
	}
	failures := make([]string, 0, len(candidates))
	for _, k := range candidates {
		err := k.verifier(untrustedSig, untrustedPayload)
		if err == nil {
			return nil
		}
		failures = append(failures, err.Error())
	}
	return &SignatureError{Msg: "cryptographic signature verification failed: " + strings.Join(failures, ", ")}
}
