package namespace

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/sigpolicy/sigpolicy/policy"
)

type resolverMode struct {
	name string
	opts []Option
}

// resolverModes are the two ways a Resolver notices changes: stat on every call (the default) and
// kernel change notifications.
func resolverModes() []resolverMode {
	return []resolverMode{{"stat", nil}, {"notifications", []Option{WithChangeNotifications()}}}
}

// TestChangesSeenOnNextCall makes every kind of change a policy directory sees, each between two
// Resolve calls, and requires the second call to reflect it, in both modes. Each step first
// resolves twice, so that the result is cached (in notification mode, the second call is the
// first that can be served from the notification generation).
func TestChangesSeenOnNextCall(t *testing.T) {
	for _, mode := range resolverModes() {
		t.Run(mode.name, func(t *testing.T) {
			l := newLayout(t, acceptPolicy)
			r := l.resolver(t, mode.opts...)
			sub := filepath.Join(l.base, "sub")
			steps := []struct {
				name   string
				change func(t *testing.T)
				ns     string
				want   policy.RequirementType
				file   string
			}{
				{"initial", func(*testing.T) {}, "team-a", policy.TypeInsecureAcceptAnything, l.global},
				{"global rewritten in place, same size", func(t *testing.T) {
					writeFile(t, l.global, `{"default":[{"type":"reject"}]}`+"                    "[:len(acceptPolicy)-len(rejectPolicy)])
				}, "team-a", policy.TypeReject, l.global},
				{"namespace file created", func(t *testing.T) { writeFile(t, l.nsFile("team-a"), acceptPolicy) }, "team-a", policy.TypeInsecureAcceptAnything, l.nsFile("team-a")},
				{"namespace file renamed over", func(t *testing.T) { writeAtomic(t, l.nsFile("team-a"), rejectPolicy) }, "team-a", policy.TypeReject, l.nsFile("team-a")},
				{"namespace file removed", func(t *testing.T) { remove(t, l.nsFile("team-a")) }, "team-a", policy.TypeReject, l.global},
				{"global replaced by rename", func(t *testing.T) { writeAtomic(t, l.global, acceptPolicy) }, "", policy.TypeInsecureAcceptAnything, l.global},
				{"namespace file as a symlink into a subdirectory", func(t *testing.T) {
					if err := os.MkdirAll(filepath.Join(l.dir, "..data1"), 0o755); err != nil {
						t.Fatal(err)
					}
					writeFile(t, filepath.Join(l.dir, "..data1", "team-b.json"), rejectPolicy)
					if err := os.Symlink(filepath.Join("..data1", "team-b.json"), l.nsFile("team-b")); err != nil {
						t.Fatal(err)
					}
				}, "team-b", policy.TypeReject, l.nsFile("team-b")},
				{"symlink target edited in place", func(t *testing.T) {
					writeFile(t, filepath.Join(l.dir, "..data1", "team-b.json"), acceptPolicy)
				}, "team-b", policy.TypeInsecureAcceptAnything, l.nsFile("team-b")},
				{"unrelated directory created", func(t *testing.T) {
					if err := os.Mkdir(sub, 0o755); err != nil {
						t.Fatal(err)
					}
				}, "team-b", policy.TypeInsecureAcceptAnything, l.nsFile("team-b")},
			}
			for _, s := range steps {
				s.change(t)
				for range 3 {
					res := mustResolve(t, r, s.ns)
					if got := defaultType(res); got != s.want || res.File != s.file {
						t.Fatalf("%s: default %s from %s, want %s from %s", s.name, got, res.File, s.want, s.file)
					}
				}
			}
		})
	}
}

// TestNotificationsServeFromGeneration checks that, with notifications, an unchanged result is
// served from the notification generation (without stat), and that a change is still seen. Other
// processes' activity in the temporary directory's ancestors moves the generation on at times, so
// the test resolves until a call is served from it.
func TestNotificationsServeFromGeneration(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Log("change notifications are Linux-only; the stat mode is covered by the other tests")
		return
	}
	l := newLayout(t, acceptPolicy)
	r := l.resolver(t, WithChangeNotifications())
	first := mustResolve(t, r, "")
	for i := 0; i < 10000 && r.quickHits.Load() == 0; i++ {
		if mustResolve(t, r, "") != first {
			t.Fatal("an unchanged policy was rebuilt")
		}
	}
	if r.quickHits.Load() == 0 {
		t.Fatal("no call was served from the notification generation")
	}
	writeAtomic(t, l.global, rejectPolicy)
	if got := defaultType(mustResolve(t, r, "")); got != policy.TypeReject {
		t.Fatalf("after the change: %s", got)
	}
}
