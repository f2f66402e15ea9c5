package policy

import (
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
)

// Transport names whose scopes containers/image v5.36.2 validates (with
// transports/alltransports registered and no stub build tags). Scopes of any other transport name,
// including "ostree" (now a stub) and unknown names, are accepted unchecked.
const (
	TransportDocker            = "docker"
	TransportAtomic            = "atomic"
	TransportContainersStorage = "containers-storage"
	TransportDir               = "dir"
	TransportOCI               = "oci"
	TransportOCIArchive        = "oci-archive"
	TransportDockerArchive     = "docker-archive"
	TransportDockerDaemon      = "docker-daemon"
	TransportSIF               = "sif"
	TransportTarball           = "tarball"
	TransportOSTree            = "ostree"
)

// atomicScopeRegexp is the openshift ("atomic") transport's scope syntax:
// HOSTNAME/namespace/stream:tag or a parent prefix of it.
var atomicScopeRegexp = regexp.MustCompile("^[^/]*(/[^:/]*(/[^:/]*(:[^:/]*)?)?)?$")

// ociWindowsScopeRegexp is the oci transports' absolute-path rule on Windows.
var ociWindowsScopeRegexp = regexp.MustCompile(`^[a-zA-Z]:\\`)

// ValidateScope reports whether scope is an acceptable scope key for transport, with the rules of
// each transport's ValidatePolicyConfigurationScope in containers/image v5.36.2. The "" scope is
// always valid. The returned error explains the refusal and matches ErrInvalidScope.
func ValidateScope(transport, scope string) error {
	if scope == "" {
		return nil
	}
	var reason string
	switch transport {
	case TransportDocker, TransportOSTree:
		return nil
	case TransportAtomic:
		if atomicScopeRegexp.FindStringIndex(scope) == nil {
			reason = "must be hostname[/namespace[/stream[:tag]]]"
		}
	case TransportDir, TransportSIF:
		reason = absoluteCleanPath(scope)
	case TransportOCI, TransportOCIArchive:
		if runtime.GOOS == "windows" {
			if !ociWindowsScopeRegexp.MatchString(scope) {
				reason = "must be an absolute path"
			} else if filepath.Clean(scope) != scope {
				reason = "must be a clean path (" + filepath.Clean(scope) + ")"
			}
		} else {
			reason = absoluteCleanPath(scope)
		}
	case TransportDockerArchive, TransportTarball:
		reason = `only the "" scope is supported`
	case TransportDockerDaemon:
		if validDigest(scope) {
			reason = "an algo:hex image ID cannot be used as a namespace"
		}
	case TransportContainersStorage:
		reason = storageScopeProblem(scope)
	default:
		return nil
	}
	if reason == "" {
		return nil
	}
	return &scopeError{transport: transport, scope: scope, reason: reason}
}

// scopeError is returned by ValidateScope.
type scopeError struct{ transport, scope, reason string }

func (e *scopeError) Error() string {
	return "invalid " + e.transport + " scope " + quote(e.scope) + ": " + e.reason
}
func (e *scopeError) Unwrap() error { return ErrInvalidScope }

func absoluteCleanPath(scope string) string {
	switch {
	case !strings.HasPrefix(scope, "/"):
		return "must be an absolute path"
	case scope == "/":
		return `"/" is not allowed, use the "" scope`
	case filepath.Clean(scope) != scope:
		return "must be a clean path (" + filepath.Clean(scope) + ")"
	}
	return ""
}

// storageScopeProblem validates a containers-storage scope: "[driver@/root]" or "[/root]",
// optionally followed by name[:tag], name@digest, name@ID or name@digest@ID.
func storageScopeProblem(scope string) string {
	const bad = "must be [driver@/abs/root] or [/abs/root], optionally followed by an image name"
	if scope[0] != '[' {
		return bad
	}
	closeIndex := strings.IndexByte(scope, ']')
	if closeIndex < 1 {
		return bad
	}
	storeSpec, rest := scope[1:closeIndex], scope[closeIndex+1:]
	if a, b, ok := strings.Cut(storeSpec, "@"); ok && a != "" && b != "" {
		if !filepath.IsAbs(b) {
			return "store root must be an absolute path"
		}
	} else if !ok && a != "" {
		if !filepath.IsAbs(storeSpec) {
			return "store root must be an absolute path"
		}
	} else {
		return bad
	}
	if rest == "" {
		return ""
	}
	fields := strings.SplitN(rest, "@", 3)
	switch len(fields) {
	case 2:
		if !validDigest("sha256:"+fields[1]) && !validDigest(fields[1]) {
			return quote(fields[1]) + " is neither a valid digest nor a valid image ID"
		}
	case 3:
		if !validDigest(fields[1]) {
			return quote(fields[1]) + " is not a valid digest"
		}
		if !validDigest("sha256:" + fields[2]) {
			return quote(fields[2]) + " is not a valid image ID"
		}
	}
	return ""
}

// validDigest reports whether s parses as a digest with github.com/opencontainers/go-digest's
// Parse (all of sha256, sha384 and sha512 available): algorithm:lowercase-hex of the right length.
func validDigest(s string) bool {
	i := strings.IndexByte(s, ':')
	if i <= 0 || i+1 == len(s) {
		return false
	}
	var n int
	switch s[:i] {
	case "sha256":
		n = 64
	case "sha384":
		n = 96
	case "sha512":
		n = 128
	default:
		return false
	}
	hex := s[i+1:]
	if len(hex) != n {
		return false
	}
	for j := 0; j < len(hex); j++ {
		if c := hex[j]; !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return true
}
