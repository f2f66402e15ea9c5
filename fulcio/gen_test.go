package fulcio

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/sha512"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/pem"
	"io"
	"math/big"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/sigstore/fulcio/pkg/certificate"
	"github.com/sigstore/sigstore/pkg/cryptoutils"
)

const fixtures = "../testdata/containers-image"

func readFixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(fixtures, name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// seededKey derives an ECDSA key deterministically from seed.
func seededKey(t testing.TB, curve elliptic.Curve, seed string) *ecdsa.PrivateKey {
	t.Helper()
	size := (curve.Params().BitSize + 7) / 8
	for i := byte(0); ; i++ {
		h := sha512.Sum512(append([]byte(seed), i))
		if k, err := ecdsa.ParseRawPrivateKey(curve, h[:size]); err == nil {
			return k
		}
	}
}

// detSigner signs deterministically (RFC 6979), ignoring the random source.
type detSigner struct{ k *ecdsa.PrivateKey }

func (s detSigner) Public() crypto.PublicKey { return &s.k.PublicKey }

func (s detSigner) Sign(_ io.Reader, digest []byte, opts crypto.SignerOpts) ([]byte, error) {
	return s.k.Sign(nil, digest, opts)
}

// Fixed times of the synthesised hierarchy.
var (
	t0         = time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC) // leaf NotBefore
	leafExpiry = t0.Add(10 * time.Minute)                    // leaf NotAfter
)

// testCert is a generated certificate with its key.
type testCert struct {
	cert *x509.Certificate
	key  *ecdsa.PrivateKey
	pem  []byte
}

var serial int64

// issue creates a certificate from tmpl for key, signed by parent (self-signed if nil).
func issue(t testing.TB, tmpl *x509.Certificate, key *ecdsa.PrivateKey, parent *testCert) *testCert {
	t.Helper()
	serial++
	tmpl.SerialNumber = big.NewInt(serial)
	parentCert, signer := tmpl, key
	if parent != nil {
		parentCert, signer = parent.cert, parent.key
	}
	der, err := x509.CreateCertificate(nil, tmpl, parentCert, &key.PublicKey, detSigner{signer})
	if err != nil {
		t.Fatal(err)
	}
	c, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return &testCert{cert: c, key: key, pem: pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})}
}

func caTemplate(cn string, notBefore, notAfter time.Time) *x509.Certificate {
	return &x509.Certificate{
		Subject:               pkix.Name{Organization: []string{"sigpolicy test"}, CommonName: cn},
		NotBefore:             notBefore,
		NotAfter:              notAfter,
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
}

// issuerV1 and issuerV2 build the Fulcio OIDC issuer extensions.
func issuerV1(s string) pkix.Extension {
	return pkix.Extension{Id: certificate.OIDIssuer, Value: []byte(s)} //nolint:staticcheck // testing v1
}

func issuerV2(t testing.TB, s string) pkix.Extension {
	t.Helper()
	v, err := asn1.MarshalWithParams(s, "utf8")
	if err != nil {
		t.Fatal(err)
	}
	return pkix.Extension{Id: certificate.OIDIssuerV2, Value: v}
}

func leafTemplate(emails []string, exts ...pkix.Extension) *x509.Certificate {
	return &x509.Certificate{
		Subject:         pkix.Name{},
		NotBefore:       t0,
		NotAfter:        leafExpiry,
		KeyUsage:        x509.KeyUsageDigitalSignature,
		ExtKeyUsage:     []x509.ExtKeyUsage{x509.ExtKeyUsageCodeSigning},
		EmailAddresses:  emails,
		ExtraExtensions: exts,
	}
}

// hierarchy is a private CA: root (P-384) → intermediate (P-384) → leaves (P-256).
type hierarchy struct {
	root, inter *testCert
}

func newHierarchy(t testing.TB) *hierarchy {
	t.Helper()
	root := issue(t, caTemplate("test root", t0.AddDate(-1, 0, 0), t0.AddDate(10, 0, 0)), seededKey(t, elliptic.P384(), "root"), nil)
	inter := issue(t, caTemplate("test intermediate", t0.AddDate(-1, 0, 0), t0.AddDate(5, 0, 0)), seededKey(t, elliptic.P384(), "intermediate"), root)
	return &hierarchy{root: root, inter: inter}
}

func (h *hierarchy) leaf(t testing.TB, tmpl *x509.Certificate) *testCert {
	t.Helper()
	return issue(t, tmpl, seededKey(t, elliptic.P256(), "leaf"), h.inter)
}

func (h *hierarchy) chainPEM() []byte { return cat(h.inter.pem, h.root.pem) }

func cat(parts ...[]byte) []byte {
	var out []byte
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

func mustFulcio(t testing.TB, caPEM []byte, opts ...Option) *Anchors {
	t.Helper()
	a, err := NewFulcioAnchors(caPEM, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func parsePublicKeyPEM(p []byte) (*ecdsa.PublicKey, error) {
	k, err := cryptoutils.UnmarshalPEMToPublicKey(p)
	if err != nil {
		return nil, err
	}
	ec, _ := k.(*ecdsa.PublicKey)
	return ec, nil
}
