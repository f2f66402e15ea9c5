package main

import (
	"bytes"
	"context"
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

	"github.com/sigpolicy/sigpolicy/source"
)

const (
	cosignValidDir    = "../../testdata/containers-image/dir-img-cosign-valid"
	cosignValidDigest = "sha256:634a8f35b5f16dcf4aaa0822adc0b1964bb786fca12f6831de8ddc45e5986a00"
	cosignValidRepo   = "192.168.64.2:5000/cosign-signed-single-sample"
	ociManifest       = "application/vnd.oci.image.manifest.v1+json"
	ociIndex          = "application/vnd.oci.image.index.v1+json"
)

// loopbackRegistry serves go-containerregistry's registry on 127.0.0.1 with:
//
//	signed/app:v1    dir-img-cosign-valid and its cosign signature
//	unsigned/app:v1  an image without signatures
//	multi/app:v1     an OCI index: linux/amd64 = the signed image, linux/arm64 = an unsigned one
func loopbackRegistry(t *testing.T) string {
	t.Helper()
	srv := httptest.NewServer(registry.New(registry.Logger(log.New(io.Discard, "", 0))))
	t.Cleanup(srv.Close)
	do := func(method, path, contentType string, body []byte) {
		t.Helper()
		req, err := http.NewRequest(method, srv.URL+path, bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", contentType)
		resp, err := srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode/100 != 2 {
			t.Fatalf("%s %s: %s", method, path, resp.Status)
		}
	}
	manifest, err := os.ReadFile(filepath.Join(cosignValidDir, "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	sigs, err := source.NewDir(cosignValidDir).Signatures(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	sig := sigs[0].(source.Sigstore)
	payloadDigest := digest.FromBytes(sig.UntrustedPayload)
	sigManifest := fmt.Sprintf(`{"schemaVersion":2,"mediaType":%q,"config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":%q,"size":%d},`+
		`"layers":[{"mediaType":%q,"digest":%q,"size":%d,"annotations":{%q:%q}}]}`, ociManifest,
		payloadDigest, len(sig.UntrustedPayload), sig.UntrustedMIMEType, payloadDigest, len(sig.UntrustedPayload),
		source.SignatureAnnotationKey, sig.UntrustedAnnotations[source.SignatureAnnotationKey])
	sigTag, err := source.SigstoreAttachmentTag(cosignValidDigest)
	if err != nil {
		t.Fatal(err)
	}
	unsigned := []byte(`{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a","size":2},"layers":[]}`)
	for _, repo := range []string{"signed/app", "multi/app"} {
		do("PUT", "/v2/"+repo+"/manifests/v1", "application/vnd.docker.distribution.manifest.v2+json", manifest)
		do("POST", "/v2/"+repo+"/blobs/uploads/?digest="+payloadDigest.String(), "application/octet-stream", sig.UntrustedPayload)
		do("PUT", "/v2/"+repo+"/manifests/"+sigTag, ociManifest, []byte(sigManifest))
	}
	do("PUT", "/v2/unsigned/app/manifests/v1", ociManifest, unsigned)
	do("PUT", "/v2/multi/app/manifests/arm64", ociManifest, unsigned)
	index := fmt.Sprintf(`{"schemaVersion":2,"mediaType":%q,"manifests":[`+
		`{"mediaType":"application/vnd.docker.distribution.manifest.v2+json","digest":%q,"size":%d,"platform":{"os":"linux","architecture":"amd64"}},`+
		`{"mediaType":%q,"digest":%q,"size":%d,"platform":{"os":"linux","architecture":"arm64"}}]}`,
		ociIndex, cosignValidDigest, len(manifest), ociManifest, digest.FromBytes(unsigned), len(unsigned))
	do("PUT", "/v2/multi/app/manifests/v1", ociIndex, []byte(index))
	return strings.TrimPrefix(srv.URL, "http://")
}

func TestRunVerifyRegistry(t *testing.T) {
	host := loopbackRegistry(t)
	dir := t.TempDir()
	writePolicy := func(name, keyFile string) string {
		key, err := filepath.Abs(filepath.Join("../../testdata/containers-image", keyFile))
		if err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(dir, name)
		body := fmt.Sprintf(`{"default":[{"type":"reject"}],"transports":{"docker":{"":[{"type":"sigstoreSigned","keyPath":%q,"signedIdentity":{"type":"exactRepository","dockerRepository":%q}}]}}}`, key, cosignValidRepo)
		if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	good := writePolicy("good.json", "cosign.pub")
	wrongKey := writePolicy("wrong.json", "cosign2.pub")

	for _, tc := range []struct {
		name       string
		args       []string
		code       int
		stdoutHas  []string
		stderrHas  string
		jsonDigest string // with -o json: the decision's digest
	}{
		{name: "signed", args: []string{"--policy", good, "--plain-http", host + "/signed/app:v1"}, code: 0,
			stdoutHas: []string{"ALLOWED " + host + "/signed/app:v1", "manifest digest: " + cosignValidDigest}},
		{name: "signed by digest, json", args: []string{"--policy", good, "--plain-http", "-o", "json", host + "/signed/app@" + cosignValidDigest}, code: 0,
			jsonDigest: cosignValidDigest},
		{name: "wrong key", args: []string{"--policy", wrongKey, "--plain-http", host + "/signed/app:v1"}, code: 1,
			stdoutHas: []string{"DENIED", "cryptographic signature verification failed"}},
		{name: "unsigned", args: []string{"--policy", good, "--plain-http", host + "/unsigned/app:v1"}, code: 1,
			stdoutHas: []string{"DENIED", "no signature exists"}},
		{name: "list amd64", args: []string{"--policy", good, "--plain-http", "--platform", "linux/amd64", host + "/multi/app:v1"}, code: 0,
			stdoutHas: []string{"ALLOWED " + host + "/multi/app:v1", cosignValidDigest}},
		{name: "list arm64 unsigned", args: []string{"--policy", good, "--plain-http", "--platform", "linux/arm64", "-o", "json", host + "/multi/app:v1"}, code: 1,
			stdoutHas: []string{`"allowed": false`}},
		{name: "list without an instance", args: []string{"--policy", good, "--plain-http", "--platform", "linux/s390x", host + "/multi/app:v1"}, code: 2,
			stderrHas: "no image found in manifest list"},
		{name: "missing tag", args: []string{"--policy", good, "--plain-http", host + "/signed/app:nope"}, code: 2, stderrHas: "MANIFEST_UNKNOWN"},
		{name: "plain HTTP not allowed", args: []string{"--policy", good, host + "/signed/app:v1"}, code: 2, stderrHas: "refusing http request"},
		{name: "bad platform", args: []string{"--policy", good, "--plain-http", "--platform", "linux/amd64/v1/x", host + "/signed/app:v1"}, code: 2, stderrHas: "invalid --platform"},
		{name: "bad timeout", args: []string{"--policy", good, "--timeout", "0s", host + "/signed/app:v1"}, code: 2},
		{name: "from-dir", args: []string{"--policy", good, "--from-dir", cosignValidDir, host + "/signed/app:v1"}, code: 0, stdoutHas: []string{"ALLOWED"}},
		{name: "from-dir with plain-http", args: []string{"--policy", good, "--from-dir", cosignValidDir, "--plain-http", "x/y:z"}, code: 2, stderrHas: "not to --from-dir"},
		{name: "missing policy", args: []string{"--policy", filepath.Join(dir, "none.json"), "--plain-http", host + "/signed/app:v1"}, code: 2},
		{name: "invalid reference", args: []string{"--policy", good, "UPPER/case"}, code: 2, stderrHas: "invalid image reference"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := runVerify(tc.args, &stdout, &stderr)
			if code != tc.code {
				t.Fatalf("exit %d, want %d\nstdout: %s\nstderr: %s", code, tc.code, stdout.String(), stderr.String())
			}
			for _, s := range tc.stdoutHas {
				if !strings.Contains(stdout.String(), s) {
					t.Errorf("stdout %q lacks %q", stdout.String(), s)
				}
			}
			if !strings.Contains(stderr.String(), tc.stderrHas) {
				t.Errorf("stderr %q lacks %q", stderr.String(), tc.stderrHas)
			}
			if tc.jsonDigest != "" {
				var out struct {
					Allowed bool   `json:"allowed"`
					Digest  string `json:"digest"`
				}
				if err := json.Unmarshal(stdout.Bytes(), &out); err != nil || out.Digest != tc.jsonDigest || out.Allowed != (tc.code == 0) {
					t.Errorf("json output %s (%v), want digest %s", stdout.String(), err, tc.jsonDigest)
				}
			}
		})
	}
}

// TestVerifyNamespacePolicies runs verify with --policy-dir and --namespace: the namespace's own
// policy applies when it has one, the global policy otherwise, and hostile names are refused.
func TestVerifyNamespacePolicies(t *testing.T) {
	dir := t.TempDir()
	global := filepath.Join(dir, "policy.json")
	nsDir := filepath.Join(dir, "namespaces")
	if err := os.Mkdir(nsDir, 0o755); err != nil {
		t.Fatal(err)
	}
	demo, err := os.ReadFile("../../examples/demo/policy.json")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(global, []byte(`{"default":[{"type":"reject"}]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(nsDir, "team-a.json"), demo, 0o644); err != nil {
		t.Fatal(err)
	}
	image := "registry.example.com/demo/hello:1.0"
	for _, tc := range []struct {
		name, ns string
		code     int
		want     string
	}{
		{"namespace policy allows", "team-a", exitOK, `"namespace": "team-a"`},
		{"global policy rejects", "team-b", exitNo, `"file": "` + global + `"`},
		{"no namespace means global", "", exitNo, `"file": "` + global + `"`},
		{"path traversal refused", "../etc", exitError, "refused namespace name"},
		{"upper case refused", "Team-A", exitError, "refused namespace name"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			args := []string{"verify", "-o", "json", "--policy", global, "--policy-dir", nsDir, "--from-dir", "../../examples/demo/image"}
			if tc.ns != "" {
				args = append(args, "--namespace", tc.ns)
			}
			code := run(append(args, image), &stdout, &stderr)
			if code != tc.code {
				t.Fatalf("exit %d, want %d: %s%s", code, tc.code, stdout.String(), stderr.String())
			}
			if out := stdout.String() + stderr.String(); !strings.Contains(out, tc.want) {
				t.Fatalf("output lacks %q:\n%s", tc.want, out)
			}
		})
	}
}
