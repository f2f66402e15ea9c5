package rekor

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/sha256"
	"crypto/sha512"
	"crypto/x509"
	"encoding/binary"
	"encoding/hex"
	"strings"
)

// hashSize is the size of an RFC 6962 SHA-256 node hash.
const hashSize = sha256.Size

// LogVersion distinguishes the two Rekor generations, which name their checkpoints and derive
// their log IDs differently.
type LogVersion int

const (
	// LogV1 is a Rekor v1 log (rekor.sigstore.dev). Checkpoint origins are "<host> - <tree ID>",
	// one per shard; signature lines are named "<host>"; the log ID and key hint are SHA-256 of
	// the key's PKIX DER. Entries carry a signed entry timestamp (inclusion promise).
	LogV1 LogVersion = 1
	// LogV2 is a Rekor v2 (tile-based) log. The checkpoint origin and the signature line name
	// are both the log's host name; the log ID is the C2SP signed-note key ID
	// (SHA-256(name ‖ "\n" ‖ 0x01 ‖ key) for Ed25519, SHA-256 of the PKIX DER for ECDSA). There
	// is no inclusion promise: time comes from RFC 3161 timestamps.
	LogV2 LogVersion = 2
)

// Log is one transparency log: its public key, its name and the log ID derived from both. It is
// immutable and safe for concurrent use. Its methods verify checkpoints, inclusion proofs and
// inclusion promises; they are pure (no I/O, no clock).
type Log struct {
	version LogVersion
	name    string // v1: host; v2: origin
	pub     crypto.PublicKey
	id      []byte
	hint    uint32
}

// NewLog describes a log of the given version named name (the host part of the log's base URL,
// with its port if any, e.g. "rekor.sigstore.dev" or "localhost:8000") with public key pub, which
// must be an *ecdsa.PublicKey (P-256, P-384 or P-521) or an ed25519.PublicKey. Errors wrap
// ErrLog.
func NewLog(version LogVersion, name string, pub crypto.PublicKey) (*Log, error) {
	if version != LogV1 && version != LogV2 {
		return nil, newErr(ErrLog, nil, "unknown log version %d", version)
	}
	if !validKeyName(name) {
		return nil, newErr(ErrLog, nil, "invalid log name %q", name)
	}
	l := &Log{version: version, name: name, pub: pub}
	switch k := pub.(type) {
	case *ecdsa.PublicKey:
		if hashForCurve(k.Curve) == 0 {
			return nil, newErr(ErrLog, nil, "unsupported ECDSA curve for log %q", name)
		}
		der, err := x509.MarshalPKIXPublicKey(k)
		if err != nil {
			return nil, newErr(ErrLog, err, "encoding the key of log %q: %v", name, err)
		}
		sum := sha256.Sum256(der)
		l.id = sum[:]
	case ed25519.PublicKey:
		if len(k) != ed25519.PublicKeySize {
			return nil, newErr(ErrLog, nil, "invalid Ed25519 key for log %q", name)
		}
		if version == LogV1 {
			der, err := x509.MarshalPKIXPublicKey(k)
			if err != nil {
				return nil, newErr(ErrLog, err, "encoding the key of log %q: %v", name, err)
			}
			sum := sha256.Sum256(der)
			l.id = sum[:]
		} else {
			h := sha256.New()
			h.Write([]byte(name + "\n"))
			h.Write([]byte{0x01}) // C2SP signed-note algorithm byte for Ed25519
			h.Write(k)
			l.id = h.Sum(nil)
		}
	default:
		return nil, newErr(ErrLog, nil, "unsupported key type %T for log %q", pub, name)
	}
	l.hint = binary.BigEndian.Uint32(l.id[:4])
	return l, nil
}

// Version returns the log's Rekor generation.
func (l *Log) Version() LogVersion { return l.version }

// Name returns the log's name (the key name on checkpoint signature lines).
func (l *Log) Name() string { return l.name }

// ID returns a copy of the log ID: the value a bundle's logId.keyId must have.
func (l *Log) ID() []byte { return bytes.Clone(l.id) }

// KeyHint returns the 4-byte key hint that prefixes the log's checkpoint signatures.
func (l *Log) KeyHint() uint32 { return l.hint }

// checkID compares an entry's claimed log ID with the log's.
func (l *Log) checkID(untrustedLogID []byte) error {
	if !bytes.Equal(untrustedLogID, l.id) {
		return &LogIDMismatchError{Expected: hex.EncodeToString(l.id), Actual: hex.EncodeToString(untrustedLogID)}
	}
	return nil
}

// checkOrigin checks a checkpoint origin against the log: for v1 "<name> - <decimal tree ID>",
// for v2 exactly the name.
func (l *Log) checkOrigin(origin string) error {
	ok := origin == l.name
	if l.version == LogV1 {
		treeID, found := strings.CutPrefix(origin, l.name+" - ")
		_, err := parseDecimal(treeID)
		ok = found && err == nil
	}
	if !ok {
		want := l.name
		if l.version == LogV1 {
			want += " - <tree ID>"
		}
		return &CheckpointMismatchError{Field: FieldOrigin, Expected: want, Actual: origin}
	}
	return nil
}

// verifyMessage checks a signature by the log's key over msg: ECDSA (ASN.1) over the curve's
// hash of msg, or Ed25519 over msg itself.
func (l *Log) verifyMessage(msg, untrustedSig []byte) bool {
	switch k := l.pub.(type) {
	case *ecdsa.PublicKey:
		var digest []byte
		switch hashForCurve(k.Curve) {
		case crypto.SHA256:
			s := sha256.Sum256(msg)
			digest = s[:]
		case crypto.SHA384:
			s := sha512.Sum384(msg)
			digest = s[:]
		case crypto.SHA512:
			s := sha512.Sum512(msg)
			digest = s[:]
		}
		return ecdsa.VerifyASN1(k, digest, untrustedSig)
	case ed25519.PublicKey:
		return ed25519.Verify(k, msg, untrustedSig)
	}
	return false
}

// hashForCurve is the hash sigstore pairs with each ECDSA curve.
func hashForCurve(c elliptic.Curve) crypto.Hash {
	switch c {
	case elliptic.P256():
		return crypto.SHA256
	case elliptic.P384():
		return crypto.SHA384
	case elliptic.P521():
		return crypto.SHA512
	}
	return 0
}
