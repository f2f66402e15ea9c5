package gen

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"

	protobundle "github.com/sigstore/protobuf-specs/gen/pb-go/bundle/v1"
	protocommon "github.com/sigstore/protobuf-specs/gen/pb-go/common/v1"
	protodsse "github.com/sigstore/protobuf-specs/gen/pb-go/dsse"
	protorekor "github.com/sigstore/protobuf-specs/gen/pb-go/rekor/v1"
	"github.com/transparency-dev/merkle/rfc6962"
	"github.com/transparency-dev/merkle/testonly"
	"google.golang.org/protobuf/encoding/protojson"
)

// Constants of the bundles cosign v3 `cosign sign` writes.
const (
	// BundleV03MediaType is the media type of a v0.3 sigstore bundle.
	BundleV03MediaType = "application/vnd.dev.sigstore.bundle.v0.3+json"
	// InTotoPayloadType is the DSSE payload type of an in-toto statement.
	InTotoPayloadType = "application/vnd.in-toto+json"
	// InTotoStatementV1 is the in-toto Statement v1 type URI.
	InTotoStatementV1 = "https://in-toto.io/Statement/v1"
	// CosignSignPredicateType is the predicate type of cosign v3 image signatures.
	CosignSignPredicateType = "https://sigstore.dev/cosign/sign/v1"
)

// Statement returns the in-toto Statement v1 JSON cosign v3 signs for an image: one subject with
// the manifest's sha256 digest (hex) and, when name is not empty, a name; the predicate type; an
// empty predicate.
func Statement(digestHex, name, predicateType string) []byte {
	subject := map[string]any{"digest": map[string]string{"sha256": digestHex}}
	if name != "" {
		subject["name"] = name
	}
	b, err := json.Marshal(map[string]any{
		"_type":         InTotoStatementV1,
		"subject":       []any{subject},
		"predicateType": predicateType,
		"predicate":     map[string]any{},
	})
	if err != nil {
		panic(err)
	}
	return b
}

// BundleSpec describes a sigstore bundle to generate: a DSSE envelope (or, with MessageDigest, a
// message signature) signed by SignerKey, with one Rekor v1 entry carrying an inclusion promise
// and an inclusion proof in a real RFC 6962 tree whose checkpoint is signed by RekorKey.
type BundleSpec struct {
	// Payload and PayloadType are the DSSE content (PayloadType defaults to InTotoPayloadType).
	Payload     []byte
	PayloadType string
	// MessageDigest, when set, makes a message-signature bundle over this SHA-256 digest instead
	// of a DSSE envelope.
	MessageDigest []byte
	// SignerKey signs the content; Certificate (its leaf certificate) is put in the bundle, or,
	// when nil, the bundle names the key by a hint (key-signed).
	SignerKey   *ecdsa.PrivateKey
	Certificate *x509.Certificate
	// RekorKey signs the inclusion promise and the checkpoint of the log at RekorHost (the host of
	// the log's URL, e.g. "rekor.sigstore.dev") with tree TreeID.
	RekorKey  *ecdsa.PrivateKey
	RekorHost string
	TreeID    int64
	// IntegratedTime (Unix seconds) and LogIndex (global) are what the promise signs.
	IntegratedTime int64
	LogIndex       int64
	// LeafIndex is the entry's index in the tree; the tree has LeafIndex+1+ExtraLeaves leaves, the
	// others being deterministic filler.
	LeafIndex   int64
	ExtraLeaves int64
}

// MakeBundle builds the bundle JSON (protobuf-specs JSON, media type BundleV03MediaType). The
// output is deterministic for a given spec.
func MakeBundle(spec BundleSpec) ([]byte, error) {
	if spec.SignerKey == nil || spec.RekorKey == nil || spec.RekorHost == "" {
		return nil, errors.New("gen: a bundle needs a signer key, a Rekor key and a Rekor host")
	}
	var verifierPEM []byte
	var err error
	if spec.Certificate != nil {
		verifierPEM = CertPEM(spec.Certificate)
	} else if verifierPEM, err = PublicKeyPEM(spec.SignerKey.Public()); err != nil {
		return nil, err
	}

	b := &protobundle.Bundle{MediaType: BundleV03MediaType, VerificationMaterial: &protobundle.VerificationMaterial{}}
	var body []byte
	var kind string
	if spec.MessageDigest != nil {
		sig, err := spec.SignerKey.Sign(nil, spec.MessageDigest, crypto.SHA256)
		if err != nil {
			return nil, err
		}
		b.Content = &protobundle.Bundle_MessageSignature{MessageSignature: &protocommon.MessageSignature{
			MessageDigest: &protocommon.HashOutput{Algorithm: protocommon.HashAlgorithm_SHA2_256, Digest: spec.MessageDigest},
			Signature:     sig,
		}}
		h := HashedRekord{APIVersion: "0.0.1", Kind: "hashedrekord", Spec: HashedRekordSpec{
			Data:      HashedRekordData{Hash: HashedRekordHash{Algorithm: "sha256", Value: hex.EncodeToString(spec.MessageDigest)}},
			Signature: HashedRekordSignature{Content: sig, PublicKey: HashedRekordPublicKey{Content: verifierPEM}},
		}}
		body, kind = h.Marshal(), "hashedrekord"
	} else {
		pt := spec.PayloadType
		if pt == "" {
			pt = InTotoPayloadType
		}
		sig, err := SignPayload(spec.SignerKey, PAE(pt, spec.Payload))
		if err != nil {
			return nil, err
		}
		env := &protodsse.Envelope{Payload: spec.Payload, PayloadType: pt, Signatures: []*protodsse.Signature{{Sig: sig}}}
		b.Content = &protobundle.Bundle_DsseEnvelope{DsseEnvelope: env}
		if body, err = dsseBody(pt, spec.Payload, sig, verifierPEM); err != nil {
			return nil, err
		}
		kind = "dsse"
	}
	if spec.Certificate != nil {
		b.VerificationMaterial.Content = &protobundle.VerificationMaterial_Certificate{
			Certificate: &protocommon.X509Certificate{RawBytes: spec.Certificate.Raw}}
	} else {
		b.VerificationMaterial.Content = &protobundle.VerificationMaterial_PublicKey{
			PublicKey: &protocommon.PublicKeyIdentifier{Hint: "key"}}
	}

	entry, err := logEntry(spec, body, kind)
	if err != nil {
		return nil, err
	}
	b.VerificationMaterial.TlogEntries = []*protorekor.TransparencyLogEntry{entry}
	return protojson.Marshal(b)
}

