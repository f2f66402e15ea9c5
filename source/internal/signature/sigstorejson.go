package signature

import "encoding/json"

// sigstoreJSONRepresentation is decoded with plain encoding/json, exactly as containers/image
// does: key names match case-insensitively, unknown keys are ignored, a repeated key keeps the last
// value, and the payload is standard padded base64 (newlines ignored).
type sigstoreJSONRepresentation struct {
	UntrustedMIMEType    string            `json:"mimeType"`
	UntrustedPayload     []byte            `json:"payload"`
	UntrustedAnnotations map[string]string `json:"annotations"`
}

// DecodeSigstore decodes the JSON part of a "sigstore-json" blob. A JSON null decodes to zero
// values, as in containers/image.
func DecodeSigstore(untrustedChunk []byte) (untrustedMIMEType string, untrustedPayload []byte, untrustedAnnotations map[string]string, err error) {
	var v sigstoreJSONRepresentation
	if err := json.Unmarshal(untrustedChunk, &v); err != nil {
		return "", nil, nil, err
	}
	return v.UntrustedMIMEType, v.UntrustedPayload, v.UntrustedAnnotations, nil
}

// EncodeSigstore returns json.Marshal of the representation, as containers/image writes it.
func EncodeSigstore(mimeType string, payload []byte, annotations map[string]string) []byte {
	b, err := json.Marshal(sigstoreJSONRepresentation{
		UntrustedMIMEType:    mimeType,
		UntrustedPayload:     payload,
		UntrustedAnnotations: annotations,
	})
	if err != nil {
		// Strings, bytes and a map of strings always marshal; reaching this is a bug.
		panic("signature: marshalling a sigstore attachment: " + err.Error())
	}
	return b
}
