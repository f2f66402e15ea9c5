package fulcio

import (
	"crypto/x509"
	"slices"

	"github.com/sigstore/fulcio/pkg/certificate"
	"github.com/sigstore/sigstore/pkg/cryptoutils"
)

// Identity is the verified content of a leaf certificate. It is returned only by a successful
// VerifyFulcio or VerifyPKI.
type Identity struct {
	// Issuer is the OIDC issuer from the Fulcio extensions. VerifyFulcio guarantees it is present
	// and consistent; for VerifyPKI it is "" unless the certificate carries a valid, consistent
	// issuer extension (containers/image ignores it there).
	Issuer string
	// Emails are the rfc822Name SANs.
	Emails []string
	// URIs are the URI SANs, as strings.
	URIs []string
	// DNSNames are the dNSName SANs.
	DNSNames []string
	// OtherName is Fulcio's otherName SAN (OID 1.3.6.1.4.1.57264.1.7, e.g. "user!oidc.example"),
	// or "" when the certificate has none or more than one.
	OtherName string
	// Extensions are the Fulcio extensions parsed by certificate.ParseExtensions, for later policy
	// checks. containers/image does not read them, so a malformed extension does not fail the
	// verification: Extensions is then zero and ExtensionsErr says why.
	Extensions certificate.Extensions
	// ExtensionsErr is the certificate.ParseExtensions error, if any.
	ExtensionsErr error
	// Leaf is the verified leaf certificate. For VerifyFulcio its UnhandledCriticalExtensions no
	// longer lists the SAN extension. Treat it as read-only.
	Leaf *x509.Certificate
	// Chain is one verified path, from Leaf to a trust anchor. Treat it as read-only.
	Chain []*x509.Certificate
}

// CheckIssuer requires the OIDC issuer to equal want exactly (no normalisation: a trailing "/"
// matters). The error is an *IssuerMismatchError.
func (id *Identity) CheckIssuer(want string) error {
	if id.Issuer != want {
		return &IssuerMismatchError{Expected: want, Actual: id.Issuer}
	}
	return nil
}

// CheckEmail requires want to be one of the certificate's rfc822Name SANs, compared exactly and
// case-sensitively. The error is an *EmailMismatchError.
func (id *Identity) CheckEmail(want string) error {
	if !slices.Contains(id.Emails, want) {
		return &EmailMismatchError{Expected: want, Actual: slices.Clone(id.Emails)}
	}
	return nil
}

// CheckHostname requires the certificate to be valid for want according to
// x509.Certificate.VerifyHostname (case-insensitive, "*." wildcards, IP SANs for IP addresses).
// The error is a *HostnameMismatchError.
func (id *Identity) CheckHostname(want string) error {
	if err := id.Leaf.VerifyHostname(want); err != nil {
		return &HostnameMismatchError{Expected: want, Actual: slices.Clone(id.DNSNames), Err: err}
	}
	return nil
}

func newIdentity(leaf *x509.Certificate, chain []*x509.Certificate, issuer string) *Identity {
	id := &Identity{
		Issuer:   issuer,
		Emails:   slices.Clone(leaf.EmailAddresses),
		DNSNames: slices.Clone(leaf.DNSNames),
		Leaf:     leaf,
		Chain:    chain,
	}
	for _, u := range leaf.URIs {
		id.URIs = append(id.URIs, u.String())
	}
	id.Extensions, id.ExtensionsErr = certificate.ParseExtensions(leaf.Extensions)
	if name, err := cryptoutils.UnmarshalOtherNameSAN(leaf.Extensions); err == nil {
		id.OtherName = name
	}
	return id
}
