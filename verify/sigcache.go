package verify

import (
	"hash/maphash"
	"sync"
	"sync/atomic"

	"github.com/sigpolicy/sigpolicy/internal/limits"
)

// maxVerifiedSignatures bounds the verified-signature cache of one compiled requirement.
const maxVerifiedSignatures = limits.MaxSignatureCacheEntries

// sigCache remembers signatures whose time-independent checks (payload signature, Rekor SET, Fulcio
// certificate at the integrated time, issuer and email) already passed under one requirement's trust
// material, so that the same signature evaluated again (a container-create re-check, the next pod of a
// deployment) costs only the manifest digest and identity checks. The payload is parsed again on
// every use; nothing about the image is cached.
//
// Lookups take no lock. Entries are compared in full (every input byte), so a hash collision can
// never make a different signature pass. The cache stops growing at maxVerifiedSignatures entries.
type sigCache struct {
	seed    maphash.Seed
	entries sync.Map // uint64 -> []*sigCacheEntry (immutable slices, replaced on insert)
	mu      sync.Mutex
	count   atomic.Int64
}

// sigCacheEntry is one verified signature: the exact inputs that were verified, and the claims
// parsed from its payload (a pure function of the payload bytes; nil if the payload did not parse).
type sigCacheEntry struct {
	inputs    sigInputs
	claims    *payloadClaims
	claimsErr error // why the payload did not parse, when claims is nil
}

// sigInputs are the bytes of a sigstore signature that its verification depends on.
type sigInputs struct {
	b64Sig, payload, cert, chain, bundle string
}

func newSigCache() *sigCache { return &sigCache{seed: maphash.MakeSeed()} }

func (c *sigCache) key(in *sigInputs) uint64 {
	var h maphash.Hash
	h.SetSeed(c.seed)
	for _, s := range [...]string{in.b64Sig, in.payload, in.cert, in.chain, in.bundle} {
		var n [8]byte
		l := uint64(len(s))
		for i := range n {
			n[i] = byte(l >> (8 * i))
		}
		_, _ = h.Write(n[:])
		_, _ = h.WriteString(s)
	}
	return h.Sum64()
}

// lookup returns the entry of exactly these inputs, if they were verified before.
func (c *sigCache) lookup(in *sigInputs) (*sigCacheEntry, bool) {
	v, ok := c.entries.Load(c.key(in))
	if !ok {
		return nil, false
	}
	for _, got := range v.([]*sigCacheEntry) {
		if got.inputs == *in {
			return got, true
		}
	}
	return nil, false
}

// add records verified inputs.
func (c *sigCache) add(e *sigCacheEntry) {
	if c.count.Load() >= maxVerifiedSignatures {
		return
	}
	k := c.key(&e.inputs)
	c.mu.Lock()
	defer c.mu.Unlock()
	var list []*sigCacheEntry
	if v, ok := c.entries.Load(k); ok {
		list = v.([]*sigCacheEntry)
		for _, got := range list {
			if got.inputs == e.inputs {
				return
			}
		}
	}
	c.entries.Store(k, append(append([]*sigCacheEntry(nil), list...), e))
	c.count.Add(1)
}
