package policy

import (
	"errors"
	"regexp"
	"slices"
	"sort"
)

// The sigpolicy extension fields of the "fulcio" object, in the order MarshalJSON writes them.
const (
	FieldOIDCIssuerPattern     = "oidcIssuerPattern"
	FieldSubjectURI            = "subjectURI"
	FieldSubjectPattern        = "subjectPattern"
	FieldCertificateExtensions = "certificateExtensions"
)

// certificateExtensionNames are the keys accepted in "certificateExtensions": the Fulcio
// certificate extensions (OID arc 1.3.6.1.4.1.57264.1) that package fulcio reads with
// github.com/sigstore/fulcio/pkg/certificate.ParseExtensions, named after that package's
// Extensions fields with a lower-case first letter.
var certificateExtensionNames = []string{
	"issuer",                              // .1.8 (and the deprecated raw .1.1)
	"githubWorkflowTrigger",               // .1.2, deprecated
	"githubWorkflowSHA",                   // .1.3, deprecated
	"githubWorkflowName",                  // .1.4, deprecated
	"githubWorkflowRepository",            // .1.5, deprecated
	"githubWorkflowRef",                   // .1.6, deprecated
	"buildSignerURI",                      // .1.9
	"buildSignerDigest",                   // .1.10
	"runnerEnvironment",                   // .1.11
	"sourceRepositoryURI",                 // .1.12
	"sourceRepositoryDigest",              // .1.13
	"sourceRepositoryRef",                 // .1.14
	"sourceRepositoryIdentifier",          // .1.15
	"sourceRepositoryOwnerURI",            // .1.16
	"sourceRepositoryOwnerIdentifier",     // .1.17
	"buildConfigURI",                      // .1.18
	"buildConfigDigest",                   // .1.19
	"buildTrigger",                        // .1.20
	"runInvocationURI",                    // .1.21
	"sourceRepositoryVisibilityAtSigning", // .1.22
}

// CertificateExtensionNames returns the keys "certificateExtensions" accepts, in OID order:
// issuer, the deprecated githubWorkflow… names (OIDs .1.2–.1.6), then buildSignerURI (.1.9)
// through sourceRepositoryVisibilityAtSigning (.1.22).
func CertificateExtensionNames() []string { return slices.Clone(certificateExtensionNames) }

// IsCertificateExtensionName reports whether name is a key "certificateExtensions" accepts.
func IsCertificateExtensionName(name string) bool {
	return slices.Contains(certificateExtensionNames, name)
}

// errEmptyPattern is CompilePattern's error for "".
var errEmptyPattern = errors.New("empty pattern")

// CompilePattern compiles a policy pattern (oidcIssuerPattern, subjectPattern): RE2 syntax
// (package regexp), anchored implicitly at both ends, i.e. compiled as `^(?:` + pattern + `)$`, so
// the pattern must match the whole value; a match of a prefix or a suffix is not enough. The
// empty pattern is refused, and so is any pattern that does not compile on its own: otherwise
// `x)|(.*` would become `^(?:x)|(.*)$`, which matches every value.
//
// Anchoring does not make metacharacters literal: "." still matches any character, so
// `https://github.com/org/repo/.github/workflows/release.yml@refs/heads/main` also matches
// "…/xgithub/workflows/releaseXyml@…". Escape literal parts (regexp.QuoteMeta).
func CompilePattern(pattern string) (*regexp.Regexp, error) {
	if pattern == "" {
		return nil, errEmptyPattern
	}
	// Compile the pattern alone first: its errors then quote the user's text, and an unbalanced
	// group cannot escape the anchoring group.
	if _, err := regexp.Compile(pattern); err != nil {
		return nil, err
	}
	return regexp.Compile(`^(?:` + pattern + `)$`)
}

// Extensions lists the sigpolicy extension fields set in f, in MarshalJSON order.
func (f *Fulcio) Extensions() []string {
	var out []string
	if f.OIDCIssuerPattern != "" {
		out = append(out, FieldOIDCIssuerPattern)
	}
	if f.SubjectURI != "" {
		out = append(out, FieldSubjectURI)
	}
	if f.SubjectPattern != "" {
		out = append(out, FieldSubjectPattern)
	}
	if f.CertificateExtensions != nil {
		out = append(out, FieldCertificateExtensions)
	}
	return out
}

