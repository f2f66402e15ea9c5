// Command sigpolicy-webhook serves the sigpolicy validating admission webhook (package
// github.com/sigpolicy/sigpolicy/examples/webhook) over HTTPS, and its Prometheus metrics.
//
// Usage:
//
//	sigpolicy-webhook --tls-cert FILE --tls-key FILE [--policy FILE] [--policy-dir DIR]
//	    [--listen :8443] [--metrics-listen :9090] [--budget 8s] [--cache-size 4096] [--cache-ttl 5m]
//
// POST /validate answers AdmissionReview requests; GET /healthz answers "ok"; the metrics are at
// /metrics on --metrics-listen. The budget should be about 80% of the webhook's timeoutSeconds;
// the handler also lowers it to 80% of the timeout the API server passes with each request.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/sigpolicy/sigpolicy/examples/webhook"
	"github.com/sigpolicy/sigpolicy/namespace"
	"github.com/sigpolicy/sigpolicy/source"
	"github.com/sigpolicy/sigpolicy/verify"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "sigpolicy-webhook:", err)
		os.Exit(1)
	}
}

func run() error {
	policyPath := flag.String("policy", "/etc/containers/policy.json", "global policy `file`")
	policyDir := flag.String("policy-dir", "/etc/containers/policies", "`directory` of per-namespace policies (<dir>/<namespace>.json)")
	listen := flag.String("listen", ":8443", "HTTPS listen `address` of the webhook")
	metricsListen := flag.String("metrics-listen", ":9090", "HTTP listen `address` of /metrics")
	certFile := flag.String("tls-cert", "", "TLS certificate `file` (required)")
	keyFile := flag.String("tls-key", "", "TLS private key `file` (required)")
	budget := flag.Duration("budget", webhook.DefaultBudget, "time budget of one review (about 80% of timeoutSeconds)")
	cacheSize := flag.Int("cache-size", 4096, "decisions kept in the decision cache")
	cacheTTL := flag.Duration("cache-ttl", 5*time.Minute, "lifetime of cached decisions that depend on the wall clock")
	flag.Parse()
	if *certFile == "" || *keyFile == "" || flag.NArg() != 0 {
		flag.Usage()
		return errors.New("--tls-cert and --tls-key are required")
	}

	cache := verify.NewDecisionCache(*cacheSize, *cacheTTL)
	resolver, err := namespace.New(*policyPath, *policyDir,
		namespace.WithRequireNamespace(), namespace.WithCompileOptions(verify.WithDecisionCache(cache)))
	if err != nil {
		return err
	}
	// Keep idle connections to registries for concurrent image checks.
	transport := http.DefaultTransport.(*http.Transport).Clone()
	transport.MaxIdleConnsPerHost = 32
	h, err := webhook.New(resolver, webhook.WithBudget(*budget), webhook.WithDecisionCache(cache),
		webhook.WithRegistryOptions(source.WithTransport(transport)))
	if err != nil {
		return err
	}
	h.Registry().MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))

	mux := http.NewServeMux()
	mux.Handle("/validate", h)
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte("ok\n")) })
	srv := &http.Server{Addr: *listen, Handler: mux, ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout: 30 * time.Second, WriteTimeout: 30 * time.Second}
	metricsMux := http.NewServeMux()
	metricsMux.Handle("/metrics", h.Metrics())
	metrics := &http.Server{Addr: *metricsListen, Handler: metricsMux, ReadHeaderTimeout: 10 * time.Second}

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	errc := make(chan error, 2)
	go func() { errc <- srv.ListenAndServeTLS(*certFile, *keyFile) }()
	go func() { errc <- metrics.ListenAndServe() }()
	log.Printf("serving /validate on %s, /metrics on %s", *listen, *metricsListen)
	select {
	case err = <-errc:
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_ = metrics.Shutdown(shutdown)
	if serr := srv.Shutdown(shutdown); err == nil {
		err = serr
	}
	if errors.Is(err, http.ErrServerClosed) {
		return nil
	}
	return err
}
