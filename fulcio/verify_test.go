package fulcio

import (
	"bytes"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/sigstore/sigstore/pkg/cryptoutils"
)

// fixture Fulcio leaf validity (fulcio-cert): 2022-12-12 18:48:18 to 18:58:18 UTC.
var (
	fixtureNotBefore = time.Date(2022, 12, 12, 18, 48, 18, 0, time.UTC)
	fixtureNotAfter  = time.Date(2022, 12, 12, 18, 58, 18, 0, time.UTC)
	fixtureSETTime   = time.Unix(1670870899, 0)
	keylessSETTime   = time.Unix(1674247893, 0) // dir-img-cosign-fulcio-rekor-valid
	pkiNow           = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
)

type sigstoreSig struct {
	Payload     []byte
	Annotations map[string]string
}

func readSigstoreSig(t testing.TB, name string) sigstoreSig {
	t.Helper()
	raw := readFixture(t, name)
	var s sigstoreSig
	if err := json.Unmarshal(bytes.TrimPrefix(raw, []byte("\x00sigstore-json\n")), &s); err != nil {
		t.Fatal(err)
	}
	return s
}

func checkErr(t *testing.T, err, want error, wantMsg string) {
	t.Helper()
	switch {
	case want == nil && err != nil:
		t.Fatalf("unexpected error: %v", err)
	case want == nil:
		return
	case err == nil:
		t.Fatalf("accepted, want %v", want)
	case !errors.Is(err, want):
		t.Fatalf("error %q (%T) is not %v", err, err, want)
	case wantMsg != "" && err.Error() != wantMsg:
		t.Fatalf("message %q, want %q", err.Error(), wantMsg)
	}
}

