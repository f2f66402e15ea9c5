package webhook_test

import (
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	admissionv1 "k8s.io/api/admission/v1"
	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/sigpolicy/sigpolicy/examples/internal/demoregistry"
	"github.com/sigpolicy/sigpolicy/examples/webhook"
)

func TestAdmissionReview(t *testing.T) {
	w := newWorld(t)
	h, _ := w.handler(t)
	srv := serve(t, h)
	tmpl := func(images ...string) corev1.PodTemplateSpec {
		return corev1.PodTemplateSpec{Spec: corev1.PodSpec{Containers: containers(images...)}}
	}
	tests := []struct {
		name    string
		kind    metav1.GroupVersionKind
		op      admissionv1.Operation
		ns      string
		obj     any
		allowed bool
		want    []string // substrings of the denial message
		notWant []string
	}{
		{name: "pod with three signed images", kind: podKind, op: admissionv1.Create, ns: "prod",
			obj: corev1.Pod{Spec: corev1.PodSpec{Containers: containers(w.hello, w.single, w.fulcio)}}, allowed: true},
		{name: "pod with an unsigned image", kind: podKind, op: admissionv1.Create, ns: "prod",
			obj: corev1.Pod{Spec: corev1.PodSpec{Containers: containers(w.hello, w.bare)}},
			want: []string{`1 of 2 images rejected by the policy of namespace "prod"`, `image "` + w.bare + `"`,
				`spec.containers[1] (container "c1")`, "A signature was required, but no signature exists"},
			notWant: []string{`image "` + w.hello + `"`}},
		{name: "unsigned init container", kind: podKind, op: admissionv1.Create, ns: "prod",
			obj:  corev1.Pod{Spec: corev1.PodSpec{InitContainers: containers(w.bare), Containers: containers(w.hello)}},
			want: []string{`spec.initContainers[0] (container "c0")`}},
		{name: "ephemeral container added to a pod", kind: podKind, op: admissionv1.Update, ns: "prod",
			obj: corev1.Pod{Spec: corev1.PodSpec{Containers: containers(w.hello), EphemeralContainers: []corev1.EphemeralContainer{
				{EphemeralContainerCommon: corev1.EphemeralContainerCommon{Name: "debugger", Image: w.bare}}}}},
			want: []string{`spec.ephemeralContainers[0] (container "debugger")`}},
		{name: "same image twice is listed once with both containers", kind: podKind, op: admissionv1.Create, ns: "prod",
			obj:  corev1.Pod{Spec: corev1.PodSpec{Containers: containers(w.bare, w.bare)}},
			want: []string{"1 of 1 images", `spec.containers[0] (container "c0"), spec.containers[1] (container "c1")`}},
		{name: "image from an unlisted registry", kind: podKind, op: admissionv1.Create, ns: "prod",
			obj:  corev1.Pod{Spec: corev1.PodSpec{Containers: containers("quay.io/someone/app:1")}},
			want: []string{`image "quay.io/someone/app:1"`, "rejected"}},
		{name: "tag missing from the registry", kind: podKind, op: admissionv1.Create, ns: "prod",
			obj:  corev1.Pod{Spec: corev1.PodSpec{Containers: containers(w.reg.Host() + "/cosign/single:unsigned-but-tagged-elsewhere")}},
			want: []string{"reading the image from its registry"}},
		{name: "invalid image reference", kind: podKind, op: admissionv1.Create, ns: "prod",
			obj:  corev1.Pod{Spec: corev1.PodSpec{Containers: containers("UPPER/case")}},
			want: []string{"invalid image reference"}},
		{name: "empty image", kind: podKind, op: admissionv1.Create, ns: "prod",
			obj:  corev1.Pod{Spec: corev1.PodSpec{Containers: containers("")}},
			want: []string{"no image named"}},
		{name: "deployment template", kind: deploymentKind, op: admissionv1.Create, ns: "prod",
			obj:  appsv1.Deployment{Spec: appsv1.DeploymentSpec{Template: tmpl(w.single, w.bare)}},
			want: []string{`spec.template.spec.containers[1] (container "c1")`}},
		{name: "deployment with signed images", kind: deploymentKind, op: admissionv1.Update, ns: "prod",
			obj: appsv1.Deployment{Spec: appsv1.DeploymentSpec{Template: tmpl(w.single, w.fulcio)}}, allowed: true},
		{name: "statefulset", kind: metav1.GroupVersionKind{Group: "apps", Version: "v1", Kind: "StatefulSet"}, op: admissionv1.Create, ns: "prod",
			obj:  appsv1.StatefulSet{Spec: appsv1.StatefulSetSpec{Template: tmpl(w.bare)}},
			want: []string{"spec.template.spec.containers[0]"}},
		{name: "daemonset", kind: metav1.GroupVersionKind{Group: "apps", Version: "v1", Kind: "DaemonSet"}, op: admissionv1.Create, ns: "prod",
			obj:  appsv1.DaemonSet{Spec: appsv1.DaemonSetSpec{Template: tmpl(w.bare)}},
			want: []string{"spec.template.spec.containers[0]"}},
		{name: "replicaset", kind: metav1.GroupVersionKind{Group: "apps", Version: "v1", Kind: "ReplicaSet"}, op: admissionv1.Create, ns: "prod",
			obj: appsv1.ReplicaSet{Spec: appsv1.ReplicaSetSpec{Template: tmpl(w.hello)}}, allowed: true},
		{name: "job", kind: metav1.GroupVersionKind{Group: "batch", Version: "v1", Kind: "Job"}, op: admissionv1.Create, ns: "prod",
			obj:  batchv1.Job{Spec: batchv1.JobSpec{Template: tmpl(w.bare)}},
			want: []string{"spec.template.spec.containers[0]"}},
		{name: "cronjob", kind: metav1.GroupVersionKind{Group: "batch", Version: "v1", Kind: "CronJob"}, op: admissionv1.Create, ns: "prod",
			obj:  batchv1.CronJob{Spec: batchv1.CronJobSpec{JobTemplate: batchv1.JobTemplateSpec{Spec: batchv1.JobSpec{Template: tmpl(w.bare)}}}},
			want: []string{"spec.jobTemplate.spec.template.spec.containers[0]"}},
		{name: "cronjob with a signed image", kind: metav1.GroupVersionKind{Group: "batch", Version: "v1", Kind: "CronJob"}, op: admissionv1.Create, ns: "prod",
			obj: batchv1.CronJob{Spec: batchv1.CronJobSpec{JobTemplate: batchv1.JobTemplateSpec{Spec: batchv1.JobSpec{Template: tmpl(w.fulcio)}}}}, allowed: true},
		{name: "namespace whose policy accepts anything", kind: podKind, op: admissionv1.Create, ns: "dev",
			obj: corev1.Pod{Spec: corev1.PodSpec{Containers: containers(w.bare, "quay.io/someone/app:1")}}, allowed: true},
		{name: "namespace without a file gets the global policy", kind: podKind, op: admissionv1.Create, ns: "staging",
			obj:  corev1.Pod{Spec: corev1.PodSpec{Containers: containers(w.hello)}},
			want: []string{"policy.json", "rejected"}},
		{name: "broken namespace policy denies", kind: podKind, op: admissionv1.Create, ns: "broken",
			obj:  corev1.Pod{Spec: corev1.PodSpec{Containers: containers(w.hello)}},
			want: []string{`no usable policy for namespace "broken"`}},
		{name: "invalid namespace name denies", kind: podKind, op: admissionv1.Create, ns: "../etc",
			obj:  corev1.Pod{Spec: corev1.PodSpec{Containers: containers(w.hello)}},
			want: []string{"invalid namespace name"}},
		{name: "no namespace denies", kind: podKind, op: admissionv1.Create, ns: "",
			obj:  corev1.Pod{Spec: corev1.PodSpec{Containers: containers(w.hello)}},
			want: []string{"names no namespace"}},
		{name: "unsupported kind denies", kind: metav1.GroupVersionKind{Group: "apps", Version: "v1beta1", Kind: "Deployment"}, op: admissionv1.Create, ns: "prod",
			obj:  appsv1.Deployment{Spec: appsv1.DeploymentSpec{Template: tmpl(w.hello)}},
			want: []string{"unsupported kind apps/v1beta1/Deployment"}},
		{name: "object that does not decode denies", kind: podKind, op: admissionv1.Create, ns: "prod",
			obj:  map[string]any{"spec": map[string]any{"containers": "not a list"}},
			want: []string{"decoding the v1/Pod object"}},
		{name: "delete is allowed", kind: podKind, op: admissionv1.Delete, ns: "prod",
			obj: corev1.Pod{Spec: corev1.PodSpec{Containers: containers(w.bare)}}, allowed: true},
		{name: "pod without containers", kind: podKind, op: admissionv1.Create, ns: "prod",
			obj: corev1.Pod{}, allowed: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			resp := post(t, srv.Client(), srv.URL, reviewJSON(t, tc.kind, tc.op, tc.ns, tc.obj))
			if resp.Allowed != tc.allowed {
				t.Fatalf("allowed = %v, want %v; result: %+v", resp.Allowed, tc.allowed, resp.Result)
			}
			if tc.allowed {
				if resp.Result != nil {
					t.Fatalf("allowed with a result: %+v", resp.Result)
				}
				return
			}
			if resp.Result == nil || resp.Result.Code != http.StatusForbidden || resp.Result.Reason != metav1.StatusReasonForbidden {
				t.Fatalf("denial without a 403 Forbidden status: %+v", resp.Result)
			}
			for _, s := range tc.want {
				if !strings.Contains(resp.Result.Message, s) {
					t.Errorf("message lacks %q:\n%s", s, resp.Result.Message)
				}
			}
			for _, s := range tc.notWant {
				if strings.Contains(resp.Result.Message, s) {
					t.Errorf("message should not contain %q:\n%s", s, resp.Result.Message)
				}
			}
		})
	}
}

