package namespace

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"hash"
)

// digestDomain starts every digest, so that it cannot collide with a digest of anything else.
const digestDomain = "sigpolicy.namespace.Resolved.Digest.v1"

// digestOf computes Resolved.Digest. Every field is written with an 8-byte big-endian length
// prefix: the domain, the mode ("replace" or "overlay"), the number of policy documents and each
// document's bytes (namespace file first), the number of trust files and, for each in sorted path
// order, its path, its status ("ok" or "unreadable") and its bytes.
func digestOf(overlay bool, policies [][]byte, trust []trustFile) string {
	h := sha256.New()
	field(h, []byte(digestDomain))
	mode := "replace"
	if overlay {
		mode = "overlay"
	}
	field(h, []byte(mode))
	count(h, len(policies))
	for _, p := range policies {
		field(h, p)
	}
	count(h, len(trust))
	for i := range trust {
		t := &trust[i]
		field(h, []byte(t.path))
		if t.err != nil {
			field(h, []byte("unreadable"))
			field(h, nil)
			continue
		}
		field(h, []byte("ok"))
		field(h, t.data)
	}
	return "sha256:" + hex.EncodeToString(h.Sum(nil))
}

func count(h hash.Hash, n int) {
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], uint64(n))
	h.Write(b[:])
}

func field(h hash.Hash, data []byte) {
	count(h, len(data))
	h.Write(data)
}
