package gen

import (
	"crypto"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/pem"
	"math/big"
	"time"
)

// Fulcio certificate extension OIDs.
var (
	// OIDIssuerV1 is the deprecated Fulcio OIDC issuer extension; its value is the raw string.
	OIDIssuerV1 = asn1.ObjectIdentifier{1, 3, 6, 1, 4, 1, 57264, 1, 1}
	// OIDIssuerV2 is the Fulcio OIDC issuer extension; its value is a DER UTF8String.
	OIDIssuerV2 = asn1.ObjectIdentifier{1, 3, 6, 1, 4, 1, 57264, 1, 8}
)

// CertSpec describes a certificate to create. Zero fields are left out of the certificate.
type CertSpec struct {
	Serial    int64
	Subject   pkix.Name
	NotBefore time.Time
	NotAfter  time.Time
	IsCA      bool
	// ExtKeyUsage lists the extended key usages; empty means no EKU extension.
	ExtKeyUsage []x509.ExtKeyUsage
	Emails      []string
	DNSNames    []string
	// IssuerV1 and IssuerV2 set the Fulcio OIDC issuer extensions when not empty.
	IssuerV1, IssuerV2 string
}

// MakeCert creates the certificate described by spec for the public key pub, signed by
// parentKey as parent; a nil parent makes it self-signed. The bytes are deterministic.
func MakeCert(spec CertSpec, pub crypto.PublicKey, parent *x509.Certificate, parentKey crypto.Signer) (*x509.Certificate, error) {
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(spec.Serial),
		Subject:               spec.Subject,
		NotBefore:             spec.NotBefore,
		NotAfter:              spec.NotAfter,
		BasicConstraintsValid: true,
		IsCA:                  spec.IsCA,
		ExtKeyUsage:           spec.ExtKeyUsage,
		EmailAddresses:        spec.Emails,
		DNSNames:              spec.DNSNames,
	}
	if spec.IsCA {
		tmpl.KeyUsage = x509.KeyUsageCertSign | x509.KeyUsageCRLSign
	} else {
		tmpl.KeyUsage = x509.KeyUsageDigitalSignature
	}
	if spec.IssuerV1 != "" {
		tmpl.ExtraExtensions = append(tmpl.ExtraExtensions, pkix.Extension{Id: OIDIssuerV1, Value: []byte(spec.IssuerV1)})
	}
	if spec.IssuerV2 != "" {
		v, err := asn1.MarshalWithParams(spec.IssuerV2, "utf8")
		if err != nil {
			return nil, err
		}
		tmpl.ExtraExtensions = append(tmpl.ExtraExtensions, pkix.Extension{Id: OIDIssuerV2, Value: v})
	}
	if parent == nil {
		parent = tmpl
	}
	der, err := x509.CreateCertificate(nil, tmpl, parent, pub, DeterministicSigner{parentKey})
	if err != nil {
		return nil, err
	}
	return x509.ParseCertificate(der)
}

// MakeLeafCert creates a Fulcio-style leaf: empty subject (so the SAN is critical), the given
// email SANs, EKU codeSigning, valid for 10 minutes from notBefore, with the OIDC issuer in the
// v1 and/or v2 extension.
func MakeLeafCert(serial int64, pub crypto.PublicKey, emails []string, issuerV1, issuerV2 string, notBefore time.Time,
	parent *x509.Certificate, parentKey crypto.Signer) (*x509.Certificate, error) {
	return MakeCert(CertSpec{
		Serial:      serial,
		NotBefore:   notBefore,
		NotAfter:    notBefore.Add(10 * time.Minute),
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageCodeSigning},
		Emails:      emails,
		IssuerV1:    issuerV1,
		IssuerV2:    issuerV2,
	}, pub, parent, parentKey)
}

// CertPEM returns the PEM encoding of certs, concatenated.
func CertPEM(certs ...*x509.Certificate) []byte {
	var out []byte
	for _, c := range certs {
		out = append(out, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.Raw})...)
	}
	return out
}
