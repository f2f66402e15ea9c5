package webhook_test

import (
	"testing"

	admissionv1 "k8s.io/api/admission/v1"
	corev1 "k8s.io/api/core/v1"
)

// BenchmarkHandler measures one AdmissionReview for a Pod with three signed images (public key +
// Rekor, public key, Fulcio + Rekor), posted over loopback HTTP to the handler, which reads each
// image from a loopback HTTPS registry.
//
//   - cold: a fresh resolver, decision cache and handler for every review (timer stopped while
//     they are made): the policy is read and compiled and every signature is verified.
//   - warm: one handler; the compiled policy and the decisions are cached, so each image costs the
//     registry round trips (tag → digest, signatures) and a cache lookup.
func BenchmarkHandler(b *testing.B) {
	w := newWorld(b)
	pod := corev1.Pod{Spec: corev1.PodSpec{Containers: containers(w.hello, w.single, w.fulcio)}}
	body := reviewJSON(b, podKind, admissionv1.Create, "prod", pod)
	b.Run("cold", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			b.StopTimer()
			h, _ := w.handler(b)
			srv := serve(b, h)
			b.StartTimer()
			if resp := post(b, srv.Client(), srv.URL, body); !resp.Allowed {
				b.Fatalf("denied: %+v", resp.Result)
			}
			b.StopTimer()
			srv.Close()
			b.StartTimer()
		}
	})
	b.Run("warm", func(b *testing.B) {
		h, cache := w.handler(b)
		srv := serve(b, h)
		if resp := post(b, srv.Client(), srv.URL, body); !resp.Allowed {
			b.Fatalf("denied: %+v", resp.Result)
		}
		b.ReportAllocs()
		for b.Loop() {
			if resp := post(b, srv.Client(), srv.URL, body); !resp.Allowed {
				b.Fatalf("denied: %+v", resp.Result)
			}
		}
		if cache.Stats().Hits == 0 {
			b.Fatal("no decision-cache hits")
		}
	})
}
