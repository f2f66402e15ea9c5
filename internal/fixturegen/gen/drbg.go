package gen

import (
	"crypto/sha256"
	"encoding/binary"
)

// DRBG is a deterministic byte stream: block i is SHA-256(seed || 0x00 || label || 0x00 || i), with
// i a big-endian uint64 starting at 0. It is an io.Reader that never fails. It is not a
// cryptographically reviewed DRBG; it only has to be reproducible and well spread.
type DRBG struct {
	prefix  []byte
	counter uint64
	buf     []byte
}

// NewDRBG returns the stream for seed and label. Different labels give independent streams, so a
// new key can be added without changing existing ones.
func NewDRBG(seed, label string) *DRBG {
	prefix := make([]byte, 0, len(seed)+len(label)+2)
	prefix = append(prefix, seed...)
	prefix = append(prefix, 0)
	prefix = append(prefix, label...)
	prefix = append(prefix, 0)
	return &DRBG{prefix: prefix}
}

// Read fills p from the stream. It always returns len(p), nil.
func (d *DRBG) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) {
		if len(d.buf) == 0 {
			var ctr [8]byte
			binary.BigEndian.PutUint64(ctr[:], d.counter)
			d.counter++
			h := sha256.Sum256(append(append([]byte{}, d.prefix...), ctr[:]...))
			d.buf = h[:]
		}
		c := copy(p[n:], d.buf)
		d.buf = d.buf[c:]
		n += c
	}
	return n, nil
}

// Bytes returns the next n bytes of the stream.
func (d *DRBG) Bytes(n int) []byte {
	b := make([]byte, n)
	_, _ = d.Read(b)
	return b
}
