package webhook

import (
	"errors"
	"time"

	"github.com/sigpolicy/sigpolicy/source"
	"github.com/sigpolicy/sigpolicy/verify"

	"github.com/sigpolicy/sigpolicy/internal/limits"
)

// Defaults.
const (
	// DefaultBudget is the default time budget of one admission review: 80% of the API server's
	// default webhook timeout of 10 s.
	DefaultBudget = 8 * time.Second
	// DefaultConcurrency is how many images of one review are checked at the same time.
	DefaultConcurrency = 8
	// maxRequestBody bounds an AdmissionReview request body (the API server's own request limit is
	// 3 MiB; an AdmissionReview may hold the old and the new object).
	maxRequestBody = limits.MaxAdmissionReviewSize
	// budgetShare is the part of the API server's timeout that the handler uses.
	budgetShare = 0.8
)

// Option configures New. Options validate their arguments; New fails on an invalid one.
type Option func(*config) error

type config struct {
	budget      time.Duration
	concurrency int
	registry    []source.RegistryOption
	cache       *verify.DecisionCache
}

// WithBudget sets how long one admission review may take, registry access included. Set it below
// the webhook's timeoutSeconds (80% of it is a good value); an image not decided in time is
// denied. The default is DefaultBudget.
func WithBudget(d time.Duration) Option {
	return func(c *config) error {
		if d <= 0 {
			return errors.New("webhook.WithBudget: the budget must be positive")
		}
		c.budget = d
		return nil
	}
}

// WithConcurrency sets how many images of one review are checked at the same time (default
// DefaultConcurrency).
func WithConcurrency(n int) Option {
	return func(c *config) error {
		if n < 1 {
			return errors.New("webhook.WithConcurrency: at least 1")
		}
		c.concurrency = n
		return nil
	}
}

// WithRegistryOptions passes options to every source.NewRegistry call (credentials, transport,
// platform, plain HTTP for a test registry).
func WithRegistryOptions(opts ...source.RegistryOption) Option {
	return func(c *config) error {
		for _, o := range opts {
			if o == nil {
				return errors.New("webhook.WithRegistryOptions: nil option")
			}
		}
		c.registry = append(c.registry, opts...)
		return nil
	}
}

// WithDecisionCache names the decision cache that the resolver's evaluators use (given to the
// resolver with namespace.WithCompileOptions(verify.WithDecisionCache(c))), so that the handler's
// metrics report its hits, misses and size. The handler does not attach the cache itself.
func WithDecisionCache(c *verify.DecisionCache) Option {
	return func(cfg *config) error {
		if c == nil {
			return errors.New("webhook.WithDecisionCache: nil cache")
		}
		cfg.cache = c
		return nil
	}
}
