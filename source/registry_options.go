package source

import (
	"errors"
	"net/http"
	"time"

	"github.com/google/go-containerregistry/pkg/authn"
	v1 "github.com/google/go-containerregistry/pkg/v1"
)

// RegistryOption configures NewRegistry. Options validate their arguments; NewRegistry fails on
// an invalid one.
type RegistryOption func(*registryConfig) error

type registryConfig struct {
	plainHTTP bool
	platform  *v1.Platform
	keychain  authn.Keychain
	transport http.RoundTripper
	timeout   time.Duration
}

func defaultRegistryConfig() registryConfig {
	return registryConfig{keychain: authn.DefaultKeychain}
}

// WithPlainHTTP allows unencrypted HTTP to the registry: HTTPS is tried first and plain HTTP is
// used when HTTPS fails, as go-containerregistry does for an insecure registry. Without it every
// request, including redirects and token requests, must use HTTPS (also for localhost and
// private addresses, which go-containerregistry would otherwise reach over plain HTTP). It is
// meant for loopback test registries; signatures are verified independently of the transport, but
// plain HTTP exposes credentials and lets a network attacker withhold signatures.
func WithPlainHTTP() RegistryOption {
	return func(c *registryConfig) error {
		c.plainHTTP = true
		return nil
	}
}

// WithPlatform selects the instance of a manifest list to evaluate, as containers/image's
// SystemContext OSChoice, ArchitectureChoice and VariantChoice do: an empty OS or Architecture
// means the running system's (runtime.GOOS, runtime.GOARCH), and when Architecture is empty the
// variant of the running CPU is detected (arm and arm64 only) unless Variant is set. Instances are
// matched on OS, architecture and variant only, preferring compatible older variants in
// containers/image's order (for arm: v8, v7, v6, v5). The default is the running system.
func WithPlatform(p v1.Platform) RegistryOption {
	return func(c *registryConfig) error {
		c.platform = &p
		return nil
	}
}

// WithKeychain sets where registry credentials come from. The default is authn.DefaultKeychain
// (the Docker and Podman credential files and helpers); authn.NewMultiKeychain combines several.
func WithKeychain(kc authn.Keychain) RegistryOption {
	return func(c *registryConfig) error {
		if kc == nil {
			return errors.New("source.WithKeychain: nil keychain")
		}
		c.keychain = kc
		return nil
	}
}

// WithTransport sets the HTTP transport under authentication (for proxies, custom TLS roots or
// tests). The default is one clone of http.DefaultTransport shared by every Registry.
func WithTransport(rt http.RoundTripper) RegistryOption {
	return func(c *registryConfig) error {
		if rt == nil {
			return errors.New("source.WithTransport: nil transport")
		}
		c.transport = rt
		return nil
	}
}

// WithTimeout bounds each registry operation: NewRegistry as a whole (authentication, resolving
// the tag, fetching the manifest list and the instance manifest), and each later call of
// Manifest or Signatures. The caller's context still applies; the earlier deadline wins. The
// default is no bound beyond the context.
func WithTimeout(d time.Duration) RegistryOption {
	return func(c *registryConfig) error {
		if d <= 0 {
			return errors.New("source.WithTimeout: the timeout must be positive")
		}
		c.timeout = d
		return nil
	}
}
