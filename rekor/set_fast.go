package rekor

import (
	"encoding/base64"
	"strconv"

	"github.com/sigpolicy/sigpolicy/internal/plainjson"
)

// parseSETFast reads the plain form of a cosign bundle annotation, as Rekor and cosign write it,
// without encoding/json and without a general RFC 8785 canonicalizer: exactly the members
// SignedEntryTimestamp and Payload {body, integratedTime, logIndex, logID}, in the subset of JSON
// package plainjson reads. For such input the canonical form of Payload is its members in RFC 8785
// order with no white space (plain strings need no escaping; integers of at most 15 digits print as
// themselves), which is what it returns with the decoded signature and payload fields. On anything
// else ok is false and VerifySET takes the full decoding path, which decides; FuzzVerifySET checks
// that both paths agree.
func parseSETFast(data []byte) (sig, canonical []byte, p untrustedSETPayload, ok bool) {
	s := plainjson.New(data)
	var sigB64, body, logID string
	var integratedTime, logIndex int64
	ok = s.Fields(map[string]func() bool{
		"SignedEntryTimestamp": func() bool { var ok bool; sigB64, ok = s.String(); return ok },
		"Payload": func() bool {
			return s.Fields(map[string]func() bool{
				"body":           func() bool { var ok bool; body, ok = s.String(); return ok },
				"integratedTime": func() bool { var ok bool; integratedTime, ok = s.Integer(); return ok },
				"logIndex":       func() bool { var ok bool; logIndex, ok = s.Integer(); return ok },
				"logID":          func() bool { var ok bool; logID, ok = s.String(); return ok },
			})
		},
	}) && s.End()
	if !ok {
		return nil, nil, p, false
	}
	sig, err := base64.StdEncoding.DecodeString(sigB64)
	if err != nil {
		return nil, nil, p, false
	}
	if p.body, err = base64.StdEncoding.DecodeString(body); err != nil {
		return nil, nil, p, false
	}
	p.integratedTime, p.logIndex, p.logID = integratedTime, logIndex, logID
	canonical = make([]byte, 0, len(body)+len(logID)+96)
	canonical = append(canonical, `{"body":"`...)
	canonical = append(canonical, body...)
	canonical = append(canonical, `","integratedTime":`...)
	canonical = strconv.AppendInt(canonical, integratedTime, 10)
	canonical = append(canonical, `,"logID":"`...)
	canonical = append(canonical, logID...)
	canonical = append(canonical, `","logIndex":`...)
	canonical = strconv.AppendInt(canonical, logIndex, 10)
	canonical = append(canonical, '}')
	return sig, canonical, p, true
}

// parseBodyFast reads the plain form of a hashedrekord v0.0.1 entry body, as Rekor canonicalizes
// it: exactly apiVersion, kind and spec {data {hash {algorithm, value}}, signature {content,
// publicKey {content}}}, every key once and spelled exactly, in the plainjson subset. The lenient
// decoder reads such input the same way (no case folding or duplicate key can matter), so the
// result is the one parseBody gives. On anything else ok is false and parseBody decides.
func parseBodyFast(body []byte) (*untrustedHashedRekordV001, bool) {
	s := plainjson.New(body)
	var kind, apiVersion, algorithm, value, sigB64, keyB64 string
	str := func(dst *string) func() bool {
		return func() bool { var ok bool; *dst, ok = s.String(); return ok }
	}
	ok := s.Fields(map[string]func() bool{
		"apiVersion": str(&apiVersion),
		"kind":       str(&kind),
		"spec": func() bool {
			return s.Fields(map[string]func() bool{
				"data": func() bool {
					return s.Fields(map[string]func() bool{"hash": func() bool {
						return s.Fields(map[string]func() bool{"algorithm": str(&algorithm), "value": str(&value)})
					}})
				},
				"signature": func() bool {
					return s.Fields(map[string]func() bool{
						"content":   str(&sigB64),
						"publicKey": func() bool { return s.Fields(map[string]func() bool{"content": str(&keyB64)}) },
					})
				},
			})
		},
	}) && s.End()
	if !ok || kind != KindHashedRekord || apiVersion != APIVersionHashedRekord {
		return nil, false
	}
	sig, err := base64.StdEncoding.DecodeString(sigB64)
	if err != nil {
		return nil, false
	}
	key, err := base64.StdEncoding.DecodeString(keyB64)
	if err != nil {
		return nil, false
	}
	spec := &untrustedHashedRekordV001{}
	spec.Data = &struct {
		Hash *struct {
			Algorithm *string `json:"algorithm"`
			Value     *string `json:"value"`
		} `json:"hash"`
	}{Hash: &struct {
		Algorithm *string `json:"algorithm"`
		Value     *string `json:"value"`
	}{Algorithm: &algorithm, Value: &value}}
	spec.Signature = &struct {
		Content   []byte `json:"content"`
		PublicKey *struct {
			Content []byte `json:"content"`
		} `json:"publicKey"`
	}{Content: sig, PublicKey: &struct {
		Content []byte `json:"content"`
	}{Content: key}}
	return spec, true
}
