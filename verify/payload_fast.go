package verify

import (
	"strconv"
)

// parsePayloadFast parses the common, plain form of a signature payload without encoding/json,
// which costs tens of microseconds per payload. It accepts only a subset of JSON in which every
// construct has one obvious meaning: printable-ASCII strings without escapes, no duplicate keys,
// exactly the expected members, and in "optional" only flat values (strings, integers of at most 15
// digits, true, false, null). For such input its result is the one parsePayloadStrict gives (the
// payload fuzz test checks this). On anything else it returns ok == false, and the caller falls back
// to the strict parser, which decides; the fast path never rejects a payload by itself.
func parsePayloadFast(data []byte, optionalNullable bool) (c payloadClaims, typ string, ok bool) {
	p := fastScanner{data: data}
	var critical, optional bool
	ok = p.object(func(key string) bool {
		switch {
		case key == "critical" && !critical:
			critical = true
			return p.critical(&c, &typ)
		case key == "optional" && !optional:
			optional = true
			if optionalNullable && p.literal("null") {
				return true
			}
			return p.optional(&c)
		}
		return false
	})
	p.space()
	return c, typ, ok && critical && optional && p.i == len(p.data)
}

type fastScanner struct {
	data []byte
	i    int
}

func (p *fastScanner) space() {
	for p.i < len(p.data) {
		switch p.data[p.i] {
		case ' ', '\t', '\n', '\r':
			p.i++
		default:
			return
		}
	}
}

func (p *fastScanner) next(b byte) bool {
	p.space()
	if p.i < len(p.data) && p.data[p.i] == b {
		p.i++
		return true
	}
	return false
}

// str reads a string of printable ASCII without escapes.
func (p *fastScanner) str() (string, bool) {
	if !p.next('"') {
		return "", false
	}
	start := p.i
	for p.i < len(p.data) {
		switch b := p.data[p.i]; {
		case b == '"':
			s := string(p.data[start:p.i])
			p.i++
			return s, true
		case b < 0x20 || b > 0x7e || b == '\\':
			return "", false
		}
		p.i++
	}
	return "", false
}

func (p *fastScanner) literal(lit string) bool {
	p.space()
	if len(p.data)-p.i >= len(lit) && string(p.data[p.i:p.i+len(lit)]) == lit {
		p.i += len(lit)
		return true
	}
	return false
}

// integer reads -?(0|[1-9][0-9]*) of at most 15 digits, exact in a float64.
func (p *fastScanner) integer() (int64, bool) {
	p.space()
	start := p.i
	if p.i < len(p.data) && p.data[p.i] == '-' {
		p.i++
	}
	digits := p.i
	for p.i < len(p.data) && p.data[p.i] >= '0' && p.data[p.i] <= '9' {
		p.i++
	}
	n := p.i - digits
	if n == 0 || n > 15 || (n > 1 && p.data[digits] == '0') {
		return 0, false
	}
	if p.i < len(p.data) {
		switch p.data[p.i] {
		case '.', 'e', 'E':
			return 0, false
		}
	}
	v, err := strconv.ParseInt(string(p.data[start:p.i]), 10, 64)
	return v, err == nil
}

// object reads {"key": value, ...}, calling member for each key (which must read the value), and
// refuses duplicate keys.
func (p *fastScanner) object(member func(key string) bool) bool {
	if !p.next('{') {
		return false
	}
	if p.next('}') {
		return true
	}
	seen := map[string]bool{}
	for {
		key, ok := p.str()
		if !ok || seen[key] || !p.next(':') {
			return false
		}
		seen[key] = true
		if !member(key) {
			return false
		}
		if p.next('}') {
			return true
		}
		if !p.next(',') {
			return false
		}
	}
}

// exact reads an object with exactly the one string member key.
func (p *fastScanner) exact(key string) (string, bool) {
	var v string
	got := false
	ok := p.object(func(k string) bool {
		if k != key {
			return false
		}
		got = true
		var ok bool
		v, ok = p.str()
		return ok
	})
	return v, ok && got
}

func (p *fastScanner) critical(c *payloadClaims, typ *string) bool {
	var gotType, gotImage, gotIdentity bool
	ok := p.object(func(key string) bool {
		var ok bool
		switch key {
		case "type":
			gotType = true
			*typ, ok = p.str()
		case "image":
			gotImage = true
			var d string
			d, ok = p.exact("docker-manifest-digest")
			c.ManifestDigest = digestString(d)
		case "identity":
			gotIdentity = true
			c.DockerReference, ok = p.exact("docker-reference")
		}
		return ok
	})
	return ok && gotType && gotImage && gotIdentity
}

func (p *fastScanner) optional(c *payloadClaims) bool {
	return p.object(func(key string) bool {
		switch key {
		case "creator":
			s, ok := p.str()
			c.Creator = &s
			return ok
		case "timestamp":
			v, ok := p.integer()
			c.Timestamp = &v
			return ok
		}
		if _, ok := p.str(); ok {
			return true
		}
		if _, ok := p.integer(); ok {
			return true
		}
		return p.literal("null") || p.literal("true") || p.literal("false")
	})
}
