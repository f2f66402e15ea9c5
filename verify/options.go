package verify

import (
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"time"

	"github.com/sigpolicy/sigpolicy/bundle"
)

// Option configures Compile. Options validate their arguments and Compile fails on an invalid one.
type Option func(*config) error

type config struct {
	now        func() time.Time
	readFile   func(path string) ([]byte, error)
	file       string
	namespace  string
	noSigCache bool
	cache      *DecisionCache
	bundles    bundleConfig // WithRekorURL, WithTrustedRoot
}

func defaultConfig() config {
	return config{now: time.Now, readFile: readFileLimited}
}

// WithClock sets the clock used where containers/image uses the wall clock: PKI certificate
// validity and OpenPGP signature expiry. Sigstore Fulcio certificates are never checked against this
// clock but against the Rekor integrated time. The default is time.Now.
func WithClock(now func() time.Time) Option {
	return func(c *config) error {
		if now == nil {
			return errors.New("verify.WithClock: nil clock")
		}
		c.now = now
		return nil
	}
}

// WithFS makes Compile read key, certificate and keyring files (the policy's …Path fields) from fsys
// instead of the operating system (each at most 4 MiB). Relative paths are then relative to fsys's root, and absolute
// paths have their leading "/" removed. The default reads files with os.ReadFile, relative paths
// being resolved against the process working directory as containers/image does.
func WithFS(fsys fs.FS) Option {
	return func(c *config) error {
		if fsys == nil {
			return errors.New("verify.WithFS: nil file system")
		}
		c.readFile = func(path string) ([]byte, error) {
			if len(path) > 0 && path[0] == '/' {
				path = path[1:]
			}
			return fs.ReadFile(fsys, path)
		}
		return nil
	}
}

// WithOrigin records where the policy came from (its file and, for per-namespace policies, the
// Kubernetes namespace); every Decision reports them.
func WithOrigin(file, namespace string) Option {
	return func(c *config) error {
		c.file, c.namespace = file, namespace
		return nil
	}
}

// WithoutSignatureCache turns off the verified-signature cache: every evaluation then repeats every
// cryptographic check. The cache is on by default; it holds at most a few thousand entries per
// requirement and is keyed by every byte of the signature, payload, certificate, chain and Rekor
// bundle, under one requirement's trust material.
func WithoutSignatureCache() Option {
	return func(c *config) error {
		c.noSigCache = true
		return nil
	}
}

// WithDecisionCache makes Evaluate consult and fill c (see DecisionCache). One cache may serve many
// evaluators: entries are keyed by each evaluator's content digest.
func WithDecisionCache(c *DecisionCache) Option {
	return func(cfg *config) error {
		if c == nil {
			return errors.New("verify.WithDecisionCache: nil cache")
		}
		cfg.cache = c
		return nil
	}
}

// WithReadFile makes Compile read trust-material files with read, given each path exactly as the
// policy spells it (relative paths are read's to resolve). Results larger than 4 MiB are refused.
// It replaces WithFS; a caller that has already read and checked the files (for example a resolver
// that records their identity) passes them in this way.
func WithReadFile(read func(path string) ([]byte, error)) Option {
	return func(c *config) error {
		if read == nil {
			return errors.New("verify.WithReadFile: nil function")
		}
		c.readFile = read
		return nil
	}
}

// DefaultRekorURL is the Rekor log URL assumed for sigstore bundles when WithRekorURL is not
// given: the public-good instance.
const DefaultRekorURL = "https://rekor.sigstore.dev"

// WithRekorURL sets the base URL of the Rekor log that the policy's Rekor public keys
// (rekorPublicKeyPath, rekorPublicKeyPaths, rekorPublicKeyData, rekorPublicKeyDatas) belong to.
// Sigstore bundles carry inclusion proofs bound to checkpoints whose origin is "<host> - <tree
// ID>" and whose signature is named after the host; the URL's host must be that of the log the
// keys sign for, or every bundle is denied. The default is DefaultRekorURL. Legacy cosign
// signatures (SETs) do not depend on it.
func WithRekorURL(rekorURL string) Option {
	return func(c *config) error {
		u, err := url.Parse(rekorURL)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			return fmt.Errorf("verify.WithRekorURL: %q is not an http(s) URL with a host", rekorURL)
		}
		c.bundles.rekorURL = rekorURL
		return nil
	}
}

// WithTrustedRoot makes sigstoreSigned requirements with a "fulcio" section verify sigstore
// bundles against tm (a sigstore trusted_root.json, e.g. bundle.PublicGood or
// bundle.FromTrustedRootJSON) instead of the policy's caData/caPath and Rekor keys alone. tm adds
// what a policy cannot express: the intermediates a v0.3 bundle leaves out, validity windows, CT
// logs (SCTs then required) and timestamp authorities. It never widens the policy: the bundle's
// certificate must also chain to the requirement's own Fulcio CA data, and its log entry must
// come from one of the requirement's Rekor keys. Key-based requirements are not affected.
func WithTrustedRoot(tm *bundle.TrustedMaterial) Option {
	return func(c *config) error {
		if tm == nil {
			return errors.New("verify.WithTrustedRoot: nil trusted material")
		}
		c.bundles.trustedRoot = tm
		return nil
	}
}
