package verify

import (
	"errors"
	"io/fs"
	"time"
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
