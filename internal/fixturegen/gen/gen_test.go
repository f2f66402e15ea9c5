package gen

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/asn1"
	"encoding/json"
	"math/big"
	"testing"
	"time"

	jcs "github.com/cyberphone/json-canonicalization/go/src/webpki.org/jsoncanonicalizer"
)

func TestDRBG(t *testing.T) {
	a := NewDRBG("s", "l").Bytes(100)
	// Reading in odd-sized pieces yields the same stream.
	d := NewDRBG("s", "l")
	var b []byte
	for len(b) < 100 {
		b = append(b, d.Bytes(7)...)
	}
	if !bytes.Equal(a, b[:100]) {
		t.Error("stream depends on read sizes")
	}
	tests := []struct{ name, seed, label string }{{"other seed", "t", "l"}, {"other label", "s", "m"}, {"boundary shift", "s\x00", "l"}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if bytes.Equal(a, NewDRBG(tt.seed, tt.label).Bytes(100)) {
				t.Error("different inputs give the same stream")
			}
		})
	}
}

func TestNewKeysDeterministic(t *testing.T) {
	a, err := NewKeys("seed")
	if err != nil {
		t.Fatal(err)
	}
	b, err := NewKeys("seed")
	if err != nil {
		t.Fatal(err)
	}
	c, err := NewKeys("other seed")
	if err != nil {
		t.Fatal(err)
	}
	keys := func(k *Keys) map[string]crypto.Signer {
		return map[string]crypto.Signer{"p256": k.ECDSAP256, "p384": k.ECDSAP384, "rsa": k.RSA, "ed25519": k.Ed25519,
			"rekor": k.Rekor, "fulcio-root": k.FulcioRoot, "pki-leaf": k.PKILeaf}
	}
	ka, kb, kc := keys(a), keys(b), keys(c)
	for name := range ka {
		t.Run(name, func(t *testing.T) {
			da, _ := x509.MarshalPKCS8PrivateKey(ka[name])
			db, _ := x509.MarshalPKCS8PrivateKey(kb[name])
			dc, _ := x509.MarshalPKCS8PrivateKey(kc[name])
			if len(da) == 0 || !bytes.Equal(da, db) {
				t.Error("same seed, different key")
			}
			if bytes.Equal(da, dc) {
				t.Error("different seeds, same key")
			}
		})
	}
	if a.RSA.N.BitLen() != 2048 {
		t.Errorf("RSA modulus has %d bits", a.RSA.N.BitLen())
	}
}

func TestSignPayload(t *testing.T) {
	k, err := NewKeys("sign")
	if err != nil {
		t.Fatal(err)
	}
	payload := []byte(`{"critical":{}}`)
	sum := sha256.Sum256(payload)
	tests := []struct {
		name   string
		key    crypto.Signer
		verify func(sig []byte) bool
	}{
		{"ecdsa p256", k.ECDSAP256, func(s []byte) bool { return ecdsa.VerifyASN1(&k.ECDSAP256.PublicKey, sum[:], s) }},
		{"ecdsa p384 sha256", k.ECDSAP384, func(s []byte) bool { return ecdsa.VerifyASN1(&k.ECDSAP384.PublicKey, sum[:], s) }},
		{"rsa pkcs1v15", k.RSA, func(s []byte) bool { return rsa.VerifyPKCS1v15(&k.RSA.PublicKey, crypto.SHA256, sum[:], s) == nil }},
		{"ed25519", k.Ed25519, func(s []byte) bool { return ed25519.Verify(k.Ed25519.Public().(ed25519.PublicKey), payload, s) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s1, err := SignPayload(tt.key, payload)
			if err != nil {
				t.Fatal(err)
			}
			s2, err := SignPayload(tt.key, payload)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(s1, s2) {
				t.Error("signing is not deterministic")
			}
			if !tt.verify(s1) {
				t.Error("signature does not verify")
			}
		})
	}
	t.Run("ed25519ph is not pure ed25519", func(t *testing.T) {
		s, err := SignEd25519ph(k.Ed25519, payload)
		if err != nil {
			t.Fatal(err)
		}
		if ed25519.Verify(k.Ed25519.Public().(ed25519.PublicKey), payload, s) {
			t.Error("Ed25519ph signature verifies as pure Ed25519")
		}
	})
}

