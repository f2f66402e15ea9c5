package rekor

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"time"

	"github.com/cyberphone/json-canonicalization/go/src/webpki.org/jsoncanonicalizer"
)

// Entry is what a verified SET vouches for.
type Entry struct {
	// IntegratedTime is the time the log says it integrated the entry (second precision).
	IntegratedTime time.Time
	// LogIndex is the entry's index in the log, as signed. Not checked (as in containers/image).
	LogIndex int64
	// LogID is the log ID, as signed. Not checked (as in containers/image).
	LogID string
	// KeyIndex is the 0-based index, in the list given to NewKeys, of the key that verified the SET.
	KeyIndex int
	// LogIDMatchesKey reports whether LogID equals the log ID of that key. Informational only.
	LogIDMatchesKey bool
}

// VerifySET verifies the cosign bundle annotation untrustedSETJSON against the keys and checks
// that the log entry it signs describes this signature: untrustedKeyOrCertPEM (the public key
// PEM, or the certificate annotation for Fulcio signatures), untrustedBase64Sig (the
// `dev.cosignproject.cosign/signature` annotation) and untrustedPayload (the signed payload
// bytes). It has the semantics of containers/image v5.36.2 internal.VerifyRekorSET; see the
// package documentation for the exact rules. Error messages are those of containers/image; each
// error wraps one of ErrSETFormat, ErrSETSignature, ErrBodyFormat, ErrInput or ErrBodyMismatch.
func (k *Keys) VerifySET(untrustedSETJSON, untrustedKeyOrCertPEM []byte, untrustedBase64Sig string, untrustedPayload []byte) (Entry, error) {
	// Parsing and canonicalising untrusted data before checking a signature is unavoidable here:
	// the signature is over the canonical form.
	untrustedSETSig, untrustedCanonical, fastPayload, fast := parseSETFast(untrustedSETJSON)
	if !fast {
		var untrustedSET untrustedBundle
		if err := json.Unmarshal(untrustedSETJSON, &untrustedSET); err != nil {
			return Entry{}, newErr(ErrSETFormat, err, "%s", err.Error())
		}
		var err error
		untrustedCanonical, err = jsoncanonicalizer.Transform(untrustedSET.untrustedPayload)
		if err != nil {
			return Entry{}, newErr(ErrSETFormat, err, "canonicalizing Rekor SET JSON: %v", err)
		}
		untrustedSETSig = untrustedSET.untrustedSET
	}
	digest := sha256.Sum256(untrustedCanonical)
	keyIndex, err := k.verifyASN1(digest[:], untrustedSETSig)
	if err != nil {
		return Entry{}, err
	}
	canonical := untrustedCanonical // verified by a Rekor key

	payload := fastPayload
	if !fast {
		if err := json.Unmarshal(canonical, &payload); err != nil {
			return Entry{}, newErr(ErrSETFormat, err, "parsing Rekor SET payload: %v", err)
		}
	}
	if err := checkBody(payload.body, untrustedKeyOrCertPEM, untrustedBase64Sig, untrustedPayload); err != nil {
		return Entry{}, err
	}
	return Entry{
		IntegratedTime:  time.Unix(payload.integratedTime, 0),
		LogIndex:        payload.logIndex,
		LogID:           payload.logID,
		KeyIndex:        keyIndex,
		LogIDMatchesKey: payload.logID == k.logIDs[keyIndex],
	}, nil
}

// checkBody checks that the signed log entry body is a hashedrekord v0.0.1 entry for exactly this
// key or certificate, signature and payload.
func checkBody(body, untrustedKeyOrCertPEM []byte, untrustedBase64Sig string, untrustedPayload []byte) error {
	spec, fast := parseBodyFast(body)
	if !fast {
		var err error
		if spec, err = parseBody(body); err != nil {
			return err
		}
	}
	return checkSpec(spec, untrustedKeyOrCertPEM, untrustedBase64Sig, untrustedPayload)
}

