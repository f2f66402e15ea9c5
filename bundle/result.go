package bundle

import (
	"crypto/x509"
	"time"

	"github.com/sigstore/sigstore-go/pkg/fulcio/certificate"

	"github.com/sigpolicy/sigpolicy/rekor"
)

// ContentKind is the kind of signed content a bundle carries.
type ContentKind string

const (
	// KindMessageSignature is a signature over an artifact digest (hashedrekord).
	KindMessageSignature ContentKind = "messageSignature"
	// KindDSSE is a DSSE envelope (usually an in-toto statement).
	KindDSSE ContentKind = "dsseEnvelope"
)

// Content is the verified signed content.
type Content struct {
	Kind ContentKind
	// MessageDigest is the signed SHA-256 artifact digest (KindMessageSignature).
	MessageDigest []byte
	// PayloadType and Payload are the verified DSSE payload (KindDSSE).
	PayloadType string
	Payload     []byte
}

// Identity is the verified identity of a keyless signature's certificate.
type Identity struct {
	Issuer      string                 // OIDC issuer
	SAN         string                 // subject alternative name sigstore-go matched
	Extensions  certificate.Extensions // all Fulcio extensions
	Certificate *x509.Certificate      // the verified leaf; treat as read-only
}

// LogEntry is one verified transparency-log entry.
type LogEntry struct {
	LogID      []byte // the log's ID (equal to the ID of the key that verified it)
	Version    rekor.LogVersion
	LogIndex   int64 // global index (signed by the inclusion promise for Rekor v1)
	ProofIndex int64 // shard-local index of the inclusion proof; -1 without a proof
	// IntegratedTime is the time the inclusion promise vouches for; zero without one (Rekor v2).
	IntegratedTime time.Time
	// Checkpoint is the verified checkpoint the inclusion proof is bound to (zero without a proof).
	Checkpoint rekor.Checkpoint
}

// Result is what a verified bundle proves.
type Result struct {
	MediaType string
	Content   Content
	// Identity is the certificate identity; nil for key-signed bundles.
	Identity *Identity
	// LogEntries are the verified transparency-log entries (all of the bundle's entries).
	LogEntries []LogEntry
	// TimestampTimes are the times vouched for by RFC 3161 timestamps of trusted TSAs.
	TimestampTimes []time.Time
}

// VerifiedTimes returns every signature-backed time: integrated times from inclusion promises
// and TSA times.
func (r *Result) VerifiedTimes() []time.Time {
	var ts []time.Time
	for _, e := range r.LogEntries {
		if !e.IntegratedTime.IsZero() {
			ts = append(ts, e.IntegratedTime)
		}
	}
	return append(ts, r.TimestampTimes...)
}