func TestToP1363(t *testing.T) {
	k, err := ECDSAKey("p1363", "k", elliptic.P384())
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256([]byte("x"))
	der, err := k.Sign(nil, sum[:], crypto.SHA256)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := ToP1363(der, &k.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	if len(raw) != 96 {
		t.Fatalf("P1363 length %d, want 96", len(raw))
	}
	r, s := new(big.Int).SetBytes(raw[:48]), new(big.Int).SetBytes(raw[48:])
	if !ecdsa.Verify(&k.PublicKey, sum[:], r, s) {
		t.Error("r||s does not verify")
	}
	if _, err := ToP1363(append(der, 0), &k.PublicKey); err == nil {
		t.Error("trailing data accepted")
	}
}

func TestMakeSET(t *testing.T) {
	k, err := NewKeys("set")
	if err != nil {
		t.Fatal(err)
	}
	pubPEM, err := PublicKeyPEM(k.ECDSAP256.Public())
	if err != nil {
		t.Fatal(err)
	}
	body := NewHashedRekord([]byte("payload"), []byte("sig"), pubPEM).Marshal()
	b, err := MakeSET(k.Rekor, body, 1735689600, 7)
	if err != nil {
		t.Fatal(err)
	}
	canon := b.Payload.Canonical()
	// The canonical form must equal RFC 8785's canonicalisation of the payload as cosign writes it.
	asWritten, err := json.Marshal(b.Payload)
	if err != nil {
		t.Fatal(err)
	}
	full, err := jcs.Transform(asWritten)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(canon, full) {
		t.Errorf("Canonical() = %s, JCS = %s", canon, full)
	}
	sum := sha256.Sum256(canon)
	if !ecdsa.VerifyASN1(&k.Rekor.PublicKey, sum[:], b.SignedEntryTimestamp) {
		t.Error("SET does not verify with the Rekor key")
	}
	id, _ := LogID(k.Rekor.Public())
	if b.Payload.LogID != id || len(id) != 64 {
		t.Errorf("log ID %q", b.Payload.LogID)
	}
}

func TestMakeLeafCert(t *testing.T) {
	k, err := NewKeys("certs")
	if err != nil {
		t.Fatal(err)
	}
	nb := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	root, err := MakeCert(CertSpec{Serial: 1, IsCA: true, NotBefore: nb, NotAfter: nb.AddDate(10, 0, 0)}, k.FulcioRoot.Public(), nil, k.FulcioRoot)
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	leaf, err := MakeLeafCert(2, k.FulcioLeaf.Public(), []string{"a@example.com"}, "https://v1", "https://v2", at, root, k.FulcioRoot)
	if err != nil {
		t.Fatal(err)
	}
	again, err := MakeLeafCert(2, k.FulcioLeaf.Public(), []string{"a@example.com"}, "https://v1", "https://v2", at, root, k.FulcioRoot)
	if err != nil || !bytes.Equal(leaf.Raw, again.Raw) {
		t.Fatalf("certificate bytes are not deterministic (%v)", err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(root)
	opts := x509.VerifyOptions{Roots: pool, CurrentTime: at, KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageCodeSigning}}
	if _, err := leaf.Verify(opts); err != nil {
		t.Errorf("leaf does not verify at NotBefore: %v", err)
	}
	opts.CurrentTime = at.Add(11 * time.Minute)
	if _, err := leaf.Verify(opts); err == nil {
		t.Error("leaf verifies after NotAfter")
	}
	var v1, v2 string
	sanCritical := false
	for _, ext := range leaf.Extensions {
		switch {
		case ext.Id.Equal(OIDIssuerV1):
			v1 = string(ext.Value)
		case ext.Id.Equal(OIDIssuerV2):
			if _, err := asn1.UnmarshalWithParams(ext.Value, &v2, "utf8"); err != nil {
				t.Error(err)
			}
		case ext.Id.Equal(asn1.ObjectIdentifier{2, 5, 29, 17}):
			sanCritical = ext.Critical
		}
	}
	if v1 != "https://v1" || v2 != "https://v2" || !sanCritical {
		t.Errorf("issuer v1 %q, v2 %q, SAN critical %v", v1, v2, sanCritical)
	}
}
