package fulcio

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"fmt"
	"testing"
	"time"
)

// diffWorld is a set of related certificates for the differential test: variants share subjects
// and keys so that the same leaf chains through different intermediates and roots.
type diffWorld struct {
	roots  map[string]*testCert
	inters map[string]*testCert
	leaves map[string]*testCert
}

func newDiffWorld(t *testing.T) *diffWorld {
	w := &diffWorld{roots: map[string]*testCert{}, inters: map[string]*testCert{}, leaves: map[string]*testCert{}}
	rootKey, interKey := seededKey(t, elliptic.P256(), "root"), seededKey(t, elliptic.P256(), "intermediate")
	topKey, subKey := seededKey(t, elliptic.P256(), "top"), seededKey(t, elliptic.P256(), "sub")
	otherKey := seededKey(t, elliptic.P256(), "other")

	rootT := func(mod func(*x509.Certificate)) *x509.Certificate {
		c := caTemplate("diff root", t0.AddDate(-1, 0, 0), t0.AddDate(10, 0, 0))
		if mod != nil {
			mod(c)
		}
		return c
	}
	w.roots["R"] = issue(t, rootT(nil), rootKey, nil)
	w.roots["Rexp"] = issue(t, rootT(func(c *x509.Certificate) { c.NotAfter = t0.Add(30 * time.Minute) }), rootKey, nil)
	w.roots["Rserver"] = issue(t, rootT(func(c *x509.Certificate) { c.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth} }), rootKey, nil)
	w.roots["Rplen0"] = issue(t, rootT(func(c *x509.Certificate) { c.MaxPathLen, c.MaxPathLenZero = 0, true }), rootKey, nil)
	w.roots["Rnc"] = issue(t, rootT(func(c *x509.Certificate) { c.PermittedEmailAddresses = []string{"example.com"} }), rootKey, nil)
	w.roots["Rpol"] = issue(t, rootT(func(c *x509.Certificate) {
		c.RequireExplicitPolicyZero = true
	}), rootKey, nil)
	R := w.roots["R"]

	interT := func(mod func(*x509.Certificate)) *x509.Certificate {
		c := caTemplate("diff intermediate", t0.AddDate(-1, 0, 0), t0.AddDate(5, 0, 0))
		if mod != nil {
			mod(c)
		}
		return c
	}
	w.inters["I"] = issue(t, interT(nil), interKey, R)
	w.inters["Iexp"] = issue(t, interT(func(c *x509.Certificate) { c.NotAfter = t0.Add(time.Hour) }), interKey, R)
	w.inters["Ilate"] = issue(t, interT(func(c *x509.Certificate) { c.NotBefore = t0.Add(5 * time.Minute) }), interKey, R)
	w.inters["Iserver"] = issue(t, interT(func(c *x509.Certificate) { c.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth} }), interKey, R)
	w.inters["Icode"] = issue(t, interT(func(c *x509.Certificate) { c.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageCodeSigning} }), interKey, R)
	w.inters["Inoca"] = issue(t, interT(func(c *x509.Certificate) { c.IsCA = false }), interKey, R)
	w.inters["Inc"] = issue(t, interT(func(c *x509.Certificate) { c.PermittedEmailAddresses = []string{"example.com"} }), interKey, R)
	w.inters["Iforged"] = issue(t, interT(nil), interKey, forgedParent(R, otherKey)) // bad signature
	w.inters["Top"] = issue(t, caTemplate("diff top", t0.AddDate(-1, 0, 0), t0.AddDate(5, 0, 0)), topKey, R)
	top0 := caTemplate("diff top", t0.AddDate(-1, 0, 0), t0.AddDate(5, 0, 0))
	top0.MaxPathLen, top0.MaxPathLenZero = 0, true
	w.inters["Top0"] = issue(t, top0, topKey, R)
	w.inters["Sub"] = issue(t, caTemplate("diff sub", t0.AddDate(-1, 0, 0), t0.AddDate(5, 0, 0)), subKey, w.inters["Top"])

	const iss = "https://issuer.example"
	I, Sub := w.inters["I"], w.inters["Sub"]
	leafT := func(mod func(*x509.Certificate)) *x509.Certificate {
		c := leafTemplate([]string{"a@example.com"}, issuerV2(t, iss))
		c.Subject = pkix.Name{CommonName: "leaf"}
		if mod != nil {
			mod(c)
		}
		return c
	}
	leafKey := seededKey(t, elliptic.P256(), "leaf")
	w.leaves["good"] = issue(t, leafT(nil), leafKey, I)
	w.leaves["good2"] = issue(t, leafT(func(c *x509.Certificate) { c.EmailAddresses = []string{"b@example.com"} }), leafKey, I)
	w.leaves["long"] = issue(t, leafT(func(c *x509.Certificate) { c.NotAfter = t0.AddDate(3, 0, 0) }), leafKey, I)
	w.leaves["server"] = issue(t, leafT(func(c *x509.Certificate) { c.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth} }), leafKey, I)
	w.leaves["noEKU"] = issue(t, leafT(func(c *x509.Certificate) { c.ExtKeyUsage = nil }), leafKey, I)
	w.leaves["outsideNC"] = issue(t, leafT(func(c *x509.Certificate) { c.EmailAddresses = []string{"a@other.example"} }), leafKey, I)
	w.leaves["critical"] = issue(t, leafT(func(c *x509.Certificate) {
		c.ExtraExtensions = append(c.ExtraExtensions, pkix.Extension{Id: asn1.ObjectIdentifier{1, 2, 3}, Critical: true, Value: []byte{5, 0}})
	}), leafKey, I)
	w.leaves["forged"] = issue(t, leafT(nil), leafKey, forgedParent(I, otherKey))
	w.leaves["policy"] = issue(t, leafT(func(c *x509.Certificate) { c.RequireExplicitPolicyZero = true }), leafKey, I)
	w.leaves["sameSubject"] = issue(t, leafT(func(c *x509.Certificate) { c.Subject = I.cert.Subject }), leafKey, I)
	w.leaves["subLeaf"] = issue(t, leafT(nil), leafKey, Sub)
	return w
}

