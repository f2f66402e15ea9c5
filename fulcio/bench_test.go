package fulcio

import (
	"crypto/ecdsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"testing"

	"github.com/sigpolicy/sigpolicy/rekor"
)

// keylessVector is the real containers/image keyless fixture, parsed.
type keylessVector struct {
	payload, cert, chain, set []byte
	b64Sig                    string
	sig                       []byte
	root                      []byte
	rekorKeys                 *rekor.Keys
}

func loadKeyless(b *testing.B) *keylessVector {
	b.Helper()
	s := readSigstoreSig(b, "dir-img-cosign-fulcio-rekor-valid/signature-1")
	v := &keylessVector{
		payload: s.Payload,
		cert:    []byte(s.Annotations["dev.sigstore.cosign/certificate"]),
		chain:   []byte(s.Annotations["dev.sigstore.cosign/chain"]),
		set:     []byte(s.Annotations["dev.sigstore.cosign/bundle"]),
		b64Sig:  s.Annotations["dev.cosignproject.cosign/signature"],
		root:    readFixture(b, "fulcio_v1.crt.pem"),
	}
	var err error
	if v.sig, err = base64.StdEncoding.DecodeString(v.b64Sig); err != nil {
		b.Fatal(err)
	}
	if v.rekorKeys, err = rekor.NewKeys([][]byte{readFixture(b, "rekor.pub")}); err != nil {
		b.Fatal(err)
	}
	return v
}

// BenchmarkVerifyFulcio measures certificate verification of the real keyless fixture: "cold" is a
// never-seen chain (cache disabled: a full crypto/x509 Verify, two P-384 signature checks),
// "warm" reuses the verified intermediate→root path (one P-384 check for the leaf).
func BenchmarkVerifyFulcio(b *testing.B) {
	v := loadKeyless(b)
	for _, bc := range []struct {
		name string
		size int
	}{{"cold", 0}, {"warm", DefaultChainCacheSize}} {
		b.Run(bc.name, func(b *testing.B) {
			a := mustFulcio(b, v.root, WithChainCacheSize(bc.size))
			at := keylessSETTime
			if _, err := a.VerifyFulcio(v.cert, v.chain, at); err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				if _, err := a.VerifyFulcio(v.cert, v.chain, at); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	b.Run("warm-parallel", func(b *testing.B) {
		a := mustFulcio(b, v.root)
		if _, err := a.VerifyFulcio(v.cert, v.chain, keylessSETTime); err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				if _, err := a.VerifyFulcio(v.cert, v.chain, keylessSETTime); err != nil {
					b.Error(err)
					return
				}
			}
		})
	})
}

// BenchmarkVerifySET measures the Rekor SET check of the real keyless fixture.
func BenchmarkVerifySET(b *testing.B) {
	v := loadKeyless(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := v.rekorKeys.VerifySET(v.set, v.cert, v.b64Sig, v.payload); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkKeyless measures a whole never-seen keyless signature at the certificate and log
// level: SET + certificate chain + payload signature. Compare "warm" with BenchmarkFloor/sum.
func BenchmarkKeyless(b *testing.B) {
	v := loadKeyless(b)
	for _, bc := range []struct {
		name string
		size int
	}{{"cold", 0}, {"warm", DefaultChainCacheSize}} {
		b.Run(bc.name, func(b *testing.B) {
			a := mustFulcio(b, v.root, WithChainCacheSize(bc.size))
			one := func() {
				e, err := v.rekorKeys.VerifySET(v.set, v.cert, v.b64Sig, v.payload)
				if err != nil {
					b.Fatal(err)
				}
				id, err := a.VerifyFulcio(v.cert, v.chain, e.IntegratedTime)
				if err != nil {
					b.Fatal(err)
				}
				d := sha256.Sum256(v.payload)
				if !ecdsa.VerifyASN1(id.Leaf.PublicKey.(*ecdsa.PublicKey), d[:], v.sig) {
					b.Fatal("payload signature")
				}
			}
			one()
			b.ReportAllocs()
			for b.Loop() {
				one()
			}
		})
	}
}

// BenchmarkFloor measures the unavoidable cryptography of a never-seen keyless signature: the
// payload signature (P-256), the SET (P-256) and the leaf certificate's signature by the Fulcio
// intermediate (P-384); "intermediateSignature" is what the chain cache saves.
func BenchmarkFloor(b *testing.B) {
	v := loadKeyless(b)
	leaf, err := parseLeaf(v.cert)
	if err != nil {
		b.Fatal(err)
	}
	a := mustFulcio(b, v.root, WithChainCacheSize(0))
	id, err := a.VerifyFulcio(v.cert, v.chain, keylessSETTime)
	if err != nil {
		b.Fatal(err)
	}
	inter, root := id.Chain[1], id.Chain[2]
	var bundle struct {
		SignedEntryTimestamp []byte
		Payload              json.RawMessage
	}
	if err := json.Unmarshal(v.set, &bundle); err != nil {
		b.Fatal(err)
	}
	canonical := []byte(`{"body":` + string(mustField(b, bundle.Payload, "body")) + `,"integratedTime":1674247893,"logID":` +
		string(mustField(b, bundle.Payload, "logID")) + `,"logIndex":11605770}`)
	rekorPub := loadRekorPub(b)
	payloadDigest := sha256.Sum256(v.payload)
	setDigest := sha256.Sum256(canonical)
	if !ecdsa.VerifyASN1(rekorPub, setDigest[:], bundle.SignedEntryTimestamp) {
		b.Fatal("canonical SET payload reconstruction is wrong")
	}
	leafKey := leaf.PublicKey.(*ecdsa.PublicKey)
	steps := map[string]func() bool{
		"payloadSignatureP256":  func() bool { return ecdsa.VerifyASN1(leafKey, payloadDigest[:], v.sig) },
		"setSignatureP256":      func() bool { return ecdsa.VerifyASN1(rekorPub, setDigest[:], bundle.SignedEntryTimestamp) },
		"leafSignatureP384":     func() bool { return leaf.CheckSignatureFrom(inter) == nil },
		"intermediateSignature": func() bool { return inter.CheckSignatureFrom(root) == nil },
	}
	for _, name := range []string{"payloadSignatureP256", "setSignatureP256", "leafSignatureP384", "intermediateSignature"} {
		step := steps[name]
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				if !step() {
					b.Fatal("verification failed")
				}
			}
		})
	}
	b.Run("sum", func(b *testing.B) {
		for b.Loop() {
			if !steps["payloadSignatureP256"]() || !steps["setSignatureP256"]() || !steps["leafSignatureP384"]() {
				b.Fatal("verification failed")
			}
		}
	})
}

func mustField(b *testing.B, obj json.RawMessage, key string) json.RawMessage {
	b.Helper()
	var m map[string]json.RawMessage
	if err := json.Unmarshal(obj, &m); err != nil {
		b.Fatal(err)
	}
	return m[key]
}

func loadRekorPub(b *testing.B) *ecdsa.PublicKey {
	b.Helper()
	k, err := parsePublicKeyPEM(readFixture(b, "rekor.pub"))
	if err != nil {
		b.Fatal(err)
	}
	return k
}