// TestVerifyFulcioFixtures covers research §6.3 rows 33–40 and the mutation table, at the
// certificate level.
func TestVerifyFulcioFixtures(t *testing.T) {
	keyless := readSigstoreSig(t, "dir-img-cosign-fulcio-rekor-valid/signature-1")
	kCert, kChain := []byte(keyless.Annotations["dev.sigstore.cosign/certificate"]), []byte(keyless.Annotations["dev.sigstore.cosign/chain"])
	fCert, fChain := readFixture(t, "fulcio-cert"), readFixture(t, "fulcio-chain")
	root := readFixture(t, "fulcio_v1.crt.pem")
	inter, _, _ := strings.Cut(string(fChain), "-----END CERTIFICATE-----\n")
	inter += "-----END CERTIFICATE-----\n"

	tests := []struct {
		name     string
		ca       []byte
		cert     []byte
		chain    []byte
		at       time.Time
		wantErr  error
		wantMsg  string
		wantMail string
	}{
		{"standalone fulcio-cert at SET time", root, fCert, fChain, fixtureSETTime, nil, "", "mitr@redhat.com"},
		{"keyless image cert at SET time (row 33)", root, kCert, kChain, keylessSETTime, nil, "", "mitr@redhat.com"},
		{"at NotBefore", root, fCert, fChain, fixtureNotBefore, nil, "", "mitr@redhat.com"},
		{"at NotAfter", root, fCert, fChain, fixtureNotAfter, nil, "", "mitr@redhat.com"},
		{"1s before NotBefore", root, fCert, fChain, fixtureNotBefore.Add(-time.Second), ErrChain,
			"veryfing leaf certificate failed: x509: certificate has expired or is not yet valid: current time 2022-12-12T18:48:17Z is before 2022-12-12T18:48:18Z", ""},
		{"1s after NotAfter", root, fCert, fChain, fixtureNotAfter.Add(time.Second), ErrChain,
			"veryfing leaf certificate failed: x509: certificate has expired or is not yet valid: current time 2022-12-12T18:58:19Z is after 2022-12-12T18:58:18Z", ""},
		{"PKI root as Fulcio CA (row 37)", readFixture(t, "pki_root_crts.pem"), kCert, kChain, keylessSETTime, ErrChain,
			"veryfing leaf certificate failed: x509: certificate signed by unknown authority", ""},
		{"intermediate + root as CA, no chain (row 39)", fChain, kCert, nil, keylessSETTime, nil, "", "mitr@redhat.com"},
		{"chain removed (row 40)", root, kCert, nil, keylessSETTime, ErrChain, "", ""},
		{"chain = [root]", root, kCert, root, keylessSETTime, ErrChain, "veryfing leaf certificate failed: x509: certificate signed by unknown authority", ""},
		{"chain = [intermediate]", root, kCert, []byte(inter), keylessSETTime, ErrChain, "", ""},
		{"chain = [intermediate, intermediate]", root, kCert, []byte(inter + inter), keylessSETTime, nil, "", "mitr@redhat.com"},
		{"empty chain string", root, kCert, []byte{}, keylessSETTime, ErrChain, "", ""},
		{"chain with garbage", root, kCert, append(bytes.Clone(kChain), "garbage"...), keylessSETTime, ErrCertificateFormat, "loading certificate chain: error during PEM decoding", ""},
		{"certificate with leading garbage", root, append([]byte("garbage\n"), kCert...), kChain, keylessSETTime, nil, "", "mitr@redhat.com"},
		{"certificate + extra newlines", root, append(bytes.Clone(kCert), "\n\n"...), kChain, keylessSETTime, nil, "", "mitr@redhat.com"},
		{"two leaf certificates", root, cat(kCert, kCert), kChain, keylessSETTime, ErrCertificateFormat,
			"unexpected multiple certificates present in signature certificate data", ""},
		{"no leaf certificate", root, []byte("  \n"), kChain, keylessSETTime, ErrCertificateFormat, "no certificate found in signature certificate data", ""},
		{"leaf not PEM", root, []byte("garbage"), kChain, keylessSETTime, ErrCertificateFormat, "parsing leaf certificate: error during PEM decoding", ""},
		{"zero time", root, kCert, kChain, time.Time{}, ErrZeroTime, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, size := range []int{0, DefaultChainCacheSize} {
				a := mustFulcio(t, tt.ca, WithChainCacheSize(size))
				for range 2 { // the second round may use the chain cache
					id, err := a.VerifyFulcio(tt.cert, tt.chain, tt.at)
					checkErr(t, err, tt.wantErr, tt.wantMsg)
					if err != nil {
						continue
					}
					if id.Issuer != "https://github.com/login/oauth" || len(id.Emails) != 1 || id.Emails[0] != tt.wantMail {
						t.Errorf("identity %q %q", id.Issuer, id.Emails)
					}
					if id.Extensions.Issuer != id.Issuer || id.ExtensionsErr != nil {
						t.Errorf("extensions %+v %v", id.Extensions, id.ExtensionsErr)
					}
					if len(id.Chain) < 2 || id.Chain[0] != id.Leaf {
						t.Errorf("chain %d certificates", len(id.Chain))
					}
				}
			}
		})
	}
}

func TestIdentityChecksFixture(t *testing.T) {
	keyless := readSigstoreSig(t, "dir-img-cosign-fulcio-rekor-valid/signature-1")
	a := mustFulcio(t, readFixture(t, "fulcio_v1.crt.pem"))
	id, err := a.VerifyFulcio([]byte(keyless.Annotations["dev.sigstore.cosign/certificate"]), []byte(keyless.Annotations["dev.sigstore.cosign/chain"]), keylessSETTime)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		check   func() error
		wantErr error
		wantMsg string
	}{
		{"issuer", func() error { return id.CheckIssuer("https://github.com/login/oauth") }, nil, ""},
		{"issuer with trailing slash (row 36)", func() error { return id.CheckIssuer("https://github.com/login/oauth/") }, ErrIssuer,
			`Unexpected Fulcio OIDC issuer "https://github.com/login/oauth", expected "https://github.com/login/oauth/"`},
		{"email", func() error { return id.CheckEmail("mitr@redhat.com") }, nil, ""},
		{"other email (row 35)", func() error { return id.CheckEmail("x@example.com") }, ErrSubject,
			`Required email "x@example.com" not found (got ["mitr@redhat.com"])`},
		{"email case-sensitive", func() error { return id.CheckEmail("MITR@redhat.com") }, ErrSubject, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { checkErr(t, tt.check(), tt.wantErr, tt.wantMsg) })
	}
	var ie *IssuerMismatchError
	if err := id.CheckIssuer("x"); !errors.As(err, &ie) || ie.Expected != "x" || ie.Actual != "https://github.com/login/oauth" {
		t.Errorf("IssuerMismatchError: %#v", err)
	}
	var ee *EmailMismatchError
	if err := id.CheckEmail("x"); !errors.As(err, &ee) || ee.Expected != "x" || len(ee.Actual) != 1 {
		t.Errorf("EmailMismatchError: %#v", err)
	}
}

