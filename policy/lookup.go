package policy

import (
	"path/filepath"
	"strings"

	"github.com/containers/image/v5/docker/reference"
)

// PolicyReference is what scope lookup needs from an image reference: containers/image's
// ImageReference.PolicyConfigurationIdentity and PolicyConfigurationNamespaces.
type PolicyReference interface {
	// PolicyConfigurationIdentity is the most specific scope, e.g. docker.io/library/busybox:latest.
	PolicyConfigurationIdentity() string
	// PolicyConfigurationNamespaces are the less specific scopes, most specific first.
	PolicyConfigurationNamespaces() []string
}

// ScopeMatch is the result of RequirementsFor.
type ScopeMatch struct {
	Transport    string       // the transport looked up
	Scope        string       // the matched scope key ("" for the transport's "" scope and for Default)
	Default      bool         // true when no transport scope matched and the global default applies
	Requirements Requirements // the requirements of the matched scope
}

// RequirementsFor returns the requirements that apply to ref under transport, with
// containers/image's precedence: the exact identity, then each namespace in order, then the
// transport's "" scope, then the global default. The first hit wins; nothing is merged. Matching is
// exact string equality on the normalised strings, so it is case-sensitive.
func (p *Policy) RequirementsFor(transport string, ref PolicyReference) ScopeMatch {
	if scopes, ok := p.Transports[transport]; ok {
		if id := ref.PolicyConfigurationIdentity(); id != "" {
			if reqs, ok := scopes[id]; ok {
				return ScopeMatch{Transport: transport, Scope: id, Requirements: reqs}
			}
		}
		for _, ns := range ref.PolicyConfigurationNamespaces() {
			if reqs, ok := scopes[ns]; ok {
				return ScopeMatch{Transport: transport, Scope: ns, Requirements: reqs}
			}
		}
		if reqs, ok := scopes[""]; ok {
			return ScopeMatch{Transport: transport, Requirements: reqs}
		}
	}
	return ScopeMatch{Transport: transport, Default: true, Requirements: p.Default}
}

// DockerReference returns the policy identity of a docker (or atomic) image reference, as
// containers/image's docker transport computes it. A name-only reference gets the :latest tag
// (docker.ParseReference does the same). The identity is Name()+":"+tag or Name()+"@"+digest; the
// namespaces are the repository, each parent path down to host[:port], then the "*." wildcards of
// the host with any port stripped.
//
// containers/image refuses references with both a tag and a digest; here the digest wins and the
// tag is ignored for the lookup (the digest is what is pulled).
func DockerReference(ref reference.Named) PolicyReference {
	ref = reference.TagNameOnly(ref)
	name := ref.Name()
	var identity string
	if c, ok := ref.(reference.Canonical); ok {
		identity = name + "@" + c.Digest().String()
	} else if t, ok := ref.(reference.NamedTagged); ok {
		identity = name + ":" + t.Tag()
	}
	return staticReference{identity: identity, namespaces: dockerNamespaces(name)}
}

// dockerNamespaces is containers/image's policyconfiguration.DockerReferenceNamespaces.
func dockerNamespaces(name string) []string {
	var res []string
	for {
		res = append(res, name)
		i := strings.LastIndexByte(name, '/')
		if i == -1 {
			break
		}
		name = name[:i]
	}
	if i := strings.IndexByte(name, ':'); i != -1 {
		name = name[:i]
	}
	for {
		i := strings.IndexByte(name, '.')
		if i == -1 {
			break
		}
		name = name[i+1:]
		res = append(res, "*."+name)
	}
	return res
}

// PathReference returns the policy identity of a path-based image (dir:, oci:, oci-archive:,
// sif:): the cleaned path, then each parent directory except "/". containers/image resolves
// symlinks and relative paths first; this function does no I/O, so pass an absolute path with
// symlinks already resolved (filepath.EvalSymlinks) to get the same result.
func PathReference(path string) PolicyReference {
	path = filepath.Clean(path)
	var ns []string
	for p := path; ; {
		i := strings.LastIndexByte(p, '/')
		if i <= 0 {
			break
		}
		p = p[:i]
		ns = append(ns, p)
	}
	return staticReference{identity: path, namespaces: ns}
}

// staticReference is a precomputed PolicyReference.
type staticReference struct {
	identity   string
	namespaces []string
}

func (r staticReference) PolicyConfigurationIdentity() string     { return r.identity }
func (r staticReference) PolicyConfigurationNamespaces() []string { return r.namespaces }
