package namespace

import "strconv"

// MaxNameLength is the longest Kubernetes namespace name: an RFC 1123 DNS label has at most 63
// characters.
const MaxNameLength = 63

// ValidateName reports whether name is a valid Kubernetes namespace name, as Kubernetes'
// IsDNS1123Label checks it: 1 to 63 characters, each a lower-case ASCII letter, a digit or '-',
// starting and ending with a letter or digit. Anything else, including the empty string, yields an
// *InvalidNamespaceError.
//
// Because such a name holds no '/', '.', NUL or upper-case letter, "<dir>/<name>.json" always names
// an entry directly inside dir, and the same file on case-insensitive file systems.
func ValidateName(name string) error {
	if name == "" {
		return &InvalidNamespaceError{Name: name, Reason: "empty"}
	}
	if len(name) > MaxNameLength {
		return &InvalidNamespaceError{Name: name, Reason: "longer than " + strconv.Itoa(MaxNameLength) + " characters"}
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		switch {
		case 'a' <= c && c <= 'z', '0' <= c && c <= '9':
		case c == '-':
			if i == 0 {
				return &InvalidNamespaceError{Name: name, Reason: "must start with a lower-case letter or digit"}
			}
			if i == len(name)-1 {
				return &InvalidNamespaceError{Name: name, Reason: "must end with a lower-case letter or digit"}
			}
		default:
			return &InvalidNamespaceError{Name: name, Reason: "invalid character " + strconv.Quote(name[i:i+1]) +
				" at byte " + strconv.Itoa(i) + " (only lower-case letters, digits and '-' are allowed)"}
		}
	}
	return nil
}
