package verify

import (
	"bytes"
	"container/list"
	"encoding/binary"
	"hash/maphash"
	"maps"
	"sync"
	"sync/atomic"
	"time"

	"github.com/sigpolicy/sigpolicy/source"
)

// DecisionCache is an optional, bounded (LRU), concurrency-safe cache of decisions, shared by any
// number of Evaluators (see WithDecisionCache). A runtime uses it to re-check an image at container
// create without repeating the cryptography of the pull-time check; a webhook uses it to admit the
// next pod of the same image at once.
//
// An entry is keyed by everything that can change the answer: the content digest of the compiled
// policy (the policy document and every key, CA and keyring file it read), the transport and the
// scope that applied (through the reference it derives from), the image reference as written, the manifest digest, and the exact bytes of
// every signature. A decision that depends on the wall clock (a PKI certificate's validity, an
// OpenPGP signature's expiry, or a public key without Rekor, whose acceptance a key rotation outside
// the policy may change) expires after the cache's TTL; the others stay until evicted. Denials are
// cached only with CacheDenials.
type DecisionCache struct {
	max     int
	ttl     time.Duration
	denials bool
	now     func() time.Time
	seed    maphash.Seed

	mu    sync.Mutex
	lru   *list.List // of *cacheEntry, most recent first
	index map[uint64][]*list.Element

	hits, misses, evictions atomic.Uint64
}

// CacheOption configures a DecisionCache.
type CacheOption func(*DecisionCache)

// CacheDenials makes the cache keep denials too (by default only allowed decisions are kept, so a
// denial is always recomputed, for example after a signature is added to the registry).
func CacheDenials() CacheOption { return func(c *DecisionCache) { c.denials = true } }

// WithCacheClock sets the clock used for TTL expiry (default time.Now).
func WithCacheClock(now func() time.Time) CacheOption {
	return func(c *DecisionCache) {
		if now != nil {
			c.now = now
		}
	}
}

// NewDecisionCache returns a cache holding at most size decisions (at least 1); wall-clock-dependent
// decisions expire ttl after they were made (a ttl <= 0 means such decisions are never cached).
func NewDecisionCache(size int, ttl time.Duration, opts ...CacheOption) *DecisionCache {
	if size < 1 {
		size = 1
	}
	c := &DecisionCache{max: size, ttl: ttl, now: time.Now, seed: maphash.MakeSeed(),
		lru: list.New(), index: map[uint64][]*list.Element{}}
	for _, o := range opts {
		o(c)
	}
	return c
}

// CacheStats are a DecisionCache's counters.
type CacheStats struct {
	Hits, Misses, Evictions uint64
	Entries                 int
}

// Stats returns the cache's counters.
func (c *DecisionCache) Stats() CacheStats {
	c.mu.Lock()
	n := c.lru.Len()
	c.mu.Unlock()
	return CacheStats{Hits: c.hits.Load(), Misses: c.misses.Load(), Evictions: c.evictions.Load(), Entries: n}
}

// cacheKey is the exact identity of a decision.
// The scope that applies is not part of it: it is a function of the policy, the transport and the
// reference, which are.
type cacheKey struct {
	policy, transport, ref, digest string
	sigs                           []source.Signature // compared byte for byte
	sigsHash                       uint64
}

// equal reports whether two keys are identical, signatures included.
func (k *cacheKey) equal(o *cacheKey) bool {
	return k.policy == o.policy && k.transport == o.transport && k.ref == o.ref && k.digest == o.digest &&
		k.sigsHash == o.sigsHash && signaturesEqual(k.sigs, o.sigs)
}

type cacheEntry struct {
	hash    uint64
	key     cacheKey
	d       Decision
	expires time.Time // zero: no expiry
}

func (c *DecisionCache) hash(k *cacheKey) uint64 {
	var h maphash.Hash
	h.SetSeed(c.seed)
	for _, s := range [...]string{k.policy, k.transport, k.ref, k.digest} {
		var n [8]byte
		binary.LittleEndian.PutUint64(n[:], uint64(len(s)))
		_, _ = h.Write(n[:])
		_, _ = h.WriteString(s)
	}
	return h.Sum64() ^ k.sigsHash
}

// get copies the cached decision for k into d, if present and not expired.
func (c *DecisionCache) get(k *cacheKey, d *Decision) bool {
	h := c.hash(k)
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, el := range c.index[h] {
		e := el.Value.(*cacheEntry)
		if !e.key.equal(k) {
			continue
		}
		if !e.expires.IsZero() && !c.now().Before(e.expires) {
			c.remove(el)
			break
		}
		c.lru.MoveToFront(el)
		c.hits.Add(1)
		*d = e.d
		return true
	}
	c.misses.Add(1)
	return false
}

