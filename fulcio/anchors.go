package fulcio

import (
	"crypto/x509"
	"encoding/pem"
	"fmt"

	"github.com/sigstore/sigstore/pkg/cryptoutils"
)

// DefaultChainCacheSize is the default number of issuing intermediates whose verified upper
// chains an Anchors remembers.
const DefaultChainCacheSize = 64

// Anchors is a compiled, immutable set of trust anchors (CA roots and, for PKI, trusted
// intermediates). It is safe for concurrent use; its chain cache is lock-free.
type Anchors struct {
	roots         *x509.CertPool
	rootDER       map[string]struct{} // DER of every root in roots
	intermediates []*x509.Certificate // trusted intermediates (PKI only), in document order
	cache         *chainCache         // nil when disabled
	chains        chainMemo           // parsed chain annotations; used only with the cache
}

// Option configures an Anchors.
type Option func(*Anchors) error

// WithChainCacheSize sets how many issuing intermediates the chain cache remembers; 0 disables
// the cache (every verification then runs a full crypto/x509 Verify). Negative sizes are an error.
func WithChainCacheSize(n int) Option {
	return func(a *Anchors) error {
		if n < 0 {
			return fmt.Errorf("fulcio: invalid chain cache size %d", n)
		}
		if n == 0 {
			a.cache = nil
		} else {
			a.cache = newChainCache(n)
		}
		return nil
	}
}

// NewFulcioAnchors loads the Fulcio CA certificates (a policy's caPath/caData) with the lenient
// rules of x509.CertPool.AppendCertsFromPEM: non-CERTIFICATE blocks, blocks with headers and
// unparsable certificates are skipped. At least one certificate is required, else the error wraps
// ErrNoCertificates ("error loading Fulcio CA certificates").
func NewFulcioAnchors(caPEM []byte, opts ...Option) (*Anchors, error) {
	return newAnchors(caPEM, "error loading Fulcio CA certificates", opts)
}

// NewPKIAnchors loads PKI roots leniently (as NewFulcioAnchors; error "error loading PKI CA Roots
// certificates") and, if intermediatesPEM is not nil, trusted intermediates strictly with
// cryptoutils.UnmarshalCertificatesFromPEM (error "loading trusted intermediate certificates: …",
// wrapping ErrIntermediates).
func NewPKIAnchors(rootsPEM, intermediatesPEM []byte, opts ...Option) (*Anchors, error) {
	a, err := newAnchors(rootsPEM, "error loading PKI CA Roots certificates", opts)
	if err != nil {
		return nil, err
	}
	if intermediatesPEM != nil {
		certs, err := cryptoutils.UnmarshalCertificatesFromPEM(intermediatesPEM)
		if err != nil {
			return nil, newErr(ErrIntermediates, err, "loading trusted intermediate certificates: %v", err)
		}
		a.intermediates = certs
	}
	return a, nil
}

func newAnchors(rootsPEM []byte, emptyMsg string, opts []Option) (*Anchors, error) {
	a := &Anchors{roots: x509.NewCertPool(), rootDER: map[string]struct{}{}, cache: newChainCache(DefaultChainCacheSize)}
	if !a.roots.AppendCertsFromPEM(rootsPEM) {
		return nil, newErr(ErrNoCertificates, nil, "%s", emptyMsg)
	}
	// The same walk as AppendCertsFromPEM, to know which certificates the pool holds.
	for rest := rootsPEM; len(rest) > 0; {
		var block *pem.Block
		block, rest = pem.Decode(rest)
		if block == nil {
			break
		}
		if block.Type != "CERTIFICATE" || len(block.Headers) != 0 {
			continue
		}
		if _, err := x509.ParseCertificate(block.Bytes); err != nil {
			continue
		}
		a.rootDER[string(block.Bytes)] = struct{}{}
	}
	for _, opt := range opts {
		if err := opt(a); err != nil {
			return nil, err
		}
	}
	return a, nil
}
