package fulcio

import (
	"bytes"
	"crypto/x509"
	"encoding/asn1"
	"slices"
	"sync/atomic"
	"time"
)

// The chain cache avoids re-verifying, for every signature, the signatures of the upper part of a
// certificate path (issuing intermediate X … root) that crypto/x509 has already verified.
//
// # Why the fast path decides exactly as x509.Certificate.Verify
//
// Let L be a new leaf, P the intermediates of this call, R the anchors' roots, t the time, and
// U = [X, …, root] an upper chain cached from an earlier *successful* full Verify of a leaf L1
// that returned the chain [L1, X, …, root]. Verify(L, {Intermediates: P, Roots: R, CurrentTime:
// t, KeyUsages: [CodeSigning]}) accepts iff buildChains enumerates some chain that passes the
// chain filters. The fast path accepts only if all of the following hold, and then the chain
// [L, X, …, root] is enumerated by buildChains and passes every filter, so Verify accepts too:
//
//  1. No signature-check limit: with I distinct intermediates and |R| roots, buildChains makes at
//     most nodes(I)·(I+|R|) signature checks, where nodes(I) = Σ_k I!/(I-k)! counts the simple
//     paths it can explore; we require that bound ≤ 100 (crypto/x509's maxChainSignatureChecks),
//     so the search is exhaustive and every valid chain is enumerated.
//  2. X and the middle certificates of U are in P (compared by DER), the root is in R.
//  3. L is not in R (Verify would not build chains at all) and L's subject differs from the
//     subject of every certificate of U (so alreadyInChain never skips an element of U because
//     of L, exactly as it did not because of L1).
//  4. Verify(L, {Roots: {X}, CurrentTime: t, KeyUsages: [CodeSigning]}) succeeds. This is
//     crypto/x509 itself checking: L's validity at t, critical extensions, L's signature by X,
//     L.Issuer == X.Subject, X's validity at t and critical extensions, X's name constraints on
//     L, and the EKUs of L and X.
//  5. Every certificate of U is valid at t (the same NotBefore/NotAfter test as isValid).
//
// Everything else Verify checks on [L, X, …, root] is independent of t and of L, and held for
// [L1, X, …, root]: the signatures X…root; names, critical extensions, IsCA/basic constraints and
// MaxPathLen of U (their positions in the chain are the same); the EKU filter (with the single
// requested usage CodeSigning, a chain passes iff each certificate individually allows it, and
// each element of U did); and, with the eligibility rules below, name constraints and policies:
//
//   - name constraints: learn only caches U whose certificates above X carry no name-constraints
//     extension, so checkChainConstraints on the full chain performs exactly the checks it
//     performs on [L, X] in step 4;
//   - policies: no certificate of [L, X, …, root] may carry a policyConstraints, policyMappings or
//     inhibitAnyPolicy extension; then policiesValid can only return true (explicit_policy never
//     reaches 0 and there is no mapping to reject).
//
// When any condition fails the full Verify runs, so decisions and error messages are those of
// crypto/x509. TestChainCacheDifferential checks this over many leaves, chains and times.

// maxFastAttempts bounds the extra leaf-signature checks one verification may spend on the fast
// path before falling back.
const maxFastAttempts = 2

// maxFastIntermediates is a cheap upper bound on intermediates (before removing duplicates)
// beyond which condition 1 is not even evaluated.
const maxFastIntermediates = 8

// maxChainSignatureChecks mirrors crypto/x509's limit on CheckSignatureFrom calls per Verify.
const maxChainSignatureChecks = 100

var (
	oidNameConstraints    = asn1.ObjectIdentifier{2, 5, 29, 30}
	oidPolicyMappings     = asn1.ObjectIdentifier{2, 5, 29, 33}
	oidPolicyConstraints  = asn1.ObjectIdentifier{2, 5, 29, 36}
	oidInhibitAnyPolicy   = asn1.ObjectIdentifier{2, 5, 29, 54}
	policyProcessingOIDs  = []asn1.ObjectIdentifier{oidPolicyMappings, oidPolicyConstraints, oidInhibitAnyPolicy}
	nameConstraintsOIDset = []asn1.ObjectIdentifier{oidNameConstraints}
)

// upperChain is a verified path [X, …, root] above some leaf.
type upperChain struct {
	certs  []*x509.Certificate
	issuer *x509.CertPool // holds only certs[0]; read-only, shared
}

// chainCache maps the DER of an issuing intermediate to the upper chains verified above it.
// Reads are lock-free (an atomically swapped immutable map); writes copy the map.
type chainCache struct {
	max   int
	m     atomic.Pointer[map[string][]*upperChain]
	hits  atomic.Uint64 // fast-path acceptances (for tests and benchmarks)
	tries atomic.Uint64 // fast-path attempts
}

func newChainCache(max int) *chainCache {
	c := &chainCache{max: max}
	empty := map[string][]*upperChain{}
	c.m.Store(&empty)
	return c
}

