//go:build linux && (amd64 || arm64)

package namespace

import (
	"syscall"
	"unsafe"
)

// This file implements the freshness check with one fstatat(2) system call per file and no heap
// allocation: the path is kept NUL-terminated next to the cached state, and the result is compared
// field by field. The portable version (fileid_other.go) uses os.Stat.

const (
	atFDCWD           = ^uintptr(99) // AT_FDCWD (-100) as the kernel reads it
	atSymlinkNoFollow = 0x100        // AT_SYMLINK_NOFOLLOW
)

// sysPath is a path prepared for repeated stat calls.
type sysPath struct {
	name string
	z    []byte // name followed by NUL; nil when name holds a NUL byte (it then never exists)
}

func newSysPath(name string) sysPath {
	for i := 0; i < len(name); i++ {
		if name[i] == 0 {
			return sysPath{name: name}
		}
	}
	z := make([]byte, len(name)+1)
	copy(z, name)
	return sysPath{name: name, z: z}
}

// fileID is what the cache compares: the result of a stat call, including its failure.
type fileID struct {
	errno     syscall.Errno // 0 when the stat succeeded
	link      bool          // the path is a symbolic link; the other fields describe its target
	mode      uint32
	dev, ino  uint64
	size      int64
	mtimeSec  int64
	mtimeNsec int64
	ctimeSec  int64
	ctimeNsec int64
}

func fstatat(p *sysPath, flags uintptr) fileID {
	if p.z == nil {
		return fileID{errno: syscall.EINVAL}
	}
	var st syscall.Stat_t
	for {
		_, _, e := syscall.Syscall6(sysFstatat, atFDCWD, uintptr(unsafe.Pointer(&p.z[0])),
			uintptr(unsafe.Pointer(&st)), flags, 0, 0)
		if e == syscall.EINTR {
			continue
		}
		if e != 0 {
			return fileID{errno: e}
		}
		return fileID{
			mode: st.Mode, dev: st.Dev, ino: st.Ino, size: st.Size,
			mtimeSec: st.Mtim.Sec, mtimeNsec: st.Mtim.Nsec, ctimeSec: st.Ctim.Sec, ctimeNsec: st.Ctim.Nsec,
		}
	}
}

// statPath stats p, following symbolic links.
func statPath(p *sysPath) fileID { return fstatat(p, 0) }

// lstatPath stats p itself; when p is a symbolic link it also stats the link's target, so that the
// identity changes when either the link or the file it leads to is replaced.
func lstatPath(p *sysPath) fileID {
	id := fstatat(p, atSymlinkNoFollow)
	if id.errno != 0 || id.mode&syscall.S_IFMT != syscall.S_IFLNK {
		return id
	}
	target := fstatat(p, 0)
	target.link = true
	return target
}

// same reports whether two stat results describe the same, unchanged file (or the same failure).
func (a fileID) same(b fileID) bool { return a == b }

// missing reports whether the stat failed because nothing exists at the path (for lstatPath: not even
// a symbolic link).
func (a fileID) missing() bool { return a.errno == syscall.ENOENT && !a.link }

// err returns the stat failure, or nil.
func (a fileID) err() error {
	if a.errno == 0 {
		return nil
	}
	return a.errno
}

// regular reports whether the stat succeeded on a regular file.
func (a fileID) regular() bool { return a.errno == 0 && a.mode&syscall.S_IFMT == syscall.S_IFREG }

// changedAt returns the later of the modification and change times, in nanoseconds since the Unix
// epoch, and false when the stat failed.
func (a fileID) changedAt() (int64, bool) {
	if a.errno != 0 {
		return 0, false
	}
	m, c := a.mtimeSec*1e9+a.mtimeNsec, a.ctimeSec*1e9+a.ctimeNsec
	return max(m, c), true
}

// isLink reports whether the path was a symbolic link.
func (a fileID) isLink() bool { return a.link }
