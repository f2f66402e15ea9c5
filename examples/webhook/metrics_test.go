package webhook_test

import (
	"io"
	"net/http/httptest"
	"strings"
	"testing"

	admissionv1 "k8s.io/api/admission/v1"
	corev1 "k8s.io/api/core/v1"

	"github.com/sigpolicy/sigpolicy/examples/webhook"
)

// counter returns the value of the metric name (a counter, or a gauge) with result label result
// ("" for an unlabelled metric).
func counter(t testing.TB, h *webhook.Handler, name, result string) float64 {
	t.Helper()
	families, err := h.Registry().Gather()
	must(t, err)
	for _, f := range families {
		if f.GetName() != name {
			continue
		}
		for _, m := range f.GetMetric() {
			label := ""
			for _, l := range m.GetLabel() {
				if l.GetName() == "result" {
					label = l.GetValue()
				}
			}
			if label != result {
				continue
			}
			switch {
			case m.GetCounter() != nil:
				return m.GetCounter().GetValue()
			case m.GetGauge() != nil:
				return m.GetGauge().GetValue()
			case m.GetHistogram() != nil:
				return float64(m.GetHistogram().GetSampleCount())
			}
		}
	}
	t.Fatalf("metric %s{result=%q} not found", name, result)
	return 0
}

func TestMetrics(t *testing.T) {
	w := newWorld(t)
	h, _ := w.handler(t)
	srv := serve(t, h)
	good := reviewJSON(t, podKind, admissionv1.Create, "prod", corev1.Pod{Spec: corev1.PodSpec{Containers: containers(w.hello, w.single, w.fulcio)}})
	bad := reviewJSON(t, podKind, admissionv1.Create, "prod", corev1.Pod{Spec: corev1.PodSpec{Containers: containers(w.bare)}})
	for _, body := range [][]byte{good, good, bad} {
		post(t, srv.Client(), srv.URL, body)
	}
	tests := []struct {
		name, metric, result string
		want                 float64
	}{
		{"reviews allowed", "sigpolicy_webhook_admission_reviews_total", "allowed", 2},
		{"reviews denied", "sigpolicy_webhook_admission_reviews_total", "denied", 1},
		{"images allowed", "sigpolicy_webhook_image_decisions_total", "allowed", 6},
		{"images denied", "sigpolicy_webhook_image_decisions_total", "denied", 1},
		{"no timeouts", "sigpolicy_webhook_image_decisions_total", "timeout", 0},
		{"latency samples", "sigpolicy_webhook_image_verification_seconds", "", 7},
		{"cache hits: the second review", "sigpolicy_webhook_decision_cache_hits_total", "", 3},
		{"cache entries: the allowed images", "sigpolicy_webhook_decision_cache_entries", "", 3},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := counter(t, h, tc.metric, tc.result); got != tc.want {
				t.Fatalf("%s{result=%q} = %v, want %v", tc.metric, tc.result, got, tc.want)
			}
		})
	}
	t.Run("served in the Prometheus text format", func(t *testing.T) {
		msrv := httptest.NewServer(h.Metrics())
		defer msrv.Close()
		resp, err := msrv.Client().Get(msrv.URL)
		must(t, err)
		defer resp.Body.Close()
		body, err := io.ReadAll(resp.Body)
		must(t, err)
		for _, line := range []string{
			`sigpolicy_webhook_admission_reviews_total{result="allowed"} 2`,
			`sigpolicy_webhook_decision_cache_hits_total 3`,
			`sigpolicy_webhook_image_verification_seconds_count 7`,
		} {
			if !strings.Contains(string(body), line) {
				t.Errorf("metrics lack %q:\n%s", line, body)
			}
		}
	})
}
