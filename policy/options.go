package policy

import (
	"errors"
	"fmt"
)

// Compat names a compatibility mode: a set of documents another implementation accepts.
type Compat string

// CompatContainersImage accepts exactly the documents github.com/containers/image/v5 v5.36.2
// accepts (and so CRI-O, Podman and Skopeo): every sigpolicy extension field is an unknown key,
// reported with ErrExtension.
const CompatContainersImage Compat = "containers-image"

// ErrInvalidOption reports a ParseOption that cannot be applied (for example an unknown Compat).
var ErrInvalidOption = errors.New("policy: invalid parse option")

// parseConfig is what ParseOptions configure.
type parseConfig struct {
	name   string
	compat bool
}

// ParseOption configures ParseWithOptions, LintWithOptions and the …WithOptions file variants. An
// option validates its argument and returns an error wrapping ErrInvalidOption when it is unusable.
type ParseOption func(*parseConfig) error

// WithFileName sets the file name reported in errors (as ParseNamed does).
func WithFileName(name string) ParseOption {
	return func(c *parseConfig) error {
		c.name = name
		return nil
	}
}

// WithCompat restricts parsing to the documents the named implementation accepts. With
// CompatContainersImage, Parse agrees with containers/image v5.36.2 on every document, and each
// use of a sigpolicy extension field is an *Error wrapping ErrExtension (and ErrUnknownKey, as
// containers/image reports it) at the field's key.
func WithCompat(c Compat) ParseOption {
	return func(cfg *parseConfig) error {
		switch c {
		case CompatContainersImage:
			cfg.compat = true
			return nil
		}
		return fmt.Errorf("%w: unknown compatibility mode %q (want %q)", ErrInvalidOption, string(c), string(CompatContainersImage))
	}
}

func newDecoder(data []byte, lint bool, opts []ParseOption) (*decoder, error) {
	var cfg parseConfig
	for _, opt := range opts {
		if err := opt(&cfg); err != nil {
			return nil, err
		}
	}
	return &decoder{data: data, file: cfg.name, lint: lint, compat: cfg.compat}, nil
}

// ParseWithOptions is Parse configured by opts. Without options it is Parse: sigpolicy's extension
// fields are accepted. An invalid option is returned as an error wrapping ErrInvalidOption; parse
// failures are *Error values, as from Parse.
func ParseWithOptions(data []byte, opts ...ParseOption) (*Policy, error) {
	d, err := newDecoder(data, false, opts)
	if err != nil {
		return nil, err
	}
	p, err := d.document()
	if err != nil {
		return nil, err
	}
	return p, nil
}

// ParseFileWithOptions is ParseFile configured by opts (the file name defaults to path).
func ParseFileWithOptions(path string, opts ...ParseOption) (*Policy, error) {
	data, err := readLimited(path)
	if err != nil {
		return nil, err
	}
	return ParseWithOptions(data, append([]ParseOption{WithFileName(path)}, opts...)...)
}

// LintWithOptions is Lint configured by opts: it returns every problem it finds in data. With
// WithCompat(CompatContainersImage) every use of an extension field is one of them. The error is
// non-nil only for an invalid option.
func LintWithOptions(data []byte, opts ...ParseOption) ([]*Error, error) {
	d, err := newDecoder(data, true, opts)
	if err != nil {
		return nil, err
	}
	return d.lintDocument(), nil
}

// LintFileWithOptions is LintFile configured by opts (the file name defaults to path). A read
// failure or an invalid option is returned as the error; policy problems are returned in the slice.
func LintFileWithOptions(path string, opts ...ParseOption) ([]*Error, error) {
	data, err := readLimited(path)
	if err != nil {
		var e *Error
		if errors.As(err, &e) && errors.Is(e.Err, ErrTooLarge) {
			return []*Error{e}, nil
		}
		return nil, err
	}
	return LintWithOptions(data, append([]ParseOption{WithFileName(path)}, opts...)...)
}