// put stores d under k, if the cache keeps decisions of its kind.
func (c *DecisionCache) put(k *cacheKey, d *Decision, clockDependent bool) {
	if !d.Allowed && !c.denials {
		return
	}
	var expires time.Time
	if clockDependent {
		if c.ttl <= 0 {
			return
		}
		expires = c.now().Add(c.ttl)
	}
	h := c.hash(k)
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, el := range c.index[h] {
		if el.Value.(*cacheEntry).key.equal(k) {
			c.remove(el)
			break
		}
	}
	stored := *k
	stored.sigs = cloneSignatures(k.sigs)
	el := c.lru.PushFront(&cacheEntry{hash: h, key: stored, d: *d, expires: expires})
	c.index[h] = append(c.index[h], el)
	for c.lru.Len() > c.max {
		c.remove(c.lru.Back())
		c.evictions.Add(1)
	}
}

// remove deletes el; c.mu must be held.
func (c *DecisionCache) remove(el *list.Element) {
	e := el.Value.(*cacheEntry)
	c.lru.Remove(el)
	els := c.index[e.hash]
	for i, x := range els {
		if x == el {
			els = append(els[:i:i], els[i+1:]...)
			break
		}
	}
	if len(els) == 0 {
		delete(c.index, e.hash)
	} else {
		c.index[e.hash] = els
	}
}

// hashSignatures buckets a signature list: it hashes each signature's media type, payload and
// signature value (which tell real signatures apart) but not its certificate or Rekor bundle; keys
// are always compared in full, so the hash only needs to spread entries.
func hashSignatures(seed maphash.Seed, sigs []source.Signature) uint64 {
	var h maphash.Hash
	h.SetSeed(seed)
	field := func(s string) {
		var n [8]byte
		binary.LittleEndian.PutUint64(n[:], uint64(len(s)))
		_, _ = h.Write(n[:])
		_, _ = h.WriteString(s)
	}
	for _, s := range sigs {
		switch s := s.(type) {
		case source.Sigstore:
			_ = h.WriteByte('s')
			field(s.UntrustedMIMEType)
			_, _ = h.Write(s.UntrustedPayload)
			field(s.UntrustedAnnotations[source.SignatureAnnotationKey])
		case source.SimpleSigning:
			_ = h.WriteByte('g')
			_, _ = h.Write(s.UntrustedBlob)
		case source.Bundle:
			_ = h.WriteByte('b')
			field(s.UntrustedMediaType)
			field(s.Origin)
			_, _ = h.Write(s.UntrustedJSON)
		default:
			_ = h.WriteByte('?')
		}
	}
	return h.Sum64()
}

// signaturesEqual compares two signature lists byte for byte. Unknown signature kinds never compare
// equal, so they are never served from the cache.
func signaturesEqual(a, b []source.Signature) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		switch x := a[i].(type) {
		case source.Sigstore:
			y, ok := b[i].(source.Sigstore)
			if !ok || x.UntrustedMIMEType != y.UntrustedMIMEType || !bytes.Equal(x.UntrustedPayload, y.UntrustedPayload) ||
				!maps.Equal(x.UntrustedAnnotations, y.UntrustedAnnotations) {
				return false
			}
		case source.SimpleSigning:
			y, ok := b[i].(source.SimpleSigning)
			if !ok || !bytes.Equal(x.UntrustedBlob, y.UntrustedBlob) {
				return false
			}
		case source.Bundle:
			y, ok := b[i].(source.Bundle)
			if !ok || x.UntrustedMediaType != y.UntrustedMediaType || x.Origin != y.Origin || !bytes.Equal(x.UntrustedJSON, y.UntrustedJSON) {
				return false
			}
		default:
			return false
		}
	}
	return true
}

// cloneSignatures deep-copies a signature list, so that a cached key never aliases caller data.
func cloneSignatures(sigs []source.Signature) []source.Signature {
	out := make([]source.Signature, len(sigs))
	for i, s := range sigs {
		switch s := s.(type) {
		case source.Sigstore:
			out[i] = s.Clone()
		case source.SimpleSigning:
			out[i] = source.SimpleSigning{UntrustedBlob: bytes.Clone(s.UntrustedBlob)}
		case source.Bundle:
			out[i] = s.Clone()
		default:
			out[i] = s
		}
	}
	return out
}