func TestNewAnchors(t *testing.T) {
	root := readFixture(t, "fulcio_v1.crt.pem")
	tests := []struct {
		name    string
		new     func() (*Anchors, error)
		wantErr error
		wantMsg string
	}{
		{"fulcio root", func() (*Anchors, error) { return NewFulcioAnchors(root) }, nil, ""},
		{"lenient: garbage and a key around the root", func() (*Anchors, error) {
			return NewFulcioAnchors(cat([]byte("junk\n"), readFixture(t, "cosign.pub"), []byte("\n"), root, []byte("\njunk")))
		}, nil, ""},
		{"no certificate", func() (*Anchors, error) { return NewFulcioAnchors(readFixture(t, "cosign.pub")) }, ErrNoCertificates, "error loading Fulcio CA certificates"},
		{"empty", func() (*Anchors, error) { return NewFulcioAnchors(nil) }, ErrNoCertificates, "error loading Fulcio CA certificates"},
		{"PKI roots", func() (*Anchors, error) {
			return NewPKIAnchors(readFixture(t, "pki_root_crts.pem"), readFixture(t, "pki_intermediate_crts.pem"))
		}, nil, ""},
		{"PKI empty intermediates", func() (*Anchors, error) { return NewPKIAnchors(readFixture(t, "pki_root_crts.pem"), []byte{}) }, nil, ""},
		{"PKI no roots", func() (*Anchors, error) { return NewPKIAnchors([]byte("x"), nil) }, ErrNoCertificates, "error loading PKI CA Roots certificates"},
		{"PKI strict intermediates", func() (*Anchors, error) {
			return NewPKIAnchors(readFixture(t, "pki_root_crts.pem"), cat(readFixture(t, "pki_intermediate_crts.pem"), []byte("junk")))
		}, ErrIntermediates, "loading trusted intermediate certificates: error during PEM decoding"},
		{"negative cache size", func() (*Anchors, error) { return NewFulcioAnchors(root, WithChainCacheSize(-1)) }, nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := tt.new()
			if tt.name == "negative cache size" {
				if err == nil || a != nil {
					t.Fatalf("accepted a negative cache size")
				}
				return
			}
			checkErr(t, err, tt.wantErr, tt.wantMsg)
		})
	}
}

