//go:build !linux

package namespace

// watcher is unavailable outside Linux: WithChangeNotifications has no effect there, and every
// Resolve checks its files with stat.
type watcher struct{}

func newWatcher() *watcher                     { return nil }
func (w *watcher) poll() (uint64, bool)        { return 0, false }
func (w *watcher) covered(files []string) bool { return false }
func (w *watcher) watch(files []string) bool   { return false }
