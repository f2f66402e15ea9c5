package policy_test

import (
	"errors"
	"fmt"

	"github.com/sigpolicy/sigpolicy/policy"
)

const githubActionsPolicy = `{
  "default": [{"type": "reject"}],
  "transports": {"docker": {"ghcr.io/org/app": [{
    "type": "sigstoreSigned",
    "fulcio": {"caPath": "/etc/containers/fulcio.pem",
               "oidcIssuer": "https://token.actions.githubusercontent.com",
               "subjectURI": "https://github.com/org/app/.github/workflows/release.yml@refs/heads/main",
               "certificateExtensions": {"sourceRepositoryRef": "refs/heads/main"}},
    "rekorPublicKeyPath": "/etc/containers/rekor.pub",
    "signedIdentity": {"type": "matchRepository"}}]}}
}`

func ExamplePolicy_Extensions() {
	p, err := policy.Parse([]byte(githubActionsPolicy))
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, u := range p.Extensions() {
		fmt.Println(u.Path)
	}
	// Output:
	// transports.docker["ghcr.io/org/app"][0].fulcio.subjectURI
	// transports.docker["ghcr.io/org/app"][0].fulcio.certificateExtensions
}

func ExampleWithCompat() {
	_, err := policy.ParseWithOptions([]byte(githubActionsPolicy),
		policy.WithFileName("policy.json"), policy.WithCompat(policy.CompatContainersImage))
	fmt.Println(err)
	fmt.Println(errors.Is(err, policy.ErrExtension), errors.Is(err, policy.ErrUnknownKey))
	// Output:
	// policy.json:7:16: transports.docker["ghcr.io/org/app"][0].fulcio.subjectURI: unknown key "subjectURI": a sigpolicy extension, refused by containers/image (CRI-O, Podman, Skopeo)
	// true true
}

func ExampleCompilePattern() {
	re, _ := policy.CompilePattern(`https://github\.com/org/app/\.github/workflows/release\.yml@refs/heads/main`)
	fmt.Println(re.MatchString("https://github.com/org/app/.github/workflows/release.yml@refs/heads/main"))
	fmt.Println(re.MatchString("https://github.com/org/app/.github/workflows/release.yml@refs/heads/main.evil"))
	_, err := policy.CompilePattern(`x)|(.*`)
	fmt.Println(err != nil)
	// Output:
	// true
	// false
	// true
}
