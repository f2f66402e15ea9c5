package verify_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"os"
	"path/filepath"
	"testing"

	"github.com/containers/image/v5/directory"
	"github.com/containers/image/v5/docker"
	"github.com/containers/image/v5/docker/reference"
	"github.com/containers/image/v5/image"
	"github.com/containers/image/v5/signature"
	"github.com/cyberphone/json-canonicalization/go/src/webpki.org/jsoncanonicalizer"
	"github.com/sigstore/sigstore/pkg/cryptoutils"

	"github.com/sigpolicy/sigpolicy/policy"
	"github.com/sigpolicy/sigpolicy/source"
	"github.com/sigpolicy/sigpolicy/verify"
)

// memImage is an image held in memory, so that benchmarks measure verification, not file reads.
type memImage struct {
	manifest []byte
	sigs     []source.Signature
}

func (m *memImage) Manifest(context.Context) ([]byte, error)               { return m.manifest, nil }
func (m *memImage) Signatures(context.Context) ([]source.Signature, error) { return m.sigs, nil }

func loadMemImage(tb testing.TB, dir string) *memImage {
	tb.Helper()
	man, err := os.ReadFile(filepath.Join(dir, "manifest.json"))
	if err != nil {
		tb.Fatal(err)
	}
	sigs, err := source.NewDir(dir).Signatures(context.Background())
	if err != nil {
		tb.Fatal(err)
	}
	return &memImage{manifest: man, sigs: sigs}
}

type benchFixture struct {
	name, dir, ref string
	policy         []byte
}

func benchFixtures() []benchFixture {
	return []benchFixture{
		{"key", fx("dir-img-cosign-valid"), single, policyFor(`{"type":"sigstoreSigned","keyPath":"FX/cosign.pub",` + mr + `}`)},
		{"fulcio-rekor", fx("dir-img-cosign-fulcio-rekor-valid"), fulcioRef, policyFor(`{"type":"sigstoreSigned",` + fulcioSpec + `,` + mr + `}`)},
	}
}

func compileFor(b *testing.B, pol []byte, opts ...verify.Option) *verify.Evaluator {
	p, err := policy.Parse(pol)
	if err != nil {
		b.Fatal(err)
	}
	ev, err := verify.Compile(p, opts...)
	if err != nil {
		b.Fatal(err)
	}
	return ev
}

func mustAllow(b *testing.B, d *verify.Decision, err error) {
	if err != nil || !d.Allowed {
		b.Fatalf("not allowed: %v %v", err, d.Err)
	}
}

// BenchmarkEvaluate compares, in one binary, sigpolicy's compiled Evaluator (a never-seen signature,
// and the same signature again), containers/image's IsRunningImageAllowed on the same fixture, and the
// crypto floor: the raw verifications a never-seen signature needs.
func BenchmarkEvaluate(b *testing.B) {
	ctx := context.Background()
	for _, f := range benchFixtures() {
		ref, err := reference.ParseNormalizedNamed(f.ref)
		if err != nil {
			b.Fatal(err)
		}
		mem := loadMemImage(b, f.dir)
		b.Run(f.name+"/sigpolicy-never-seen", func(b *testing.B) {
			ev := compileFor(b, f.policy, verify.WithoutSignatureCache())
			img := verify.Image{Reference: ref, Source: mem}
			b.ReportAllocs()
			for b.Loop() {
				d, err := ev.Evaluate(ctx, img)
				mustAllow(b, d, err)
			}
		})
		b.Run(f.name+"/sigpolicy-seen-again", func(b *testing.B) {
			ev := compileFor(b, f.policy)
			img := verify.Image{Reference: ref, Source: mem}
			d, err := ev.Evaluate(ctx, img)
			mustAllow(b, d, err)
			b.ReportAllocs()
			for b.Loop() {
				d, err := ev.Evaluate(ctx, img)
				mustAllow(b, d, err)
			}
		})
		b.Run(f.name+"/sigpolicy-dir-never-seen", func(b *testing.B) {
			ev := compileFor(b, f.policy, verify.WithoutSignatureCache())
			img := verify.Image{Reference: ref, Source: source.NewDir(f.dir)}
			b.ReportAllocs()
			for b.Loop() {
				d, err := ev.Evaluate(ctx, img)
				mustAllow(b, d, err)
			}
		})
		b.Run(f.name+"/containers-image", func(b *testing.B) {
			pol, err := signature.NewPolicyFromBytes(f.policy)
			if err != nil {
				b.Fatal(err)
			}
			pc, err := signature.NewPolicyContext(pol)
			if err != nil {
				b.Fatal(err)
			}
			defer func() { _ = pc.Destroy() }()
			srcRef, err := directory.NewReference(f.dir)
			if err != nil {
				b.Fatal(err)
			}
			dref, err := docker.ParseReference("//" + f.ref)
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				src, err := srcRef.NewImageSource(ctx, nil)
				if err != nil {
					b.Fatal(err)
				}
				ok, err := pc.IsRunningImageAllowed(ctx, image.UnparsedInstanceWithReference(image.UnparsedInstance(src, nil), dref))
				src.Close()
				if !ok {
					b.Fatal(err)
				}
			}
		})
		b.Run(f.name+"/crypto-floor", func(b *testing.B) {
			floor := newCryptoFloor(b, mem.sigs[0].(source.Sigstore), f.name == "fulcio-rekor")
			b.ReportAllocs()
			for b.Loop() {
				floor.run(b)
			}
		})
	}
}

