package verify_test

import (
	"context"
	"fmt"

	"github.com/containers/image/v5/docker/reference"

	"github.com/sigpolicy/sigpolicy/policy"
	"github.com/sigpolicy/sigpolicy/source"
	"github.com/sigpolicy/sigpolicy/verify"
)

// Example_bundleUnsupported shows a sigstore bundle explained as a signature of kind "bundle": a
// public-key requirement without a Rekor key cannot accept bundles.
func Example_bundleUnsupported() {
	p, _ := policy.Parse([]byte(`{"default": [{"type": "sigstoreSigned",
	  "keyPath": "../testdata/containers-image/cosign.pub", "signedIdentity": {"type": "matchRepository"}}]}`))
	ev, _ := verify.Compile(p, verify.WithRekorURL("https://rekor.sigstore.dev"))
	ref, _ := reference.ParseNormalizedNamed("registry.example/app:v1")
	img := &memImage{manifest: []byte(`{"schemaVersion":2}`),
		sigs: []source.Signature{source.Bundle{UntrustedJSON: []byte(`{}`), Origin: "sigstore-bundle-1.json"}}}
	d, _ := ev.Evaluate(context.Background(), verify.Image{Reference: ref, Source: img})
	fmt.Println(d.Allowed)
	fmt.Println(d.Requirements[0].Signatures[0].Kind)
	// Output:
	// false
	// bundle
}
