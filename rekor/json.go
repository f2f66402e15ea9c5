package rekor

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"slices"
)

// decodeExactObject decodes data as one JSON object that has exactly the keys in fields, each
// once, decoding each value with encoding/json into the pointer given for it. Unknown, duplicate
// or missing keys and trailing data are errors. This reproduces containers/image's
// ParanoidUnmarshalJSONObjectExactFields, including its messages.
func decodeExactObject(data []byte, fields map[string]any) error {
	seen := make(map[string]bool, len(fields))
	dec := json.NewDecoder(bytes.NewReader(data))
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	if tok != json.Delim('{') {
		return fmt.Errorf("JSON object expected, got %#v", tok)
	}
	for {
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		if tok == json.Delim('}') {
			break
		}
		key, ok := tok.(string)
		if !ok {
			return fmt.Errorf("Key string literal expected, got %#v", tok)
		}
		if seen[key] {
			return fmt.Errorf("Duplicate key %q", key)
		}
		dst, ok := fields[key]
		if !ok {
			return fmt.Errorf("Unknown key %q", key)
		}
		seen[key] = true
		if err := dec.Decode(dst); err != nil {
			return err
		}
	}
	if _, err := dec.Token(); err != io.EOF {
		return fmt.Errorf("Unexpected data after JSON object")
	}
	for _, key := range slices.Sorted(maps.Keys(fields)) {
		if !seen[key] {
			return fmt.Errorf("Key %q missing in a JSON object", key)
		}
	}
	return nil
}
