package main

import (
	"crypto/ecdsa"
	"encoding/base64"
	"fmt"

	"github.com/opencontainers/go-digest"

	"github.com/sigpolicy/sigpolicy/internal/fixturegen/gen"
	"github.com/sigpolicy/sigpolicy/source"
)

var keyRekorKeys = Keys{PublicKeys: []string{"keys/ecdsa-p256.pub"}, RekorPublicKeys: []string{"keys/rekor.pub"}}

// rekorSpec describes a key-signed signature with a Rekor bundle, and how to break it.
type rekorSpec struct {
	name, desc       string
	rekorKey         *ecdsa.PrivateKey         // nil: the test Rekor key
	bodyKey          *ecdsa.PrivateKey         // nil: the signing key
	mutateBody       func(*gen.HashedRekord)   // applied before the SET is signed
	annotation       func(b gen.Bundle) string // nil: b.Marshal()
	noBundle         bool
	expected, expErr string
}

func (e *env) rekorCases() ([]Case, error) {
	k := e.k
	specs := []rekorSpec{
		{name: "rekor-valid", desc: "ECDSA key signature with a valid Rekor SET", expected: "allow"},
		{name: "rekor-set-other-key", desc: "SET signed by rekor-other, policy trusts rekor", rekorKey: k.RekorOther,
			expected: "deny", expErr: "cryptographic signature verification of Rekor SET failed"},
		{name: "rekor-body-hash-mismatch", desc: "hashedrekord data hash is not sha256(payload)",
			mutateBody: func(h *gen.HashedRekord) { h.Spec.Data.Hash.Value = digest.FromString("other").Encoded() },
			expected:   "deny", expErr: "payload in Rekor SET does not match"},
		{name: "rekor-body-signature-mismatch", desc: "hashedrekord signature content differs from the annotation",
			mutateBody: func(h *gen.HashedRekord) { h.Spec.Signature.Content = append([]byte{}, "not the signature"...) },
			expected:   "deny", expErr: "signature in Rekor SET does not match"},
		{name: "rekor-body-key-mismatch", desc: "hashedrekord public key is other-ecdsa", bodyKey: k.OtherECDSA,
			expected: "deny", expErr: "publicKey in Rekor SET does not match"},
		{name: "rekor-body-kind-intoto", desc: "entry kind intoto",
			mutateBody: func(h *gen.HashedRekord) { h.Kind = "intoto" },
			expected:   "deny", expErr: "invalid kind value"},
		{name: "rekor-body-apiversion-002", desc: "hashedrekord apiVersion 0.0.2",
			mutateBody: func(h *gen.HashedRekord) { h.APIVersion = "0.0.2" },
			expected:   "deny", expErr: "unsupported Rekor SET Payload hashedrekord version"},
		{name: "rekor-bundle-extra-key", desc: "bundle annotation with an extra top-level key",
			annotation: func(b gen.Bundle) string { s := b.Marshal(); return s[:len(s)-1] + `,"Extra":1}` },
			expected:   "deny", expErr: `Unknown key "Extra"`},
		{name: "rekor-set-noncanonical", desc: "SET payload reordered, with whitespace and integratedTime as 1.7356896e9: equivalent under RFC 8785",
			annotation: func(b gen.Bundle) string {
				return fmt.Sprintf("{ \"Payload\" : {\n  \"logID\": %q, \"logIndex\": %d,\n  \"integratedTime\": 1.7356896e9, \"body\": %q },\n \"SignedEntryTimestamp\": %q }",
					b.Payload.LogID, b.Payload.LogIndex, base64.StdEncoding.EncodeToString(b.Payload.Body),
					base64.StdEncoding.EncodeToString(b.SignedEntryTimestamp))
			},
			expected: "allow"},
		{name: "rekor-missing-bundle", desc: "no bundle annotation although the policy requires Rekor", noBundle: true,
			expected: "deny", expErr: "missing dev.sigstore.cosign/bundle annotation"},
	}
	var out []Case
	for _, s := range specs {
		c, err := e.rekorCase(s)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", s.name, err)
		}
		out = append(out, c)
	}
	return out, nil
}

func (e *env) rekorCase(s rekorSpec) (Case, error) {
	m := manifestFor(s.name)
	d := digest.FromBytes(m)
	p := tagPayload(d)
	payload := p.Marshal()
	sig, err := gen.SignPayload(e.k.ECDSAP256, payload)
	if err != nil {
		return Case{}, err
	}
	bodyKey := e.k.ECDSAP256
	if s.bodyKey != nil {
		bodyKey = s.bodyKey
	}
	keyPEM, err := gen.PublicKeyPEM(bodyKey.Public())
	if err != nil {
		return Case{}, err
	}
	extra := map[string]string{}
	if !s.noBundle {
		body := gen.NewHashedRekord(payload, sig, keyPEM)
		if s.mutateBody != nil {
			s.mutateBody(&body)
		}
		rk := e.k.Rekor
		if s.rekorKey != nil {
			rk = s.rekorKey
		}
		bundle, err := gen.MakeSET(rk, body.Marshal(), integratedTime, e.logIndex())
		if err != nil {
			return Case{}, err
		}
		ann := bundle.Marshal()
		if s.annotation != nil {
			ann = s.annotation(bundle)
		}
		extra[source.BundleAnnotationKey] = ann
	}
	return Case{
		Name: s.name, Dir: s.name, Description: s.desc, SignedReference: p.DockerReference, PullReference: tagRef,
		ManifestDigest: d, Keys: keyRekorKeys, Requirement: keyRekorKeys.requirement(nil),
		Expected: s.expected, ExpectedError: s.expErr,
		manifest: m, signatures: []source.Signature{attachment(payload, sig, extra)},
	}, nil
}
