package main

import (
	"crypto"
	"crypto/x509"
	"fmt"

	"github.com/opencontainers/go-digest"

	"github.com/sigpolicy/sigpolicy/internal/fixturegen/gen"
	"github.com/sigpolicy/sigpolicy/source"
)

// pkiSpec describes a signature with a certificate from the private PKI.
type pkiSpec struct {
	name, desc       string
	dnsNames         []string
	chain            bool // add the [intermediate, root] chain annotation
	untrusted        bool // leaf issued by other-root
	keys             Keys
	expected, expErr string
}

func (e *env) pkiCases() ([]Case, error) {
	full := Keys{PKIRoots: "keys/pki-root.pem", SubjectEmail: pkiEmail, SubjectHostname: pkiHost}
	withInter := full
	withInter.PKIIntermediates = "keys/pki-intermediate.pem"
	wildcard := Keys{PKIRoots: "keys/pki-root.pem", SubjectHostname: "x.apps.example.com"}
	specs := []pkiSpec{
		{name: "pki-valid", desc: "PKI leaf with email and hostname, chain annotation [intermediate, root]", chain: true, keys: full, expected: "allow"},
		{name: "pki-no-chain-intermediates-in-policy", desc: "no chain annotation; intermediates from the policy", keys: withInter, expected: "allow"},
		{name: "pki-no-chain-roots-only", desc: "no chain annotation, no intermediates in the policy", keys: full,
			expected: "deny", expErr: "certificate signed by unknown authority"},
		{name: "pki-hostname-wildcard", desc: "leaf SAN *.apps.example.com, policy hostname x.apps.example.com",
			dnsNames: []string{"*.apps.example.com"}, chain: true, keys: wildcard, expected: "allow"},
		{name: "pki-untrusted-root", desc: "leaf issued by other-root", untrusted: true, keys: full,
			expected: "deny", expErr: "certificate signed by unknown authority"},
	}
	var out []Case
	for _, s := range specs {
		c, err := e.pkiCase(s)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", s.name, err)
		}
		out = append(out, c)
	}
	return out, nil
}

func (e *env) pkiCase(s pkiSpec) (Case, error) {
	k := e.k
	m := manifestFor(s.name)
	d := digest.FromBytes(m)
	p := tagPayload(d)
	payload := p.Marshal()
	sig, err := gen.SignPayload(k.PKILeaf, payload)
	if err != nil {
		return Case{}, err
	}
	dns := s.dnsNames
	if dns == nil {
		dns = []string{pkiHost}
	}
	parent, parentKey := e.pkiInter, crypto.Signer(k.PKIIntermediate)
	if s.untrusted {
		parent, parentKey = e.otherRoot, k.OtherRoot
	}
	leaf, err := gen.MakeCert(gen.CertSpec{
		Serial: e.serial(), NotBefore: caNotBefore, NotAfter: pkiNotAfter,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageCodeSigning}, Emails: []string{pkiEmail}, DNSNames: dns,
	}, k.PKILeaf.Public(), parent, parentKey)
	if err != nil {
		return Case{}, err
	}
	extra := map[string]string{source.CertificateAnnotationKey: string(gen.CertPEM(leaf))}
	if s.chain {
		extra[source.ChainAnnotationKey] = string(gen.CertPEM(e.pkiInter, e.pkiRoot))
	}
	return Case{
		Name: s.name, Dir: s.name, Description: s.desc, SignedReference: p.DockerReference, PullReference: tagRef,
		ManifestDigest: d, Keys: s.keys, Requirement: s.keys.requirement(nil), Expected: s.expected, ExpectedError: s.expErr,
		manifest: m, signatures: []source.Signature{attachment(payload, sig, extra)},
	}, nil
}

