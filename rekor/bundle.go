package rekor

import "encoding/json"

// untrustedBundle is the cosign `dev.sigstore.cosign/bundle` annotation (cosign's RekorBundle),
// decoded strictly: exactly SignedEntryTimestamp and Payload.
type untrustedBundle struct {
	untrustedSET     []byte          // ASN.1 ECDSA signature over the canonical Payload
	untrustedPayload json.RawMessage // the SET payload, as delivered (not yet canonical)
}

// UnmarshalJSON implements json.Unmarshaler with exact-key decoding.
func (b *untrustedBundle) UnmarshalJSON(data []byte) error {
	return decodeExactObject(data, map[string]any{
		"SignedEntryTimestamp": &b.untrustedSET,
		"Payload":              &b.untrustedPayload,
	})
}

// untrustedSETPayload is the signed part of a SET, decoded strictly: exactly body,
// integratedTime, logIndex and logID.
type untrustedSETPayload struct {
	body           []byte // the log entry, base64 in JSON
	integratedTime int64
	logIndex       int64
	logID          string
}

// UnmarshalJSON implements json.Unmarshaler with exact-key decoding.
func (p *untrustedSETPayload) UnmarshalJSON(data []byte) error {
	return decodeExactObject(data, map[string]any{
		"body":           &p.body,
		"integratedTime": &p.integratedTime,
		"logIndex":       &p.logIndex,
		"logID":          &p.logID,
	})
}
