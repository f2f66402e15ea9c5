package main

import (
	"crypto"
	"crypto/x509"
	"fmt"
	"time"

	"github.com/opencontainers/go-digest"

	"github.com/sigpolicy/sigpolicy/internal/fixturegen/gen"
	"github.com/sigpolicy/sigpolicy/source"
)

var fulcioKeys = Keys{FulcioCA: "keys/fulcio-root.pem", OIDCIssuer: oidcIssuer, SubjectEmail: email, RekorPublicKeys: []string{"keys/rekor.pub"}}

// fulcioSpec describes a keyless signature: a Fulcio-style leaf, a chain annotation and a SET.
type fulcioSpec struct {
	name, desc  string
	emails      []string // nil: {email}
	v1, v2      string   // issuer extensions
	time        int64    // integrated time; 0: integratedTime
	chain       string   // "inter+root" (default), "inter", "none", "inter+inter"
	eku         []x509.ExtKeyUsage
	noEKU       bool
	certSuffix  string // appended to the certificate annotation only
	otherRoot   bool   // leaf issued by other-root
	keys        *Keys
	expected    string
	expectedErr string
}

func (e *env) fulcioCases() ([]Case, error) {
	nb := leafNotBefor.Unix()
	na := leafNotAfter.Unix()
	both := func(s fulcioSpec) fulcioSpec { s.v1, s.v2 = oidcIssuer, oidcIssuer; return s }
	caChain := Keys{FulcioCA: "keys/fulcio-chain.pem", OIDCIssuer: oidcIssuer, SubjectEmail: email, RekorPublicKeys: []string{"keys/rekor.pub"}}
	specs := []fulcioSpec{
		{name: "fulcio-issuer-v1", desc: "issuer in the v1 extension only", v1: oidcIssuer, expected: "allow"},
		{name: "fulcio-issuer-v2", desc: "issuer in the v2 extension only", v2: oidcIssuer, expected: "allow"},
		both(fulcioSpec{name: "fulcio-issuer-both", desc: "v1 and v2 issuer extensions, equal", expected: "allow"}),
		{name: "fulcio-issuer-disagree", desc: "v1 and v2 issuer extensions differ", v1: "https://other.example.com", v2: oidcIssuer,
			expected: "deny", expectedErr: "inconsistent OIDC issuer extension values"},
		{name: "fulcio-issuer-none", desc: "no issuer extension", expected: "deny", expectedErr: "missing the issuer extension"},
		both(fulcioSpec{name: "fulcio-email-uppercase", desc: "SAN email Signer@Example.com, policy signer@example.com",
			emails: []string{"Signer@Example.com"}, expected: "deny", expectedErr: "Required email"}),
		both(fulcioSpec{name: "fulcio-two-emails", desc: "two SAN emails, the second matches",
			emails: []string{"other@example.com", email}, expected: "allow"}),
		both(fulcioSpec{name: "fulcio-time-at-notbefore", desc: "integratedTime equals the leaf NotBefore", time: nb, expected: "allow"}),
		both(fulcioSpec{name: "fulcio-time-at-notafter", desc: "integratedTime equals the leaf NotAfter", time: na, expected: "allow"}),
		both(fulcioSpec{name: "fulcio-time-before-notbefore", desc: "integratedTime 1 s before the leaf NotBefore", time: nb - 1,
			expected: "deny", expectedErr: "certificate has expired or is not yet valid"}),
		both(fulcioSpec{name: "fulcio-time-after-notafter", desc: "integratedTime 1 minute after the leaf NotAfter", time: na + 60,
			expected: "deny", expectedErr: "certificate has expired or is not yet valid"}),
		both(fulcioSpec{name: "fulcio-chain-inter-only", desc: "chain annotation [intermediate]: its last element is dropped", chain: "inter",
			expected: "deny", expectedErr: "certificate signed by unknown authority"}),
		both(fulcioSpec{name: "fulcio-chain-none", desc: "no chain annotation; policy CA is the root only", chain: "none",
			expected: "deny", expectedErr: "certificate signed by unknown authority"}),
		both(fulcioSpec{name: "fulcio-chain-none-ca-chain", desc: "no chain annotation; policy CA file holds intermediate and root", chain: "none",
			keys: &caChain, expected: "allow"}),
		both(fulcioSpec{name: "fulcio-chain-inter-inter", desc: "chain annotation [intermediate, intermediate]", chain: "inter+inter", expected: "allow"}),
		both(fulcioSpec{name: "fulcio-leaf-eku-serverauth", desc: "leaf EKU serverAuth instead of codeSigning", eku: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
			expected: "deny", expectedErr: "incompatible key usage"}),
		both(fulcioSpec{name: "fulcio-leaf-no-eku", desc: "leaf without any EKU extension", noEKU: true, expected: "allow"}),
		both(fulcioSpec{name: "fulcio-cert-trailing-newlines", desc: "certificate annotation ends in \"\\n\\n\"", certSuffix: "\n",
			expected: "deny", expectedErr: "has trailing data"}),
		both(fulcioSpec{name: "fulcio-untrusted-root", desc: "leaf issued by other-root; policy trusts fulcio-root", otherRoot: true,
			expected: "deny", expectedErr: "certificate signed by unknown authority"}),
	}
	var out []Case
	for _, s := range specs {
		c, err := e.fulcioCase(s)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", s.name, err)
		}
		out = append(out, c)
	}
	return out, nil
}

