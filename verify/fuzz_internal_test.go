package verify

import (
	"testing"
)

// FuzzPayload feeds arbitrary bytes to the strict payload parser: it must never panic, and what it
// accepts must carry a valid digest.
func FuzzPayload(f *testing.F) {
	f.Add([]byte(`{"critical":{"identity":{"docker-reference":"example.com/a"},"image":{"docker-manifest-digest":"sha256:634a8f35b5f16dcf4aaa0822adc0b1964bb786fca12f6831de8ddc45e5986a00"},"type":"cosign container image signature"},"optional":null}`))
	f.Add([]byte(`{"critical":{"identity":{"docker-reference":"a:b"},"image":{"docker-manifest-digest":"sha256:634a8f35b5f16dcf4aaa0822adc0b1964bb786fca12f6831de8ddc45e5986a00"},"type":"atomic container signature"},"optional":{"creator":"x","timestamp":1e3}}`))
	f.Add([]byte(`{"critical":{},"optional":{"a":1,"a":2}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, typ := range []string{sigstorePayloadType, simplePayloadType} {
			for _, nullable := range []bool{true, false} {
				c, err := parsePayload(data, typ, nullable)
				if err == nil && c.ManifestDigest.Validate() != nil {
					t.Fatalf("accepted an invalid digest %q", c.ManifestDigest)
				}
			}
		}
	})
}