// cryptoFloor holds the raw verifications a never-seen signature needs: the payload signature, and
// for Fulcio + Rekor the SET and the leaf certificate's signature by its (already verified) issuer.
type cryptoFloor struct {
	payloadKey     *ecdsa.PublicKey
	payloadDigest  []byte
	payloadSig     []byte
	rekorKey       *ecdsa.PublicKey
	setPayload     []byte // canonical SET payload
	setSig         []byte
	leaf, issuer   *x509.Certificate
	payload        []byte
	withCertAndSET bool
}

func newCryptoFloor(b *testing.B, sig source.Sigstore, fulcio bool) *cryptoFloor {
	f := &cryptoFloor{payload: sig.UntrustedPayload, withCertAndSET: fulcio}
	raw, err := base64.StdEncoding.DecodeString(sig.UntrustedAnnotations[source.SignatureAnnotationKey])
	if err != nil {
		b.Fatal(err)
	}
	f.payloadSig = raw
	if !fulcio {
		pemBytes, err := os.ReadFile(fx("cosign.pub"))
		if err != nil {
			b.Fatal(err)
		}
		pk, err := cryptoutils.UnmarshalPEMToPublicKey(pemBytes)
		if err != nil {
			b.Fatal(err)
		}
		f.payloadKey = pk.(*ecdsa.PublicKey)
		return f
	}
	certs, err := cryptoutils.UnmarshalCertificatesFromPEM([]byte(sig.UntrustedAnnotations[source.CertificateAnnotationKey]))
	if err != nil {
		b.Fatal(err)
	}
	chain, err := cryptoutils.UnmarshalCertificatesFromPEM([]byte(sig.UntrustedAnnotations[source.ChainAnnotationKey]))
	if err != nil {
		b.Fatal(err)
	}
	f.leaf, f.issuer = certs[0], chain[0]
	f.payloadKey = f.leaf.PublicKey.(*ecdsa.PublicKey)
	var set struct {
		SignedEntryTimestamp []byte
		Payload              json.RawMessage
	}
	if err := json.Unmarshal([]byte(sig.UntrustedAnnotations[source.BundleAnnotationKey]), &set); err != nil {
		b.Fatal(err)
	}
	f.setSig = set.SignedEntryTimestamp
	f.setPayload, err = jsoncanonicalizer.Transform(set.Payload)
	if err != nil {
		b.Fatal(err)
	}
	rk, err := os.ReadFile(fx("rekor.pub"))
	if err != nil {
		b.Fatal(err)
	}
	block, _ := pem.Decode(rk)
	pk, err := x509.ParsePKIXPublicKey(block.Bytes)
	if err != nil {
		b.Fatal(err)
	}
	f.rekorKey = pk.(*ecdsa.PublicKey)
	f.run(b)
	return f
}

func (f *cryptoFloor) run(b *testing.B) {
	h := sha256.Sum256(f.payload)
	if !ecdsa.VerifyASN1(f.payloadKey, h[:], f.payloadSig) {
		b.Fatal("payload signature")
	}
	if !f.withCertAndSET {
		return
	}
	sh := sha256.Sum256(f.setPayload)
	if !ecdsa.VerifyASN1(f.rekorKey, sh[:], f.setSig) {
		b.Fatal("SET signature")
	}
	if err := f.leaf.CheckSignatureFrom(f.issuer); err != nil {
		b.Fatal(err)
	}
}
