// Package namespace picks the containers policy.json that applies to a Kubernetes namespace, compiles
// it, and keeps the compiled policy until a file it depends on changes.
//
// # CRI-O's rule
//
// A Resolver is configured with a global policy file and a directory. The effective policy for
// namespace ns is "<dir>/<ns>.json" when that file exists, otherwise the global policy; the empty
// namespace means the global policy. This is the rule of CRI-O's signature_policy_dir, and the
// namespace file replaces the global policy entirely (it must be a complete policy, with its own
// "default").
//
// Each file is read only when it applies: a broken global file does not affect a namespace that has
// its own file, and a broken namespace file affects only its namespace. A file that applies but
// cannot be read, is not a regular file, or does not parse is an error, never a silent fallback to
// another policy; so is a namespace file that is a dangling symbolic link (CRI-O would fall back).
// Trust material (keyPath, caPath, rekorPublicKeyPath, keyring files, …) that cannot be read is not
// an error of Resolve: as in containers/image, the requirement that names it denies when evaluated.
//
// # Namespace names
//
// Resolve accepts only Kubernetes namespace names (RFC 1123 DNS labels: 1–63 lower-case letters,
// digits and '-', starting and ending with a letter or digit; see ValidateName), and checks the name
// before it builds any path. Names such as "../etc", "a/b", ".", "Prod", a name of 64 characters or
// one holding a NUL byte are refused with an *InvalidNamespaceError, so no file outside the policy
// directory can be named. CRI-O does not validate the name, which lets a CRI client name any
// "*.json" file on the host. The namespace file is opened through an os.Root for the directory, and
// a symbolic link "<ns>.json" that resolves outside the directory is refused (ErrOutsideDirectory);
// links within the directory, as Kubernetes ConfigMap volumes create, are followed.
//
// # Caching and concurrency
//
// Compiled policies are cached per namespace and reused while the policy file(s) and every
// trust-material file the policy names are unchanged. Each Resolve call checks this with one stat
// system call per file (lstat for the namespace file, plus a stat when it is a symbolic link),
// comparing device, inode, size, modification time and change time; it reads nothing, allocates
// nothing and returns a pointer to the cached, immutable Resolved. Any change (an edit, an atomic
// rename over the file, a rotated ConfigMap symlink, a replaced key file) is therefore seen by the
// next call. Each file is stat'ed before it is read, so a change during a read is seen too.
// Failures (an unparsable file, say) are cached the same way, and deny until the file changes.
//
// File systems record times at a coarse granularity (a kernel tick; a whole second on some), so a
// same-size rewrite in place within one granule of a previous read would leave every compared field
// unchanged. As git does for its index ("racy git"), a result built from a file whose modification
// or change time is less than two seconds old is used only by the call that built it: calls rebuild
// until the files have settled, and cache from then on. Atomic replacement (write a temporary file,
// rename it over the old one) never depends on this, because it changes the inode.
//
// With WithChangeNotifications (Linux), the Resolver watches, with inotify, the directory of every
// file a result depends on and the ancestors of those directories (and of their symbolic links'
// targets). An unchanged result is then served after one non-blocking read of the notification
// queue, without any stat: any event in a watched directory, a lost watch or a queue overflow sends
// the next call back to the stat checks above. The kernel queues an event before the system call
// that made the change returns, so a change that completed before a Resolve call is always seen by
// it. Notifications do not cover changes made by another host on a network file system, so the
// option is for local files only.
//
// Resolve is safe for concurrent use and holds no lock while reading, parsing or compiling: callers
// that see a change at the same time each rebuild, and the first to finish fills the cache. A caller
// never gets a half-written file as a valid policy: a truncated document does not parse, which
// denies. Writers should still replace files atomically (write a temporary file, then rename it).
//
// The trust-material files are read by the Resolver and handed to verify.Compile through an
// in-memory file system, so the compiled Evaluator, the recorded file identities and the digest all
// come from the same bytes.
//
// # The digest
//
// Resolved.Digest is "sha256:" and the hex SHA-256 of, each field preceded by its length as an 8-byte
// big-endian integer: a domain string, the mode ("replace" or "overlay"), the number of policy
// documents and each document's bytes (the namespace file first), the number of trust-material
// files and, for each in sorted path order, its path, "ok" or "unreadable", and its bytes. It leaves
// out the policy file's own path and the namespace, so that namespaces with identical policies share
// decision-cache entries; it does not cover the options given to verify.Compile (such as a clock),
// nor the working directory that relative trust-material paths are resolved against.
//
// # Overlay mode
//
// WithOverlay turns on an opt-in alternative to CRI-O's rule, for namespaces that have their own
// file (a namespace without one still gets the global policy alone). The effective policy is then
// Overlay(namespace policy, global policy):
//
//   - "default" is the namespace file's (every policy file must have one);
//   - the transports are those of either file;
//   - within a transport, the scopes are those of either file, and a scope key defined in both
//     takes the namespace file's requirements (the global file's requirements for it are dropped);
//   - the scope that applies to an image is then chosen as always, most specific first, among the
//     combined scopes. So a global scope more specific than every namespace scope still applies
//     (global "quay.io/org/app" beats namespace "quay.io"), and a global transport-wide "" scope
//     applies, before the namespace's "default", to images of that transport that match no other
//     scope.
//
// Both files are read and parsed for such a namespace, and a failure of either denies it; both, and
// the trust material of the combined policy, are watched for changes.
//
// Use Overlay mode when the same administrator writes both files and wants each namespace file to
// list only what differs from the global policy (one namespace's extra registry, a stricter rule for
// one repository), keeping shared rules in one place. Do not use it when the namespace files must
// also work unchanged with CRI-O or other containers/image tools, which treat them as complete
// policies; and do not use it to enforce that a namespace is never less restrictive than the global
// policy: a namespace file can replace any global scope, including with insecureAcceptAnything. To
// require both policies, evaluate the global Resolved and the namespace Resolved and allow only when
// both allow.
package namespace
