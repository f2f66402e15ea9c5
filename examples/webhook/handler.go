package webhook

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"strings"
	"time"

	admissionv1 "k8s.io/api/admission/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/sigpolicy/sigpolicy/namespace"
)

// Handler is the admission webhook's HTTP handler. It is safe for concurrent use.
type Handler struct {
	resolver *namespace.Resolver
	cfg      config
	metrics  *metrics
}

var _ http.Handler = (*Handler)(nil)

// New returns a Handler that checks images against the policies resolver picks. To share
// decisions between reviews, create the resolver with
// namespace.WithCompileOptions(verify.WithDecisionCache(cache)) and pass the same cache with
// WithDecisionCache, for its metrics.
func New(resolver *namespace.Resolver, opts ...Option) (*Handler, error) {
	if resolver == nil {
		return nil, errors.New("webhook.New: nil resolver")
	}
	cfg := config{budget: DefaultBudget, concurrency: DefaultConcurrency}
	for _, o := range opts {
		if o == nil {
			return nil, errors.New("webhook.New: nil option")
		}
		if err := o(&cfg); err != nil {
			return nil, err
		}
	}
	return &Handler{resolver: resolver, cfg: cfg, metrics: newMetrics(cfg.cache)}, nil
}

// ServeHTTP answers one AdmissionReview. Requests that are not an admission.k8s.io/v1
// AdmissionReview POSTed as JSON get an HTTP error (which the API server treats as a webhook
// failure, denying under failurePolicy: Fail); every review gets a response with the request's
// UID, allowed or denied.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		http.Error(w, "sigpolicy webhook: POST an AdmissionReview", http.StatusMethodNotAllowed)
		return
	}
	if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != "application/json" {
		http.Error(w, "sigpolicy webhook: Content-Type must be application/json", http.StatusUnsupportedMediaType)
		return
	}
	var review admissionv1.AdmissionReview
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxRequestBody)).Decode(&review); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			http.Error(w, "sigpolicy webhook: request too large", http.StatusRequestEntityTooLarge)
			return
		}
		http.Error(w, "sigpolicy webhook: decoding the AdmissionReview: "+err.Error(), http.StatusBadRequest)
		return
	}
	if review.APIVersion != "admission.k8s.io/v1" || review.Kind != "AdmissionReview" || review.Request == nil {
		http.Error(w, fmt.Sprintf("sigpolicy webhook: expected an admission.k8s.io/v1 AdmissionReview with a request, got apiVersion %q kind %q",
			review.APIVersion, review.Kind), http.StatusBadRequest)
		return
	}
	budget := h.budget(r)
	ctx, cancel := context.WithTimeout(context.WithValue(r.Context(), budgetKey{}, budget), budget)
	defer cancel()
	resp := h.Review(ctx, review.Request)
	out := admissionv1.AdmissionReview{TypeMeta: review.TypeMeta, Response: resp}
	w.Header().Set("Content-Type", "application/json")
	if err := json.NewEncoder(w).Encode(&out); err != nil {
		// The client is gone; nothing more can be done.
		return
	}
}

// budget is the configured budget, lowered to 80% of the API server's "timeout" query parameter
// (which it sets to the webhook's timeoutSeconds) when that is shorter.
func (h *Handler) budget(r *http.Request) time.Duration {
	b := h.cfg.budget
	if t, err := time.ParseDuration(r.URL.Query().Get("timeout")); err == nil && t > 0 {
		if share := time.Duration(float64(t) * budgetShare); share < b {
			b = share
		}
	}
	return b
}

// Review decides one admission request under ctx (whose deadline is the time budget) and returns
// the response: allowed, or denied with a message listing every rejected image and why.
func (h *Handler) Review(ctx context.Context, req *admissionv1.AdmissionRequest) *admissionv1.AdmissionResponse {
	allowed, msg := h.decide(ctx, req)
	h.metrics.review(allowed)
	resp := &admissionv1.AdmissionResponse{UID: req.UID, Allowed: allowed}
	if !allowed {
		resp.Result = &metav1.Status{Status: metav1.StatusFailure, Code: http.StatusForbidden,
			Reason: metav1.StatusReasonForbidden, Message: msg}
	}
	return resp
}

// decide returns whether req is allowed and, if not, why.
func (h *Handler) decide(ctx context.Context, req *admissionv1.AdmissionRequest) (bool, string) {
	if req.Operation != admissionv1.Create && req.Operation != admissionv1.Update {
		return true, "" // DELETE and CONNECT start no container
	}
	spec, prefix, err := podSpecOf(req.Kind, req.Object.Raw)
	if err != nil {
		return false, "sigpolicy: " + err.Error()
	}
	containers := imagesOf(spec, prefix)
	if len(containers) == 0 {
		return true, ""
	}
	if req.Namespace == "" {
		return false, "sigpolicy: the request names no namespace, so no policy applies"
	}
	res, err := h.resolver.Resolve(req.Namespace)
	if err != nil {
		return false, fmt.Sprintf("sigpolicy: no usable policy for namespace %q: %v", req.Namespace, err)
	}
	var distinct []string
	seen := map[string]bool{}
	for _, c := range containers {
		if !seen[c.Image] {
			seen[c.Image] = true
			distinct = append(distinct, c.Image)
		}
	}
	results := h.checkImages(ctx, res.Evaluator, distinct)
	return denial(req.Namespace, res.File, containers, results)
}

// denial builds the verdict from per-image results: allowed when every image is, else a message
// with one line per rejected image and the containers that use it.
func denial(ns, file string, containers []containerImage, results []imageResult) (bool, string) {
	var lines []string
	for _, r := range results {
		if r.outcome == resultAllowed {
			continue
		}
		var uses []string
		for _, c := range containers {
			if c.Image == r.image {
				uses = append(uses, fmt.Sprintf("%s (container %q)", c.Field, c.Container))
			}
		}
		lines = append(lines, fmt.Sprintf("- image %q, used by %s: %s", r.image, strings.Join(uses, ", "), r.reason))
	}
	if len(lines) == 0 {
		return true, ""
	}
	return false, fmt.Sprintf("sigpolicy: %d of %d images rejected by the policy of namespace %q (%s):\n%s",
		len(lines), len(results), ns, file, strings.Join(lines, "\n"))
}
