package rekor

import (
	"crypto/ecdsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"errors"

	"github.com/sigstore/sigstore/pkg/cryptoutils"
)

// Keys is an immutable, ordered set of Rekor public keys. It is safe for concurrent use.
type Keys struct {
	keys   []*ecdsa.PublicKey
	logIDs []string // hex SHA-256 of each key's PKIX DER: the Rekor log ID of that key
}

// errNoKeys is returned by NewKeys for an empty list; containers/image refuses such a
// configuration as an internal inconsistency.
var errNoKeys = newErr(ErrKeys, nil, "no Rekor public keys")

// NewKeys parses Rekor public keys, one PEM document each, in order. As in containers/image, each
// document is parsed with cryptoutils.UnmarshalPEMToPublicKey (only the first PEM block is used;
// types PUBLIC KEY and RSA PUBLIC KEY), and each key must be ECDSA (any curve). Errors are
// *KeyError with a 1-based index: "parsing Rekor public key N: …" or "Rekor public key N is not
// using ECDSA". An empty list is an error.
func NewKeys(pems [][]byte) (*Keys, error) {
	if len(pems) == 0 {
		return nil, errNoKeys
	}
	k := &Keys{}
	for i, p := range pems {
		pub, err := cryptoutils.UnmarshalPEMToPublicKey(p)
		if err != nil {
			return nil, &KeyError{Index: i + 1, Err: err}
		}
		ec, ok := pub.(*ecdsa.PublicKey)
		if !ok {
			return nil, &KeyError{Index: i + 1}
		}
		der, err := x509.MarshalPKIXPublicKey(ec)
		if err != nil {
			return nil, &KeyError{Index: i + 1, Err: err}
		}
		sum := sha256.Sum256(der)
		k.keys = append(k.keys, ec)
		k.logIDs = append(k.logIDs, hex.EncodeToString(sum[:]))
	}
	return k, nil
}

// Len returns the number of keys.
func (k *Keys) Len() int { return len(k.keys) }

// LogID returns the Rekor log ID (lowercase hex SHA-256 of the PKIX DER public key) of key i
// (0-based).
func (k *Keys) LogID(i int) string { return k.logIDs[i] }

// verifyASN1 returns the 0-based index of the first key for which sig is a valid ASN.1 ECDSA
// signature of digest, or an error wrapping ErrSETSignature.
func (k *Keys) verifyASN1(digest []byte, untrustedSig []byte) (int, error) {
	if k == nil {
		return -1, errors.Join(ErrSETSignature, errNoKeys)
	}
	for i, pk := range k.keys {
		if ecdsa.VerifyASN1(pk, digest, untrustedSig) {
			return i, nil
		}
	}
	return -1, newErr(ErrSETSignature, nil, "cryptographic signature verification of Rekor SET failed")
}
