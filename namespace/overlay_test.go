package namespace

import (
	"errors"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/sigpolicy/sigpolicy/policy"
)

func TestOverlayFunction(t *testing.T) {
	accept := policy.Requirements{&policy.InsecureAcceptAnything{}}
	reject := policy.Requirements{&policy.Reject{}}
	base := policy.Requirements{&policy.SignedBaseLayer{}}
	tests := []struct {
		name       string
		ns, global *policy.Policy
		want       *policy.Policy
	}{
		{
			name:   "namespace default wins; no transports stays nil",
			ns:     &policy.Policy{Default: accept},
			global: &policy.Policy{Default: reject},
			want:   &policy.Policy{Default: accept},
		},
		{
			name:   "global scopes fill in",
			ns:     &policy.Policy{Default: accept},
			global: &policy.Policy{Default: reject, Transports: map[string]policy.TransportScopes{"docker": {"quay.io": reject}}},
			want:   &policy.Policy{Default: accept, Transports: map[string]policy.TransportScopes{"docker": {"quay.io": reject}}},
		},
		{
			name: "a scope in both takes the namespace's requirements; others are kept from both",
			ns: &policy.Policy{Default: reject, Transports: map[string]policy.TransportScopes{
				"docker": {"quay.io": accept, "docker.io": base},
				"oci":    {"": accept},
			}},
			global: &policy.Policy{Default: accept, Transports: map[string]policy.TransportScopes{
				"docker": {"quay.io": reject, "quay.io/org/app": base, "": reject},
				"dir":    {"": reject},
			}},
			want: &policy.Policy{Default: reject, Transports: map[string]policy.TransportScopes{
				"docker": {"quay.io": accept, "docker.io": base, "quay.io/org/app": base, "": reject},
				"oci":    {"": accept},
				"dir":    {"": reject},
			}},
		},
		{
			name:   "empty transports in the namespace file",
			ns:     &policy.Policy{Default: reject, Transports: map[string]policy.TransportScopes{}},
			global: &policy.Policy{Default: accept},
			want:   &policy.Policy{Default: reject, Transports: map[string]policy.TransportScopes{}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			nsBefore, globalBefore := clonePolicy(tt.ns), clonePolicy(tt.global)
			got := Overlay(tt.ns, tt.global)
			if !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("Overlay = %+v, want %+v", got, tt.want)
			}
			if !reflect.DeepEqual(tt.ns, nsBefore) || !reflect.DeepEqual(tt.global, globalBefore) {
				t.Fatal("Overlay modified an argument")
			}
		})
	}
}

func clonePolicy(p *policy.Policy) *policy.Policy {
	out := &policy.Policy{Default: p.Default}
	if p.Transports != nil {
		out.Transports = map[string]policy.TransportScopes{}
		for tr, scopes := range p.Transports {
			m := policy.TransportScopes{}
			for k, v := range scopes {
				m[k] = v
			}
			out.Transports[tr] = m
		}
	}
	return out
}

// TestResolveOverlay evaluates the real fixture image under Overlay mode: the global file holds the
// image's signature requirement, the namespace files change the rest.
func TestResolveOverlay(t *testing.T) {
	l := newLayout(t, "")
	key := filepath.Join(l.base, "key.pub")
	copyFile(t, fixtures+"/cosign.pub", key)
	writeFile(t, l.global, keyPolicy(key))
	writeFile(t, l.nsFile("permissive"), acceptPolicy)
	writeFile(t, l.nsFile("override"), `{"default":[{"type":"insecureAcceptAnything"}],"transports":{"docker":{"`+cosignRef+`":[{"type":"reject"}]}}}`)
	writeFile(t, l.nsFile("broader"), `{"default":[{"type":"reject"}],"transports":{"docker":{"192.168.64.2:5000":[{"type":"insecureAcceptAnything"}]}}}`)
	r := l.resolver(t, WithOverlay())
	tests := []struct {
		name, ns    string
		wantOverlay bool
		wantKey     bool // the combined policy still names the global policy's key file
		allowed     bool
	}{
		{"global scope fills in for a permissive namespace", "permissive", true, true, true},
		{"namespace scope overrides the same global scope", "override", true, false, false},
		{"a more specific global scope beats a broader namespace scope", "broader", true, true, true},
		{"namespace without a file gets the global policy alone", "other", false, true, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := mustResolve(t, r, tt.ns)
			if res.Overlay != tt.wantOverlay {
				t.Fatalf("Overlay %v, want %v", res.Overlay, tt.wantOverlay)
			}
			wantFiles := []string{l.nsFile(tt.ns), l.global}
			if tt.wantKey {
				wantFiles = append(wantFiles, key)
			}
			if tt.wantOverlay && (res.Global != l.global || res.File != l.nsFile(tt.ns) || !reflect.DeepEqual(res.Files, wantFiles)) {
				t.Fatalf("File %q Global %q Files %q", res.File, res.Global, res.Files)
			}
			if d := evaluateCosign(t, res); d.Allowed != tt.allowed {
				t.Fatalf("allowed %v, want %v (%v)", d.Allowed, tt.allowed, d.Err)
			}
		})
	}

	t.Run("a global change reaches overlaid namespaces", func(t *testing.T) {
		before := mustResolve(t, r, "permissive")
		copyFile(t, fixtures+"/cosign2.pub", key)
		after := mustResolve(t, r, "permissive")
		if after == before || after.Digest == before.Digest || evaluateCosign(t, after).Allowed {
			t.Fatal("the rotated key of the global policy did not reach the overlaid namespace")
		}
	})
	t.Run("a broken global file breaks overlaid namespaces", func(t *testing.T) {
		writeAtomic(t, l.global, brokenPolicy)
		res, err := r.Resolve("permissive")
		var pe *PolicyFileError
		if res != nil || !errors.As(err, &pe) || !errors.Is(err, policy.ErrSyntax) || pe.File != l.global || pe.Namespace != "permissive" {
			t.Fatalf("Resolve = %v, %v; want a syntax error in the global file", res, err)
		}
	})
}

func TestOverlayDigestDiffersFromReplace(t *testing.T) {
	l := newLayout(t, rejectPolicy)
	writeFile(t, l.nsFile("team"), acceptPolicy)
	replace := mustResolve(t, l.resolver(t), "team")
	overlay := mustResolve(t, l.resolver(t, WithOverlay()), "team")
	if replace.Digest == overlay.Digest {
		t.Fatal("the same namespace file gives the same digest in both modes, with different global inputs")
	}
}
