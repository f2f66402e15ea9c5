package rekor

import (
	"bytes"
	"encoding/json"
	"reflect"
	"testing"

	"github.com/cyberphone/json-canonicalization/go/src/webpki.org/jsoncanonicalizer"
)

// FuzzSETFastPath checks the fast SET and body parsers against the full decoders: whenever the
// fast path answers, the signature, the canonical payload, the payload fields and the decoded body
// must be exactly what encoding/json and RFC 8785 canonicalization give.
func FuzzSETFastPath(f *testing.F) {
	f.Add(readFixture(f, "rekor-set"))
	f.Add([]byte(`{"Payload":{"logID":"x","logIndex":-0,"integratedTime":1,"body":"e30="},"SignedEntryTimestamp":"AA=="}`))
	f.Add([]byte(`{"SignedEntryTimestamp":"AA==","Payload":{"body":"eyJhcGlWZXJzaW9uIjoiMC4wLjEiLCJraW5kIjoiaGFzaGVkcmVrb3JkIiwic3BlYyI6e319","integratedTime":1,"logIndex":2,"logID":"y"}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		sig, canonical, p, ok := parseSETFast(data)
		if ok {
			var b untrustedBundle
			if err := json.Unmarshal(data, &b); err != nil {
				t.Fatalf("fast path accepted what the decoder refuses: %v", err)
			}
			want, err := jsoncanonicalizer.Transform(b.untrustedPayload)
			if err != nil {
				t.Fatalf("canonicalization failed: %v", err)
			}
			if !bytes.Equal(sig, b.untrustedSET) || !bytes.Equal(canonical, want) {
				t.Fatalf("fast %q %q, full %q %q", sig, canonical, b.untrustedSET, want)
			}
			var full untrustedSETPayload
			if err := json.Unmarshal(want, &full); err != nil {
				t.Fatalf("canonical payload refused: %v", err)
			}
			if !reflect.DeepEqual(p, full) {
				t.Fatalf("fast payload %+v, full %+v", p, full)
			}
			data = p.body
		}
		if spec, ok := parseBodyFast(data); ok {
			full, err := parseBody(data)
			if err != nil {
				t.Fatalf("fast body accepted what the decoder refuses: %v", err)
			}
			if !reflect.DeepEqual(spec, full) {
				t.Fatalf("fast body %+v, full %+v", spec, full)
			}
		}
	})
}
