package namespace

import (
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/sigpolicy/sigpolicy/policy"
	"github.com/sigpolicy/sigpolicy/verify"

	"github.com/sigpolicy/sigpolicy/internal/limits"
)

// maxTrustFileSize bounds every key, certificate and keyring file the Resolver reads; it is the
// bound verify.Compile applies to the same files.
const maxTrustFileSize = limits.MaxTrustFileSize

// openFlags opens without blocking on a FIFO; only regular files are then read.
const openFlags = os.O_RDONLY | syscall.O_NONBLOCK

// errState is a cached failure.
func errState(deps []dep, file, ns string, err error) *state {
	return &state{err: &PolicyFileError{File: file, Namespace: ns, Err: err}, deps: deps}
}

// markRacy sets st.racy when any of its files changed at or after start-racyWindow, start being
// the time taken before the first of them was stat'ed.
func markRacy(st *state, start time.Time) *state {
	limit := start.Add(-racyWindow).UnixNano()
	for i := range st.deps {
		if t, ok := st.deps[i].id.changedAt(); ok && t >= limit {
			st.racy = true
		}
	}
	return st
}

// loadGlobal reads, parses and compiles the global policy. The file is stat'ed before it is read,
// so that a change during the read makes the next freshness check fail.
func (r *Resolver) loadGlobal() *state {
	start := r.cfg.now()
	return markRacy(r.loadGlobalFiles(), start)
}

func (r *Resolver) loadGlobalFiles() *state {
	deps := []dep{{path: r.globalPath, id: statPath(&r.globalPath)}}
	p, data, err := r.readGlobal()
	if err != nil {
		return errState(deps, r.global, "", err)
	}
	return r.compile(p, [][]byte{data}, deps, Resolved{File: r.global})
}

func (r *Resolver) readGlobal() (*policy.Policy, []byte, error) {
	f, err := os.OpenFile(r.global, openFlags, 0)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	data, err := readRegular(f, r.global, policy.MaxPolicySize, true)
	if err != nil {
		return nil, nil, err
	}
	p, err := policy.ParseNamed(r.global, data)
	if err != nil {
		return nil, nil, err
	}
	return p, data, nil
}

// loadNamespace reads, parses and compiles "<dir>/<ns>.json" (combined with the global policy in
// Overlay mode). id is the lstatPath result the caller saw before this read, at time start.
func (r *Resolver) loadNamespace(e *entry, id fileID, start time.Time) *state {
	return markRacy(r.loadNamespaceFiles(e, id), start)
}

func (r *Resolver) loadNamespaceFiles(e *entry, id fileID) *state {
	deps := []dep{{path: e.path, id: id}}
	data, err := r.readNamespaceFile(e, id)
	if err != nil {
		return errState(deps, e.file, e.ns, err)
	}
	p, err := policy.ParseNamed(e.file, data)
	if err != nil {
		return errState(deps, e.file, e.ns, err)
	}
	res := Resolved{File: e.file, Namespace: e.ns}
	policies := [][]byte{data}
	if r.cfg.overlay {
		deps = append(deps, dep{path: r.globalPath, id: statPath(&r.globalPath)})
		gp, gdata, err := r.readGlobal()
		if err != nil {
			return errState(deps, r.global, e.ns, err)
		}
		p = Overlay(p, gp)
		policies = append(policies, gdata)
		res.Overlay, res.Global = true, r.global
	}
	return r.compile(p, policies, deps, res)
}

// readNamespaceFile reads "<dir>/<ns>.json" through an os.Root for dir, so that no symbolic link
// can lead the open outside dir; a link that resolves outside is reported as ErrOutsideDirectory
// before anything is opened.
func (r *Resolver) readNamespaceFile(e *entry, id fileID) ([]byte, error) {
	if err := id.err(); err != nil {
		return nil, &fs.PathError{Op: "stat", Path: e.file, Err: err}
	}
	name := filepath.Base(e.file)
	if id.isLink() {
		// os.Root refuses absolute link targets even when they lead inside dir, so open the
		// resolved target by its path relative to dir; the Root still confines the open if the
		// links change in between.
		rel, err := r.insideDir(e.file)
		if err != nil {
			return nil, err
		}
		name = rel
	}
	root, err := os.OpenRoot(r.dir)
	if err != nil {
		return nil, err
	}
	defer root.Close()
	f, err := root.OpenFile(name, openFlags, 0)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return readRegular(f, e.file, policy.MaxPolicySize, true)
}

