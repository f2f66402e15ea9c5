package verify

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"fmt"

	"github.com/sigpolicy/sigpolicy/internal/limits"
)

// Values cosign v3 `cosign sign` writes (cosign pkg/types CosignSignPredicateType and
// cmd/cosign/cli/sign signDigestBundle): a DSSE envelope holding an in-toto Statement v1 whose
// one subject carries the manifest's sha256 digest.
const (
	// CosignSignPredicateType is the in-toto predicate type of a cosign v3 image signature. A
	// bundle of any other predicate type is an attestation and satisfies no signature requirement.
	CosignSignPredicateType = "https://sigstore.dev/cosign/sign/v1"
	inTotoPayloadType       = "application/vnd.in-toto+json"
	inTotoStatementV1       = "https://in-toto.io/Statement/v1"
	// maxStatementSubjects bounds the subjects examined in one statement.
	maxStatementSubjects = limits.MaxStatementSubjects
)

// statement is the part of an in-toto statement the mapping reads.
type statement struct {
	Type          string             `json:"_type"`
	PredicateType string             `json:"predicateType"`
	Subject       []statementSubject `json:"subject"`
}

type statementSubject struct {
	Name   string            `json:"name"`
	Digest map[string]string `json:"digest"`
}

// parseImageStatement decodes a DSSE payload as a cosign image-signature statement: payload type
// in-toto, _type Statement v1, predicate type CosignSignPredicateType, at least one subject. The
// payload may be untrusted (before verification, to pick the digest to verify against) or
// verified (after); the same rules apply.
func parseImageStatement(payloadType string, payload []byte) (*statement, error) {
	if payloadType != inTotoPayloadType {
		return nil, &BundleContentError{Field: "dsseEnvelope.payloadType", Expected: inTotoPayloadType, Actual: payloadType,
			Msg: fmt.Sprintf("bundle DSSE payload type %q is not %q", payloadType, inTotoPayloadType)}
	}
	dec := json.NewDecoder(bytes.NewReader(payload))
	var st statement
	if err := dec.Decode(&st); err != nil {
		return nil, &BundleContentError{Field: "dsseEnvelope.payload", Msg: fmt.Sprintf("bundle in-toto statement: %v", err)}
	}
	if dec.More() {
		return nil, &BundleContentError{Field: "dsseEnvelope.payload", Msg: "bundle in-toto statement has trailing data"}
	}
	if st.Type != inTotoStatementV1 {
		return nil, &BundleContentError{Field: "_type", Expected: inTotoStatementV1, Actual: st.Type,
			Msg: fmt.Sprintf("bundle in-toto statement type %q is not %q", st.Type, inTotoStatementV1)}
	}
	if st.PredicateType != CosignSignPredicateType {
		return nil, &BundleContentError{Field: "predicateType", Expected: CosignSignPredicateType, Actual: st.PredicateType,
			Msg: fmt.Sprintf("bundle is an attestation of predicate type %q, not an image signature (%q)", st.PredicateType, CosignSignPredicateType)}
	}
	if len(st.Subject) == 0 || len(st.Subject) > maxStatementSubjects {
		return nil, &BundleContentError{Field: "subject", Msg: fmt.Sprintf("bundle in-toto statement has %d subjects", len(st.Subject))}
	}
	return &st, nil
}

// subjectFor returns the subject whose sha256 digest is wantHex, or nil.
func (st *statement) subjectFor(wantHex string) *statementSubject {
	for i := range st.Subject {
		if st.Subject[i].Digest["sha256"] == wantHex {
			return &st.Subject[i]
		}
	}
	return nil
}

// firstSHA256 returns the first subject's valid sha256 digest (lower-case hex, 32 bytes), or "".
func (st *statement) firstSHA256() string {
	for _, s := range st.Subject {
		if h := s.Digest["sha256"]; len(h) == 64 && isLowerHex(h) {
			return h
		}
	}
	return ""
}

func isLowerHex(s string) bool {
	if _, err := hex.DecodeString(s); err != nil {
		return false
	}
	for _, r := range s {
		if r >= 'A' && r <= 'F' {
			return false
		}
	}
	return true
}
