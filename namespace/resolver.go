package namespace

import (
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/sigpolicy/sigpolicy/verify"
)

// maxCachedNamespaces bounds how many namespaces a Resolver remembers. Beyond it, a namespace not yet
// seen is still resolved correctly, but its compiled policy is not cached (every call re-reads it).
const maxCachedNamespaces = 1 << 14

// Resolver picks and compiles the policy that applies to a Kubernetes namespace, and caches the
// compiled result until one of the files it was built from changes. It is safe for concurrent use by
// any number of goroutines; create it with New.
type Resolver struct {
	global     string
	globalPath sysPath
	dir        string
	cfg        config

	globalState atomic.Pointer[state]
	entries     sync.Map // namespace name -> *entry
	nEntries    atomic.Int64

	// With WithChangeNotifications: the inotify watcher, and the global result as of a watcher
	// generation.
	watch       *watcher
	quickGlobal atomic.Pointer[quick]
	quickHits   atomic.Uint64 // results served from the notification generation (for tests)
}

// quick is a result known to be current as long as the watcher's generation is gen.
type quick struct {
	gen uint64
	res *Resolved
}

// Resolved is the effective policy for one request. It is immutable and shared: Resolve returns the
// same *Resolved for as long as nothing it depends on changes, so callers must not modify it.
type Resolved struct {
	// Evaluator is the compiled policy. When a namespace falls back to the global policy, it is the
	// global policy's Evaluator, shared by every such namespace; its Decisions then report
	// Policy.Namespace "" (use Resolved.Namespace).
	Evaluator *verify.Evaluator
	// File is the policy file that applies: "<dir>/<namespace>.json" when it exists, else the global
	// policy file.
	File string
	// Namespace is the namespace that was asked for ("" for the global policy).
	Namespace string
	// Overlay is true when the policy is the namespace file combined with the global file (see
	// WithOverlay); Global then names the global file.
	Overlay bool
	// Global is the global policy file when Overlay is true, else "".
	Global string
	// Files lists every file the result was built from: the policy file(s) first (File, then Global
	// when Overlay), then every trust-material file the policy names (sorted), whether or not it could
	// be read. A change to any of them makes the next Resolve call rebuild the result.
	Files []string
	// Digest is "sha256:<hex>" over the policy bytes and the path and bytes (or read failure) of
	// every trust-material file, in an unambiguous framing (see the package documentation). Equal
	// digests mean equal decisions for the same image and compile options, so it can key a
	// decision cache shared across namespaces.
	Digest string
}

// entry is the cached state of one namespace.
type entry struct {
	ns       string
	file     string // "<dir>/<ns>.json"; "" when the Resolver has no directory
	path     sysPath
	own      atomic.Pointer[state]    // the namespace file's compiled policy, when it exists
	fallback atomic.Pointer[fallback] // the global policy, as seen by this namespace
	quick    atomic.Pointer[quick]    // with WithChangeNotifications: the result as of a generation
}

// fallback is the global policy's result relabelled with one namespace.
type fallback struct {
	src *state
	res *Resolved
}

// racyWindow is how recent a file's timestamp must be for the file to count as possibly still
// changing unseen. File systems record times at a coarse granularity (a kernel tick, or a whole
// second on some), so a same-size rewrite within one granule of an earlier one leaves every
// compared stat field unchanged. A state built from such a file is not trusted by the freshness
// check: the next call rebuilds it, until the file's timestamp is older than this window (the rule
// git uses for its index, "racy git").
const racyWindow = 2 * time.Second

// state is one immutable compiled result (or failure) with the identity of every file it was
// built from, as stat reported it before the file was read.
type state struct {
	res  *Resolved
	err  *PolicyFileError
	deps []dep
	// racy is set when a file changed within racyWindow of the load; the state is then used for
	// the call that built it only.
	racy bool
}

// dep is one file a state depends on.
type dep struct {
	path sysPath
	id   fileID
}

// freshFrom reports whether deps[i:] are unchanged. It stats each file, following symbolic links;
// callers check a namespace file (deps[0] of its state) themselves, with lstatPath.
func (s *state) freshFrom(i int) bool {
	for ; i < len(s.deps); i++ {
		d := &s.deps[i]
		if !statPath(&d.path).same(d.id) {
			return false
		}
	}
	return true
}

// New returns a Resolver for the global policy file globalPath and the per-namespace directory dir,
// in which the policy of namespace ns is "<dir>/<ns>.json". An empty dir means there are no
// per-namespace files: every namespace gets the global policy.
//
// New reads no file: files are read by Resolve, each only when it applies.
func New(globalPath, dir string, opts ...Option) (*Resolver, error) {
	if globalPath == "" {
		return nil, errors.New("namespace.New: empty global policy path")
	}
	if strings.IndexByte(globalPath, 0) >= 0 || strings.IndexByte(dir, 0) >= 0 {
		return nil, errors.New("namespace.New: path contains a NUL byte")
	}
	r := &Resolver{global: globalPath, globalPath: newSysPath(globalPath), dir: dir, cfg: config{now: time.Now}}
	for _, o := range opts {
		if o == nil {
			return nil, errors.New("namespace.New: nil option")
		}
		if err := o(&r.cfg); err != nil {
			return nil, err
		}
	}
	if r.cfg.notify {
		r.watch = newWatcher()
	}
	return r, nil
}

