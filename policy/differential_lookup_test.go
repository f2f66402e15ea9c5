//go:build containers_image_openpgp && exclude_graphdriver_btrfs

package policy

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/containers/image/v5/image"
	"github.com/containers/image/v5/signature"
	"github.com/containers/image/v5/transports/alltransports"
	"github.com/containers/image/v5/types"
	digest "github.com/opencontainers/go-digest"
)

// refOnlySource is an ImageSource that only knows its reference: reject and
// insecureAcceptAnything never read anything else.
type refOnlySource struct{ ref types.ImageReference }

var errUnused = errors.New("not used by the lookup test")

func (s refOnlySource) Reference() types.ImageReference { return s.ref }
func (refOnlySource) Close() error                      { return nil }
func (refOnlySource) GetManifest(context.Context, *digest.Digest) ([]byte, string, error) {
	return nil, "", errUnused
}
func (refOnlySource) HasThreadSafeGetBlob() bool { return false }
func (refOnlySource) GetBlob(context.Context, types.BlobInfo, types.BlobInfoCache) (io.ReadCloser, int64, error) {
	return nil, 0, errUnused
}
func (refOnlySource) GetSignatures(context.Context, *digest.Digest) ([][]byte, error) {
	return nil, errUnused
}
func (refOnlySource) LayerInfosForCopy(context.Context, *digest.Digest) ([]types.BlobInfo, error) {
	return nil, errUnused
}

const defaultMarker = "\x00default"

// cimageScope finds the scope containers/image selects for ref: for each candidate it builds a
// policy where only that candidate accepts and everything else rejects, and evaluates it with
// PolicyContext.IsRunningImageAllowed. Exactly one candidate must be allowed.
func cimageScope(t *testing.T, ref types.ImageReference, scopes []string) string {
	t.Helper()
	var chosen []string
	for _, candidate := range append(append([]string{}, scopes...), defaultMarker) {
		reqs := func(s string) []map[string]string {
			if s == candidate {
				return []map[string]string{{"type": "insecureAcceptAnything"}}
			}
			return []map[string]string{{"type": "reject"}}
		}
		tr := map[string]any{}
		for _, s := range scopes {
			tr[s] = reqs(s)
		}
		doc, err := json.Marshal(map[string]any{"default": reqs(defaultMarker), "transports": map[string]any{ref.Transport().Name(): tr}})
		if err != nil {
			t.Fatal(err)
		}
		pol, err := signature.NewPolicyFromBytes(doc)
		if err != nil {
			t.Fatalf("containers/image refuses %s: %v", doc, err)
		}
		pc, err := signature.NewPolicyContext(pol)
		if err != nil {
			t.Fatal(err)
		}
		allowed, _ := pc.IsRunningImageAllowed(context.Background(), image.UnparsedInstance(refOnlySource{ref}, nil))
		_ = pc.Destroy()
		if allowed {
			chosen = append(chosen, candidate)
		}
	}
	if len(chosen) != 1 {
		t.Fatalf("containers/image allowed %q under %d candidate scopes", ref.StringWithinTransport(), len(chosen))
	}
	return chosen[0]
}

func TestDifferentialLookupDocker(t *testing.T) {
	scopes := append(append([]string{}, lookupScopes...),
		"docker.io", "docker.io/library/busybox", "docker.io/library/busybox:latest", "*.io", "quay.io:443",
		"*.quay.io", "[::1]:5000", "localhost", "Example.com", "*.Example.com", "registry.example.com/a/b/c",
		"registry.example.com/a", "*.example.com:5000")
	refs := []string{
		"example.com/ns/repo:tag", "example.com/ns/repo:other", "example.com/ns/repo", "example.com/ns/other:1",
		"example.com:5000/ns/repo:tag", "example.com:6000/ns/repo:tag", "a.example.com/x:1", "b.example.com/x:1",
		"a.b.example.com/x:1", "a.b.example.com:443/x:1", "busybox", "busybox:1", "library/busybox:1",
		"docker.io/library/busybox:latest", "docker.io/other/x:1", "localhost/x:1", "localhost:5000/x:1",
		"example.com/ns/repo@" + lookupDigest, "EXAMPLE.com/ns/repo:tag", "Example.com/x:1", "quay.io/x/y:z",
		"quay.io:443/x:1", "a.quay.io/x", "127.0.0.1:5000/x:1", "registry.example.com/a/b/c/d:1", "registry.example.com/a/b:1",
		"registry.example.com/a/b/c@" + lookupDigest, "x.y.z.example.com:5000/deep/ns/repo:t", "user/repo", "localhost",
		"com/x:1", "io/x",
	}
	for _, r := range refs {
		t.Run(r, func(t *testing.T) {
			cref, err := alltransports.ParseImageName("docker://" + r)
			if err != nil {
				t.Fatal(err)
			}
			want := cimageScope(t, cref, scopes)
			p := &Policy{Default: Requirements{&Reject{}}, Transports: map[string]TransportScopes{"docker": {}}}
			for _, s := range scopes {
				p.Transports["docker"][s] = Requirements{&Reject{}}
			}
			m := p.RequirementsFor("docker", DockerReference(cref.DockerReference()))
			got := m.Scope
			if m.Default {
				got = defaultMarker
			}
			if got != want {
				t.Errorf("sigpolicy picks %q, containers/image picks %q", got, want)
			}
			ours := DockerReference(mustRef(t, r))
			if ours.PolicyConfigurationIdentity() != cref.PolicyConfigurationIdentity() {
				t.Errorf("identity %q, containers/image %q", ours.PolicyConfigurationIdentity(), cref.PolicyConfigurationIdentity())
			}
		})
	}
}

func TestDifferentialLookupPaths(t *testing.T) {
	root, err := filepath.EvalSymlinks(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range []string{"a/b/c/d", "a/x", "e"} {
		if err := os.MkdirAll(filepath.Join(root, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	scopes := []string{"", root + "/a", root + "/a/b", root + "/a/b/c/d", root + "/e", root}
	for _, transport := range []string{"dir", "oci"} {
		for _, sub := range []string{"a/b/c/d", "a/b/c", "a/x", "e", "a", ""} {
			path := filepath.Join(root, sub)
			t.Run(transport+"/"+sub, func(t *testing.T) {
				cref, err := alltransports.ParseImageName(transport + ":" + path)
				if err != nil {
					t.Fatal(err)
				}
				for _, withDefault := range []bool{true, false} {
					sc := scopes
					if !withDefault {
						sc = scopes[1:]
					}
					want := cimageScope(t, cref, sc)
					p := &Policy{Default: Requirements{&Reject{}}, Transports: map[string]TransportScopes{transport: {}}}
					for _, s := range sc {
						p.Transports[transport][s] = Requirements{&Reject{}}
					}
					m := p.RequirementsFor(transport, PathReference(path))
					got := m.Scope
					if m.Default {
						got = defaultMarker
					}
					if got != want {
						t.Errorf("withDefault=%v: sigpolicy picks %q, containers/image picks %q", withDefault, got, want)
					}
				}
			})
		}
	}
}
