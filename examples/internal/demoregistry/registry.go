package demoregistry

import (
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/google/go-containerregistry/pkg/registry"

	"github.com/sigpolicy/sigpolicy/source"
)

// Registry is a running in-process registry on 127.0.0.1.
type Registry struct {
	server    *httptest.Server
	plain     bool
	host      string
	transport *http.Transport
}

// Option configures Start.
type Option func(*config)

type config struct {
	plain bool
	wrap  func(http.Handler) http.Handler
}

// PlainHTTP serves the registry over plain HTTP instead of HTTPS (with a self-signed certificate).
func PlainHTTP() Option { return func(c *config) { c.plain = true } }

// Wrap puts wrap around the registry's handler, for example to delay or fail requests.
func Wrap(wrap func(http.Handler) http.Handler) Option { return func(c *config) { c.wrap = wrap } }

// Start serves an empty registry on a free loopback port. Close it when done.
func Start(opts ...Option) *Registry {
	var c config
	for _, o := range opts {
		o(&c)
	}
	var h http.Handler = registry.New(registry.Logger(log.New(io.Discard, "", 0)))
	if c.wrap != nil {
		h = c.wrap(h)
	}
	r := &Registry{plain: c.plain}
	if c.plain {
		r.server = httptest.NewServer(h)
	} else {
		r.server = httptest.NewTLSServer(h)
	}
	// Keep enough idle connections for concurrent image checks, so that each does not pay a new
	// TLS handshake (net/http keeps 2 per host by default).
	r.transport = r.server.Client().Transport.(*http.Transport).Clone()
	r.transport.MaxIdleConnsPerHost = 32
	r.host = strings.TrimPrefix(strings.TrimPrefix(r.server.URL, "https://"), "http://")
	return r
}

// Host returns the registry's "127.0.0.1:port", the host part of its image references.
func (r *Registry) Host() string { return r.host }

// Transport returns an HTTP transport that trusts the registry's certificate.
func (r *Registry) Transport() http.RoundTripper { return r.transport }

// SourceOptions returns the source.NewRegistry options that reach this registry: its transport
// (which trusts the test certificate), or WithPlainHTTP for a PlainHTTP registry.
func (r *Registry) SourceOptions() []source.RegistryOption {
	if r.plain {
		return []source.RegistryOption{source.WithPlainHTTP()}
	}
	return []source.RegistryOption{source.WithTransport(r.Transport())}
}

// Close shuts the registry down.
func (r *Registry) Close() {
	r.transport.CloseIdleConnections()
	r.server.Close()
}
