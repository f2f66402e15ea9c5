package gen

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
)

// HashedRekord is a Rekor "hashedrekord" entry body, in the JSON field order Rekor writes.
type HashedRekord struct {
	APIVersion string           `json:"apiVersion"`
	Kind       string           `json:"kind"`
	Spec       HashedRekordSpec `json:"spec"`
}

// HashedRekordSpec is the spec of a hashedrekord entry.
type HashedRekordSpec struct {
	Data      HashedRekordData      `json:"data"`
	Signature HashedRekordSignature `json:"signature"`
}

// HashedRekordData holds the payload hash.
type HashedRekordData struct {
	Hash HashedRekordHash `json:"hash"`
}

// HashedRekordHash is an algorithm and a hex value.
type HashedRekordHash struct {
	Algorithm string `json:"algorithm"`
	Value     string `json:"value"`
}

// HashedRekordSignature holds the signature and the signer's key or certificate.
type HashedRekordSignature struct {
	Content   []byte                `json:"content"`
	PublicKey HashedRekordPublicKey `json:"publicKey"`
}

// HashedRekordPublicKey holds a PEM public key or certificate (base64 in JSON).
type HashedRekordPublicKey struct {
	Content []byte `json:"content"`
}

// NewHashedRekord returns the hashedrekord body cosign uploads for a signature over payload by
// the key or certificate in keyOrCertPEM.
func NewHashedRekord(payload, signature, keyOrCertPEM []byte) HashedRekord {
	sum := sha256.Sum256(payload)
	return HashedRekord{
		APIVersion: "0.0.1",
		Kind:       "hashedrekord",
		Spec: HashedRekordSpec{
			Data:      HashedRekordData{Hash: HashedRekordHash{Algorithm: "sha256", Value: hex.EncodeToString(sum[:])}},
			Signature: HashedRekordSignature{Content: signature, PublicKey: HashedRekordPublicKey{Content: keyOrCertPEM}},
		},
	}
}

// Marshal returns the body JSON.
func (h HashedRekord) Marshal() []byte {
	b, err := json.Marshal(h)
	if err != nil {
		panic(err) // only strings and bytes: cannot fail
	}
	return b
}

// SETPayload is the payload of a Rekor signed entry timestamp, in cosign's field order.
type SETPayload struct {
	Body           []byte `json:"body"`
	IntegratedTime int64  `json:"integratedTime"`
	LogIndex       int64  `json:"logIndex"`
	LogID          string `json:"logID"`
}

// Canonical returns the RFC 8785 (JCS) form of p, which is what the SET signs: keys sorted,
// no whitespace. All values are ASCII strings or integers, for which json.Marshal of a map is JCS.
func (p SETPayload) Canonical() []byte {
	b, err := json.Marshal(map[string]any{
		"body":           base64.StdEncoding.EncodeToString(p.Body),
		"integratedTime": p.IntegratedTime,
		"logIndex":       p.LogIndex,
		"logID":          p.LogID,
	})
	if err != nil {
		panic(err)
	}
	return b
}

// Bundle is cosign's "dev.sigstore.cosign/bundle" annotation: a SET and its payload.
type Bundle struct {
	SignedEntryTimestamp []byte     `json:"SignedEntryTimestamp"`
	Payload              SETPayload `json:"Payload"`
}

// Marshal returns the annotation value.
func (b Bundle) Marshal() string {
	out, err := json.Marshal(b)
	if err != nil {
		panic(err)
	}
	return string(out)
}

// LogID returns a Rekor log ID: the hex SHA-256 of the log key's DER SubjectPublicKeyInfo.
func LogID(pub crypto.PublicKey) (string, error) {
	der, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256(der)
	return hex.EncodeToString(sum[:]), nil
}

// MakeSET signs a SET over body for the log with key rekorKey (ASN.1 ECDSA over SHA-256 of the
// canonical payload, RFC 6979) and returns the bundle.
func MakeSET(rekorKey *ecdsa.PrivateKey, body []byte, integratedTime, logIndex int64) (Bundle, error) {
	id, err := LogID(rekorKey.Public())
	if err != nil {
		return Bundle{}, err
	}
	p := SETPayload{Body: body, IntegratedTime: integratedTime, LogIndex: logIndex, LogID: id}
	return SignSET(rekorKey, p)
}

// SignSET signs an arbitrary SET payload with rekorKey.
func SignSET(rekorKey *ecdsa.PrivateKey, p SETPayload) (Bundle, error) {
	sum := sha256.Sum256(p.Canonical())
	sig, err := rekorKey.Sign(nil, sum[:], crypto.SHA256)
	if err != nil {
		return Bundle{}, err
	}
	return Bundle{SignedEntryTimestamp: sig, Payload: p}, nil
}
