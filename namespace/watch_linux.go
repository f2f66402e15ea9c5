//go:build linux

package namespace

import (
	"os"
	"path/filepath"
	"sync"
	"syscall"
	"unsafe"
)

// Event masks. The directory holding a file is watched for every change to its entries; its
// ancestors only for changes that could make a path lead elsewhere.
const (
	watchDirMask      = syscall.IN_MODIFY | syscall.IN_ATTRIB | syscall.IN_CLOSE_WRITE | syscall.IN_CREATE | syscall.IN_DELETE | syscall.IN_MOVED_FROM | syscall.IN_MOVED_TO | syscall.IN_DELETE_SELF | syscall.IN_MOVE_SELF
	watchAncestorMask = syscall.IN_ATTRIB | syscall.IN_CREATE | syscall.IN_DELETE | syscall.IN_MOVED_FROM | syscall.IN_MOVED_TO | syscall.IN_DELETE_SELF | syscall.IN_MOVE_SELF
	// watchBreaking events mean a watch no longer covers what it was added for.
	watchBreaking = syscall.IN_Q_OVERFLOW | syscall.IN_IGNORED | syscall.IN_DELETE_SELF | syscall.IN_MOVE_SELF | syscall.IN_UNMOUNT
)

// watcher turns inotify events into a generation counter: any event in a watched directory moves
// the generation on. Its queue is read without blocking by the caller of poll, so an event queued
// by a change that completed before poll is always seen by that poll.
type watcher struct {
	mu     sync.Mutex
	fd     int
	gen    uint64
	broken bool
	dirs   map[string]uint32 // watched directory -> mask
	buf    []byte
}

func newWatcher() *watcher {
	fd, err := syscall.InotifyInit1(syscall.IN_NONBLOCK | syscall.IN_CLOEXEC)
	if err != nil {
		return nil
	}
	return &watcher{fd: fd, dirs: map[string]uint32{}, buf: make([]byte, 64<<10)}
}

// poll drains the event queue and returns the current generation; ok is false once a watch was
// lost (a watched directory removed or moved, a queue overflow): from then on only stat checks
// are trusted.
func (w *watcher) poll() (gen uint64, ok bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	for !w.broken {
		n, err := syscall.Read(w.fd, w.buf)
		if err == syscall.EINTR {
			continue
		}
		if n <= 0 || err != nil {
			if err != nil && err != syscall.EAGAIN {
				w.broken = true
			}
			break
		}
		w.gen++
		for off := 0; off+syscall.SizeofInotifyEvent <= n; {
			ev := (*syscall.InotifyEvent)(unsafe.Pointer(&w.buf[off]))
			if ev.Mask&watchBreaking != 0 {
				w.broken = true
			}
			off += syscall.SizeofInotifyEvent + int(ev.Len)
		}
	}
	return w.gen, !w.broken
}

// covered reports whether every directory that the files' paths depend on is already watched.
func (w *watcher) covered(files []string) bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	for _, f := range files {
		dirs, ok := watchDirs(f)
		if !ok {
			return false
		}
		for _, d := range dirs {
			if w.dirs[d.path]&d.mask != d.mask {
				return false
			}
		}
	}
	return true
}

// watch adds the watches files depend on; it returns false when one cannot be added.
func (w *watcher) watch(files []string) bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	for _, f := range files {
		dirs, ok := watchDirs(f)
		if !ok {
			return false
		}
		for _, d := range dirs {
			if w.dirs[d.path]&d.mask == d.mask {
				continue
			}
			if _, err := syscall.InotifyAddWatch(w.fd, d.path, d.mask|syscall.IN_MASK_ADD|syscall.IN_ONLYDIR); err != nil {
				return false
			}
			w.dirs[d.path] |= d.mask
		}
	}
	return true
}

type watchDir struct {
	path string
	mask uint32
}

// watchDirs lists the directories whose changes can change what path names: its directory and
// every ancestor, for the path as written (absolute) and, when it resolves through symbolic links,
// for the resolved path too. ok is false when that cannot be determined.
func watchDirs(path string) (dirs []watchDir, ok bool) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, false
	}
	var out []watchDir
	add := func(p string) {
		dir := filepath.Dir(p)
		out = append(out, watchDir{path: dir, mask: watchDirMask})
		for d := dir; ; {
			parent := filepath.Dir(d)
			if parent == d {
				break
			}
			out = append(out, watchDir{path: parent, mask: watchAncestorMask})
			d = parent
		}
	}
	add(abs)
	if real, err := filepath.EvalSymlinks(abs); err == nil && real != abs {
		add(real)
	} else if err != nil && !os.IsNotExist(err) {
		return nil, false
	}
	return out, true
}
