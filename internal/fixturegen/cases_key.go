package main

import (
	"crypto"
	"fmt"

	"github.com/opencontainers/go-digest"

	"github.com/sigpolicy/sigpolicy/internal/fixturegen/gen"
	"github.com/sigpolicy/sigpolicy/source"
)

// defaultPayload is the payload containers/image itself writes: repo:tag identity, the manifest
// digest, and an optional object with creator and timestamp.
func defaultPayload(ref string, d digest.Digest) gen.Payload {
	return gen.Payload{DockerReference: ref, ManifestDigest: d.String(), Optional: gen.OptionalCreator(creator, integratedTime)}
}

var p256Keys = Keys{PublicKeys: []string{"keys/ecdsa-p256.pub"}}

// keyCase builds a case with one signature by signer over payload (built from the case's own
// manifest digest), with the signature bytes passed through mutate if not nil.
func (e *env) keyCase(name, desc string, signer crypto.Signer, keys Keys, identity map[string]any,
	payloadFor func(d digest.Digest) gen.Payload, mutate func([]byte) ([]byte, error), pull, expected, expErr string) (Case, error) {
	m := manifestFor(name)
	d := digest.FromBytes(m)
	p := payloadFor(d)
	payload := p.Marshal()
	sig, err := gen.SignPayload(signer, payload)
	if err != nil {
		return Case{}, err
	}
	if mutate != nil {
		if sig, err = mutate(sig); err != nil {
			return Case{}, err
		}
	}
	if pull == "" {
		pull = tagRef
	}
	return Case{
		Name: name, Dir: name, Description: desc, SignedReference: p.DockerReference, PullReference: pull,
		ManifestDigest: d, Keys: keys, Requirement: keys.requirement(identity),
		Expected: expected, ExpectedError: expErr,
		manifest: m, signatures: []source.Signature{attachment(payload, sig, nil)},
	}, nil
}

func tagPayload(d digest.Digest) gen.Payload { return defaultPayload(tagRef, d) }

