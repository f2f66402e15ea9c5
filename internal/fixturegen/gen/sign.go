package gen

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/sha512"
	"crypto/x509"
	"encoding/asn1"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"math/big"
)

// SignPayload signs payload the way cosign and containers/image verify it: ECDSA (any curve)
// over the SHA-256 digest as ASN.1 DER with RFC 6979 nonces, RSA PKCS #1 v1.5 over SHA-256, or
// pure Ed25519 over the payload itself.
func SignPayload(key crypto.Signer, payload []byte) ([]byte, error) {
	switch k := key.(type) {
	case *ecdsa.PrivateKey, *rsa.PrivateKey:
		digest := sha256.Sum256(payload)
		return k.Sign(nil, digest[:], crypto.SHA256)
	case ed25519.PrivateKey:
		return k.Sign(nil, payload, crypto.Hash(0))
	default:
		return nil, fmt.Errorf("gen: unsupported key type %T", key)
	}
}

// SignEd25519ph signs payload with Ed25519ph (the pre-hashed variant), which containers/image
// rejects.
func SignEd25519ph(key ed25519.PrivateKey, payload []byte) ([]byte, error) {
	digest := sha512.Sum512(payload)
	return key.Sign(nil, digest[:], &ed25519.Options{Hash: crypto.SHA512})
}

// ToP1363 converts an ASN.1 DER ECDSA signature to the IEEE P1363 form r||s, each half padded
// to the curve's byte size.
func ToP1363(der []byte, key *ecdsa.PublicKey) ([]byte, error) {
	var sig struct{ R, S *big.Int }
	rest, err := asn1.Unmarshal(der, &sig)
	if err != nil {
		return nil, err
	}
	if len(rest) != 0 {
		return nil, errors.New("gen: trailing data after ECDSA signature")
	}
	size := (key.Curve.Params().N.BitLen() + 7) / 8
	out := make([]byte, 2*size)
	sig.R.FillBytes(out[:size])
	sig.S.FillBytes(out[size:])
	return out, nil
}

// DeterministicSigner wraps a signer and drops the random source it is given, so that
// x509.CreateCertificate produces the same bytes every time (ECDSA then uses RFC 6979).
type DeterministicSigner struct{ crypto.Signer }

// Sign implements crypto.Signer, ignoring rand.
func (s DeterministicSigner) Sign(_ io.Reader, digest []byte, opts crypto.SignerOpts) ([]byte, error) {
	return s.Signer.Sign(nil, digest, opts)
}

// PublicKeyPEM returns pub as a PKIX "PUBLIC KEY" PEM block.
func PublicKeyPEM(pub crypto.PublicKey) ([]byte, error) {
	der, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		return nil, err
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}), nil
}

// RSAPublicKeyPEM returns pub as a PKCS #1 "RSA PUBLIC KEY" PEM block.
func RSAPublicKeyPEM(pub *rsa.PublicKey) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "RSA PUBLIC KEY", Bytes: x509.MarshalPKCS1PublicKey(pub)})
}