// forgedParent has the subject of c but the key other: certificates it signs carry c's name as
// issuer and a signature that c's key does not verify.
func forgedParent(c *testCert, other *ecdsa.PrivateKey) *testCert {
	p := *c.cert
	p.PublicKey = &other.PublicKey
	return &testCert{cert: &p, key: other}
}

// TestChainCacheDifferential compares the cached and the uncached verifier on many combinations
// of trust anchors, leaves, chain annotations and times. Errors (including their text) must be
// identical, and the fast path must actually be exercised.
func TestChainCacheDifferential(t *testing.T) {
	w := newDiffWorld(t)
	rootSets := [][]string{{"R"}, {"Rexp"}, {"Rserver"}, {"Rplen0"}, {"Rnc"}, {"Rpol"}, {"R", "Rexp"}}
	chains := [][]string{
		{"I", "R"}, {"Iexp", "R"}, {"Ilate", "R"}, {"Iserver", "R"}, {"Icode", "R"}, {"Inoca", "R"}, {"Inc", "R"},
		{"Iforged", "R"}, {"I"}, {}, {"I", "I", "R"}, {"Iexp", "I", "R"}, {"Iserver", "Icode", "R"},
		{"Sub", "Top", "R"}, {"Sub", "Top0", "R"}, {"Sub", "R"}, {"Top", "Sub", "R"},
		{"I", "Iexp", "Ilate", "Iserver", "Icode", "Inoca", "R"}, // too many for the fast path
	}
	times := []time.Time{
		t0.Add(-time.Second), t0, t0.Add(6 * time.Minute), leafExpiry.Add(time.Second),
		t0.Add(31 * time.Minute), t0.Add(time.Hour + time.Second), t0.AddDate(2, 0, 0), t0.AddDate(6, 0, 0),
	}
	leafOrder := []string{"good", "good2", "long", "server", "noEKU", "outsideNC", "critical", "forged", "policy", "sameSubject", "subLeaf"}

	pemOf := func(names []string, pool map[string]*testCert) []byte {
		var out []byte
		for _, n := range names {
			c := w.inters[n]
			if c == nil {
				c = pool[n]
			}
			out = append(out, c.pem...)
		}
		return out
	}
	var cases, accepted, hits, tries uint64
	for _, rs := range rootSets {
		rootsPEM := pemOf(rs, w.roots)
		for _, kind := range []string{"fulcio", "pki"} {
			newA := func(size int) *Anchors {
				var a *Anchors
				var err error
				if kind == "fulcio" {
					a, err = NewFulcioAnchors(rootsPEM, WithChainCacheSize(size))
				} else {
					a, err = NewPKIAnchors(rootsPEM, nil, WithChainCacheSize(size))
				}
				if err != nil {
					t.Fatal(err)
				}
				return a
			}
			cached, plain := newA(DefaultChainCacheSize), newA(0)
			verify := func(a *Anchors, leaf, chain []byte, at time.Time) error {
				var err error
				if kind == "fulcio" {
					_, err = a.VerifyFulcio(leaf, chain, at)
				} else {
					_, err = a.VerifyPKI(leaf, chain, at)
				}
				return err
			}
			// Two passes: the first warms the cache as it goes, the second runs fully warm.
			for pass := range 2 {
				for _, ch := range chains {
					chainPEM := pemOf(ch, w.roots)
					for _, ln := range leafOrder {
						for _, at := range times {
							name := fmt.Sprintf("%s/%v/%v/%s/%s/pass%d", kind, rs, ch, ln, at.Format(time.RFC3339), pass)
							want := verify(plain, w.leaves[ln].pem, chainPEM, at)
							got := verify(cached, w.leaves[ln].pem, chainPEM, at)
							cases++
							if want == nil {
								accepted++
							}
							if fmt.Sprint(got) != fmt.Sprint(want) {
								t.Errorf("%s: cached %v, uncached %v", name, got, want)
							}
						}
					}
				}
			}
			hits += cached.cache.hits.Load()
			tries += cached.cache.tries.Load()
		}
	}
	t.Logf("%d cases, %d accepted, fast path: %d attempts, %d hits", cases, accepted, tries, hits)
	if hits == 0 || tries == hits || accepted == 0 || accepted == cases {
		t.Errorf("differential test does not exercise both outcomes and both fast-path results")
	}
}

