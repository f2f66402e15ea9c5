package rekor

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/sha256"
	"crypto/sha512"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"io"
	"os"
	"path/filepath"
	"testing"
)

const fixtures = "../testdata/containers-image"

func readFixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(fixtures, name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// sigstoreSig is a parsed containers/image dir: sigstore signature blob
// ("\x00sigstore-json\n" + JSON).
type sigstoreSig struct {
	MIMEType    string            `json:"mimeType"`
	Payload     []byte            `json:"payload"`
	Annotations map[string]string `json:"annotations"`
}

const (
	annSignature   = "dev.cosignproject.cosign/signature"
	annCertificate = "dev.sigstore.cosign/certificate"
	annChain       = "dev.sigstore.cosign/chain"
	annBundle      = "dev.sigstore.cosign/bundle"
)

func readSigstoreSig(t testing.TB, name string) sigstoreSig {
	t.Helper()
	raw := readFixture(t, name)
	const prefix = "\x00sigstore-json\n"
	if !bytes.HasPrefix(raw, []byte(prefix)) {
		t.Fatalf("%s: not a sigstore-json blob", name)
	}
	var s sigstoreSig
	if err := json.Unmarshal(raw[len(prefix):], &s); err != nil {
		t.Fatal(err)
	}
	return s
}

func mustKeys(t testing.TB, names ...string) *Keys {
	t.Helper()
	var pems [][]byte
	for _, n := range names {
		pems = append(pems, readFixture(t, n))
	}
	k, err := NewKeys(pems)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// seededKey derives an ECDSA key deterministically from seed.
func seededKey(t testing.TB, curve elliptic.Curve, seed string) *ecdsa.PrivateKey {
	t.Helper()
	size := (curve.Params().BitSize + 7) / 8
	for i := byte(0); ; i++ {
		h := sha512.Sum512(append([]byte(seed), i))
		k, err := ecdsa.ParseRawPrivateKey(curve, h[:size])
		if err == nil {
			return k
		}
	}
}

// detSigner signs deterministically (RFC 6979) whatever random source it is given.
type detSigner struct{ k *ecdsa.PrivateKey }

func (s detSigner) Public() crypto.PublicKey { return &s.k.PublicKey }

func (s detSigner) Sign(_ io.Reader, digest []byte, opts crypto.SignerOpts) ([]byte, error) {
	return s.k.Sign(nil, digest, opts)
}

func signASN1(t testing.TB, k *ecdsa.PrivateKey, msg []byte) []byte {
	t.Helper()
	d := sha256.Sum256(msg)
	sig, err := detSigner{k}.Sign(nil, d[:], crypto.SHA256)
	if err != nil {
		t.Fatal(err)
	}
	return sig
}

func publicPEM(t testing.TB, k *ecdsa.PrivateKey) []byte {
	t.Helper()
	der, err := x509.MarshalPKIXPublicKey(&k.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})
}

// synth is a synthesised Rekor + signature vector (§7 of the research recipe).
type synth struct {
	rekorKey   *ecdsa.PrivateKey
	signKey    *ecdsa.PrivateKey
	keyPEM     []byte
	payload    []byte
	b64Sig     string
	body       map[string]any // hashedrekord entry
	setPayload map[string]any // body (base64 of JSON of .body), integratedTime, logIndex, logID
}

func newSynth(t testing.TB) *synth {
	t.Helper()
	s := &synth{
		rekorKey: seededKey(t, elliptic.P256(), "rekor"),
		signKey:  seededKey(t, elliptic.P256(), "signer"),
		payload:  []byte(`{"critical":{"identity":{"docker-reference":"example.com/repo:tag"},"image":{"docker-manifest-digest":"sha256:634a8f35b5f16dcf4aaa0822adc0b1964bb786fca12f6831de8ddc45e5986a00"},"type":"cosign container image signature"},"optional":null}`),
	}
	s.keyPEM = publicPEM(t, s.signKey)
	sig := signASN1(t, s.signKey, s.payload)
	s.b64Sig = base64.StdEncoding.EncodeToString(sig)
	sum := sha256.Sum256(s.payload)
	s.body = map[string]any{
		"apiVersion": "0.0.1",
		"kind":       "hashedrekord",
		"spec": map[string]any{
			"data":      map[string]any{"hash": map[string]any{"algorithm": "sha256", "value": hex.EncodeToString(sum[:])}},
			"signature": map[string]any{"content": sig, "publicKey": map[string]any{"content": s.keyPEM}},
		},
	}
	s.setPayload = map[string]any{
		"integratedTime": 1577836800,
		"logIndex":       42,
		"logID":          "c0ffee",
	}
	return s
}

// spec returns the mutable spec map of the body.
func (s *synth) spec() map[string]any { return s.body["spec"].(map[string]any) }

// bundle returns the bundle annotation: the SET payload (body encoded from s.body unless
// s.setPayload already has one) signed with the Rekor key. json.Marshal of these maps equals
// their RFC 8785 form (sorted keys, no floats, ASCII).
func (s *synth) bundle(t testing.TB) []byte {
	t.Helper()
	p := map[string]any{}
	for k, v := range s.setPayload {
		p[k] = v
	}
	if _, ok := p["body"]; !ok {
		body, err := json.Marshal(s.body)
		if err != nil {
			t.Fatal(err)
		}
		p["body"] = body
	}
	raw, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	return s.bundleFromRaw(t, raw)
}

func (s *synth) bundleFromRaw(t testing.TB, rawPayload []byte) []byte {
	t.Helper()
	b, err := json.Marshal(map[string]any{
		"SignedEntryTimestamp": signASN1(t, s.rekorKey, rawPayload),
		"Payload":              json.RawMessage(rawPayload),
	})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func (s *synth) keys(t testing.TB) *Keys {
	t.Helper()
	k, err := NewKeys([][]byte{publicPEM(t, s.rekorKey)})
	if err != nil {
		t.Fatal(err)
	}
	return k
}