// TestVerifyPKIFixtures covers research §6.3 rows 42–46.
func TestVerifyPKIFixtures(t *testing.T) {
	sig := readSigstoreSig(t, "dir-img-cosign-pki-valid/signature-1")
	cert, chain := []byte(sig.Annotations["dev.sigstore.cosign/certificate"]), []byte(sig.Annotations["dev.sigstore.cosign/chain"])
	roots, inters := readFixture(t, "pki_root_crts.pem"), readFixture(t, "pki_intermediate_crts.pem")
	tests := []struct {
		name          string
		roots, inters []byte
		chain         []byte
		at            time.Time
		wantErr       error
		wantMsg       string
	}{
		{"roots + intermediates + chain (row 42)", roots, inters, chain, pkiNow, nil, ""},
		{"roots only + chain", roots, nil, chain, pkiNow, nil, ""},
		{"intermediate as root", inters, nil, chain, pkiNow, nil, ""},
		{"fulcio root (row 45)", readFixture(t, "fulcio_v1.crt.pem"), nil, chain, pkiNow, ErrChain, "veryfing leaf certificate failed: x509: certificate signed by unknown authority"},
		{"chain removed, roots only (row 46)", roots, nil, nil, pkiNow, ErrChain, ""},
		{"chain removed, roots + intermediates (row 46)", roots, inters, nil, pkiNow, nil, ""},
		{"after the leaf expired", roots, inters, chain, time.Date(2052, 2, 17, 0, 0, 0, 0, time.UTC), ErrChain, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, size := range []int{0, DefaultChainCacheSize} {
				a, err := NewPKIAnchors(tt.roots, tt.inters, WithChainCacheSize(size))
				if err != nil {
					t.Fatal(err)
				}
				for range 2 {
					id, err := a.VerifyPKI(cert, tt.chain, tt.at)
					checkErr(t, err, tt.wantErr, tt.wantMsg)
					if err == nil && (id.Issuer != "" || len(id.Emails) != 1 || id.Emails[0] != "qiwan@redhat.com") {
						t.Errorf("identity %q %q", id.Issuer, id.Emails)
					}
				}
			}
		})
	}

	a, err := NewPKIAnchors(roots, inters)
	if err != nil {
		t.Fatal(err)
	}
	id, err := a.VerifyPKI(cert, chain, pkiNow)
	if err != nil {
		t.Fatal(err)
	}
	checks := []struct {
		name    string
		err     error
		wantErr error
		wantMsg string
	}{
		{"email (row 42)", id.CheckEmail("qiwan@redhat.com"), nil, ""},
		{"other email (row 43)", id.CheckEmail("x@redhat.com"), ErrSubject, `Required email "x@redhat.com" not found (got ["qiwan@redhat.com"])`},
		{"hostname", id.CheckHostname("myhost.example.com"), nil, ""},
		{"hostname, other case", id.CheckHostname("MYHOST.example.com"), nil, ""},
		{"other hostname (row 44)", id.CheckHostname("other.example.com"), ErrSubject,
			"Unexpected subject hostname: x509: certificate is valid for myhost.example.com, not other.example.com"},
	}
	for _, c := range checks {
		t.Run(c.name, func(t *testing.T) { checkErr(t, c.err, c.wantErr, c.wantMsg) })
	}
	var he *HostnameMismatchError
	if err := id.CheckHostname("other.example.com"); !errors.As(err, &he) || he.Expected != "other.example.com" || len(he.Actual) != 1 {
		t.Errorf("HostnameMismatchError %#v", err)
	}
	var hostErr x509.HostnameError
	if !errors.As(id.CheckHostname("other.example.com"), &hostErr) {
		t.Errorf("the x509.HostnameError is not reachable with errors.As")
	}
}

// criticalOtherNameSAN is a critical SAN holding only an otherName, which crypto/x509 does not
// understand (so it stays in UnhandledCriticalExtensions).
func criticalOtherNameSAN(t testing.TB) pkix.Extension {
	t.Helper()
	other, err := asn1.Marshal(asn1.RawValue{Class: asn1.ClassContextSpecific, Tag: 0, IsCompound: true,
		Bytes: mustMarshal(t, asn1.ObjectIdentifier{1, 3, 6, 1, 4, 1, 57264, 1, 7})})
	if err != nil {
		t.Fatal(err)
	}
	seq, err := asn1.Marshal(asn1.RawValue{Class: asn1.ClassUniversal, Tag: asn1.TagSequence, IsCompound: true, Bytes: other})
	if err != nil {
		t.Fatal(err)
	}
	return pkix.Extension{Id: cryptoutils.SANOID, Critical: true, Value: seq}
}