// PAE is the DSSE pre-authentication encoding of a payload.
func PAE(payloadType string, payload []byte) []byte {
	return fmt.Appendf(nil, "DSSEv1 %d %s %d %s", len(payloadType), payloadType, len(payload), payload)
}

// dsseBody is the Rekor "dsse" v0.0.1 entry body for an envelope with one signature.
func dsseBody(payloadType string, payload, sig, verifierPEM []byte) ([]byte, error) {
	env, err := json.Marshal(map[string]any{
		"payload":     base64.StdEncoding.EncodeToString(payload),
		"payloadType": payloadType,
		"signatures":  []any{map[string]any{"sig": base64.StdEncoding.EncodeToString(sig)}},
	})
	if err != nil {
		return nil, err
	}
	envHash := sha256.Sum256(env)
	payloadHash := sha256.Sum256(payload)
	return json.Marshal(map[string]any{
		"apiVersion": "0.0.1",
		"kind":       "dsse",
		"spec": map[string]any{
			"envelopeHash": map[string]string{"algorithm": "sha256", "value": hex.EncodeToString(envHash[:])},
			"payloadHash":  map[string]string{"algorithm": "sha256", "value": hex.EncodeToString(payloadHash[:])},
			"signatures": []any{map[string]string{
				"signature": base64.StdEncoding.EncodeToString(sig),
				"verifier":  base64.StdEncoding.EncodeToString(verifierPEM),
			}},
		},
	})
}

// logEntry builds the Rekor v1 entry: promise, a real tree, the proof and a signed checkpoint.
func logEntry(spec BundleSpec, body []byte, kind string) (*protorekor.TransparencyLogEntry, error) {
	set, err := MakeSET(spec.RekorKey, body, spec.IntegratedTime, spec.LogIndex)
	if err != nil {
		return nil, err
	}
	logID, err := hex.DecodeString(set.Payload.LogID)
	if err != nil {
		return nil, err
	}
	tree := testonly.New(rfc6962.DefaultHasher)
	size := spec.LeafIndex + 1 + spec.ExtraLeaves
	for i := int64(0); i < size; i++ {
		if i == spec.LeafIndex {
			tree.AppendData(body)
		} else {
			tree.AppendData(fmt.Appendf(nil, "filler leaf %d", i))
		}
	}
	hashes, err := tree.InclusionProof(uint64(spec.LeafIndex), uint64(size))
	if err != nil {
		return nil, err
	}
	root := tree.Hash()
	cp, err := SignCheckpoint(spec.RekorKey, spec.RekorHost, fmt.Sprintf("%s - %d", spec.RekorHost, spec.TreeID), uint64(size), root)
	if err != nil {
		return nil, err
	}
	return &protorekor.TransparencyLogEntry{
		LogIndex:          spec.LogIndex,
		LogId:             &protocommon.LogId{KeyId: logID},
		KindVersion:       &protorekor.KindVersion{Kind: kind, Version: "0.0.1"},
		IntegratedTime:    spec.IntegratedTime,
		InclusionPromise:  &protorekor.InclusionPromise{SignedEntryTimestamp: set.SignedEntryTimestamp},
		CanonicalizedBody: body,
		InclusionProof: &protorekor.InclusionProof{LogIndex: spec.LeafIndex, RootHash: root, TreeSize: size, Hashes: hashes,
			Checkpoint: &protorekor.Checkpoint{Envelope: string(cp)}},
	}, nil
}

// SignCheckpoint returns a signed note (C2SP signed-note format, as Rekor v1 writes it) over the
// checkpoint "origin\nsize\nbase64(root)\n", signed by key under the name name with the key hint
// SHA-256(PKIX DER of the key)[:4].
func SignCheckpoint(key *ecdsa.PrivateKey, name, origin string, size uint64, root []byte) ([]byte, error) {
	text := fmt.Sprintf("%s\n%d\n%s\n", origin, size, base64.StdEncoding.EncodeToString(root))
	sig, err := SignPayload(key, []byte(text))
	if err != nil {
		return nil, err
	}
	der, err := x509.MarshalPKIXPublicKey(key.Public())
	if err != nil {
		return nil, err
	}
	id := sha256.Sum256(der)
	hinted := binary.BigEndian.AppendUint32(nil, binary.BigEndian.Uint32(id[:4]))
	return fmt.Appendf(nil, "%s\n\u2014 %s %s\n", text, name, base64.StdEncoding.EncodeToString(append(hinted, sig...))), nil
}
