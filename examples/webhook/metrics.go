package webhook

import (
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/sigpolicy/sigpolicy/verify"
)

// metrics are the handler's Prometheus metrics, in a registry of its own.
type metrics struct {
	registry *prometheus.Registry
	reviews  *prometheus.CounterVec
	images   *prometheus.CounterVec
	latency  prometheus.Histogram
}

func newMetrics(cache *verify.DecisionCache) *metrics {
	m := &metrics{
		registry: prometheus.NewRegistry(),
		reviews: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "sigpolicy_webhook_admission_reviews_total",
			Help: "Admission reviews answered, by result (allowed or denied).",
		}, []string{"result"}),
		images: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "sigpolicy_webhook_image_decisions_total",
			Help: "Image decisions, by result: allowed, denied (by the policy), error (unreadable image or bad reference; denied), timeout (not decided within the budget; denied).",
		}, []string{"result"}),
		latency: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "sigpolicy_webhook_image_verification_seconds",
			Help:    "Time to decide one image: registry access and policy evaluation.",
			Buckets: prometheus.ExponentialBuckets(0.0001, 4, 10), // 100µs … 26s
		}),
	}
	for _, r := range []string{resultAllowed, resultDenied} {
		m.reviews.WithLabelValues(r)
	}
	for _, r := range []string{resultAllowed, resultDenied, resultError, resultTimeout} {
		m.images.WithLabelValues(r)
	}
	m.registry.MustRegister(m.reviews, m.images, m.latency)
	if cache != nil {
		stat := func(f func(verify.CacheStats) float64) func() float64 {
			return func() float64 { return f(cache.Stats()) }
		}
		m.registry.MustRegister(
			prometheus.NewCounterFunc(prometheus.CounterOpts{
				Name: "sigpolicy_webhook_decision_cache_hits_total",
				Help: "Image decisions served from the decision cache.",
			}, stat(func(s verify.CacheStats) float64 { return float64(s.Hits) })),
			prometheus.NewCounterFunc(prometheus.CounterOpts{
				Name: "sigpolicy_webhook_decision_cache_misses_total",
				Help: "Image decisions not found in the decision cache.",
			}, stat(func(s verify.CacheStats) float64 { return float64(s.Misses) })),
			prometheus.NewCounterFunc(prometheus.CounterOpts{
				Name: "sigpolicy_webhook_decision_cache_evictions_total",
				Help: "Decisions evicted from the decision cache.",
			}, stat(func(s verify.CacheStats) float64 { return float64(s.Evictions) })),
			prometheus.NewGaugeFunc(prometheus.GaugeOpts{
				Name: "sigpolicy_webhook_decision_cache_entries",
				Help: "Decisions held in the decision cache.",
			}, stat(func(s verify.CacheStats) float64 { return float64(s.Entries) })),
		)
	}
	return m
}

func (m *metrics) observe(outcome string, d time.Duration) {
	m.images.WithLabelValues(outcome).Inc()
	m.latency.Observe(d.Seconds())
}

func (m *metrics) review(allowed bool) {
	if allowed {
		m.reviews.WithLabelValues(resultAllowed).Inc()
	} else {
		m.reviews.WithLabelValues(resultDenied).Inc()
	}
}

// Metrics returns an http.Handler serving the handler's metrics in the Prometheus text format.
func (h *Handler) Metrics() http.Handler {
	return promhttp.HandlerFor(h.metrics.registry, promhttp.HandlerOpts{})
}

// Registry returns the Prometheus registry holding the handler's metrics, to gather them or to
// serve them together with others.
func (h *Handler) Registry() *prometheus.Registry { return h.metrics.registry }
