package verify

import (
	"github.com/sigpolicy/sigpolicy/internal/plainjson"
)

// parsePayloadFast parses the common, plain form of a signature payload without encoding/json,
// which costs tens of microseconds per payload. It accepts only the subset of JSON package
// plainjson reads, with exactly the expected members, and in "optional" only flat values. For such
// input its result is the one parsePayloadStrict gives (FuzzPayload checks this). On anything else
// it returns ok == false, and the caller falls back to the strict parser, which decides; the fast
// path never rejects a payload by itself.
func parsePayloadFast(data []byte, optionalNullable bool) (c payloadClaims, typ string, ok bool) {
	s := plainjson.New(data)
	var critical, optional bool
	ok = s.Object(func(key string) bool {
		switch key {
		case "critical":
			critical = true
			return readCritical(s, &c, &typ)
		case "optional":
			optional = true
			if optionalNullable && s.Literal("null") {
				return true
			}
			return readOptional(s, &c)
		}
		return false
	})
	return c, typ, ok && critical && optional && s.End()
}

func readCritical(s *plainjson.Scanner, c *payloadClaims, typ *string) bool {
	var gotType, gotImage, gotIdentity bool
	ok := s.Object(func(key string) bool {
		var ok bool
		switch key {
		case "type":
			gotType = true
			*typ, ok = s.String()
		case "image":
			gotImage = true
			var d string
			d, ok = onlyString(s, "docker-manifest-digest")
			c.ManifestDigest = digestString(d)
		case "identity":
			gotIdentity = true
			c.DockerReference, ok = onlyString(s, "docker-reference")
		}
		return ok
	})
	return ok && gotType && gotImage && gotIdentity
}

// onlyString reads an object with exactly one member, key, whose value is a string.
func onlyString(s *plainjson.Scanner, key string) (string, bool) {
	var v string
	got := false
	ok := s.Object(func(k string) bool {
		if k != key {
			return false
		}
		got = true
		var ok bool
		v, ok = s.String()
		return ok
	})
	return v, ok && got
}

func readOptional(s *plainjson.Scanner, c *payloadClaims) bool {
	return s.Object(func(key string) bool {
		switch key {
		case "creator":
			v, ok := s.String()
			c.Creator = &v
			return ok
		case "timestamp":
			v, ok := s.Integer()
			c.Timestamp = &v
			return ok
		}
		if _, ok := s.String(); ok {
			return true
		}
		if _, ok := s.Integer(); ok {
			return true
		}
		return s.Literal("null") || s.Literal("true") || s.Literal("false")
	})
}
