//go:build containers_image_openpgp && exclude_graphdriver_btrfs

package policy

import (
	"testing"

	"github.com/containers/image/v5/docker/reference"
	"github.com/containers/image/v5/signature"
)

// BenchmarkParse parses a realistic 200-scope policy (mixed requirement types, about 90 KB) with
// sigpolicy and with containers/image in the same binary, so the ratio holds on a noisy machine.
func BenchmarkParse(b *testing.B) {
	doc := realisticPolicy(200)
	b.Run("sigpolicy", func(b *testing.B) {
		b.SetBytes(int64(len(doc)))
		b.ReportAllocs()
		for b.Loop() {
			if _, err := Parse(doc); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("containers-image", func(b *testing.B) {
		b.SetBytes(int64(len(doc)))
		b.ReportAllocs()
		for b.Loop() {
			if _, err := signature.NewPolicyFromBytes(doc); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkRequirementsFor measures a scope lookup in the 200-scope policy.
func BenchmarkRequirementsFor(b *testing.B) {
	p, err := Parse(realisticPolicy(200))
	if err != nil {
		b.Fatal(err)
	}
	named, err := reference.ParseNormalizedNamed("registry3.example.com/team3/app:v1")
	if err != nil {
		b.Fatal(err)
	}
	ref := DockerReference(named)
	b.ReportAllocs()
	for b.Loop() {
		if m := p.RequirementsFor("docker", ref); m.Default {
			b.Fatal("unexpected default")
		}
	}
}