// Resolve returns the effective policy for namespace ns, compiled.
//
// The empty namespace means the global policy (unless WithRequireNamespace). Any other name must be
// a Kubernetes namespace name (see ValidateName), and is refused with an *InvalidNamespaceError
// before any path is built. For a valid name, "<dir>/<ns>.json" applies when it exists, otherwise the
// global policy, as in CRI-O; only the file that applies is read. If that file cannot be read,
// resolves (through symbolic links) outside dir, is not a regular file, or does not parse, Resolve
// returns a *PolicyFileError and no policy: the caller must deny. Unlike CRI-O, a dangling symbolic
// link "<ns>.json" is such an error, not a missing file.
//
// The result is cached. A later call returns the same *Resolved, after checking with one stat call
// per file that the policy file(s) and every trust-material file the policy names are unchanged
// (device, inode, size, modification and change times); any change, including a rename over a
// file, is seen by the next call. Failures are cached the same way. No lock is held while a file
// is read, parsed or compiled.
func (r *Resolver) Resolve(ns string) (*Resolved, error) {
	if ns == "" {
		if r.cfg.requireNamespace {
			return nil, &InvalidNamespaceError{Name: ns, Reason: "empty (a namespace is required)"}
		}
		gen, watched := r.poll()
		if q := r.quickGlobal.Load(); watched && q != nil && q.gen == gen {
			r.quickHits.Add(1)
			return q.res, nil
		}
		st := r.resolveGlobal()
		if st.err != nil {
			return nil, st.err
		}
		if watched {
			r.remember(&r.quickGlobal, gen, st.res, "")
		}
		return st.res, nil
	}
	if err := ValidateName(ns); err != nil {
		return nil, err
	}
	e := r.entry(ns)
	gen, watched := r.poll()
	if q := e.quick.Load(); watched && q != nil && q.gen == gen {
		r.quickHits.Add(1)
		return q.res, nil
	}
	res, err := r.resolveNamespace(e)
	if watched && err == nil {
		r.remember(&e.quick, gen, res, e.file)
	}
	return res, err
}

// poll returns the watcher's generation; watched is false without change notifications, or once
// they can no longer be trusted.
func (r *Resolver) poll() (gen uint64, watched bool) {
	if r.watch == nil {
		return 0, false
	}
	return r.watch.poll()
}

// remember keeps res as current for generation gen (read before res was checked or built) when
// every directory its files depend on was already watched then; otherwise it adds the watches, so
// that a later call can.
func (r *Resolver) remember(slot *atomic.Pointer[quick], gen uint64, res *Resolved, nsFile string) {
	files := res.Files
	if nsFile != "" {
		files = append(slices.Clip(files), nsFile)
	}
	if r.watch.covered(files) {
		slot.Store(&quick{gen: gen, res: res})
		return
	}
	slot.Store(nil)
	r.watch.watch(files)
}

// resolveNamespace is Resolve for a valid namespace name, with stat checks.
func (r *Resolver) resolveNamespace(e *entry) (*Resolved, error) {
	if e.file == "" {
		return r.resolveFallback(e)
	}
	id := lstatPath(&e.path)
	if id.missing() {
		if e.own.Load() != nil {
			e.own.Store(nil) // release the compiled policy of a deleted file
		}
		return r.resolveFallback(e)
	}
	old := e.own.Load()
	if old != nil && !old.racy && old.deps[0].id.same(id) && old.freshFrom(1) {
		return old.res, old.nilOrErr()
	}
	// The clock is read after the lstat above; racyWindow is far wider than that delay.
	st := r.loadNamespace(e, id, r.cfg.now())
	e.own.CompareAndSwap(old, st)
	return st.res, st.nilOrErr()
}

// nilOrErr returns s.err as an error, nil when there is none (avoiding a non-nil interface holding
// a nil pointer).
func (s *state) nilOrErr() error {
	if s.err == nil {
		return nil
	}
	return s.err
}

// resolveGlobal returns the global policy's current state, rebuilding it when a file changed.
func (r *Resolver) resolveGlobal() *state {
	old := r.globalState.Load()
	if old != nil && !old.racy && old.freshFrom(0) {
		return old
	}
	st := r.loadGlobal()
	r.globalState.CompareAndSwap(old, st)
	return st
}

// resolveFallback returns the global policy for namespace e.ns.
func (r *Resolver) resolveFallback(e *entry) (*Resolved, error) {
	gs := r.resolveGlobal()
	if gs.err != nil {
		return nil, &PolicyFileError{File: gs.err.File, Namespace: e.ns, Err: gs.err.Err}
	}
	if fb := e.fallback.Load(); fb != nil && fb.src == gs {
		return fb.res, nil
	}
	res := *gs.res
	res.Namespace = e.ns
	fb := &fallback{src: gs, res: &res}
	e.fallback.Store(fb)
	return fb.res, nil
}

// entry returns the cache entry of a valid namespace name, creating it on first use.
func (r *Resolver) entry(ns string) *entry {
	if v, ok := r.entries.Load(ns); ok {
		return v.(*entry)
	}
	ns = strings.Clone(ns)
	e := &entry{ns: ns}
	if r.dir != "" {
		// ns is a validated DNS label: the name has no separator and no dot-dot, so this is an
		// entry directly inside dir.
		e.file = filepath.Join(r.dir, ns+".json")
		e.path = newSysPath(e.file)
	}
	if r.nEntries.Load() >= maxCachedNamespaces {
		return e // correct, but not remembered
	}
	v, loaded := r.entries.LoadOrStore(ns, e)
	if !loaded {
		r.nEntries.Add(1)
	}
	return v.(*entry)
}