func mustMarshal(t testing.TB, v any) []byte {
	t.Helper()
	b, err := asn1.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestVerifyFulcioSynthesised covers research §6 "Synthesised Fulcio + Rekor vectors" and the
// other certificate rules, with a private CA.
func TestVerifyFulcioSynthesised(t *testing.T) {
	h := newHierarchy(t)
	const iss = "https://issuer.example"
	badV2 := issuerV2(t, iss)
	badV2.Value = append(bytes.Clone(badV2.Value), 0)
	tests := []struct {
		name       string
		tmpl       func() *x509.Certificate
		chain      []byte
		at         time.Time
		wantErr    error
		wantMsg    string
		wantIssuer string
		email      string // checked with CheckEmail when set
		emailErr   bool
	}{
		{"issuer v2", func() *x509.Certificate { return leafTemplate([]string{"a@example.com"}, issuerV2(t, iss)) }, h.chainPEM(), t0, nil, "", iss, "a@example.com", false},
		{"issuer v1", func() *x509.Certificate { return leafTemplate([]string{"a@example.com"}, issuerV1(iss)) }, h.chainPEM(), t0, nil, "", iss, "", false},
		{"v1 and v2 agree", func() *x509.Certificate { return leafTemplate(nil, issuerV1(iss), issuerV2(t, iss)) }, h.chainPEM(), t0, nil, "", iss, "", false},
		{"v1 and v2 disagree", func() *x509.Certificate {
			return leafTemplate(nil, issuerV1("https://other"), issuerV2(t, iss))
		}, h.chainPEM(), t0, ErrIssuer, `inconsistent OIDC issuer extension values: v1 "https://other", v2 "https://issuer.example"`, "", "", false},
		{"no issuer extension", func() *x509.Certificate { return leafTemplate(nil) }, h.chainPEM(), t0, ErrIssuer, "Fulcio certificate is missing the issuer extension", "", "", false},
		{"v2 with trailing data", func() *x509.Certificate { return leafTemplate(nil, badV2) }, h.chainPEM(), t0, ErrIssuer, "invalid ASN.1 in OIDC issuer v2 extension: unexpected trailing bytes in DER-encoded string", "", "", false},
		{"integratedTime 1 min after NotAfter", func() *x509.Certificate { return leafTemplate(nil, issuerV2(t, iss)) }, h.chainPEM(), leafExpiry.Add(time.Minute), ErrChain,
			"veryfing leaf certificate failed: x509: certificate has expired or is not yet valid: current time 2020-01-01T00:11:00Z is after 2020-01-01T00:10:00Z", "", "", false},
		{"integratedTime == NotBefore", func() *x509.Certificate { return leafTemplate(nil, issuerV2(t, iss)) }, h.chainPEM(), t0, nil, "", iss, "", false},
		{"integratedTime 1s before NotBefore", func() *x509.Certificate { return leafTemplate(nil, issuerV2(t, iss)) }, h.chainPEM(), t0.Add(-time.Second), ErrChain, "", "", "", false},
		{"integratedTime 1s after NotAfter", func() *x509.Certificate { return leafTemplate(nil, issuerV2(t, iss)) }, h.chainPEM(), leafExpiry.Add(time.Second), ErrChain, "", "", "", false},
		{"email case-sensitive", func() *x509.Certificate { return leafTemplate([]string{"A@example.com"}, issuerV2(t, iss)) }, h.chainPEM(), t0, nil, "", iss, "a@example.com", true},
		{"two emails, one matching", func() *x509.Certificate {
			return leafTemplate([]string{"b@example.com", "a@example.com"}, issuerV2(t, iss))
		}, h.chainPEM(), t0, nil, "", iss, "a@example.com", false},
		{"chain [intermediate]", func() *x509.Certificate { return leafTemplate(nil, issuerV2(t, iss)) }, h.inter.pem, t0, ErrChain,
			"veryfing leaf certificate failed: x509: certificate signed by unknown authority", "", "", false},
		{"chain [intermediate, intermediate]", func() *x509.Certificate { return leafTemplate(nil, issuerV2(t, iss)) }, cat(h.inter.pem, h.inter.pem), t0, nil, "", iss, "", false},
		{"critical otherName-only SAN (Fulcio workaround)", func() *x509.Certificate {
			return leafTemplate(nil, issuerV2(t, iss), criticalOtherNameSAN(t))
		}, h.chainPEM(), t0, nil, "", iss, "", false},
		{"other critical extension", func() *x509.Certificate {
			return leafTemplate(nil, issuerV2(t, iss), pkix.Extension{Id: asn1.ObjectIdentifier{1, 2, 3}, Critical: true, Value: []byte{5, 0}})
		}, h.chainPEM(), t0, ErrChain, "veryfing leaf certificate failed: x509: unhandled critical extension", "", "", false},
		{"serverAuth EKU only", func() *x509.Certificate {
			c := leafTemplate(nil, issuerV2(t, iss))
			c.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}
			return c
		}, h.chainPEM(), t0, ErrChain, "veryfing leaf certificate failed: x509: certificate specifies an incompatible key usage", "", "", false},
		{"no EKU", func() *x509.Certificate {
			c := leafTemplate(nil, issuerV2(t, iss))
			c.ExtKeyUsage = nil
			return c
		}, h.chainPEM(), t0, nil, "", iss, "", false},
		{"any EKU", func() *x509.Certificate {
			c := leafTemplate(nil, issuerV2(t, iss))
			c.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageAny}
			return c
		}, h.chainPEM(), t0, nil, "", iss, "", false},
		{"malformed other Fulcio extension is ignored", func() *x509.Certificate {
			return leafTemplate(nil, issuerV1(iss), pkix.Extension{Id: asn1.ObjectIdentifier{1, 3, 6, 1, 4, 1, 57264, 1, 9}, Value: []byte{0xff}})
		}, h.chainPEM(), t0, nil, "", iss, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			leaf := h.leaf(t, tt.tmpl())
			for _, size := range []int{0, DefaultChainCacheSize} {
				a := mustFulcio(t, h.root.pem, WithChainCacheSize(size))
				for range 2 {
					id, err := a.VerifyFulcio(leaf.pem, tt.chain, tt.at)
					checkErr(t, err, tt.wantErr, tt.wantMsg)
					if err != nil {
						continue
					}
					if id.Issuer != tt.wantIssuer {
						t.Errorf("issuer %q, want %q", id.Issuer, tt.wantIssuer)
					}
					if tt.email != "" {
						if err := id.CheckEmail(tt.email); (err != nil) != tt.emailErr {
							t.Errorf("CheckEmail(%q) = %v", tt.email, err)
						}
					}
				}
			}
		})
	}

	t.Run("critical otherName-only SAN fails on the PKI path", func(t *testing.T) {
		leaf := h.leaf(t, leafTemplate(nil, criticalOtherNameSAN(t)))
		a, err := NewPKIAnchors(h.root.pem, nil)
		if err != nil {
			t.Fatal(err)
		}
		_, err = a.VerifyPKI(leaf.pem, h.chainPEM(), t0)
		checkErr(t, err, ErrChain, "veryfing leaf certificate failed: x509: unhandled critical extension")
	})
	t.Run("PKI identity ignores a broken issuer extension", func(t *testing.T) {
		leaf := h.leaf(t, leafTemplate([]string{"a@example.com"}, issuerV1("https://other"), issuerV2(t, iss)))
		a, err := NewPKIAnchors(h.root.pem, h.inter.pem)
		if err != nil {
			t.Fatal(err)
		}
		id, err := a.VerifyPKI(leaf.pem, nil, t0)
		checkErr(t, err, nil, "")
		if id.Issuer != "" {
			t.Errorf("issuer %q", id.Issuer)
		}
	})
	t.Run("SANs", func(t *testing.T) {
		tmpl := leafTemplate([]string{"a@example.com"}, issuerV2(t, iss))
		tmpl.DNSNames = []string{"host.example.com"}
		leaf := h.leaf(t, tmpl)
		id, err := mustFulcio(t, h.root.pem).VerifyFulcio(leaf.pem, h.chainPEM(), t0)
		checkErr(t, err, nil, "")
		if len(id.DNSNames) != 1 || id.DNSNames[0] != "host.example.com" || len(id.Emails) != 1 {
			t.Errorf("SANs %q %q", id.DNSNames, id.Emails)
		}
		checkErr(t, id.CheckHostname("HOST.example.com"), nil, "")
	})
}