// keyCases: one signature per key type and encoding, and payload variants.
func (e *env) keyCases() ([]Case, error) {
	k := e.k
	type spec struct {
		name, desc string
		signer     crypto.Signer
		keys       Keys
		identity   map[string]any
		payload    func(d digest.Digest) gen.Payload
		mutate     func([]byte) ([]byte, error)
		pull       string
		expected   string
		expErr     string
	}
	byDigest := func(d digest.Digest) string { return repo + "@" + d.String() }
	specs := []spec{
		{name: "key-ecdsa-p256-der", desc: "ECDSA P-256, ASN.1 DER signature", signer: k.ECDSAP256, keys: p256Keys, expected: "allow"},
		{name: "key-ecdsa-p256-p1363", desc: "ECDSA P-256, IEEE P1363 raw r||s signature", signer: k.ECDSAP256, keys: p256Keys,
			mutate: func(der []byte) ([]byte, error) { return gen.ToP1363(der, &k.ECDSAP256.PublicKey) }, expected: "allow"},
		{name: "key-ecdsa-p256-der-trailing-byte", desc: "ECDSA P-256 DER signature with one extra byte", signer: k.ECDSAP256, keys: p256Keys,
			mutate: func(der []byte) ([]byte, error) { return append(der, 0), nil }, expected: "deny", expErr: "cryptographic signature verification failed"},
		{name: "key-ecdsa-p384-sha256", desc: "ECDSA P-384 over a SHA-256 digest", signer: k.ECDSAP384, keys: Keys{PublicKeys: []string{"keys/ecdsa-p384.pub"}}, expected: "allow"},
		{name: "key-rsa-pkcs1v15", desc: "RSA-2048 PKCS #1 v1.5 SHA-256, PKIX key file", signer: k.RSA, keys: Keys{PublicKeys: []string{"keys/rsa.pub"}}, expected: "allow"},
		{name: "key-rsa-pkcs1v15-pkcs1-key", desc: "RSA-2048 PKCS #1 v1.5, key file in RSA PUBLIC KEY form", signer: k.RSA, keys: Keys{PublicKeys: []string{"keys/rsa-pkcs1.pub"}}, expected: "allow"},
		{name: "key-ed25519", desc: "pure Ed25519", signer: k.Ed25519, keys: Keys{PublicKeys: []string{"keys/ed25519.pub"}}, expected: "allow"},
		{name: "key-ed25519ph", desc: "Ed25519ph (pre-hashed) signature, which containers/image rejects", signer: k.Ed25519, keys: Keys{PublicKeys: []string{"keys/ed25519.pub"}},
			mutate: nil, expected: "deny", expErr: "cryptographic signature verification failed"},
		{name: "key-wrong-key", desc: "signed by other-ecdsa, verified with ecdsa-p256", signer: k.OtherECDSA, keys: p256Keys, expected: "deny", expErr: "cryptographic signature verification failed"},
		{name: "key-paths-mixed", desc: "ECDSA signature, keyPaths listing RSA, Ed25519 and the ECDSA key", signer: k.ECDSAP256,
			keys: Keys{PublicKeys: []string{"keys/rsa.pub", "keys/ed25519.pub", "keys/ecdsa-p256.pub"}}, expected: "allow"},

		{name: "identity-repo-only", desc: "cosign-style repository-only identity; allowed by matchRepository (denied by the default identity)",
			signer: k.ECDSAP256, keys: p256Keys, identity: matchRepository, expected: "allow",
			payload: func(d digest.Digest) gen.Payload {
				return gen.Payload{DockerReference: repo, ManifestDigest: d.String(), Optional: "null"}
			}},
		{name: "identity-repo-only-default-identity", desc: "repository-only identity under the default matchRepoDigestOrExact",
			signer: k.ECDSAP256, keys: p256Keys, expected: "deny", expErr: "is not accepted",
			payload: func(d digest.Digest) gen.Payload {
				return gen.Payload{DockerReference: repo, ManifestDigest: d.String(), Optional: "null"}
			}},
		{name: "identity-tag-other-tag", desc: "signed for :v1, pulled as :v2", signer: k.ECDSAP256, keys: p256Keys, pull: repo + ":v2",
			expected: "deny", expErr: "is not accepted"},
		{name: "identity-digest", desc: "repo@digest identity, pulled by digest", signer: k.ECDSAP256, keys: p256Keys, expected: "allow",
			payload: func(d digest.Digest) gen.Payload { return defaultPayload(byDigest(d), d) }},
		{name: "identity-tag-and-digest", desc: "repo:tag@digest identity, pulled by digest", signer: k.ECDSAP256, keys: p256Keys, expected: "allow",
			payload: func(d digest.Digest) gen.Payload { return defaultPayload(tagRef+"@"+d.String(), d) }},
		{name: "identity-normalised", desc: "identity `app:v1` (docker.io/library/app:v1), pulled as docker.io/library/app:v1", signer: k.ECDSAP256, keys: p256Keys,
			pull: "docker.io/library/app:v1", expected: "allow",
			payload: func(d digest.Digest) gen.Payload { return defaultPayload("app:v1", d) }},
		{name: "digest-uppercase", desc: "docker-manifest-digest with uppercase hex", signer: k.ECDSAP256, keys: p256Keys, expected: "deny", expErr: "invalid docker-manifest-digest value",
			payload: func(d digest.Digest) gen.Payload {
				p := tagPayload(d)
				p.ManifestDigest = "sha256:" + upper(d.Encoded())
				return p
			}},
		{name: "digest-sha512", desc: "correct sha512 manifest digest (containers/image only matches sha256)", signer: k.ECDSAP256, keys: p256Keys, expected: "deny", expErr: "does not match",
			payload: func(d digest.Digest) gen.Payload {
				p := tagPayload(d)
				p.ManifestDigest = digest.SHA512.FromBytes(manifestFor("digest-sha512")).String()
				return p
			}},
		{name: "type-unknown", desc: "critical.type \"atomic container signature\"", signer: k.ECDSAP256, keys: p256Keys, expected: "deny", expErr: "Unrecognized signature type",
			payload: func(d digest.Digest) gen.Payload {
				p := tagPayload(d)
				p.Type = "atomic container signature"
				return p
			}},
		{name: "optional-missing", desc: "payload without the optional member", signer: k.ECDSAP256, keys: p256Keys, expected: "deny", expErr: `Key "optional" missing`,
			payload: func(d digest.Digest) gen.Payload { p := tagPayload(d); p.Optional = ""; return p }},
		{name: "optional-null", desc: "cosign's \"optional\":null", signer: k.ECDSAP256, keys: p256Keys, expected: "allow",
			payload: func(d digest.Digest) gen.Payload { p := tagPayload(d); p.Optional = "null"; return p }},
		{name: "optional-extra-keys", desc: "unknown keys inside optional, timestamp 1e3", signer: k.ECDSAP256, keys: p256Keys, expected: "allow",
			payload: func(d digest.Digest) gen.Payload {
				p := tagPayload(d)
				p.Optional = `{"creator":"x","timestamp":1e3,"foo":{"bar":[1,2]}}`
				return p
			}},
		{name: "critical-extra-key", desc: "unknown key \"x\" inside critical", signer: k.ECDSAP256, keys: p256Keys, expected: "deny", expErr: `Unknown key "x"`,
			payload: func(d digest.Digest) gen.Payload { p := tagPayload(d); p.ExtraCritical = `"x":1`; return p }},
		{name: "timestamp-fractional", desc: "optional.timestamp 1.5", signer: k.ECDSAP256, keys: p256Keys, expected: "deny", expErr: "optional.timestamp is not an integer",
			payload: func(d digest.Digest) gen.Payload { p := tagPayload(d); p.Optional = `{"timestamp":1.5}`; return p }},
	}
	var out []Case
	for _, s := range specs {
		pf := s.payload
		if pf == nil {
			pf = tagPayload
		}
		c, err := e.keyCase(s.name, s.desc, s.signer, s.keys, s.identity, pf, s.mutate, s.pull, s.expected, s.expErr)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", s.name, err)
		}
		if s.name == "identity-digest" || s.name == "identity-tag-and-digest" {
			c.PullReference = byDigest(c.ManifestDigest)
		}
		if s.name == "key-ed25519ph" {
			sig, err := gen.SignEd25519ph(k.Ed25519, c.signatures[0].(source.Sigstore).UntrustedPayload)
			if err != nil {
				return nil, err
			}
			c.signatures[0] = attachment(c.signatures[0].(source.Sigstore).UntrustedPayload, sig, nil)
		}
		out = append(out, c)
	}
	// A payload with a trailing newline (the signature covers the newline too).
	c, err := e.keyCase("payload-trailing-newline", "payload JSON followed by a newline", k.ECDSAP256, p256Keys, nil, tagPayload, nil, "", "allow", "")
	if err != nil {
		return nil, err
	}
	payload := append(c.signatures[0].(source.Sigstore).UntrustedPayload, '\n')
	sig, err := gen.SignPayload(k.ECDSAP256, payload)
	if err != nil {
		return nil, err
	}
	c.signatures[0] = attachment(payload, sig, nil)
	return append(out, c), nil
}

func upper(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'a' && c <= 'f' {
			b[i] = c - 'a' + 'A'
		}
	}
	return string(b)
}