// miscCases: several signatures, none, attachments, digest mismatch, missing annotations.
func (e *env) miscCases() ([]Case, error) {
	k := e.k
	// signed returns a good (ecdsa-p256) and a bad (other-ecdsa) attachment for the manifest.
	signed := func(name string, signer crypto.Signer, d digest.Digest) (source.Sigstore, error) {
		payload := tagPayload(d).Marshal()
		sig, err := gen.SignPayload(signer, payload)
		if err != nil {
			return source.Sigstore{}, err
		}
		return attachment(payload, sig, nil), nil
	}
	type spec struct {
		name, desc       string
		sigs             func(d digest.Digest) ([]source.Signature, error)
		signedRef        string
		expected, expErr string
	}
	one := func(signer crypto.Signer, edit func(*source.Sigstore)) func(d digest.Digest) ([]source.Signature, error) {
		return func(d digest.Digest) ([]source.Signature, error) {
			s, err := signed("", signer, d)
			if err != nil {
				return nil, err
			}
			if edit != nil {
				edit(&s)
			}
			return []source.Signature{s}, nil
		}
	}
	specs := []spec{
		{name: "multi-bad-then-good", desc: "signature-1 by other-ecdsa, signature-2 valid", signedRef: tagRef, expected: "allow",
			sigs: func(d digest.Digest) ([]source.Signature, error) {
				bad, err := signed("", k.OtherECDSA, d)
				if err != nil {
					return nil, err
				}
				good, err := signed("", k.ECDSAP256, d)
				return []source.Signature{bad, good}, err
			}},
		{name: "multi-all-bad", desc: "two signatures, both by other-ecdsa", signedRef: tagRef, expected: "deny", expErr: "None of the signatures were accepted",
			sigs: func(d digest.Digest) ([]source.Signature, error) {
				a, err := signed("", k.OtherECDSA, d)
				if err != nil {
					return nil, err
				}
				return []source.Signature{a, a}, nil
			}},
		{name: "unsigned", desc: "no signature files", expected: "deny", expErr: "no signature exists",
			sigs: func(digest.Digest) ([]source.Signature, error) { return nil, nil }},
		{name: "other-attachment", desc: "a text/plain attachment with a valid signature annotation", signedRef: tagRef,
			expected: "deny", expErr: "1 sigstore non-signature attachments",
			sigs: one(k.ECDSAP256, func(s *source.Sigstore) { s.UntrustedMIMEType = "text/plain" })},
		{name: "mimetype-charset", desc: "MIME type with \"; charset=utf-8\" appended", signedRef: tagRef,
			expected: "deny", expErr: "1 sigstore non-signature attachments",
			sigs: one(k.ECDSAP256, func(s *source.Sigstore) { s.UntrustedMIMEType += "; charset=utf-8" })},
		{name: "simple-signing-then-sigstore", desc: "signature-1 is an (unverifiable) OpenPGP blob, signature-2 a valid sigstore signature",
			signedRef: tagRef, expected: "allow",
			sigs: func(d digest.Digest) ([]source.Signature, error) {
				good, err := signed("", k.ECDSAP256, d)
				return []source.Signature{source.SimpleSigning{UntrustedBlob: []byte{0xA3, 0x01, 0x02, 0x03}}, good}, err
			}},
		{name: "missing-signature-annotation", desc: "no dev.cosignproject.cosign/signature annotation", signedRef: tagRef,
			expected: "deny", expErr: "missing dev.cosignproject.cosign/signature annotation",
			sigs: one(k.ECDSAP256, func(s *source.Sigstore) { delete(s.UntrustedAnnotations, source.SignatureAnnotationKey) })},
		{name: "manifest-digest-mismatch", desc: "valid signature for another manifest's digest", signedRef: tagRef,
			expected: "deny", expErr: "does not match",
			sigs: func(digest.Digest) ([]source.Signature, error) {
				s, err := signed("", k.ECDSAP256, digest.FromBytes(manifestFor("some other image")))
				return []source.Signature{s}, err
			}},
	}
	var out []Case
	for _, s := range specs {
		m := manifestFor(s.name)
		d := digest.FromBytes(m)
		sigs, err := s.sigs(d)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", s.name, err)
		}
		out = append(out, Case{
			Name: s.name, Dir: s.name, Description: s.desc, SignedReference: s.signedRef, PullReference: tagRef,
			ManifestDigest: d, Keys: p256Keys, Requirement: p256Keys.requirement(nil), Expected: s.expected, ExpectedError: s.expErr,
			manifest: m, signatures: sigs,
		})
	}
	return out, nil
}
