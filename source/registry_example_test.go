package source_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"

	"github.com/google/go-containerregistry/pkg/registry"
	"github.com/opencontainers/go-digest"

	"github.com/sigpolicy/sigpolicy/source"
)

func ExampleNewRegistry() {
	// A loopback registry holding the containers/image fixture dir-img-cosign-valid and its cosign
	// signature (pushed by examplePush, below).
	srv := httptest.NewServer(registry.New(registry.Logger(log.New(io.Discard, "", 0))))
	defer srv.Close()
	host := strings.TrimPrefix(srv.URL, "http://")
	if err := examplePush(srv.URL, "../testdata/containers-image/dir-img-cosign-valid"); err != nil {
		fmt.Println(err)
		return
	}

	ctx := context.Background()
	img, err := source.NewRegistry(ctx, host+"/example/app:v1", source.WithPlainHTTP())
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("pinned to", img.Digest())
	sigs, err := img.Signatures(ctx)
	if err != nil {
		fmt.Println(err)
		return
	}
	for i, sig := range sigs {
		s := sig.(source.Sigstore)
		fmt.Println(i+1, s.UntrustedMIMEType, s.UntrustedAnnotations[source.SignatureAnnotationKey] != "")
	}
	// Output:
	// pinned to sha256:634a8f35b5f16dcf4aaa0822adc0b1964bb786fca12f6831de8ddc45e5986a00
	// 1 application/vnd.dev.cosign.simplesigning.v1+json true
}

// examplePush uploads the manifest of the dir: layout at dir as example/app:v1, and its first
// signature as a cosign attachment (payload blob, OCI manifest at the sha256-<hex>.sig tag).
func examplePush(base, dir string) error {
	put := func(method, path, contentType string, body []byte) error {
		req, err := http.NewRequest(method, base+path, bytes.NewReader(body))
		if err != nil {
			return err
		}
		req.Header.Set("Content-Type", contentType)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return err
		}
		resp.Body.Close()
		if resp.StatusCode/100 != 2 {
			return fmt.Errorf("%s %s: %s", method, path, resp.Status)
		}
		return nil
	}
	manifest, err := os.ReadFile(dir + "/manifest.json")
	if err != nil {
		return err
	}
	if err := put("PUT", "/v2/example/app/manifests/v1", "application/vnd.docker.distribution.manifest.v2+json", manifest); err != nil {
		return err
	}
	sigs, err := source.NewDir(dir).Signatures(context.Background())
	if err != nil {
		return err
	}
	s := sigs[0].(source.Sigstore)
	payloadDigest := digest.FromBytes(s.UntrustedPayload)
	if err := put("POST", "/v2/example/app/blobs/uploads/?digest="+payloadDigest.String(), "application/octet-stream", s.UntrustedPayload); err != nil {
		return err
	}
	sigManifest := fmt.Sprintf(`{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json",`+
		`"config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":%q,"size":%d},`+
		`"layers":[{"mediaType":%q,"digest":%q,"size":%d,"annotations":{%q:%q}}]}`,
		payloadDigest, len(s.UntrustedPayload), s.UntrustedMIMEType, payloadDigest, len(s.UntrustedPayload),
		source.SignatureAnnotationKey, s.UntrustedAnnotations[source.SignatureAnnotationKey])
	manifestDigest, err := source.ManifestDigest(manifest)
	if err != nil {
		return err
	}
	tag, err := source.SigstoreAttachmentTag(manifestDigest)
	if err != nil {
		return err
	}
	return put("PUT", "/v2/example/app/manifests/"+tag, "application/vnd.oci.image.manifest.v1+json", []byte(sigManifest))
}

func ExampleSigstoreAttachmentTag() {
	tag, err := source.SigstoreAttachmentTag("sha256:634a8f35b5f16dcf4aaa0822adc0b1964bb786fca12f6831de8ddc45e5986a00")
	fmt.Println(tag, err)
	// Output:
	// sha256-634a8f35b5f16dcf4aaa0822adc0b1964bb786fca12f6831de8ddc45e5986a00.sig <nil>
}
