package namespace

import (
	"path/filepath"
	"testing"

	"github.com/containers/image/v5/signature"

	"github.com/sigpolicy/sigpolicy/policy"
	"github.com/sigpolicy/sigpolicy/verify"
)

// benchLayout is a global policy and one namespace file, each naming one key file.
func benchLayout(b *testing.B) (layout, string) {
	l := newLayout(b, "")
	key := filepath.Join(l.base, "key.pub")
	copyFile(b, fixtures+"/cosign.pub", key)
	writeFile(b, l.global, keyPolicy(key))
	writeFile(b, l.nsFile("team"), keyPolicy(key))
	return l, key
}

// BenchmarkResolve measures Resolve when nothing changed: the cost is one stat system call per file
// (see BenchmarkStat for its cost on this machine) plus the name check and cache lookup.
func BenchmarkResolve(b *testing.B) {
	l, _ := benchLayout(b)
	for _, bb := range []struct {
		name string
		ns   string
		opts []Option
	}{
		{"global", "", nil},                                    // stat policy.json, key.pub
		{"namespace-file", "team", nil},                        // lstat team.json, stat key.pub
		{"namespace-fallback", "other", nil},                   // lstat other.json (absent), stat policy.json, key.pub
		{"namespace-overlay", "team", []Option{WithOverlay()}}, // lstat team.json, stat policy.json, key.pub
		// With change notifications: one non-blocking read of the inotify queue, whatever the files.
		{"notifications/global", "", []Option{WithChangeNotifications()}},
		{"notifications/namespace-file", "team", []Option{WithChangeNotifications()}},
		{"notifications/namespace-fallback", "other", []Option{WithChangeNotifications()}},
	} {
		b.Run(bb.name, func(b *testing.B) {
			r := l.resolver(b, bb.opts...)
			first := mustResolve(b, r, bb.ns)
			b.ReportAllocs()
			for b.Loop() {
				res, err := r.Resolve(bb.ns)
				if err != nil || res != first {
					b.Fatalf("Resolve: %v, %v", res, err)
				}
			}
		})
	}
}

// BenchmarkResolveParallel is BenchmarkResolve/namespace-file from every core at once.
func BenchmarkResolveParallel(b *testing.B) {
	l, _ := benchLayout(b)
	r := l.resolver(b)
	first := mustResolve(b, r, "team")
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if res, err := r.Resolve("team"); err != nil || res != first {
				b.Errorf("Resolve: %v, %v", res, err)
				return
			}
		}
	})
}

// BenchmarkStat is the floor of a freshness check: one stat system call.
func BenchmarkStat(b *testing.B) {
	l, _ := benchLayout(b)
	p := newSysPath(l.global)
	want := statPath(&p)
	b.ReportAllocs()
	for b.Loop() {
		if !statPath(&p).same(want) {
			b.Fatal("changed")
		}
	}
}

// BenchmarkReload measures the alternatives to the cache, on the same namespace file:
//   - sigpolicy-reparse: read, parse and compile the policy (and read its key) on every call;
//   - containers-image: what CRI-O does for every pull and container creation,
//     signature.NewPolicyFromFile then signature.NewPolicyContext (containers/image reads the key
//     file later, for every signature it checks, so its figure leaves that out).
func BenchmarkReload(b *testing.B) {
	l, _ := benchLayout(b)
	file := l.nsFile("team")
	b.Run("sigpolicy-reparse", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			p, err := policy.ParseFile(file)
			if err != nil {
				b.Fatal(err)
			}
			ev, err := verify.Compile(p, verify.WithOrigin(file, "team"))
			if err != nil || len(ev.Files()) != 1 {
				b.Fatal(err)
			}
		}
	})
	b.Run("sigpolicy-resolver-cold", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			r := l.resolver(b)
			if _, err := r.Resolve("team"); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("containers-image", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			p, err := signature.NewPolicyFromFile(file)
			if err != nil {
				b.Fatal(err)
			}
			pc, err := signature.NewPolicyContext(p)
			if err != nil {
				b.Fatal(err)
			}
			if err := pc.Destroy(); err != nil {
				b.Fatal(err)
			}
		}
	})
}
