package source_test

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"

	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/sigpolicy/sigpolicy/policy"
	"github.com/sigpolicy/sigpolicy/source"
	"github.com/sigpolicy/sigpolicy/verify"
)

// BenchmarkRegistryDecision measures a full pull-time decision against the loopback registry:
// NewRegistry (authentication ping, tag resolution, manifest fetch, and for a list the instance
// fetch), then Evaluate (signature tag, signature blobs, verification) with an Evaluator compiled
// once, as a runtime keeps it. The containers/image sub-benchmarks make the same decision through
// its docker transport in the same binary.
func BenchmarkRegistryDecision(b *testing.B) {
	reg := startRegistry(b, nil)
	h := reg.host
	reg.pushDir(b, "bench/key", "v1", filepath.Join(ciFixtures, "dir-img-cosign-valid"))
	reg.pushDir(b, "bench/fulcio", "v1", filepath.Join(ciFixtures, "dir-img-cosign-fulcio-rekor-valid"))
	const oci = "application/vnd.oci.image.manifest.v1+json"
	const index = "application/vnd.oci.image.index.v1+json"
	listRef := h + "/bench/list:v1"
	m := syntheticManifest("bench amd64")
	d := reg.pushManifest(b, "bench/list", "amd64", oci, m)
	reg.pushSignatures(b, "bench/list", d, oci, []sigLayer{{sig: sign(b, keyMain, listRef, d)}})
	reg.pushManifest(b, "bench/list", "v1", index, manifestList(index, []listEntry{{digest: d, size: len(m), platform: "linux/amd64"}}))

	exactRepo := func(repo string) string { return fmt.Sprintf(`{"type":"exactRepository","dockerRepository":%q}`, repo) }
	cases := []struct {
		name, ref string
		policy    []byte
	}{
		{"key", h + "/bench/key:v1", docPolicy(fmt.Sprintf(`{"type":"sigstoreSigned","keyPath":%q,"signedIdentity":%s}`,
			absFixture(b, filepath.Join(ciFixtures, "cosign.pub")), exactRepo("192.168.64.2:5000/cosign-signed-single-sample")))},
		{"fulcio-rekor", h + "/bench/fulcio:v1", docPolicy(fmt.Sprintf(`{"type":"sigstoreSigned","fulcio":{"caPath":%q,"oidcIssuer":"https://github.com/login/oauth","subjectEmail":"mitr@redhat.com"},"rekorPublicKeyPath":%q,"signedIdentity":%s}`,
			absFixture(b, filepath.Join(ciFixtures, "fulcio_v1.crt.pem")), absFixture(b, filepath.Join(ciFixtures, "rekor.pub")), exactRepo("192.168.64.2:5000/cosign-signed/fulcio-rekor-1")))},
		{"manifest-list", listRef, docPolicy(fmt.Sprintf(`{"type":"sigstoreSigned","keyPath":%q}`, absFixture(b, filepath.Join(genFixtures, "keys", "ecdsa-p256.pub"))))},
	}
	platform := v1.Platform{OS: "linux", Architecture: "amd64"}
	ctx := context.Background()
	for _, c := range cases {
		for _, cache := range []bool{true, false} {
			name := c.name + "/sigpolicy"
			var opts []verify.Option
			if !cache {
				name += "-nocache"
				opts = append(opts, verify.WithoutSignatureCache())
			}
			b.Run(name, func(b *testing.B) {
				p, err := policy.Parse(c.policy)
				if err != nil {
					b.Fatal(err)
				}
				ev, err := verify.Compile(p, opts...)
				if err != nil {
					b.Fatal(err)
				}
				b.ReportAllocs()
				for b.Loop() {
					r, err := source.NewRegistry(ctx, c.ref, source.WithPlainHTTP(), source.WithPlatform(platform))
					if err != nil {
						b.Fatal(err)
					}
					d, err := ev.Evaluate(ctx, verify.Image{Reference: r.EvaluationReference(), Source: r})
					if err != nil || !d.Allowed {
						b.Fatalf("not allowed: %v %v", err, d.Err)
					}
				}
			})
		}
		b.Run(c.name+"/containers-image", func(b *testing.B) {
			sys := cimageSystemContext(b, platform)
			b.ReportAllocs()
			for b.Loop() {
				ok, err := cimageRegistryDecide(ctx, sys, c.policy, c.ref)
				if !ok {
					b.Fatalf("not allowed: %v", err)
				}
			}
		})
	}
}
