package namespace

import (
	"maps"

	"github.com/sigpolicy/sigpolicy/policy"
)

// Overlay combines a namespace policy with the global policy, as Overlay mode does (see the package
// documentation): the result's Default is nsPolicy.Default; its transports are the union of both
// policies' transports; within a transport, its scopes are the union of both policies' scopes, and a
// scope key present in both takes nsPolicy's requirements. Which scope then applies to an image is
// decided as usual, by specificity, over the combined scopes.
//
// Neither argument is modified; the result shares their requirement lists, which must be treated as
// read-only.
func Overlay(nsPolicy, globalPolicy *policy.Policy) *policy.Policy {
	out := &policy.Policy{Default: nsPolicy.Default}
	if nsPolicy.Transports == nil && globalPolicy.Transports == nil {
		return out
	}
	out.Transports = make(map[string]policy.TransportScopes, len(globalPolicy.Transports)+len(nsPolicy.Transports))
	for _, src := range []*policy.Policy{globalPolicy, nsPolicy} {
		for transport, scopes := range src.Transports {
			m := out.Transports[transport]
			if m == nil {
				m = make(policy.TransportScopes, len(scopes))
				out.Transports[transport] = m
			}
			maps.Copy(m, scopes)
		}
	}
	return out
}