// TestProtocolErrors: what is not an AdmissionReview v1 POSTed as JSON is refused at the HTTP level.
func TestProtocolErrors(t *testing.T) {
	w := newWorld(t)
	h, _ := w.handler(t)
	srv := serve(t, h)
	tests := []struct {
		name, method, contentType, body string
		status                          int
	}{
		{"GET", http.MethodGet, "", "", http.StatusMethodNotAllowed},
		{"wrong content type", http.MethodPost, "text/plain", "{}", http.StatusUnsupportedMediaType},
		{"not JSON", http.MethodPost, "application/json", "{", http.StatusBadRequest},
		{"v1beta1", http.MethodPost, "application/json", `{"apiVersion":"admission.k8s.io/v1beta1","kind":"AdmissionReview","request":{"uid":"x"}}`, http.StatusBadRequest},
		{"no request", http.MethodPost, "application/json", `{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview"}`, http.StatusBadRequest},
		{"too large", http.MethodPost, "application/json", `{"x":"` + strings.Repeat("a", 9<<20) + `"}`, http.StatusRequestEntityTooLarge},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			req, err := http.NewRequest(tc.method, srv.URL, strings.NewReader(tc.body))
			must(t, err)
			if tc.contentType != "" {
				req.Header.Set("Content-Type", tc.contentType)
			}
			resp, err := srv.Client().Do(req)
			must(t, err)
			defer resp.Body.Close()
			_, _ = io.Copy(io.Discard, resp.Body)
			if resp.StatusCode != tc.status {
				t.Fatalf("status %d, want %d", resp.StatusCode, tc.status)
			}
		})
	}
}

