package main

import (
	"bytes"
	"crypto"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"github.com/opencontainers/go-digest"

	"github.com/sigpolicy/sigpolicy/internal/fixturegen/gen"
	"github.com/sigpolicy/sigpolicy/source"
)

// Demo image and policy (examples/demo), used by the README's main command.
const (
	demoRepo = "registry.example.com/demo/hello"
	demoRef  = demoRepo + ":1.0"
)

// demo builds the demo image: one manifest signed twice, once with the demo ECDSA key (with a Rekor
// SET) and once keylessly (a Fulcio-style leaf for signer@example.com, chain, SET); and a policy that
// requires both, with every key and CA embedded as base64 data so that the policy works from any
// directory.
func (e *env) demo() (manifest []byte, sigs []source.Signature, policy []byte, err error) {
	k := e.k
	manifest = manifestFor("demo/hello:1.0")
	d := digest.FromBytes(manifest)
	p := gen.Payload{DockerReference: demoRepo, ManifestDigest: d.String(), Optional: "null"}
	payload := p.Marshal()

	keySig, err := gen.SignPayload(k.ECDSAP256, payload)
	if err != nil {
		return nil, nil, nil, err
	}
	keySET, err := gen.MakeSET(k.Rekor, gen.NewHashedRekord(payload, keySig, e.keyPEM["ecdsa-p256.pub"]).Marshal(), integratedTime, e.logIndex())
	if err != nil {
		return nil, nil, nil, err
	}
	sigs = append(sigs, attachment(payload, keySig, map[string]string{source.BundleAnnotationKey: keySET.Marshal()}))

	leafSig, err := gen.SignPayload(k.FulcioLeaf, payload)
	if err != nil {
		return nil, nil, nil, err
	}
	leaf, err := gen.MakeCert(gen.CertSpec{
		Serial: e.serial(), NotBefore: leafNotBefor, NotAfter: leafNotAfter, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageCodeSigning},
		Emails: []string{email}, IssuerV1: oidcIssuer, IssuerV2: oidcIssuer,
	}, k.FulcioLeaf.Public(), e.fulcioInter, crypto.Signer(k.FulcioIntermediate))
	if err != nil {
		return nil, nil, nil, err
	}
	leafPEM := gen.CertPEM(leaf)
	leafSET, err := gen.MakeSET(k.Rekor, gen.NewHashedRekord(payload, leafSig, leafPEM).Marshal(), integratedTime, e.logIndex())
	if err != nil {
		return nil, nil, nil, err
	}
	sigs = append(sigs, attachment(payload, leafSig, map[string]string{
		source.CertificateAnnotationKey: string(leafPEM),
		source.ChainAnnotationKey:       string(gen.CertPEM(e.fulcioInter, e.fulcioRoot)),
		source.BundleAnnotationKey:      leafSET.Marshal(),
	}))

	b64 := base64.StdEncoding.EncodeToString
	rekorKey := b64(e.keyPEM["rekor.pub"])
	repoIdentity := map[string]any{"type": "matchRepository"}
	doc := map[string]any{
		"default": []any{map[string]any{"type": "reject"}},
		"transports": map[string]any{"docker": map[string]any{
			"registry.example.com/demo": []any{
				map[string]any{"type": "sigstoreSigned", "keyData": b64(e.keyPEM["ecdsa-p256.pub"]),
					"rekorPublicKeyData": rekorKey, "signedIdentity": repoIdentity},
				map[string]any{"type": "sigstoreSigned",
					"fulcio":             map[string]any{"caData": b64(gen.CertPEM(e.fulcioRoot)), "oidcIssuer": oidcIssuer, "subjectEmail": email},
					"rekorPublicKeyData": rekorKey, "signedIdentity": repoIdentity},
			},
			"registry.example.com/demo/unsigned": []any{map[string]any{"type": "reject"}},
		}},
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return nil, nil, nil, err
	}
	return manifest, sigs, buf.Bytes(), nil
}

// generateDemo writes examples/demo: policy.json and the signed dir: layout image/.
func generateDemo(dir string) error {
	e, err := newEnv()
	if err != nil {
		return err
	}
	manifest, sigs, pol, err := e.demo()
	if err != nil {
		return err
	}
	img := filepath.Join(dir, "image")
	if err := os.RemoveAll(img); err != nil {
		return err
	}
	if err := source.WriteDir(img, manifest, sigs); err != nil {
		return fmt.Errorf("demo image: %w", err)
	}
	return os.WriteFile(filepath.Join(dir, "policy.json"), pol, 0o644)
}