func TestWithinSignatureLimit(t *testing.T) {
	tests := []struct {
		i, r int
		want bool
	}{
		{0, 1, true}, {1, 1, true}, {1, 49, true}, {1, 50, false}, {2, 18, true}, {2, 19, false},
		{3, 3, true}, {3, 4, false}, {4, 0, false}, {8, 1, false},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("I=%d,R=%d", tt.i, tt.r), func(t *testing.T) {
			if got := withinSignatureLimit(tt.i, tt.r); got != tt.want {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

// TestChainCacheBounded checks that the cache never holds more issuers than its size.
func TestChainCacheBounded(t *testing.T) {
	h := newHierarchy(t)
	a := mustFulcio(t, h.root.pem, WithChainCacheSize(2))
	for i := range 5 {
		inter := issue(t, caTemplate(fmt.Sprintf("inter %d", i), t0.AddDate(-1, 0, 0), t0.AddDate(1, 0, 0)), seededKey(t, elliptic.P256(), fmt.Sprint("inter", i)), h.root)
		leaf := issue(t, leafTemplate(nil, issuerV2(t, "https://x")), seededKey(t, elliptic.P256(), "leaf"), inter)
		for range 2 {
			if _, err := a.VerifyFulcio(leaf.pem, cat(inter.pem, h.root.pem), t0); err != nil {
				t.Fatal(err)
			}
		}
		if n := len(*a.cache.m.Load()); n > 2 || n == 0 {
			t.Fatalf("after %d issuers the cache holds %d", i+1, n)
		}
	}
	if a.cache.hits.Load() != 5 {
		t.Errorf("hits %d, want 5", a.cache.hits.Load())
	}
}

// TestChainCacheConcurrent verifies from many goroutines while the cache learns and evicts; run
// with -race.
func TestChainCacheConcurrent(t *testing.T) {
	h := newHierarchy(t)
	type pair struct{ leaf, chain []byte }
	var pairs []pair
	for i := range 4 {
		inter := issue(t, caTemplate(fmt.Sprintf("concurrent %d", i), t0.AddDate(-1, 0, 0), t0.AddDate(1, 0, 0)), seededKey(t, elliptic.P256(), fmt.Sprint("c", i)), h.root)
		leaf := issue(t, leafTemplate(nil, issuerV2(t, "https://x")), seededKey(t, elliptic.P256(), "leaf"), inter)
		pairs = append(pairs, pair{leaf.pem, cat(inter.pem, h.root.pem)})
	}
	a := mustFulcio(t, h.root.pem, WithChainCacheSize(2)) // smaller than the working set: evictions
	errs := make(chan error, 8)
	for g := range 8 {
		go func() {
			var err error
			for i := range 20 {
				p := pairs[(g+i)%len(pairs)]
				if _, err = a.VerifyFulcio(p.leaf, p.chain, t0); err != nil {
					break
				}
			}
			errs <- err
		}()
	}
	for range 8 {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
	if a.cache.hits.Load() == 0 {
		t.Error("no fast-path hit")
	}
}
