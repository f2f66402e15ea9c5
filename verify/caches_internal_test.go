package verify

import (
	"fmt"
	"testing"

	digest "github.com/opencontainers/go-digest"

	"github.com/sigpolicy/sigpolicy/internal/limits"
)

// TestSignatureCacheBounded fills the verified-signature cache past limits.MaxSignatureCacheEntries:
// it stops growing, keeps answering for what it holds, and never answers for what it refused.
func TestSignatureCacheBounded(t *testing.T) {
	c := newSigCache()
	n := limits.MaxSignatureCacheEntries + 10
	for i := range n {
		c.add(&sigCacheEntry{inputs: sigInputs{b64Sig: fmt.Sprint(i)}})
	}
	if got := c.count.Load(); got != int64(limits.MaxSignatureCacheEntries) {
		t.Fatalf("count %d, want %d", got, limits.MaxSignatureCacheEntries)
	}
	if _, ok := c.lookup(&sigInputs{b64Sig: "0"}); !ok {
		t.Fatal("first entry lost")
	}
	if _, ok := c.lookup(&sigInputs{b64Sig: fmt.Sprint(n - 1)}); ok {
		t.Fatal("entry past the bound was cached")
	}
	if _, ok := c.lookup(&sigInputs{b64Sig: "0", payload: "x"}); ok {
		t.Fatal("lookup matched different inputs")
	}
}

// TestDigestMemoBounded fills the manifest-digest memo past limits.MaxManifestDigestMemo; digests
// stay correct throughout.
func TestDigestMemoBounded(t *testing.T) {
	m := newDigestMemo()
	for i := range limits.MaxManifestDigestMemo + 10 {
		manifest := fmt.Appendf(nil, `{"schemaVersion":2,"n":%d}`, i)
		for range 2 {
			d, err := m.digest(manifest)
			if err != nil || d != digest.FromBytes(manifest) {
				t.Fatalf("manifest %d: %v %v", i, d, err)
			}
		}
	}
	if got := m.count.Load(); got != int64(limits.MaxManifestDigestMemo) {
		t.Fatalf("count %d", got)
	}
}
