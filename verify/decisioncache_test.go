package verify_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/containers/image/v5/docker/reference"

	"github.com/sigpolicy/sigpolicy/policy"
	"github.com/sigpolicy/sigpolicy/source"
	"github.com/sigpolicy/sigpolicy/verify"
)

// fakeClock is a settable clock for TTL tests.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) now() time.Time          { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *fakeClock) advance(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

func cachedEvaluator(t testing.TB, pol []byte, cache *verify.DecisionCache) *verify.Evaluator {
	t.Helper()
	p, err := policy.Parse(pol)
	if err != nil {
		t.Fatal(err)
	}
	ev, err := verify.Compile(p, verify.WithDecisionCache(cache))
	if err != nil {
		t.Fatal(err)
	}
	return ev
}

func evalRef(t testing.TB, ev *verify.Evaluator, ref string, src source.Image) *verify.Decision {
	t.Helper()
	r, err := reference.ParseNormalizedNamed(ref)
	if err != nil {
		t.Fatal(err)
	}
	d, err := ev.Evaluate(context.Background(), verify.Image{Reference: r, Source: src})
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestDecisionCacheKeying(t *testing.T) {
	clock := &fakeClock{t: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	cache := verify.NewDecisionCache(16, time.Minute, verify.WithCacheClock(clock.now))
	fulcioPolicy := policyFor(`{"type":"sigstoreSigned",` + fulcioSpec + `,` + mr + `}`)
	ev := cachedEvaluator(t, fulcioPolicy, cache)
	img := loadMemImage(t, fx("dir-img-cosign-fulcio-rekor-valid"))

	first := evalRef(t, ev, fulcioRef, img)
	second := evalRef(t, ev, fulcioRef, img)
	if !first.Allowed || !second.Allowed {
		t.Fatalf("denied: %v %v", first.Err, second.Err)
	}
	if s := cache.Stats(); s.Hits != 1 || s.Misses != 1 || s.Entries != 1 {
		t.Fatalf("stats after two evaluations: %+v", s)
	}
	// A recompiled evaluator of the same content shares the entry.
	evalRef(t, cachedEvaluator(t, fulcioPolicy, cache), fulcioRef, img)
	if s := cache.Stats(); s.Hits != 2 {
		t.Fatalf("same content, different evaluator: %+v", s)
	}
	// Anything that can change the answer is a miss: another reference, another policy, another
	// signature set, another manifest.
	evalRef(t, ev, fulcioRef+":other", img)
	evalRef(t, cachedEvaluator(t, policyFor(`{"type":"insecureAcceptAnything"}`), cache), fulcioRef, img)
	moreSigs := &memImage{manifest: img.manifest, sigs: append(append([]source.Signature{}, img.sigs...), img.sigs...)}
	evalRef(t, ev, fulcioRef, moreSigs)
	if s := cache.Stats(); s.Hits != 2 || s.Misses != 4 {
		t.Fatalf("expected only misses: %+v", s)
	}
	// Fulcio + Rekor decisions do not depend on the clock: they survive the TTL.
	clock.advance(time.Hour)
	evalRef(t, ev, fulcioRef, img)
	if s := cache.Stats(); s.Hits != 3 {
		t.Fatalf("Fulcio decision expired: %+v", s)
	}
}

func TestDecisionCacheTTLAndDenials(t *testing.T) {
	clock := &fakeClock{t: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	cache := verify.NewDecisionCache(16, time.Minute, verify.WithCacheClock(clock.now))
	ev := cachedEvaluator(t, policyFor(`{"type":"sigstoreSigned","keyPath":"FX/cosign.pub",`+mr+`}`), cache)
	img := loadMemImage(t, fx("dir-img-cosign-valid"))
	evalRef(t, ev, single, img)
	evalRef(t, ev, single, img)
	clock.advance(61 * time.Second)
	evalRef(t, ev, single, img) // key-only decisions expire by TTL
	if s := cache.Stats(); s.Hits != 1 || s.Misses != 2 {
		t.Fatalf("TTL: %+v", s)
	}
	// Denials are not cached by default...
	for range 2 {
		if d := evalRef(t, ev, "quay.io/x/y:1", img); d.Allowed {
			t.Fatal("allowed")
		}
	}
	if s := cache.Stats(); s.Hits != 1 {
		t.Fatalf("denial cached: %+v", s)
	}
	// ...but are with CacheDenials, and a cached denial is still a denial with its reason.
	denying := verify.NewDecisionCache(16, time.Minute, verify.CacheDenials(), verify.WithCacheClock(clock.now))
	ev2 := cachedEvaluator(t, policyFor(`{"type":"sigstoreSigned","keyPath":"FX/cosign.pub",`+mr+`}`), denying)
	evalRef(t, ev2, "quay.io/x/y:1", img)
	d := evalRef(t, ev2, "quay.io/x/y:1", img)
	if s := denying.Stats(); s.Hits != 1 || d.Allowed || d.Err == nil {
		t.Fatalf("cached denial: %+v %+v", s, d)
	}
}

func TestDecisionCacheBounded(t *testing.T) {
	cache := verify.NewDecisionCache(3, time.Minute)
	ev := cachedEvaluator(t, policyFor(`{"type":"insecureAcceptAnything"}`), cache)
	img := loadMemImage(t, fx("dir-img-cosign-valid"))
	for _, tag := range []string{"a", "b", "c", "d", "e"} {
		evalRef(t, ev, single+":"+tag, img)
	}
	if s := cache.Stats(); s.Entries != 3 || s.Evictions != 2 {
		t.Fatalf("bound: %+v", s)
	}
	evalRef(t, ev, single+":e", img) // most recent: still there
	evalRef(t, ev, single+":a", img) // least recent: evicted
	if s := cache.Stats(); s.Hits != 1 || s.Misses != 6 {
		t.Fatalf("LRU order: %+v", s)
	}
}

func TestDecisionCacheConcurrent(t *testing.T) {
	cache := verify.NewDecisionCache(8, time.Minute)
	ev := cachedEvaluator(t, policyFor(`{"type":"sigstoreSigned",`+fulcioSpec+`,`+mr+`}`), cache)
	img := loadMemImage(t, fx("dir-img-cosign-fulcio-rekor-valid"))
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			for j := range 50 {
				ref, want := fulcioRef, true
				if (i+j)%3 == 0 {
					ref, want = "quay.io/x/y:1", false
				}
				if d := evalRef(t, ev, ref, img); d.Allowed != want {
					t.Errorf("allowed=%v for %s", d.Allowed, ref)
					return
				}
			}
		})
	}
	wg.Wait()
	if s := cache.Stats(); s.Hits == 0 {
		t.Fatalf("no hits: %+v", s)
	}
}

// BenchmarkDecisionCacheHit is a repeated evaluation answered from the decision cache (the
// create-time re-check, the next pod of a deployment).
func BenchmarkDecisionCacheHit(b *testing.B) {
	cache := verify.NewDecisionCache(1024, time.Minute)
	ev := cachedEvaluator(b, policyFor(`{"type":"sigstoreSigned",`+fulcioSpec+`,`+mr+`}`), cache)
	mem := loadMemImage(b, fx("dir-img-cosign-fulcio-rekor-valid"))
	ref, _ := reference.ParseNormalizedNamed(fulcioRef + ":1.0") // runtimes pass tagged or digested references
	img := verify.Image{Reference: ref, Source: mem}
	ctx := context.Background()
	if d, err := ev.Evaluate(ctx, img); err != nil || !d.Allowed {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if d, _ := ev.Evaluate(ctx, img); !d.Allowed {
			b.Fatal("denied")
		}
	}
	if s := cache.Stats(); s.Hits < uint64(b.N) {
		b.Fatalf("not all hits: %+v", s)
	}
}
