package fulcio

import (
	"crypto/x509"
	"encoding/asn1"
	"time"

	"github.com/sigstore/sigstore/pkg/cryptoutils"
)

var codeSigning = []x509.ExtKeyUsage{x509.ExtKeyUsageCodeSigning}

// VerifyFulcio verifies a Fulcio leaf certificate (the `dev.sigstore.cosign/certificate`
// annotation) and optional chain (`dev.sigstore.cosign/chain`) at time at, which must be the
// verified Rekor integrated time. It has the semantics of containers/image v5.36.2
// verifyFulcioCertificateAtTime except for the policy comparisons, which are
// Identity.CheckIssuer and Identity.CheckEmail:
//
//   - a non-empty chain must parse strictly; all its certificates but the last are untrusted
//     intermediates (the last is assumed to be the root and ignored);
//   - the leaf must be exactly one certificate;
//   - a critical SAN extension is not treated as unhandled;
//   - the chain must verify with crypto/x509 at at, for the code-signing EKU;
//   - the OIDC issuer extensions must be present and consistent.
func (a *Anchors) VerifyFulcio(untrustedLeafPEM, untrustedChainPEM []byte, at time.Time) (*Identity, error) {
	leaf, chain, err := a.verify(untrustedLeafPEM, untrustedChainPEM, at, true)
	if err != nil {
		return nil, err
	}
	issuer, err := issuerFromCertificate(leaf)
	if err != nil {
		return nil, err
	}
	return newIdentity(leaf, chain, issuer), nil
}

// VerifyPKI verifies a leaf certificate from a private PKI and optional chain at time at (the
// caller's clock: containers/image verifies PKI certificates at the current time). It has the
// semantics of containers/image v5.36.2 verifyPKI except for the subject comparisons, which are
// Identity.CheckEmail and Identity.CheckHostname: intermediates are the trusted ones given to
// NewPKIAnchors plus the chain minus its last certificate; there is no SAN workaround.
func (a *Anchors) VerifyPKI(untrustedLeafPEM, untrustedChainPEM []byte, at time.Time) (*Identity, error) {
	leaf, chain, err := a.verify(untrustedLeafPEM, untrustedChainPEM, at, false)
	if err != nil {
		return nil, err
	}
	issuer, err := issuerFromCertificate(leaf)
	if err != nil {
		issuer = "" // not part of PKI verification
	}
	return newIdentity(leaf, chain, issuer), nil
}

// verify parses the chain and leaf and verifies the path at at. It returns the leaf and one
// verified path.
func (a *Anchors) verify(untrustedLeafPEM, untrustedChainPEM []byte, at time.Time, fulcioSAN bool) (*x509.Certificate, []*x509.Certificate, error) {
	if at.IsZero() {
		return nil, nil, ErrZeroTime
	}
	intermediates := a.intermediates
	if len(untrustedChainPEM) > 0 {
		untrustedChain, err := a.parseChain(untrustedChainPEM)
		if err != nil {
			return nil, nil, newErr(ErrCertificateFormat, err, "loading certificate chain: %v", err)
		}
		if len(untrustedChain) > 1 {
			intermediates = append(intermediates[:len(intermediates):len(intermediates)], untrustedChain[:len(untrustedChain)-1]...)
		}
	}
	untrustedLeaf, err := parseLeaf(untrustedLeafPEM)
	if err != nil {
		return nil, nil, err
	}
	if fulcioSAN {
		// Go refuses a critical SAN extension that holds none of the name types it understands
		// (Fulcio may issue otherName-only SANs); containers/image matches SANs itself, so it
		// drops the SAN OID from the unhandled list. Fulcio path only.
		untrustedLeaf.UnhandledCriticalExtensions = withoutOID(untrustedLeaf.UnhandledCriticalExtensions, cryptoutils.SANOID)
	}
	chain, err := a.verifyPath(untrustedLeaf, intermediates, at)
	if err != nil {
		return nil, nil, &ChainError{Err: err}
	}
	return untrustedLeaf, chain, nil
}

// verifyPath is x509.Certificate.Verify with the anchors' roots, the given intermediates,
// CurrentTime at and the code-signing EKU, accelerated by the chain cache when that is provably
// equivalent.
func (a *Anchors) verifyPath(untrustedLeaf *x509.Certificate, intermediates []*x509.Certificate, at time.Time) ([]*x509.Certificate, error) {
	if a.cache != nil {
		if chain, ok := a.cache.verify(a, untrustedLeaf, intermediates, at); ok {
			return chain, nil
		}
	}
	var pool *x509.CertPool
	if len(intermediates) > 0 {
		pool = x509.NewCertPool()
		for _, c := range intermediates {
			pool.AddCert(c)
		}
	}
	chains, err := untrustedLeaf.Verify(x509.VerifyOptions{
		Intermediates: pool,
		Roots:         a.roots,
		CurrentTime:   at,
		KeyUsages:     codeSigning,
	})
	if err != nil {
		return nil, err
	}
	if a.cache != nil {
		a.cache.learn(chains)
	}
	return chains[0], nil
}

// parseLeaf parses exactly one certificate with cryptoutils.UnmarshalCertificatesFromPEM.
func parseLeaf(untrustedLeafPEM []byte) (*x509.Certificate, error) {
	certs, err := cryptoutils.UnmarshalCertificatesFromPEM(untrustedLeafPEM)
	if err != nil {
		return nil, newErr(ErrCertificateFormat, err, "parsing leaf certificate: %v", err)
	}
	switch len(certs) {
	case 0:
		return nil, newErr(ErrCertificateFormat, nil, "no certificate found in signature certificate data")
	case 1:
		return certs[0], nil
	default:
		return nil, newErr(ErrCertificateFormat, nil, "unexpected multiple certificates present in signature certificate data")
	}
}

func withoutOID(oids []asn1.ObjectIdentifier, drop asn1.ObjectIdentifier) []asn1.ObjectIdentifier {
	if len(oids) == 0 {
		return oids
	}
	var remaining []asn1.ObjectIdentifier
	for _, oid := range oids {
		if !oid.Equal(drop) {
			remaining = append(remaining, oid)
		}
	}
	return remaining
}
