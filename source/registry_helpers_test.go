package source_test

import (
	"bytes"
	"context"
	"crypto/elliptic"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-containerregistry/pkg/registry"
	"github.com/opencontainers/go-digest"

	"github.com/sigpolicy/sigpolicy/internal/fixturegen/gen"
	"github.com/sigpolicy/sigpolicy/source"
)

// Paths of the fixtures used by the registry tests.
const (
	ciFixtures  = "../testdata/containers-image"
	genFixtures = "../testdata/generated"
	// fixtureSeed is the seed of testdata/generated's keys (see testdata/generated/README.md).
	fixtureSeed = "sigpolicy fixturegen v1"
	// digestCosignValid is the manifest digest of dir-img-cosign-valid (and -with-tag).
	digestCosignValid = "sha256:634a8f35b5f16dcf4aaa0822adc0b1964bb786fca12f6831de8ddc45e5986a00"
)

// testRegistry is go-containerregistry's in-memory registry served over plain HTTP on 127.0.0.1.
type testRegistry struct {
	srv  *httptest.Server
	host string // 127.0.0.1:port
}

// startRegistry serves a fresh registry. wrap, if non-nil, wraps its handler (to inject faults).
func startRegistry(t testing.TB, wrap func(http.Handler) http.Handler) *testRegistry {
	t.Helper()
	var h http.Handler = registry.New(registry.Logger(log.New(io.Discard, "", 0)))
	if wrap != nil {
		h = wrap(h)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return &testRegistry{srv: srv, host: strings.TrimPrefix(srv.URL, "http://")}
}

func (r *testRegistry) do(t testing.TB, method, path, contentType string, body []byte) {
	t.Helper()
	req, err := http.NewRequest(method, r.srv.URL+path, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := r.srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		msg, _ := io.ReadAll(resp.Body)
		t.Fatalf("%s %s: %s %s", method, path, resp.Status, msg)
	}
}

// pushBlob uploads data (monolithic upload) and returns its digest.
func (r *testRegistry) pushBlob(t testing.TB, repo string, data []byte) digest.Digest {
	t.Helper()
	d := digest.FromBytes(data)
	r.do(t, http.MethodPost, fmt.Sprintf("/v2/%s/blobs/uploads/?digest=%s", repo, d), "application/octet-stream", data)
	return d
}

// pushManifest uploads a manifest under tagOrDigest with the given Content-Type and returns its
// sha256 digest.
func (r *testRegistry) pushManifest(t testing.TB, repo, tagOrDigest, mediaType string, body []byte) digest.Digest {
	t.Helper()
	r.do(t, http.MethodPut, fmt.Sprintf("/v2/%s/manifests/%s", repo, tagOrDigest), mediaType, body)
	return digest.FromBytes(body)
}

// sigLayer is one layer of a sigstore attachment manifest; blob defaults to the signature payload.
type sigLayer struct {
	sig  source.Sigstore
	blob []byte // the blob to upload, if not sig.UntrustedPayload
}

// pushSignatures uploads a cosign-style attachment manifest (OCI, one layer per signature, the
// payload as the layer blob) at the sha256-<hex>.sig tag of d, with the given Content-Type.
func (r *testRegistry) pushSignatures(t testing.TB, repo string, d digest.Digest, mediaType string, layers []sigLayer) {
	t.Helper()
	config := []byte(`{"architecture":"","os":"","config":{},"rootfs":{"type":"layers","diff_ids":[]}}`)
	configDigest := r.pushBlob(t, repo, config)
	type desc struct {
		MediaType   string        `json:"mediaType"`
		Size        int           `json:"size"`
		Digest      digest.Digest `json:"digest"`
		Annotations any           `json:"annotations,omitempty"` // a nil map is left out, an empty one kept
	}
	m := struct {
		SchemaVersion int    `json:"schemaVersion"`
		MediaType     string `json:"mediaType"`
		Config        desc   `json:"config"`
		Layers        []desc `json:"layers"`
	}{SchemaVersion: 2, MediaType: "application/vnd.oci.image.manifest.v1+json",
		Config: desc{MediaType: "application/vnd.oci.image.config.v1+json", Size: len(config), Digest: configDigest},
		Layers: []desc{}}
	for _, l := range layers {
		blob := l.blob
		if blob == nil {
			blob = l.sig.UntrustedPayload
		}
		layer := desc{MediaType: l.sig.UntrustedMIMEType, Size: len(blob), Digest: r.pushBlob(t, repo, blob)}
		if l.sig.UntrustedAnnotations != nil {
			layer.Annotations = l.sig.UntrustedAnnotations
		}
		m.Layers = append(m.Layers, layer)
	}
	body, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	tag, err := source.SigstoreAttachmentTag(d)
	if err != nil {
		t.Fatal(err)
	}
	r.pushManifest(t, repo, tag, mediaType, body)
}

// pushDir uploads the image of a containers dir: layout: its manifest under tag (Content-Type from
// the manifest's mediaType member) and its sigstore signatures as an attachment. It returns the
// manifest digest and bytes.
func (r *testRegistry) pushDir(t testing.TB, repo, tag, dir string) (digest.Digest, []byte) {
	t.Helper()
	manifest, err := os.ReadFile(filepath.Join(dir, "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	d := r.pushManifest(t, repo, tag, manifestMediaType(t, manifest), manifest)
	sigs, err := source.NewDir(dir).Signatures(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var layers []sigLayer
	for _, s := range sigs {
		if ss, ok := s.(source.Sigstore); ok {
			layers = append(layers, sigLayer{sig: ss})
		}
	}
	if len(layers) > 0 {
		r.pushSignatures(t, repo, d, "application/vnd.oci.image.manifest.v1+json", layers)
	}
	return d, manifest
}

func manifestMediaType(t testing.TB, manifest []byte) string {
	t.Helper()
	var m struct {
		MediaType string `json:"mediaType"`
	}
	if err := json.Unmarshal(manifest, &m); err != nil || m.MediaType == "" {
		t.Fatalf("manifest without mediaType: %v", err)
	}
	return m.MediaType
}

// syntheticManifest returns a small OCI image manifest, distinct per label.
func syntheticManifest(label string) []byte {
	return []byte(fmt.Sprintf(`{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json",`+
		`"config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a","size":2},`+
		`"layers":[],"annotations":{"org.sigpolicy.test":%q}}`, label))
}

// signKey names a fixture signing key of testdata/generated/keys.
type signKey string

const (
	keyMain  signKey = "ecdsa-p256"  // trusted by testdata/generated/keys/ecdsa-p256.pub
	keyOther signKey = "other-ecdsa" // trusted by no policy here
)

// sign returns a cosign signature, made now with a fixture key, for manifestDigest under the
// identity dockerRef.
func sign(t testing.TB, key signKey, dockerRef string, manifestDigest digest.Digest) source.Sigstore {
	t.Helper()
	k, err := gen.ECDSAKey(fixtureSeed, string(key), elliptic.P256())
	if err != nil {
		t.Fatal(err)
	}
	payload := gen.Payload{DockerReference: dockerRef, ManifestDigest: manifestDigest.String(),
		Optional: gen.OptionalCreator("sigpolicy registry test", 1735689600)}.Marshal()
	sig, err := gen.SignPayload(k, payload)
	if err != nil {
		t.Fatal(err)
	}
	return source.Sigstore{
		UntrustedMIMEType:    source.SigstoreSignatureMIMEType,
		UntrustedPayload:     payload,
		UntrustedAnnotations: map[string]string{source.SignatureAnnotationKey: base64.StdEncoding.EncodeToString(sig)},
	}
}

// absFixture returns the absolute path of a fixture file, for policies.
func absFixture(t testing.TB, rel string) string {
	t.Helper()
	p, err := filepath.Abs(rel)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// listEntry is one instance of a test manifest list.
type listEntry struct {
	digest   digest.Digest
	size     int
	platform string // os/arch[/variant], "" for none
	zstd     bool
}

// manifestList returns a Docker manifest list or OCI index over entries.
func manifestList(mediaType string, entries []listEntry) []byte {
	instanceType := "application/vnd.oci.image.manifest.v1+json"
	if mediaType == "application/vnd.docker.distribution.manifest.list.v2+json" {
		instanceType = "application/vnd.docker.distribution.manifest.v2+json"
	}
	var parts []string
	for _, e := range entries {
		s := fmt.Sprintf(`{"mediaType":%q,"digest":%q,"size":%d`, instanceType, e.digest, e.size)
		if e.platform != "" {
			p := strings.Split(e.platform, "/")
			s += fmt.Sprintf(`,"platform":{"os":%q,"architecture":%q`, p[0], p[1])
			if len(p) > 2 {
				s += fmt.Sprintf(`,"variant":%q`, p[2])
			}
			s += "}"
		}
		if e.zstd {
			s += `,"annotations":{"io.github.containers.compression.zstd":"true"}`
		}
		parts = append(parts, s+"}")
	}
	return []byte(fmt.Sprintf(`{"schemaVersion":2,"mediaType":%q,"manifests":[%s]}`, mediaType, strings.Join(parts, ",")))
}