// ExtensionUse is one use of a sigpolicy extension field in a policy.
type ExtensionUse struct {
	// Path is the JSON path of the field, e.g. transports.docker["ghcr.io/org"][0].fulcio.subjectURI.
	Path string
	// Field is the extension field: one of the Field… constants.
	Field string
}

// Extensions lists every use of a sigpolicy extension field in p: in "default" first, then by
// transport and scope in sorted order. containers/image (CRI-O, Podman, Skopeo) refuses a policy
// for which it is non-empty. For positions, lint the document with WithCompat.
func (p *Policy) Extensions() []ExtensionUse {
	var out []ExtensionUse
	d := &decoder{}
	walk := func(reqs Requirements) {
		for i, r := range reqs {
			s, ok := r.(*SigstoreSigned)
			if !ok || s.Fulcio == nil {
				continue
			}
			d.pushIndex(i)
			d.pushField("fulcio")
			for _, f := range s.Fulcio.Extensions() {
				d.pushField(f)
				out = append(out, ExtensionUse{Path: d.renderPath(), Field: f})
				d.pop()
			}
			d.pop()
			d.pop()
		}
	}
	d.pushField("default")
	walk(p.Default)
	d.pop()
	transports := make([]string, 0, len(p.Transports))
	for t := range p.Transports {
		transports = append(transports, t)
	}
	sort.Strings(transports)
	for _, t := range transports {
		d.pushField("transports")
		d.pushField(t)
		for _, scope := range sortedKeys(p.Transports[t]) {
			d.pushKey(scope)
			walk(p.Transports[t][scope])
			d.pop()
		}
		d.pop()
		d.pop()
	}
	return out
}

// fulcioExtension parses the value of the extension field key of a "fulcio" object into res. In
// compatibility mode the key is refused as containers/image refuses it.
func (d *decoder) fulcioExtension(res *Fulcio, key string, keyPos int) error {
	if d.compat {
		return d.errAt(keyPos, ErrExtension, "unknown key "+quote(key)+
			": a sigpolicy extension, refused by containers/image (CRI-O, Podman, Skopeo)")
	}
	var err error
	switch key {
	case FieldOIDCIssuerPattern:
		res.OIDCIssuerPattern, err = d.pattern(key)
	case FieldSubjectURI:
		res.SubjectURI, err = d.nonEmptyString(key)
	case FieldSubjectPattern:
		res.SubjectPattern, err = d.pattern(key)
	case FieldCertificateExtensions:
		res.CertificateExtensions, err = d.certificateExtensions()
	}
	return err
}

// nonEmptyString reads a JSON string that must not be empty. Unlike the containers/image fields,
// null is not "absent" here: it is a type error.
func (d *decoder) nonEmptyString(what string) (string, error) {
	if d.ws() != '"' {
		return "", d.typeErr("string")
	}
	pos := d.pos
	s := d.readString()
	if s == "" {
		return "", d.errAt(pos, ErrInvalidValue, what+" must not be empty")
	}
	return s, nil
}

// pattern reads a non-empty string that CompilePattern accepts.
func (d *decoder) pattern(what string) (string, error) {
	d.ws()
	start := d.pos
	s, err := d.nonEmptyString(what)
	if err != nil {
		return "", err
	}
	if _, err := CompilePattern(s); err != nil {
		return "", d.errAt(start, ErrInvalidValue, "invalid "+what+": "+err.Error())
	}
	return s, nil
}

// certificateExtensions reads the "certificateExtensions" object: known extension names mapped to
// non-empty strings, at least one entry.
func (d *decoder) certificateExtensions() (map[string]string, error) {
	if d.ws() != '{' {
		return nil, d.typeErr("JSON object")
	}
	objPos := d.pos
	res := map[string]string{}
	n := len(d.errs)
	err := d.object(func(key string, keyPos, _ int) error {
		d.pushField(key)
		defer d.pop()
		if !IsCertificateExtensionName(key) {
			return d.errAt(keyPos, ErrUnknownKey, "unknown certificate extension "+quote(key))
		}
		v, err := d.nonEmptyString(key)
		if err == nil {
			res[key] = v
		}
		return err
	})
	if err != nil || len(d.errs) > n {
		return nil, orLinted(err)
	}
	if len(res) == 0 {
		return nil, d.errAt(objPos, ErrInvalidValue, FieldCertificateExtensions+" contains no entries")
	}
	return res, nil
}
