package verify

import (
	"bytes"
	"hash/maphash"
	"sync"
	"sync/atomic"

	digest "github.com/opencontainers/go-digest"

	"github.com/sigpolicy/sigpolicy/internal/limits"
	"github.com/sigpolicy/sigpolicy/source"
)

// maxMemoizedManifests bounds the manifest-digest memo of one Evaluator.
const maxMemoizedManifests = limits.MaxManifestDigestMemo

// digestMemo remembers the digests of manifests seen before (compared byte for byte), so that
// re-evaluating an image does not hash and re-parse its manifest. Lookups take no lock.
type digestMemo struct {
	seed    maphash.Seed
	entries sync.Map // uint64 -> *digestEntry
	count   atomic.Int64
}

type digestEntry struct {
	manifest []byte
	digest   digest.Digest
}

func newDigestMemo() *digestMemo { return &digestMemo{seed: maphash.MakeSeed()} }

// digest returns source.ManifestDigest(m), memoized.
func (d *digestMemo) digest(m []byte) (digest.Digest, error) {
	if d == nil {
		return source.ManifestDigest(m)
	}
	k := maphash.Bytes(d.seed, m)
	if v, ok := d.entries.Load(k); ok {
		if e := v.(*digestEntry); bytes.Equal(e.manifest, m) {
			return e.digest, nil
		}
	}
	dg, err := source.ManifestDigest(m)
	if err != nil {
		return "", err
	}
	if d.count.Load() < maxMemoizedManifests {
		if _, loaded := d.entries.LoadOrStore(k, &digestEntry{manifest: bytes.Clone(m), digest: dg}); !loaded {
			d.count.Add(1)
		}
	}
	return dg, nil
}
