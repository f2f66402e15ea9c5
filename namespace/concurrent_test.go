package namespace

import (
	"errors"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
)

// TestResolveConcurrentReplace runs Resolve and Evaluate from several goroutines while other
// goroutines replace the namespace policy file and the key file it names. Run it with -race.
//
// Every result must be self-consistent: its digest must be that of one (policy, key) pair that
// existed, and its Evaluator must decide the real fixture image as that pair does. After the
// writers stop, the next call must see the final files.
func TestResolveConcurrentReplace(t *testing.T) {
	for _, mode := range []struct {
		name    string
		inPlace bool // the policy file is rewritten in place (truncate, write) instead of renamed
		opts    []Option
	}{
		{"atomic rename", false, nil},
		{"rewritten in place", true, nil},
		{"atomic rename, notifications", false, []Option{WithChangeNotifications()}},
		{"rewritten in place, notifications", true, []Option{WithChangeNotifications()}},
	} {
		t.Run(mode.name, func(t *testing.T) {
			l := newLayout(t, rejectPolicy)
			key := filepath.Join(l.base, "key.pub")
			ns := l.nsFile("team")
			keys := [2][]byte{readFile(t, fixtures+"/cosign.pub"), readFile(t, fixtures+"/cosign2.pub")}
			policies := [2]string{keyPolicy(key), rejectPolicy}
			// The decision each (policy, key) pair gives, by digest.
			allowedByDigest := map[string]bool{}
			for p := range policies {
				for k := range keys {
					var trust []trustFile
					if p == 0 {
						trust = []trustFile{{path: key, data: keys[k]}}
					}
					allowedByDigest[digestOf(false, [][]byte{[]byte(policies[p])}, trust)] = p == 0 && k == 0
				}
			}
			writeAtomic(t, key, string(keys[0]))
			writeAtomic(t, ns, policies[0])
			// The real clock: every file here is freshly written, so the racy-timestamp rule is
			// in play throughout.
			r, err := New(l.global, l.dir, mode.opts...)
			if err != nil {
				t.Fatal(err)
			}

			const swaps = 40
			var writers, readers sync.WaitGroup
			var done atomic.Bool
			writers.Add(2)
			go func() { // the policy file
				defer writers.Done()
				for i := 0; i < swaps; i++ {
					data := policies[(i+1)%2]
					if mode.inPlace {
						if err := os.WriteFile(ns, []byte(data), 0o644); err != nil {
							t.Error(err)
							return
						}
					} else {
						writeAtomic(t, ns, data)
					}
				}
			}()
			go func() { // the key file, always atomically
				defer writers.Done()
				for i := 0; i < swaps; i++ {
					writeAtomic(t, key, string(keys[(i+1)%2]))
				}
			}()
			var resolved, failed atomic.Int64
			for g := 0; g < 4; g++ {
				readers.Add(1)
				go func() {
					defer readers.Done()
					for !done.Load() {
						res, err := r.Resolve("team")
						if err != nil {
							// Only a half-written policy file may fail, and it must deny as a policy error.
							if !mode.inPlace || !errors.Is(err, ErrPolicyFile) {
								t.Errorf("Resolve: %v", err)
								return
							}
							failed.Add(1)
							continue
						}
						want, ok := allowedByDigest[res.Digest]
						if !ok {
							t.Errorf("digest %s matches no (policy, key) pair", res.Digest)
							return
						}
						if d := evaluateCosign(t, res); d.Allowed != want {
							t.Errorf("digest %s: allowed %v, want %v (%v)", res.Digest, d.Allowed, want, d.Err)
							return
						}
						resolved.Add(1)
					}
				}()
			}
			writers.Wait()
			done.Store(true)
			readers.Wait()
			if resolved.Load() == 0 {
				t.Fatal("no Resolve call succeeded while the files changed")
			}
			t.Logf("%d results checked, %d half-written policies denied", resolved.Load(), failed.Load())

			// swaps is even: the writers end on the pair (policy 0, key 0).
			writeAtomic(t, key, string(keys[0]))
			res := mustResolve(t, r, "team")
			if d := evaluateCosign(t, res); !d.Allowed || !allowedByDigest[res.Digest] {
				t.Fatalf("after the writers stopped: allowed %v (%v), digest %s", d.Allowed, d.Err, res.Digest)
			}
		})
	}
}

func readFile(t testing.TB, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return data
}
