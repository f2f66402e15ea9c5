package rekor

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// Accepted entry type, as in containers/image.
const (
	// KindHashedRekord is the only Rekor entry kind accepted in a SET body.
	KindHashedRekord = "hashedrekord"
	// APIVersionHashedRekord is the only accepted hashedrekord apiVersion.
	APIVersionHashedRekord = "0.0.1"
	// HashAlgorithmSHA256 is the only accepted spec.data.hash.algorithm.
	HashAlgorithmSHA256 = "sha256"
)

// untrustedEntry is a Rekor log entry envelope, decoded leniently (encoding/json: keys matched
// case-insensitively, unknown keys ignored), as containers/image does with its copy of the Rekor
// swagger model.
type untrustedEntry struct {
	apiVersion *string
	spec       json.RawMessage
}

// UnmarshalJSON decodes the envelope; the kind must be exactly "hashedrekord".
func (e *untrustedEntry) UnmarshalJSON(raw []byte) error {
	var kind struct {
		Kind string `json:"kind"`
	}
	if err := decodeUseNumber(raw, &kind); err != nil {
		return err
	}
	if kind.Kind != KindHashedRekord {
		return fmt.Errorf("invalid kind value: %q", kind.Kind)
	}
	var v struct {
		APIVersion *string         `json:"apiVersion"`
		Spec       json.RawMessage `json:"spec"`
	}
	if err := decodeUseNumber(raw, &v); err != nil {
		return err
	}
	e.apiVersion, e.spec = v.APIVersion, v.Spec
	return nil
}

func decodeUseNumber(raw []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	return dec.Decode(v)
}

// untrustedHashedRekordV001 is the hashedrekord v0.0.1 spec, decoded leniently.
type untrustedHashedRekordV001 struct {
	Data *struct {
		Hash *struct {
			Algorithm *string `json:"algorithm"`
			Value     *string `json:"value"`
		} `json:"hash"`
	} `json:"data"`
	Signature *struct {
		Content   []byte `json:"content"`
		PublicKey *struct {
			Content []byte `json:"content"`
		} `json:"publicKey"`
	} `json:"signature"`
}
