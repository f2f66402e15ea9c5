package fulcio

import (
	"crypto/x509"
	"sync"
	"sync/atomic"

	"github.com/sigstore/sigstore/pkg/cryptoutils"
)

// maxMemoizedChains bounds the parsed chain annotations one Anchors remembers.
const maxMemoizedChains = 64

// chainMemo remembers chain annotations already parsed (keyed by their exact bytes): signatures
// from one Fulcio instance carry the same intermediate-and-root chain, so parsing it once saves two
// certificate parses per signature. Parsed certificates are never modified, so they are shared.
// Lookups take no lock.
type chainMemo struct {
	entries sync.Map // string(PEM) -> []*x509.Certificate
	count   atomic.Int64
}

// parseChain is cryptoutils.UnmarshalCertificatesFromPEM, memoized for successful parses when the
// chain cache is on (WithChainCacheSize(0) turns both off).
func (a *Anchors) parseChain(untrustedChainPEM []byte) ([]*x509.Certificate, error) {
	if a.cache == nil {
		return cryptoutils.UnmarshalCertificatesFromPEM(untrustedChainPEM)
	}
	if v, ok := a.chains.entries.Load(string(untrustedChainPEM)); ok {
		return v.([]*x509.Certificate), nil
	}
	certs, err := cryptoutils.UnmarshalCertificatesFromPEM(untrustedChainPEM)
	if err != nil {
		return nil, err
	}
	if a.chains.count.Load() < maxMemoizedChains {
		if _, loaded := a.chains.entries.LoadOrStore(string(untrustedChainPEM), certs); !loaded {
			a.chains.count.Add(1)
		}
	}
	return certs, nil
}
