package webhook_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	admissionv1 "k8s.io/api/admission/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/types"

	"github.com/sigpolicy/sigpolicy/examples/internal/demoregistry"
	"github.com/sigpolicy/sigpolicy/examples/webhook"
	"github.com/sigpolicy/sigpolicy/namespace"
	"github.com/sigpolicy/sigpolicy/verify"
)

// Fixture images: real signed images from containers/image's test data and the repository's demo.
const (
	ciFixtures = "../../testdata/containers-image"
	demoImage  = "../demo/image"
	demoPolicy = "../demo/policy.json"
)

// world is a loopback registry holding three signed images and an unsigned one, and a policy
// directory: prod.json requires each image's signature, dev.json accepts anything, broken.json
// does not parse, and the global policy rejects everything.
type world struct {
	reg                         *demoregistry.Registry
	global, dir                 string
	hello, single, fulcio, bare string // image references in the registry
}

func newWorld(t testing.TB, opts ...demoregistry.Option) *world {
	t.Helper()
	reg := demoregistry.Start(opts...)
	t.Cleanup(reg.Close)
	w := &world{reg: reg, dir: t.TempDir()}
	w.global = filepath.Join(w.dir, "policy.json")
	nsDir := filepath.Join(w.dir, "namespaces")
	must(t, os.Mkdir(nsDir, 0o755))
	w.dir = nsDir
	ctx := context.Background()
	push := func(repoTag, dir string) string {
		if _, err := reg.PushDir(ctx, repoTag, dir); err != nil {
			t.Fatal(err)
		}
		return reg.Host() + "/" + repoTag
	}
	w.hello = push("demo/hello:1.0", demoImage)
	w.single = push("cosign/single:v1", fx(t, "dir-img-cosign-valid"))
	w.fulcio = push("cosign/fulcio:v1", fx(t, "dir-img-cosign-fulcio-rekor-valid"))
	w.bare = push("cosign/single:unsigned", fx(t, "dir-img-unsigned"))

	exactRepo := func(repo string) map[string]any {
		return map[string]any{"type": "exactRepository", "dockerRepository": repo}
	}
	demoKey := demoRequirement(t)
	demoKey["signedIdentity"] = exactRepo("registry.example.com/demo/hello")
	prod := map[string]any{
		"default": []any{map[string]any{"type": "reject"}},
		"transports": map[string]any{"docker": map[string]any{
			reg.Host() + "/demo": []any{demoKey},
			reg.Host() + "/cosign/single": []any{map[string]any{"type": "sigstoreSigned",
				"keyPath":        fx(t, "cosign.pub"),
				"signedIdentity": exactRepo("192.168.64.2:5000/cosign-signed-single-sample")}},
			reg.Host() + "/cosign/fulcio": []any{map[string]any{"type": "sigstoreSigned",
				"fulcio": map[string]any{"caPath": fx(t, "fulcio_v1.crt.pem"),
					"oidcIssuer": "https://github.com/login/oauth", "subjectEmail": "mitr@redhat.com"},
				"rekorPublicKeyPath": fx(t, "rekor.pub"),
				"signedIdentity":     exactRepo("192.168.64.2:5000/cosign-signed/fulcio-rekor-1")}},
		}},
	}
	writeJSON(t, filepath.Join(nsDir, "prod.json"), prod)
	writeJSON(t, filepath.Join(nsDir, "dev.json"), map[string]any{"default": []any{map[string]any{"type": "insecureAcceptAnything"}}})
	writeJSON(t, filepath.Join(nsDir, "broken.json"), map[string]any{"default": []any{}})
	writeJSON(t, w.global, map[string]any{"default": []any{map[string]any{"type": "reject"}}})
	return w
}

// handler returns a Handler for w with a fresh decision cache, and that cache.
func (w *world) handler(t testing.TB, opts ...webhook.Option) (*webhook.Handler, *verify.DecisionCache) {
	t.Helper()
	cache := verify.NewDecisionCache(1024, time.Minute)
	r, err := namespace.New(w.global, w.dir, namespace.WithCompileOptions(verify.WithDecisionCache(cache)))
	must(t, err)
	opts = append([]webhook.Option{webhook.WithRegistryOptions(w.reg.SourceOptions()...), webhook.WithDecisionCache(cache)}, opts...)
	h, err := webhook.New(r, opts...)
	must(t, err)
	return h, cache
}

// demoRequirement returns the first (public key + Rekor) requirement of the demo policy.
func demoRequirement(t testing.TB) map[string]any {
	t.Helper()
	data, err := os.ReadFile(demoPolicy)
	must(t, err)
	var p struct {
		Transports map[string]map[string][]map[string]any `json:"transports"`
	}
	must(t, json.Unmarshal(data, &p))
	return p.Transports["docker"]["registry.example.com/demo"][0]
}

func fx(t testing.TB, name string) string {
	t.Helper()
	p, err := filepath.Abs(filepath.Join(ciFixtures, name))
	must(t, err)
	return p
}

func writeJSON(t testing.TB, path string, v any) {
	t.Helper()
	data, err := json.Marshal(v)
	must(t, err)
	must(t, os.WriteFile(path, data, 0o644))
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

var (
	podKind        = metav1.GroupVersionKind{Version: "v1", Kind: "Pod"}
	deploymentKind = metav1.GroupVersionKind{Group: "apps", Version: "v1", Kind: "Deployment"}
)

// containers builds containers c0, c1, … running images.
func containers(images ...string) []corev1.Container {
	var out []corev1.Container
	for i, img := range images {
		out = append(out, corev1.Container{Name: fmt.Sprintf("c%d", i), Image: img})
	}
	return out
}

// reviewJSON returns the AdmissionReview the API server would send for obj.
func reviewJSON(t testing.TB, kind metav1.GroupVersionKind, op admissionv1.Operation, ns string, obj any) []byte {
	t.Helper()
	raw, err := json.Marshal(obj)
	must(t, err)
	review := admissionv1.AdmissionReview{
		TypeMeta: metav1.TypeMeta{APIVersion: "admission.k8s.io/v1", Kind: "AdmissionReview"},
		Request: &admissionv1.AdmissionRequest{
			UID:       types.UID("0df28fbd-5f5f-11e8-bc74-36e6bb280816"),
			Kind:      kind,
			Resource:  metav1.GroupVersionResource{Group: kind.Group, Version: kind.Version, Resource: "whatever"},
			Namespace: ns,
			Operation: op,
			Object:    runtime.RawExtension{Raw: raw},
		},
	}
	body, err := json.Marshal(review)
	must(t, err)
	return body
}

// post sends body to url as the API server does and decodes the AdmissionReview answer.
func post(t testing.TB, client *http.Client, url string, body []byte) *admissionv1.AdmissionResponse {
	t.Helper()
	resp, err := client.Post(url, "application/json", bytes.NewReader(body))
	must(t, err)
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	must(t, err)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("HTTP %s: %s", resp.Status, data)
	}
	var out admissionv1.AdmissionReview
	must(t, json.Unmarshal(data, &out))
	if out.APIVersion != "admission.k8s.io/v1" || out.Kind != "AdmissionReview" || out.Response == nil {
		t.Fatalf("not an AdmissionReview response: %s", data)
	}
	if out.Response.UID != "0df28fbd-5f5f-11e8-bc74-36e6bb280816" {
		t.Fatalf("response UID %q", out.Response.UID)
	}
	return out.Response
}

// serve runs h on a loopback HTTP server.
func serve(t testing.TB, h http.Handler) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv
}
