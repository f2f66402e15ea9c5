package gen_test

import (
	"crypto/ecdsa"
	"crypto/sha256"
	"fmt"

	"github.com/sigpolicy/sigpolicy/internal/fixturegen/gen"
)

func ExampleNewKeys() {
	keys, err := gen.NewKeys("example seed")
	if err != nil {
		fmt.Println(err)
		return
	}
	payload := gen.Payload{
		DockerReference: "registry.example.com/app:v1",
		ManifestDigest:  "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a",
		Optional:        "null",
	}.Marshal()
	sig, err := gen.SignPayload(keys.ECDSAP256, payload)
	if err != nil {
		fmt.Println(err)
		return
	}
	sum := sha256.Sum256(payload)
	fmt.Println(string(payload))
	fmt.Println("verifies:", ecdsa.VerifyASN1(&keys.ECDSAP256.PublicKey, sum[:], sig))
	// Output:
	// {"critical":{"identity":{"docker-reference":"registry.example.com/app:v1"},"image":{"docker-manifest-digest":"sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a"},"type":"cosign container image signature"},"optional":null}
	// verifies: true
}

func ExampleMakeSET() {
	keys, err := gen.NewKeys("example seed")
	if err != nil {
		fmt.Println(err)
		return
	}
	pub, _ := gen.PublicKeyPEM(keys.ECDSAP256.Public())
	body := gen.NewHashedRekord([]byte("payload"), []byte("signature"), pub).Marshal()
	bundle, err := gen.MakeSET(keys.Rekor, body, 1735689600, 1)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(bundle.Payload.IntegratedTime, len(bundle.Payload.LogID))
	// Output:
	// 1735689600 64
}
