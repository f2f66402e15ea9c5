package fulcio

import (
	"errors"
	"regexp"
)

// Pattern is an RE2 regular expression (package regexp) that must match a whole value: it is
// compiled as `^(?:` + source + `)$`, so neither a prefix nor a suffix of the value may be left
// over. These are the semantics of the policy fields oidcIssuerPattern and subjectPattern (see
// policy.CompilePattern, which validates them identically). A Pattern is immutable and safe for
// concurrent use.
type Pattern struct {
	src string
	re  *regexp.Regexp
}

// CompilePattern compiles src as a whole-value pattern. It refuses the empty pattern and any
// pattern that does not compile on its own, so that an unbalanced group such as `x)|(.*` cannot
// escape the anchoring group.
func CompilePattern(src string) (*Pattern, error) {
	if src == "" {
		return nil, errors.New("fulcio: empty pattern")
	}
	if _, err := regexp.Compile(src); err != nil {
		return nil, err
	}
	re, err := regexp.Compile(`^(?:` + src + `)$`)
	if err != nil {
		return nil, err
	}
	return &Pattern{src: src, re: re}, nil
}

// String returns the pattern as written in the policy (without the implicit anchors).
func (p *Pattern) String() string { return p.src }

// Match reports whether the whole of s matches the pattern.
func (p *Pattern) Match(s string) bool { return p.re.MatchString(s) }