func (e *env) fulcioCase(s fulcioSpec) (Case, error) {
	k := e.k
	m := manifestFor(s.name)
	d := digest.FromBytes(m)
	p := tagPayload(d)
	payload := p.Marshal()
	sig, err := gen.SignPayload(k.FulcioLeaf, payload)
	if err != nil {
		return Case{}, err
	}
	emails := s.emails
	if emails == nil {
		emails = []string{email}
	}
	eku := []x509.ExtKeyUsage{x509.ExtKeyUsageCodeSigning}
	if s.eku != nil {
		eku = s.eku
	}
	if s.noEKU {
		eku = nil
	}
	parent, parentKey := e.fulcioInter, crypto.Signer(k.FulcioIntermediate)
	if s.otherRoot {
		parent, parentKey = e.otherRoot, k.OtherRoot
	}
	leaf, err := gen.MakeCert(gen.CertSpec{
		Serial: e.serial(), NotBefore: leafNotBefor, NotAfter: leafNotAfter, ExtKeyUsage: eku,
		Emails: emails, IssuerV1: s.v1, IssuerV2: s.v2,
	}, k.FulcioLeaf.Public(), parent, parentKey)
	if err != nil {
		return Case{}, err
	}
	leafPEM := gen.CertPEM(leaf)
	t := s.time
	if t == 0 {
		t = integratedTime
	}
	bundle, err := gen.MakeSET(k.Rekor, gen.NewHashedRekord(payload, sig, leafPEM).Marshal(), t, e.logIndex())
	if err != nil {
		return Case{}, err
	}
	extra := map[string]string{
		source.CertificateAnnotationKey: string(leafPEM) + s.certSuffix,
		source.BundleAnnotationKey:      bundle.Marshal(),
	}
	switch {
	case s.otherRoot:
		extra[source.ChainAnnotationKey] = string(gen.CertPEM(e.otherRoot))
	case s.chain == "" || s.chain == "inter+root":
		extra[source.ChainAnnotationKey] = string(gen.CertPEM(e.fulcioInter, e.fulcioRoot))
	case s.chain == "inter":
		extra[source.ChainAnnotationKey] = string(gen.CertPEM(e.fulcioInter))
	case s.chain == "inter+inter":
		extra[source.ChainAnnotationKey] = string(gen.CertPEM(e.fulcioInter, e.fulcioInter))
	case s.chain == "none":
	default:
		return Case{}, fmt.Errorf("unknown chain %q", s.chain)
	}
	keys := fulcioKeys
	if s.keys != nil {
		keys = *s.keys
	}
	return Case{
		Name: s.name, Dir: s.name, Description: s.desc + fmt.Sprintf(" (leaf %s to %s, integratedTime %s)",
			leafNotBefor.Format(time.RFC3339), leafNotAfter.Format(time.RFC3339), time.Unix(t, 0).UTC().Format(time.RFC3339)),
		SignedReference: p.DockerReference, PullReference: tagRef, ManifestDigest: d,
		Keys: keys, Requirement: keys.requirement(nil), Expected: s.expected, ExpectedError: s.expectedErr,
		manifest: m, signatures: []source.Signature{attachment(payload, sig, extra)},
	}, nil
}
