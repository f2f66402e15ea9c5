package webhook_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	admissionv1 "k8s.io/api/admission/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"

	"github.com/sigpolicy/sigpolicy/examples/webhook"
	"github.com/sigpolicy/sigpolicy/namespace"
	"github.com/sigpolicy/sigpolicy/verify"
)

// Example sets up the webhook for a cluster whose global policy rejects every image and whose
// "dev" namespace accepts anything, and reviews the same Pod in "dev" and in "prod". (These
// policies need no registry access; see the README for signature requirements.)
func Example() {
	dir, err := os.MkdirTemp("", "sigpolicy-webhook-example")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)
	global := filepath.Join(dir, "policy.json")
	nsDir := filepath.Join(dir, "namespaces")
	for path, data := range map[string]string{
		global:                           `{"default": [{"type": "reject"}]}`,
		filepath.Join(nsDir, "dev.json"): `{"default": [{"type": "insecureAcceptAnything"}]}`,
	} {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			panic(err)
		}
		if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
			panic(err)
		}
	}

	cache := verify.NewDecisionCache(4096, 5*time.Minute)
	resolver, err := namespace.New(global, nsDir, namespace.WithCompileOptions(verify.WithDecisionCache(cache)))
	if err != nil {
		panic(err)
	}
	h, err := webhook.New(resolver, webhook.WithDecisionCache(cache), webhook.WithBudget(8*time.Second))
	if err != nil {
		panic(err)
	}
	// In a server: http.Handle("/validate", h); http.Handle("/metrics", h.Metrics()).

	for _, ns := range []string{"dev", "prod"} {
		resp := h.Review(context.Background(), &admissionv1.AdmissionRequest{
			UID: "1", Kind: metav1.GroupVersionKind{Version: "v1", Kind: "Pod"}, Namespace: ns, Operation: admissionv1.Create,
			Object: runtime.RawExtension{Raw: []byte(`{"spec": {"containers": [{"name": "app", "image": "quay.io/example/app:1.0"}]}}`)},
		})
		if resp.Allowed {
			fmt.Printf("%s: allowed\n", ns)
		} else {
			fmt.Printf("%s: denied:\n%s\n", ns, strings.ReplaceAll(resp.Result.Message, dir, "DIR"))
		}
	}
	// Output:
	// dev: allowed
	// prod: denied:
	// sigpolicy: 1 of 1 images rejected by the policy of namespace "prod" (DIR/policy.json):
	// - image "quay.io/example/app:1.0", used by spec.containers[0] (container "app"): Running image docker://quay.io/example/app:1.0 is rejected by policy.
}