// verify tries the fast path. It returns ok=false whenever it does not accept; the caller then
// runs the full crypto/x509 Verify.
func (c *chainCache) verify(a *Anchors, untrustedLeaf *x509.Certificate, intermediates []*x509.Certificate, at time.Time) ([]*x509.Certificate, bool) {
	snapshot := *c.m.Load()
	if len(snapshot) == 0 || hasExtension(untrustedLeaf, policyProcessingOIDs) {
		return nil, false
	}
	if _, isRoot := a.rootDER[string(untrustedLeaf.Raw)]; isRoot {
		return nil, false
	}
	if len(intermediates) > maxFastIntermediates {
		return nil, false // condition 1 cannot hold; avoid quadratic work on hostile chains
	}
	distinct := distinctByDER(intermediates)
	if !withinSignatureLimit(len(distinct), len(a.rootDER)) {
		return nil, false
	}
	attempts := 0
	for _, x := range distinct {
		if !bytes.Equal(x.RawSubject, untrustedLeaf.RawIssuer) {
			continue
		}
		for _, up := range snapshot[string(x.Raw)] {
			if !up.usable(a, untrustedLeaf, distinct, at) {
				continue
			}
			if attempts++; attempts > maxFastAttempts {
				return nil, false
			}
			c.tries.Add(1)
			if _, err := untrustedLeaf.Verify(x509.VerifyOptions{
				Roots:       up.issuer,
				CurrentTime: at,
				KeyUsages:   codeSigning,
			}); err != nil {
				break // every upper chain of this X would repeat the same check
			}
			c.hits.Add(1)
			return append([]*x509.Certificate{untrustedLeaf}, up.certs...), true
		}
	}
	return nil, false
}

// usable checks conditions 2, 3 and 5 for this upper chain.
func (up *upperChain) usable(a *Anchors, untrustedLeaf *x509.Certificate, distinct []*x509.Certificate, at time.Time) bool {
	last := len(up.certs) - 1
	for i, cert := range up.certs {
		if bytes.Equal(cert.RawSubject, untrustedLeaf.RawSubject) {
			return false
		}
		if at.Before(cert.NotBefore) || at.After(cert.NotAfter) {
			return false
		}
		switch {
		case i == last:
			if _, ok := a.rootDER[string(cert.Raw)]; !ok {
				return false
			}
		case i > 0:
			if !slices.ContainsFunc(distinct, func(d *x509.Certificate) bool { return bytes.Equal(d.Raw, cert.Raw) }) {
				return false
			}
		}
	}
	return true
}

// learn records the upper chains of chains returned by a successful full Verify, when eligible.
func (c *chainCache) learn(chains [][]*x509.Certificate) {
	for _, chain := range chains {
		if len(chain) < 3 {
			continue // the leaf's issuer is a root: nothing above it to skip
		}
		up := chain[1:]
		eligible := true
		for i, cert := range up {
			if hasExtension(cert, policyProcessingOIDs) || (i > 0 && hasExtension(cert, nameConstraintsOIDset)) {
				eligible = false
				break
			}
		}
		if eligible {
			c.add(up)
		}
	}
}

func (c *chainCache) add(up []*x509.Certificate) {
	key := string(up[0].Raw)
	for {
		old := c.m.Load()
		for _, have := range (*old)[key] {
			if sameCerts(have.certs, up) {
				return
			}
		}
		next := make(map[string][]*upperChain, len(*old)+1)
		for k, v := range *old {
			next[k] = v
		}
		if _, ok := next[key]; !ok && len(next) >= c.max {
			for k := range next { // evict an arbitrary entry
				delete(next, k)
				break
			}
		}
		if len(next[key]) >= maxChainsPerIssuer {
			return
		}
		pool := x509.NewCertPool()
		pool.AddCert(up[0])
		entry := &upperChain{certs: slices.Clone(up), issuer: pool}
		next[key] = append(slices.Clip(next[key]), entry)
		if c.m.CompareAndSwap(old, &next) {
			return
		}
	}
}

// maxChainsPerIssuer bounds the upper chains remembered per issuing intermediate.
const maxChainsPerIssuer = 4

func sameCerts(a, b []*x509.Certificate) bool {
	return slices.EqualFunc(a, b, func(x, y *x509.Certificate) bool { return bytes.Equal(x.Raw, y.Raw) })
}

func distinctByDER(certs []*x509.Certificate) []*x509.Certificate {
	out := make([]*x509.Certificate, 0, len(certs))
	for _, c := range certs {
		if !slices.ContainsFunc(out, func(d *x509.Certificate) bool { return bytes.Equal(d.Raw, c.Raw) }) {
			out = append(out, c)
		}
	}
	return out
}

// withinSignatureLimit reports whether buildChains with i intermediates and r roots can never
// reach crypto/x509's signature-check limit: nodes(i)·(i+r) ≤ 100 (condition 1).
func withinSignatureLimit(i, r int) bool {
	nodes, perms := 1, 1
	for k := 1; k <= i; k++ {
		perms *= i - k + 1
		nodes += perms
		if nodes*(i+r) > maxChainSignatureChecks {
			return false
		}
	}
	return nodes*(i+r) <= maxChainSignatureChecks
}

func hasExtension(cert *x509.Certificate, oids []asn1.ObjectIdentifier) bool {
	for _, ext := range cert.Extensions {
		for _, oid := range oids {
			if ext.Id.Equal(oid) {
				return true
			}
		}
	}
	return false
}
