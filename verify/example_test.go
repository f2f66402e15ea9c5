package verify_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/containers/image/v5/docker/reference"

	"github.com/sigpolicy/sigpolicy/policy"
	"github.com/sigpolicy/sigpolicy/source"
	"github.com/sigpolicy/sigpolicy/verify"
)

// Example evaluates a cosign-signed image from a containers dir: layout against a policy that
// requires a signature by a public key.
func Example() {
	p, err := policy.Parse([]byte(`{
	  "default": [{"type": "reject"}],
	  "transports": {"docker": {"192.168.64.2:5000": [{
	    "type": "sigstoreSigned",
	    "keyPath": "../testdata/containers-image/cosign.pub",
	    "signedIdentity": {"type": "matchRepository"}
	  }]}}
	}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	ev, err := verify.Compile(p)
	if err != nil {
		fmt.Println(err)
		return
	}
	ref, _ := reference.ParseNormalizedNamed("192.168.64.2:5000/cosign-signed-single-sample")
	img := verify.Image{Reference: ref, Source: source.NewDir("../testdata/containers-image/dir-img-cosign-valid")}
	d, err := ev.Evaluate(context.Background(), img)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Print(d.Explain())
	// Output:
	// ALLOWED 192.168.64.2:5000/cosign-signed-single-sample:latest
	//   manifest digest: sha256:634a8f35b5f16dcf4aaa0822adc0b1964bb786fca12f6831de8ddc45e5986a00
	//   policy: (policy given in memory)
	//   scope: transports.docker["192.168.64.2:5000"]
	//   requirement 1: sigstoreSigned: satisfied
	//     signature 1 (sigstore): accepted
}

// Example_identityMismatch shows how a denial is classified with errors.As.
func Example_identityMismatch() {
	p, _ := policy.Parse([]byte(`{"default": [{"type": "sigstoreSigned",
	  "keyPath": "../testdata/containers-image/cosign.pub", "signedIdentity": {"type": "matchRepository"}}]}`))
	ev, _ := verify.Compile(p)
	ref, _ := reference.ParseNormalizedNamed("quay.io/someone/else:1.0")
	d, _ := ev.Evaluate(context.Background(), verify.Image{Reference: ref,
		Source: source.NewDir("../testdata/containers-image/dir-img-cosign-valid")})
	var mismatch *verify.IdentityMismatchError
	if errors.As(d.Err, &mismatch) {
		fmt.Printf("allowed=%v rule=%s expected=%s signed=%s\n", d.Allowed, mismatch.Rule, mismatch.Expected, mismatch.Signed)
	}
	// Output:
	// allowed=false rule=matchRepository expected=quay.io/someone/else:1.0 signed=192.168.64.2:5000/cosign-signed-single-sample
}
