package gen

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rsa"
	"errors"
	"fmt"
	"math/big"
)

// ECDSAKey derives an ECDSA private key on curve from seed and label: the scalar is
// 1 + (a stream integer mod (N-1)), so it is always valid.
func ECDSAKey(seed, label string, curve elliptic.Curve) (*ecdsa.PrivateKey, error) {
	n := curve.Params().N
	size := (n.BitLen() + 7) / 8
	// 8 extra bytes make the modular bias negligible.
	k := new(big.Int).SetBytes(NewDRBG(seed, label).Bytes(size + 8))
	k.Mod(k, new(big.Int).Sub(n, big.NewInt(1)))
	k.Add(k, big.NewInt(1))
	return ecdsa.ParseRawPrivateKey(curve, k.FillBytes(make([]byte, size)))
}

// Ed25519Key derives an Ed25519 private key from seed and label.
func Ed25519Key(seed, label string) ed25519.PrivateKey {
	return ed25519.NewKeyFromSeed(NewDRBG(seed, label).Bytes(ed25519.SeedSize))
}

// RSAKey derives an RSA private key of the given size (a multiple of 16, at least 1024) from seed
// and label, with public exponent 65537: each prime is the first probable prime at or above a
// stream integer with its two top bits and its low bit set.
func RSAKey(seed, label string, bits int) (*rsa.PrivateKey, error) {
	if bits < 1024 || bits%16 != 0 {
		return nil, fmt.Errorf("gen: unsupported RSA size %d", bits)
	}
	drbg := NewDRBG(seed, label)
	e := big.NewInt(65537)
	one := big.NewInt(1)
	prime := func() *big.Int {
		p := new(big.Int).SetBytes(drbg.Bytes(bits / 16))
		p.SetBit(p, bits/2-1, 1)
		p.SetBit(p, bits/2-2, 1)
		p.SetBit(p, 0, 1)
		for {
			pm1 := new(big.Int).Sub(p, one)
			if p.ProbablyPrime(32) && new(big.Int).GCD(nil, nil, pm1, e).Cmp(one) == 0 {
				return p
			}
			p.Add(p, big.NewInt(2))
		}
	}
	p, q := prime(), prime()
	if p.Cmp(q) == 0 {
		return nil, errors.New("gen: equal RSA primes")
	}
	n := new(big.Int).Mul(p, q)
	phi := new(big.Int).Mul(new(big.Int).Sub(p, one), new(big.Int).Sub(q, one))
	d := new(big.Int).ModInverse(e, phi)
	if d == nil || n.BitLen() != bits {
		return nil, errors.New("gen: RSA key derivation failed")
	}
	key := &rsa.PrivateKey{
		PublicKey: rsa.PublicKey{N: n, E: int(e.Int64())},
		D:         d,
		Primes:    []*big.Int{p, q},
	}
	if err := key.Validate(); err != nil {
		return nil, err
	}
	key.Precompute()
	return key, nil
}

// Keys is the fixed set of fixture keys.
type Keys struct {
	ECDSAP256  *ecdsa.PrivateKey  // "ecdsa-p256": the main signing key
	ECDSAP384  *ecdsa.PrivateKey  // "ecdsa-p384"
	RSA        *rsa.PrivateKey    // "rsa": RSA-2048
	Ed25519    ed25519.PrivateKey // "ed25519"
	OtherECDSA *ecdsa.PrivateKey  // "other-ecdsa": a P-256 key no policy trusts by default

	Rekor      *ecdsa.PrivateKey // "rekor": the test Rekor log key (P-256)
	RekorOther *ecdsa.PrivateKey // "rekor-other": another Rekor key

	FulcioRoot         *ecdsa.PrivateKey // "fulcio-root" (P-384)
	FulcioIntermediate *ecdsa.PrivateKey // "fulcio-intermediate" (P-384)
	FulcioLeaf         *ecdsa.PrivateKey // "fulcio-leaf": the key inside every Fulcio leaf certificate
	OtherRoot          *ecdsa.PrivateKey // "other-root": an unrelated CA
	PKIRoot            *ecdsa.PrivateKey // "pki-root"
	PKIIntermediate    *ecdsa.PrivateKey // "pki-intermediate"
	PKILeaf            *ecdsa.PrivateKey // "pki-leaf"
}

// NewKeys derives every fixture key from seed.
func NewKeys(seed string) (*Keys, error) {
	var k Keys
	var err error
	ec := func(label string, c elliptic.Curve) *ecdsa.PrivateKey {
		if err != nil {
			return nil
		}
		var key *ecdsa.PrivateKey
		key, err = ECDSAKey(seed, label, c)
		return key
	}
	k.ECDSAP256 = ec("ecdsa-p256", elliptic.P256())
	k.ECDSAP384 = ec("ecdsa-p384", elliptic.P384())
	k.OtherECDSA = ec("other-ecdsa", elliptic.P256())
	k.Rekor = ec("rekor", elliptic.P256())
	k.RekorOther = ec("rekor-other", elliptic.P256())
	k.FulcioRoot = ec("fulcio-root", elliptic.P384())
	k.FulcioIntermediate = ec("fulcio-intermediate", elliptic.P384())
	k.FulcioLeaf = ec("fulcio-leaf", elliptic.P256())
	k.OtherRoot = ec("other-root", elliptic.P256())
	k.PKIRoot = ec("pki-root", elliptic.P256())
	k.PKIIntermediate = ec("pki-intermediate", elliptic.P256())
	k.PKILeaf = ec("pki-leaf", elliptic.P256())
	if err != nil {
		return nil, err
	}
	k.Ed25519 = Ed25519Key(seed, "ed25519")
	if k.RSA, err = RSAKey(seed, "rsa", 2048); err != nil {
		return nil, err
	}
	return &k, nil
}
