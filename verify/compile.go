package verify

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"hash"
	"sort"
	"time"

	"github.com/sigpolicy/sigpolicy/policy"
)

// Evaluator is a compiled policy: the policy document plus every key, CA pool, Rekor key and keyring
// it names, loaded once. It is immutable and safe for concurrent use by any number of goroutines.
type Evaluator struct {
	policy     *policy.Policy
	now        func() time.Time
	defaults   []compiledRequirement
	transports map[string]map[string][]compiledRequirement
	files      []string
	origin     PolicySource // File and Namespace only
	digests    *digestMemo  // nil with WithoutSignatureCache
	digest     string       // content digest of the policy and its trust material
	cache      *DecisionCache
}

// compiledRequirement is one policy requirement with its trust material loaded.
type compiledRequirement interface {
	// typ is the policy requirement type, for explanations.
	typ() policy.RequirementType
	// clockDependent reports whether the requirement's decisions depend on the wall clock or on
	// material outside the policy (so that a cached decision must expire).
	clockDependent() bool
	// evaluate decides the requirement for img. It returns nil when the requirement is satisfied,
	// else the denial; sigs records what happened to each signature examined.
	evaluate(ev *evalContext) (sigs []SignatureResult, err error)
}

// Compile loads the trust material of every requirement in p and returns an Evaluator for it.
//
// Compile reads every file the policy names (keyPath, keyPaths, caPath, rekorPublicKeyPath, …),
// each at most once. A requirement whose material cannot be read or parsed does not fail Compile: as
// in containers/image, it keeps the error and denies every signature it is asked to check. Compile
// fails only for a nil policy or an invalid option.
func Compile(p *policy.Policy, opts ...Option) (*Evaluator, error) {
	if p == nil {
		return nil, fmt.Errorf("verify.Compile: nil policy")
	}
	cfg := defaultConfig()
	for _, opt := range opts {
		if err := opt(&cfg); err != nil {
			return nil, err
		}
	}
	l := newLoader(cfg.readFile)
	l.noSigCache = cfg.noSigCache
	l.bundles = cfg.bundles
	e := &Evaluator{policy: p, now: cfg.now, transports: map[string]map[string][]compiledRequirement{},
		origin: PolicySource{File: cfg.file, Namespace: cfg.namespace}}
	e.defaults = compileRequirements(l, p.Default)
	for transport, scopes := range p.Transports {
		m := make(map[string][]compiledRequirement, len(scopes))
		for scope, reqs := range scopes {
			m[scope] = compileRequirements(l, reqs)
		}
		e.transports[transport] = m
	}
	e.files = l.paths()
	e.digest = l.contentDigest(p)
	e.cache = cfg.cache
	if !cfg.noSigCache {
		e.digests = newDigestMemo()
	}
	return e, nil
}

// Policy returns the policy the evaluator was compiled from. It must not be modified.
func (e *Evaluator) Policy() *policy.Policy { return e.policy }

// Digest returns the content digest of the compiled policy: a SHA-256 over the policy document (in
// its canonical encoding) and the path and bytes of every trust-material file Compile read. Two
// evaluators with the same digest decide every image alike.
func (e *Evaluator) Digest() string { return e.digest }

// Files returns, sorted, every file path Compile read (or tried to read) for trust material. A
// cache of evaluators must recompile when any of them changes.
func (e *Evaluator) Files() []string { return append([]string(nil), e.files...) }

func compileRequirements(l *loader, reqs policy.Requirements) []compiledRequirement {
	out := make([]compiledRequirement, 0, len(reqs))
	for _, r := range reqs {
		out = append(out, compileRequirement(l, r))
	}
	return out
}

func compileRequirement(l *loader, r policy.Requirement) compiledRequirement {
	switch r := r.(type) {
	case *policy.InsecureAcceptAnything:
		return acceptAnything{}
	case *policy.Reject:
		return rejectAll{}
	case *policy.SignedBaseLayer:
		return signedBaseLayer{}
	case *policy.SignedBy:
		return compileSignedBy(l, r)
	case *policy.SigstoreSigned:
		return compileSigstore(l, r)
	default:
		return unknownRequirement{t: r}
	}
}

// unknownRequirement denies: a requirement type this version cannot evaluate.
type unknownRequirement struct{ t policy.Requirement }

func (u unknownRequirement) typ() policy.RequirementType {
	if u.t == nil {
		return ""
	}
	return u.t.Type()
}

func (unknownRequirement) clockDependent() bool { return false }

func (u unknownRequirement) evaluate(*evalContext) ([]SignatureResult, error) {
	return nil, &RequirementError{Kind: ErrNotImplemented, Msg: fmt.Sprintf("Unknown policy requirement type %q", u.typ())}
}

// loader reads trust-material files once per Compile and remembers which it read.
type loader struct {
	read       func(string) ([]byte, error)
	cache      map[string]loaded
	noSigCache bool         // WithoutSignatureCache
	bundles    bundleConfig // WithRekorURL, WithTrustedRoot
}

type loaded struct {
	data []byte
	err  error
}

func newLoader(read func(string) ([]byte, error)) *loader {
	return &loader{read: read, cache: map[string]loaded{}}
}

func (l *loader) file(path string) ([]byte, error) {
	if r, ok := l.cache[path]; ok {
		return r.data, r.err
	}
	data, err := readLimited(l.read, path)
	l.cache[path] = loaded{data, err}
	return data, err
}

func (l *loader) paths() []string {
	out := make([]string, 0, len(l.cache))
	for p := range l.cache {
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}

// sources returns the bytes of the one configured source among path, paths, data and datas, as
// containers/image's loadBytesFromConfigSources does ("" path and nil slices are absent). It returns
// nil, nil when no source is configured.
func (l *loader) sources(path string, paths []string, data []byte, datas [][]byte) ([][]byte, error) {
	var out [][]byte
	if path != "" {
		d, err := l.file(path)
		if err != nil {
			return nil, err
		}
		out = [][]byte{d}
	}
	if paths != nil {
		out = [][]byte{}
		for _, p := range paths {
			d, err := l.file(p)
			if err != nil {
				return nil, err
			}
			out = append(out, d)
		}
	}
	if data != nil {
		out = [][]byte{data}
	}
	if datas != nil {
		out = datas
	}
	return out, nil
}

// contentDigest hashes the policy document and every file read, in path order.
func (l *loader) contentDigest(p *policy.Policy) string {
	h := sha256.New()
	doc, err := p.MarshalJSON()
	if err != nil {
		// An unencodable policy gets a digest no other evaluator shares.
		doc = fmt.Appendf(nil, "unencodable policy %p: %v", p, err)
	}
	writeField(h, doc)
	for _, path := range l.paths() {
		r := l.cache[path]
		writeField(h, []byte(path))
		if r.err != nil {
			writeField(h, []byte("error: "+r.err.Error()))
		} else {
			writeField(h, r.data)
		}
	}
	return "sha256:" + hex.EncodeToString(h.Sum(nil))
}

func writeField(h hash.Hash, b []byte) {
	var n [8]byte
	binary.LittleEndian.PutUint64(n[:], uint64(len(b)))
	h.Write(n[:])
	h.Write(b)
}
