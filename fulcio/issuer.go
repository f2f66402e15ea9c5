package fulcio

import (
	"crypto/x509"

	"github.com/sigstore/fulcio/pkg/certificate"
)

// issuerFromCertificate returns the OIDC issuer recorded by Fulcio in the certificate: extension
// 1.3.6.1.4.1.57264.1.1 (v1, raw bytes) and/or 1.3.6.1.4.1.57264.1.8 (v2, DER string). If both are
// present they must be equal; if neither is, it is an error. Errors wrap ErrIssuer and use
// containers/image's messages.
func issuerFromCertificate(untrustedCert *x509.Certificate) (string, error) {
	var v1, v2 string
	var haveV1, haveV2 bool
	for _, ext := range untrustedCert.Extensions {
		switch {
		case ext.Id.Equal(certificate.OIDIssuer): //nolint:staticcheck // v1 is deprecated but still accepted.
			if haveV1 { // unreachable: crypto/x509 rejects duplicate extensions
				return "", newErr(ErrIssuer, nil, "Fulcio certificate has a duplicate OIDC issuer v1 extension")
			}
			v1, haveV1 = string(ext.Value), true
		case ext.Id.Equal(certificate.OIDIssuerV2):
			if haveV2 { // unreachable: crypto/x509 rejects duplicate extensions
				return "", newErr(ErrIssuer, nil, "Fulcio certificate has a duplicate OIDC issuer v2 extension")
			}
			if err := certificate.ParseDERString(ext.Value, &v2); err != nil {
				return "", newErr(ErrIssuer, err, "invalid ASN.1 in OIDC issuer v2 extension: %v", err)
			}
			haveV2 = true
		}
	}
	switch {
	case haveV1 && haveV2:
		if v1 != v2 {
			return "", newErr(ErrIssuer, nil, "inconsistent OIDC issuer extension values: v1 %#v, v2 %#v", v1, v2)
		}
		return v1, nil
	case haveV1:
		return v1, nil
	case haveV2:
		return v2, nil
	default:
		return "", newErr(ErrIssuer, nil, "Fulcio certificate is missing the issuer extension")
	}
}
