package namespace

import (
	"errors"
	"time"

	"github.com/sigpolicy/sigpolicy/verify"
)

// Option configures New. Options validate their arguments, and New fails on an invalid one.
type Option func(*config) error

type config struct {
	overlay          bool
	requireNamespace bool
	compile          []verify.Option
	now              func() time.Time // only for the racy-timestamp rule (see state.racy)
	notify           bool
}

// WithChangeNotifications makes Resolve learn of file changes from the kernel (Linux inotify)
// instead of checking every file with stat on every call: an unchanged result then costs one
// non-blocking read of the notification queue, whatever the number of files. The directories of the
// policy files and of every trust-material file, and their ancestors, are watched; any change in
// them, a lost watch or a queue overflow sends Resolve back to its stat checks, so a change that
// completed before a call is always seen by that call.
//
// Use it only where every one of those files is on a local file system: a change made on another
// host to a network file system (NFS, SMB) or through some FUSE file systems raises no local
// notification, and would not be seen. On other systems than Linux it has no effect.
func WithChangeNotifications() Option {
	return func(c *config) error {
		c.notify = true
		return nil
	}
}

// WithOverlay turns on Overlay mode: a namespace file is combined with the global policy instead of
// replacing it. See "Overlay mode" in the package documentation for the exact rule, and for when to
// use it and when not. The default is CRI-O's rule: the namespace file replaces the global policy.
func WithOverlay() Option {
	return func(c *config) error {
		c.overlay = true
		return nil
	}
}

// WithRequireNamespace makes Resolve refuse the empty namespace with an *InvalidNamespaceError
// instead of returning the global policy. Use it where every request is expected to come from a pod,
// so that a caller that lost the namespace cannot silently get the global policy.
func WithRequireNamespace() Option {
	return func(c *config) error {
		c.requireNamespace = true
		return nil
	}
}

// WithCompileOptions passes options to verify.Compile for every policy the Resolver compiles (for
// example verify.WithClock). The Resolver itself supplies verify.WithOrigin and verify.WithFS (it
// reads the trust material, so that what is compiled, what is digested and what is watched are the
// same bytes), so these two options, if given here, have no effect.
func WithCompileOptions(opts ...verify.Option) Option {
	return func(c *config) error {
		for _, o := range opts {
			if o == nil {
				return errors.New("namespace.WithCompileOptions: nil option")
			}
		}
		c.compile = append(c.compile, opts...)
		return nil
	}
}
