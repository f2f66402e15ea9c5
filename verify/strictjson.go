package verify

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"slices"
)

// strictObject decodes the JSON object in data the way containers/image's paranoid decoder does:
// every key at most once, unknown keys rejected (resolve returns nil), nothing after the object.
// Values are decoded with encoding/json into the pointers resolve returns.
func strictObject(data []byte, resolve func(key string) any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	t, err := dec.Token()
	if err != nil {
		return &FormatError{Msg: err.Error()}
	}
	if t != json.Delim('{') {
		return &FormatError{Msg: fmt.Sprintf("JSON object expected, got %#v", t)}
	}
	seen := map[string]bool{}
	for {
		t, err := dec.Token()
		if err != nil {
			return &FormatError{Msg: err.Error()}
		}
		if t == json.Delim('}') {
			break
		}
		key, ok := t.(string)
		if !ok {
			return &FormatError{Msg: fmt.Sprintf("Key string literal expected, got %#v", t)}
		}
		if seen[key] {
			return &FormatError{Msg: fmt.Sprintf("Duplicate key %q", key)}
		}
		seen[key] = true
		dst := resolve(key)
		if dst == nil {
			return &FormatError{Msg: fmt.Sprintf("Unknown key %q", key)}
		}
		if err := dec.Decode(dst); err != nil {
			return &FormatError{Msg: err.Error()}
		}
	}
	if _, err := dec.Token(); err != io.EOF {
		return &FormatError{Msg: "Unexpected data after JSON object"}
	}
	return nil
}

// strictObjectExact is strictObject with a fixed set of keys, every one of which must be present.
func strictObjectExact(data []byte, fields map[string]any) error {
	seen := map[string]bool{}
	if err := strictObject(data, func(key string) any {
		if dst, ok := fields[key]; ok {
			seen[key] = true
			return dst
		}
		return nil
	}); err != nil {
		return err
	}
	for _, key := range slices.Sorted(maps.Keys(fields)) {
		if !seen[key] {
			return &FormatError{Msg: fmt.Sprintf("Key %q missing in a JSON object", key)}
		}
	}
	return nil
}
