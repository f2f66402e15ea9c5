//go:build !linux || !(amd64 || arm64)

package namespace

import (
	"errors"
	"io/fs"
	"os"
	"time"
)

// This is the portable freshness check, used where fileid_linux.go is not: it calls os.Stat, which
// allocates, and compares files with os.SameFile plus size, mode and modification time.

// sysPath is a path prepared for repeated stat calls.
type sysPath struct{ name string }

func newSysPath(name string) sysPath { return sysPath{name: name} }

// fileID is what the cache compares: the result of a stat call, including its failure.
type fileID struct {
	fi       fs.FileInfo // nil when the stat failed
	errText  string      // the failure, when fi is nil
	notExist bool
	link     bool
	size     int64
	mode     fs.FileMode
	mtime    time.Time
}

func fromStat(fi fs.FileInfo, err error) fileID {
	if err != nil {
		return fileID{errText: err.Error(), notExist: errors.Is(err, fs.ErrNotExist)}
	}
	return fileID{fi: fi, size: fi.Size(), mode: fi.Mode(), mtime: fi.ModTime()}
}

// statPath stats p, following symbolic links.
func statPath(p *sysPath) fileID { return fromStat(os.Stat(p.name)) }

// lstatPath stats p itself; when p is a symbolic link it also stats the link's target.
func lstatPath(p *sysPath) fileID {
	id := fromStat(os.Lstat(p.name))
	if id.fi == nil || id.mode&fs.ModeSymlink == 0 {
		return id
	}
	target := statPath(p)
	target.link = true
	return target
}

// same reports whether two stat results describe the same, unchanged file (or the same failure).
func (a fileID) same(b fileID) bool {
	if a.fi == nil || b.fi == nil {
		return a.fi == nil && b.fi == nil && a.errText == b.errText && a.link == b.link
	}
	return a.link == b.link && a.size == b.size && a.mode == b.mode && a.mtime.Equal(b.mtime) && os.SameFile(a.fi, b.fi)
}

// missing reports whether nothing exists at the path.
func (a fileID) missing() bool { return a.fi == nil && a.notExist && !a.link }

// err returns the stat failure, or nil.
func (a fileID) err() error {
	if a.fi != nil {
		return nil
	}
	return errors.New(a.errText)
}

// regular reports whether the stat succeeded on a regular file.
func (a fileID) regular() bool { return a.fi != nil && a.mode.IsRegular() }

// changedAt returns the modification time in nanoseconds since the Unix epoch, and false when the
// stat failed.
func (a fileID) changedAt() (int64, bool) {
	if a.fi == nil {
		return 0, false
	}
	return a.mtime.UnixNano(), true
}

// isLink reports whether the path was a symbolic link.
func (a fileID) isLink() bool { return a.link }