// insideDir resolves the symbolic links of file (without opening it) and returns the result's path
// relative to the policy directory, failing with ErrOutsideDirectory when it is not inside.
func (r *Resolver) insideDir(file string) (string, error) {
	target, err := filepath.EvalSymlinks(file)
	if err != nil {
		return "", err
	}
	dir, err := filepath.EvalSymlinks(r.dir)
	if err != nil {
		return "", err
	}
	if target, err = filepath.Abs(target); err != nil {
		return "", err
	}
	if dir, err = filepath.Abs(dir); err != nil {
		return "", err
	}
	rel, err := filepath.Rel(dir, target)
	if err != nil || rel == "." || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) || filepath.IsAbs(rel) {
		return "", fmt.Errorf("%s -> %s: %w", file, target, ErrOutsideDirectory)
	}
	return rel, nil
}

// readRegular reads an open file of at most limit bytes, refusing anything but a regular file.
func readRegular(f *os.File, name string, limit int64, isPolicy bool) ([]byte, error) {
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("%s (%s): %w", name, fi.Mode().Type(), ErrNotRegularFile)
	}
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > limit {
		msg := fmt.Sprintf("file larger than %d bytes", limit)
		if isPolicy {
			return nil, &policy.Error{File: name, Msg: msg, Err: policy.ErrTooLarge}
		}
		return nil, fmt.Errorf("%s: %s", name, msg)
	}
	return data, nil
}

// readTrustFile reads one trust-material file, as verify.Compile would read it from the operating
// system (a relative path is relative to the working directory).
func readTrustFile(path string) ([]byte, error) {
	f, err := os.OpenFile(path, openFlags, 0)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return readRegular(f, path, maxTrustFileSize, false)
}

// maxCompileRounds bounds the compilations compile makes while discovering trust-material paths.
const maxCompileRounds = 16

// compile loads the trust material p names and compiles p. The trust files are stat'ed and then
// read by the Resolver itself and handed to verify.Compile through an in-memory file system, so
// that the compiled Evaluator, the digest and the recorded file identities all come from the same
// bytes.
//
// The paths come from verify itself (Evaluator.Files), in its spelling. Because verify may skip a
// path after an earlier one failed to load (the second of two keyPaths, say), compile repeats until
// a compilation reads no path the Resolver has not read: the first round reads nothing, and a
// typical policy needs one more.
func (r *Resolver) compile(p *policy.Policy, policies [][]byte, deps []dep, res Resolved) *state {
	fail := func(err error) *state { return errState(deps, res.File, res.Namespace, err) }
	read := map[string]*trustFile{}
	tfs := trustFS{}
	opts := append(slices.Clip(r.cfg.compile), verify.WithFS(tfs), verify.WithOrigin(res.File, res.Namespace))
	var ev *verify.Evaluator
	for round := 0; ; round++ {
		if round == maxCompileRounds {
			return fail(fmt.Errorf("trust-material paths did not settle after %d compilations", maxCompileRounds))
		}
		var err error
		if ev, err = verify.Compile(p, opts...); err != nil {
			return fail(err)
		}
		unread := 0
		for _, path := range ev.Files() {
			if _, ok := read[path]; ok {
				continue
			}
			unread++
			sp := newSysPath(path)
			id := statPath(&sp) // before the read: a later change then shows
			data, err := readTrustFile(path)
			t := &trustFile{path: path, sp: sp, id: id, data: data, err: err}
			read[path] = t
			key := fsKey(path)
			if prev, ok := tfs[key]; ok && !prev.sameContent(t) {
				return fail(fmt.Errorf("%q and %q: %w", prev.path, path, ErrTrustPathConflict))
			}
			tfs[key] = t
		}
		if unread == 0 {
			break
		}
	}
	paths := ev.Files()
	trust := make([]trustFile, len(paths))
	for i, path := range paths {
		trust[i] = *read[path]
		deps = append(deps, dep{path: trust[i].sp, id: trust[i].id})
	}
	res.Evaluator = ev
	res.Digest = digestOf(res.Overlay, policies, trust)
	res.Files = make([]string, len(deps))
	for i := range deps {
		res.Files[i] = deps[i].path.name
	}
	return &state{res: &res, deps: deps}
}
