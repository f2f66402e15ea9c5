package verify

import (
	"testing"

	"github.com/containers/image/v5/docker/reference"
)

// FuzzPayload feeds arbitrary bytes to the strict payload parser: it must never panic, and what it
// accepts must carry a valid digest.
func FuzzPayload(f *testing.F) {
	f.Add([]byte(`{"critical":{"identity":{"docker-reference":"example.com/a"},"image":{"docker-manifest-digest":"sha256:634a8f35b5f16dcf4aaa0822adc0b1964bb786fca12f6831de8ddc45e5986a00"},"type":"cosign container image signature"},"optional":null}`))
	f.Add([]byte(`{"critical":{"identity":{"docker-reference":"a:b"},"image":{"docker-manifest-digest":"sha256:634a8f35b5f16dcf4aaa0822adc0b1964bb786fca12f6831de8ddc45e5986a00"},"type":"atomic container signature"},"optional":{"creator":"x","timestamp":1e3}}`))
	f.Add([]byte(`{"critical":{},"optional":{"a":1,"a":2}}`))
	f.Add([]byte(`{"optional":{"creator":"c","timestamp":-12,"x":true,"y":null,"z":"s"},"critical":{"type":"cosign container image signature","image":{"docker-manifest-digest":"sha256:634a8f35b5f16dcf4aaa0822adc0b1964bb786fca12f6831de8ddc45e5986a00"},"identity":{"docker-reference":"a"}}}` + "\n"))
	f.Add([]byte(`{"critical":{"type":"cosign container image signature","image":{"docker-manifest-digest":"sha256:634a8f35b5f16dcf4aaa0822adc0b1964bb786fca12f6831de8ddc45e5986a00"},"identity":{"docker-reference":"a"}},"optional":{"timestamp":0123}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, typ := range []string{sigstorePayloadType, simplePayloadType} {
			for _, nullable := range []bool{true, false} {
				c, err := parsePayload(data, typ, nullable)
				if err == nil && c.ManifestDigest.Validate() != nil {
					t.Fatalf("accepted an invalid digest %q", c.ManifestDigest)
				}
				// The fast path must agree with the strict parser whenever it answers.
				strict, strictErr := parsePayloadStrict(data, typ, nullable)
				if strictErr == nil {
					strict.parseReference()
				}
				if (err == nil) != (strictErr == nil) {
					t.Fatalf("fast path and strict parser disagree: %v vs %v", err, strictErr)
				}
				if err == nil && !equalClaims(c, strict) {
					t.Fatalf("fast path %+v, strict %+v", c, strict)
				}
			}
		}
	})
}

func equalClaims(a, b *payloadClaims) bool {
	eqS := func(x, y *string) bool { return (x == nil) == (y == nil) && (x == nil || *x == *y) }
	eqI := func(x, y *int64) bool { return (x == nil) == (y == nil) && (x == nil || *x == *y) }
	eqR := func(x, y reference.Named) bool {
		return (x == nil) == (y == nil) && (x == nil || x.String() == y.String())
	}
	return a.ManifestDigest == b.ManifestDigest && a.DockerReference == b.DockerReference && eqS(a.Creator, b.Creator) &&
		eqI(a.Timestamp, b.Timestamp) && eqR(a.signedRef, b.signedRef)
}
