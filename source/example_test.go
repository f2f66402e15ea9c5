package source_test

import (
	"context"
	"fmt"

	"github.com/sigpolicy/sigpolicy/source"
)

func ExampleNewDir() {
	img := source.NewDir("../testdata/containers-image/dir-img-cosign-valid")
	ctx := context.Background()
	manifest, err := img.Manifest(ctx)
	if err != nil {
		fmt.Println(err)
		return
	}
	d, _ := source.ManifestDigest(manifest)
	fmt.Println("manifest", d)
	sigs, err := img.Signatures(ctx)
	if err != nil {
		fmt.Println(err)
		return
	}
	for i, sig := range sigs {
		if s, ok := sig.(source.Sigstore); ok {
			fmt.Println(i+1, s.UntrustedMIMEType)
		}
	}
	// Output:
	// manifest sha256:634a8f35b5f16dcf4aaa0822adc0b1964bb786fca12f6831de8ddc45e5986a00
	// 1 application/vnd.dev.cosign.simplesigning.v1+json
}

func ExampleEncodeSigstore() {
	blob := source.EncodeSigstore(source.Sigstore{
		UntrustedMIMEType:    source.SigstoreSignatureMIMEType,
		UntrustedPayload:     []byte("{}"),
		UntrustedAnnotations: map[string]string{source.SignatureAnnotationKey: "c2ln"},
	})
	fmt.Printf("%q\n", blob)
	// Output:
	// "\x00sigstore-json\n{\"mimeType\":\"application/vnd.dev.cosign.simplesigning.v1+json\",\"payload\":\"e30=\",\"annotations\":{\"dev.cosignproject.cosign/signature\":\"c2ln\"}}"
}

func ExampleMatchesDigest() {
	manifest := []byte(`{"schemaVersion":2}`)
	ok, err := source.MatchesDigest(manifest, "sha256:bf8e8b1d0f4ef3b6bfc1bf1e1d9bcd2a9e0dbcc4e3ad5b0c03d0a3c3e1b3b0c0")
	fmt.Println(ok, err)
	// Output:
	// false <nil>
}

func ExampleParseSignatureBlob() {
	_, err := source.ParseSignatureBlob([]byte("not a signature"))
	fmt.Println(err)
	// Output:
	// unrecognized signature format, starting with binary 0x6e
}
