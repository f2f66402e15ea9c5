package namespace

import (
	"bytes"
	"io/fs"
)

// trustFile is one trust-material file as the Resolver read it.
type trustFile struct {
	path string
	sp   sysPath
	id   fileID // stat result before the read
	data []byte
	err  error
}

func (t *trustFile) sameContent(o *trustFile) bool {
	if (t.err == nil) != (o.err == nil) {
		return false
	}
	return t.err != nil || bytes.Equal(t.data, o.data)
}

// trustFS serves the trust material the Resolver read to verify.Compile (through verify.WithFS),
// keyed as verify.WithFS looks names up: the policy's path with one leading "/" removed.
type trustFS map[string]*trustFile

// fsKey is the name verify.WithFS asks its file system for, for a policy path.
func fsKey(path string) string {
	if len(path) > 0 && path[0] == '/' {
		return path[1:]
	}
	return path
}

// Open is not supported: verify reads through ReadFile.
func (trustFS) Open(name string) (fs.File, error) {
	return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrInvalid}
}

// ReadFile returns a copy of the bytes read for name, or the error reading it failed with. Names
// the Resolver did not read do not exist.
func (t trustFS) ReadFile(name string) ([]byte, error) {
	f, ok := t[name]
	if !ok {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
	if f.err != nil {
		return nil, f.err
	}
	return bytes.Clone(f.data), nil
}

var _ fs.ReadFileFS = trustFS(nil)