// TestTimeBudget: a registry slower than the budget makes the image, and the review, denied with
// a message naming the budget; the API server's timeout parameter lowers the budget.
func TestTimeBudget(t *testing.T) {
	var slowOn atomic.Bool // off while the world's images are pushed
	slow := func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if slowOn.Load() && strings.Contains(r.URL.Path, "/manifests/") {
				select {
				case <-time.After(3 * time.Second):
				case <-r.Context().Done():
					return
				}
			}
			next.ServeHTTP(w, r)
		})
	}
	w := newWorld(t, demoregistry.Wrap(slow))
	slowOn.Store(true)
	tests := []struct {
		name   string
		budget time.Duration
		query  string
		want   string
	}{
		{"configured budget", 200 * time.Millisecond, "", "time budget of 200ms"},
		{"API server timeout lowers the budget", 8 * time.Second, "?timeout=250ms", "time budget of 200ms"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h, _ := w.handler(t, webhook.WithBudget(tc.budget))
			srv := serve(t, h)
			start := time.Now()
			resp := post(t, srv.Client(), srv.URL+tc.query, reviewJSON(t, podKind, admissionv1.Create, "prod",
				corev1.Pod{Spec: corev1.PodSpec{Containers: containers(w.hello)}}))
			if elapsed := time.Since(start); elapsed > 2*time.Second {
				t.Errorf("answered after %v, beyond the budget", elapsed)
			}
			if resp.Allowed || resp.Result == nil || !strings.Contains(resp.Result.Message, tc.want) {
				t.Fatalf("want a denial naming %q, got %+v", tc.want, resp.Result)
			}
			if got := counter(t, h, "sigpolicy_webhook_image_decisions_total", "timeout"); got != 1 {
				t.Fatalf("timeout decisions = %v, want 1", got)
			}
		})
	}
}
