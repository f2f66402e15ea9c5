package webhook_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"

	admissionv1 "k8s.io/api/admission/v1"
	corev1 "k8s.io/api/core/v1"

	"github.com/sigpolicy/sigpolicy/examples/webhook"
	"github.com/sigpolicy/sigpolicy/namespace"
)

// FuzzAdmissionReview posts arbitrary bodies to the handler under a policy that rejects every
// image. It must never panic, must always answer with an AdmissionReview (or a 4xx for bodies that
// are not one), must echo the request UID, and must never allow an object that names an image.
func FuzzAdmissionReview(f *testing.F) {
	f.Add([]byte(`{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":"1","kind":{"group":"","version":"v1","kind":"Pod"},"namespace":"prod","operation":"CREATE","object":{"apiVersion":"v1","kind":"Pod","spec":{"containers":[{"name":"a","image":"quay.io/x/y:1"}]}}}}`))
	f.Add([]byte(`{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":"2","kind":{"group":"apps","version":"v1","kind":"Deployment"},"namespace":"prod","operation":"CREATE","object":{"apiVersion":"apps/v1","kind":"Deployment","spec":{"template":{"spec":{"initContainers":[{"name":"i","image":"busybox"}],"containers":[]}}}}}}`))
	f.Add([]byte(`{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":"3","kind":{"group":"batch","version":"v1","kind":"CronJob"},"namespace":"../etc","object":{}}}`))
	f.Add([]byte(`{}`))
	dir := f.TempDir()
	global := filepath.Join(dir, "policy.json")
	if err := os.WriteFile(global, []byte(`{"default":[{"type":"reject"}]}`), 0o644); err != nil {
		f.Fatal(err)
	}
	r, err := namespace.New(global, "")
	if err != nil {
		f.Fatal(err)
	}
	h, err := webhook.New(r)
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/validate", bytes.NewReader(body)))
		if rec.Code != http.StatusOK {
			if rec.Code < 400 || rec.Code >= 500 {
				t.Fatalf("status %d", rec.Code)
			}
			return
		}
		var in, out admissionv1.AdmissionReview
		if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil || out.Response == nil {
			t.Fatalf("answer is not an AdmissionReview: %v %q", err, rec.Body.String())
		}
		if json.Unmarshal(body, &in) == nil && in.Request != nil && out.Response.UID != in.Request.UID {
			t.Fatalf("UID %q answered as %q", in.Request.UID, out.Response.UID)
		}
		if out.Response.Allowed && json.Unmarshal(body, &in) == nil && in.Request != nil && in.Request.Kind.Kind == "Pod" {
			var pod corev1.Pod
			if json.Unmarshal(in.Request.Object.Raw, &pod) == nil {
				for _, c := range append(append([]corev1.Container{}, pod.Spec.Containers...), pod.Spec.InitContainers...) {
					if c.Image != "" {
						t.Fatalf("allowed a Pod with image %q under a reject policy", c.Image)
					}
				}
			}
		}
	})
}
