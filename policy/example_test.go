package policy_test

import (
	"errors"
	"fmt"

	"github.com/containers/image/v5/docker/reference"
	"github.com/sigpolicy/sigpolicy/policy"
)

func ExampleParse() {
	p, err := policy.Parse([]byte(`{
  "default": [{"type": "reject"}],
  "transports": {"docker": {"quay.io/crio/signed": [{
    "type": "sigstoreSigned",
    "keyPath": "/etc/containers/cosign.pub",
    "signedIdentity": {"type": "matchRepository"}}]}}
}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	req := p.Transports["docker"]["quay.io/crio/signed"][0].(*policy.SigstoreSigned)
	fmt.Println(req.Type(), req.KeyPath, req.SignedIdentity.Type())
	// Output: sigstoreSigned /etc/containers/cosign.pub matchRepository
}

func ExampleParseNamed_error() {
	_, err := policy.ParseNamed("policy.json", []byte(`{
  "default": [{"type": "reject"}],
  "transports": {"docker": {"quay.io/x": [
    {"type": "reject"},
    {"type": "sigstoreSigned", "fulcio": {"caPath": "/ca.pem", "oidcIssuer": "", "subjectEmail": "a@example.com"},
     "rekorPublicKeyPath": "/rekor.pub"}]}}
}`))
	fmt.Println(err)
	fmt.Println(errors.Is(err, policy.ErrMissingKey))
	// Output:
	// policy.json:5:42: transports.docker["quay.io/x"][1].fulcio: oidcIssuer not specified
	// true
}

func ExampleLint() {
	for _, e := range policy.Lint("p.json", []byte(`{"default": [{"type": "reject", "x": 1}], "transports": {"dir": {"relative/path": [{"type": "reject"}]}}}`)) {
		fmt.Println(e)
	}
	// Output:
	// p.json:1:33: default[0].x: unknown key "x"
	// p.json:1:66: transports.dir["relative/path"]: invalid dir scope "relative/path": must be an absolute path
}

func ExamplePolicy_RequirementsFor() {
	p, _ := policy.Parse([]byte(`{"default": [{"type": "reject"}], "transports": {"docker": {
  "example.com/ns": [{"type": "insecureAcceptAnything"}],
  "*.example.com": [{"type": "reject"}]}}}`))
	for _, s := range []string{"example.com/ns/app:1", "a.example.com/app", "example.com:5000/ns/app", "busybox"} {
		ref, _ := reference.ParseNormalizedNamed(s)
		m := p.RequirementsFor("docker", policy.DockerReference(ref))
		fmt.Printf("%s -> scope %q default=%v %s\n", s, m.Scope, m.Default, m.Requirements[0].Type())
	}
	// Output:
	// example.com/ns/app:1 -> scope "example.com/ns" default=false insecureAcceptAnything
	// a.example.com/app -> scope "*.example.com" default=false reject
	// example.com:5000/ns/app -> scope "" default=true reject
	// busybox -> scope "" default=true reject
}

func ExampleMatchRepository() {
	image, _ := reference.ParseNormalizedNamed("quay.io/crio/signed:v1")
	var id policy.SignedIdentity = policy.MatchRepository{}
	fmt.Println(id.Matches(image, "quay.io/crio/signed"))                              // cosign writes repository-only identities
	fmt.Println(policy.MatchRepoDigestOrExact{}.Matches(image, "quay.io/crio/signed")) // the default rule refuses them
	// Output:
	// true
	// false
}

func ExampleRemapIdentity() {
	image, _ := reference.ParseNormalizedNamed("mirror.example.com/vendor/app:1.0")
	id := policy.RemapIdentity{Prefix: "mirror.example.com/vendor", SignedPrefix: "vendor.example.com"}
	fmt.Println(id.Matches(image, "vendor.example.com/app:1.0"))
	// Output: true
}

func ExamplePolicy_MarshalJSON() {
	p, _ := policy.Parse([]byte(`{"default":[{"type":"signedBy","keyType":"GPGKeys","keyPath":"/k.gpg"}]}`))
	out, _ := p.MarshalJSON()
	fmt.Println(string(out))
	// Output: {"default":[{"type":"signedBy","keyType":"GPGKeys","keyPath":"/k.gpg","signedIdentity":{"type":"matchRepoDigestOrExact"}}]}
}