// parseBody decodes a hashedrekord v0.0.1 entry body leniently, as containers/image does.
func parseBody(body []byte) (*untrustedHashedRekordV001, error) {
	var entry untrustedEntry
	if err := json.Unmarshal(body, &entry); err != nil {
		return nil, newErr(ErrBodyFormat, err, "decoding the body of a Rekor SET payload: %v", err)
	}
	if entry.apiVersion == nil {
		return nil, newErr(ErrBodyFormat, nil, "missing Rekor SET Payload API version")
	}
	if *entry.apiVersion != APIVersionHashedRekord {
		return nil, newErr(ErrBodyFormat, nil, "unsupported Rekor SET Payload hashedrekord version %q", *entry.apiVersion)
	}
	var spec untrustedHashedRekordV001
	if err := json.Unmarshal(entry.spec, &spec); err != nil {
		return nil, newErr(ErrBodyFormat, err, "decoding hashedrekod spec: %v", err)
	}
	return &spec, nil
}

// checkSpec cross-checks a decoded entry against the signature it must describe.
func checkSpec(spec *untrustedHashedRekordV001, untrustedKeyOrCertPEM []byte, untrustedBase64Sig string, untrustedPayload []byte) error {

	// == The key or certificate.
	if spec.Signature == nil {
		return newErr(ErrBodyFormat, nil, `Missing "signature" field in hashedrekord`)
	}
	if spec.Signature.PublicKey == nil {
		return newErr(ErrBodyFormat, nil, `Missing "signature.publicKey" field in hashedrekord`)
	}
	logged, rest := pem.Decode(spec.Signature.PublicKey.Content)
	if logged == nil {
		return newErr(ErrBodyFormat, nil, "publicKey in Rekor SET is not in PEM format")
	}
	if len(rest) != 0 {
		return newErr(ErrBodyFormat, nil, "publicKey in Rekor SET has trailing data")
	}
	untrustedBlock, rest := pem.Decode(untrustedKeyOrCertPEM)
	if untrustedBlock == nil {
		return newErr(ErrInput, nil, "public key or cert to be matched against publicKey in Rekor SET is not in PEM format")
	}
	if len(rest) != 0 {
		return newErr(ErrInput, nil, "public key or cert to be matched against publicKey in Rekor SET has trailing data")
	}
	// Only the DER bodies are compared, not the PEM types or headers (as in containers/image).
	if !bytes.Equal(logged.Bytes, untrustedBlock.Bytes) {
		return &BodyMismatchError{Field: FieldPublicKey,
			Expected: hex.EncodeToString(untrustedBlock.Bytes), Actual: hex.EncodeToString(logged.Bytes)}
	}

	// == The signature bytes.
	untrustedSig, err := base64.StdEncoding.DecodeString(untrustedBase64Sig)
	if err != nil {
		return newErr(ErrInput, err, "decoding signature base64: %v", err)
	}
	if !bytes.Equal(spec.Signature.Content, untrustedSig) {
		return &BodyMismatchError{Field: FieldSignature,
			Expected: hex.EncodeToString(untrustedSig), Actual: hex.EncodeToString(spec.Signature.Content)}
	}

	// == The payload digest.
	if spec.Data == nil {
		return newErr(ErrBodyFormat, nil, `Missing "data" field in hashedrekord`)
	}
	if spec.Data.Hash == nil {
		return newErr(ErrBodyFormat, nil, `Missing "data.hash" field in hashedrekord`)
	}
	if spec.Data.Hash.Algorithm == nil {
		return newErr(ErrBodyFormat, nil, `Missing "data.hash.algorithm" field in hashedrekord`)
	}
	if *spec.Data.Hash.Algorithm != HashAlgorithmSHA256 {
		return newErr(ErrBodyFormat, nil, `Unexpected "data.hash.algorithm" value %q`, *spec.Data.Hash.Algorithm)
	}
	if spec.Data.Hash.Value == nil {
		return newErr(ErrBodyFormat, nil, `Missing "data.hash.value" field in hashedrekord`)
	}
	logHash, err := hex.DecodeString(*spec.Data.Hash.Value)
	if err != nil {
		return newErr(ErrBodyFormat, err, `Invalid "data.hash.value" field in hashedrekord: %v`, err)
	}
	payloadHash := sha256.Sum256(untrustedPayload)
	if !bytes.Equal(logHash, payloadHash[:]) {
		return &BodyMismatchError{Field: FieldPayloadHash,
			Expected: hex.EncodeToString(payloadHash[:]), Actual: *spec.Data.Hash.Value}
	}
	return nil
}
