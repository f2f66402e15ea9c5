package bundle_test

import (
	"encoding/hex"
	"fmt"
	"os"

	"github.com/sigpolicy/sigpolicy/bundle"
)

// Verify the npm provenance bundle of sigstore-js 2.0.0 against the embedded public-good trusted
// root, requiring the GitHub Actions workflow identity that signed it.
func ExampleVerify() {
	untrustedBundle, err := os.ReadFile("../testdata/bundle/sigstore.js@2.0.0-provenance.sigstore.json")
	if err != nil {
		panic(err)
	}
	tm, err := bundle.PublicGood()
	if err != nil {
		panic(err)
	}
	digest, _ := hex.DecodeString("46d4e2f74c4877316640000a6fdf8a8b59f1e0847667973e9859f774dd31b8f1e0937813b777fb66a2ac67d50540fe34640966eee9fc2ccca387082b4c85cd3c")
	res, err := bundle.Verify(untrustedBundle, tm, bundle.Options{
		ArtifactDigest:          digest,
		ArtifactDigestAlgorithm: "sha512",
		Identity: &bundle.CertificateIdentity{
			Issuer: "https://token.actions.githubusercontent.com",
			SAN:    "https://github.com/sigstore/sigstore-js/.github/workflows/release.yml@refs/heads/main",
		},
	})
	if err != nil {
		fmt.Println("refused:", err)
		return
	}
	e := res.LogEntries[0]
	fmt.Println(res.Content.Kind, res.Content.PayloadType)
	fmt.Println("global index", e.LogIndex, "proof index", e.ProofIndex, "tree size", e.Checkpoint.Size)
	fmt.Println("integrated", e.IntegratedTime.UTC())
	// Output:
	// dsseEnvelope application/vnd.in-toto+json
	// global index 31821305 proof index 27657874 tree size 27657875
	// integrated 2023-08-18 16:05:35 +0000 UTC
}

// Build trusted material the way a containers policy.json sigstoreSigned requirement describes
// it: PEM files for the Fulcio CA and the Rekor key.
func ExampleFromPolicyMaterial() {
	ca, err := os.ReadFile("../testdata/containers-image/fulcio_v1.crt.pem")
	if err != nil {
		panic(err)
	}
	rekorKey, err := os.ReadFile("../testdata/containers-image/rekor.pub")
	if err != nil {
		panic(err)
	}
	_, err = bundle.FromPolicyMaterial(bundle.PolicyMaterial{
		FulcioCAsPEM:       ca,
		RekorPublicKeysPEM: [][]byte{rekorKey},
		RekorURL:           "https://rekor.sigstore.dev",
	})
	fmt.Println(err)
	// Output: <nil>
}
