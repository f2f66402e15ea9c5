package policy

import (
	"testing"

	"github.com/containers/image/v5/docker/reference"
)

func TestIdentityMatches(t *testing.T) {
	const d = "sha256:634a8f35b5f16dcf4aaa0822adc0b1964bb786fca12f6831de8ddc45e5986a00"
	const d2 = "sha256:1111111111111111111111111111111111111111111111111111111111111111"
	for _, c := range []struct {
		name   string
		id     SignedIdentity
		image  string // "" = no docker identity
		signed string
		want   bool
	}{
		{"exact same", MatchExact{}, "example.com/repo:tag", "example.com/repo:tag", true},
		{"exact normalised", MatchExact{}, "docker.io/library/busybox:latest", "busybox:latest", true},
		{"exact other tag", MatchExact{}, "example.com/repo:tag", "example.com/repo:other", false},
		{"exact name-only signature", MatchExact{}, "example.com/repo:tag", "example.com/repo", false},
		{"exact digest pull vs tag sig", MatchExact{}, "example.com/repo@" + d, "example.com/repo:tag", false},
		{"exact no image", MatchExact{}, "", "example.com/repo:tag", false},
		{"exact unparsable sig", MatchExact{}, "example.com/repo:tag", "Example.com/REPO:tag", false},
		{"rdoe tagged exact", MatchRepoDigestOrExact{}, "example.com/repo:tag", "example.com/repo:tag", true},
		{"rdoe tagged other", MatchRepoDigestOrExact{}, "example.com/repo:tag", "example.com/repo:v2", false},
		{"rdoe digest any tag", MatchRepoDigestOrExact{}, "example.com/repo@" + d, "example.com/repo:v2", true},
		{"rdoe digest other digest", MatchRepoDigestOrExact{}, "example.com/repo@" + d, "example.com/repo@" + d2, true},
		{"rdoe digest other repo", MatchRepoDigestOrExact{}, "example.com/repo@" + d, "example.com/other:v2", false},
		{"rdoe cosign repo-only", MatchRepoDigestOrExact{}, "example.com/repo@" + d, "example.com/repo", false},
		{"rdoe name-only image", MatchRepoDigestOrExact{}, "example.com/repo", "example.com/repo:latest", false},
		{"rdoe tag+digest image", MatchRepoDigestOrExact{}, "example.com/repo:tag@" + d, "example.com/repo:tag@" + d, true},
		{"rdoe tag+digest image, tag sig", MatchRepoDigestOrExact{}, "example.com/repo:tag@" + d, "example.com/repo:tag", false},
		{"repository name-only sig", MatchRepository{}, "example.com/repo:tag", "example.com/repo", true},
		{"repository other", MatchRepository{}, "example.com/repo:tag", "example.com/repo2", false},
		{"repository port", MatchRepository{}, "example.com:5000/repo:tag", "example.com/repo", false},
		{"repository no image", MatchRepository{}, "", "example.com/repo", false},
		{"exactReference", ExactReference{"busybox:latest"}, "", "docker.io/library/busybox:latest", true},
		{"exactReference other", ExactReference{"busybox:latest"}, "example.com/x:1", "busybox:1", false},
		{"exactReference name-only sig", ExactReference{"busybox:latest"}, "", "busybox", false},
		{"exactRepository", ExactRepository{"quay.io/ns/repo"}, "", "quay.io/ns/repo:any", true},
		{"exactRepository with tag", ExactRepository{"quay.io/ns/repo:x"}, "", "quay.io/ns/repo", true},
		{"exactRepository other", ExactRepository{"quay.io/ns/repo"}, "", "quay.io/ns/other", false},
		{"remap", RemapIdentity{"mirror.io/v", "vendor.io"}, "mirror.io/v/app:1", "vendor.io/app:1", true},
		{"remap exact prefix", RemapIdentity{"mirror.io/v/app", "vendor.io/app"}, "mirror.io/v/app:1", "vendor.io/app:1", true},
		{"remap not under prefix", RemapIdentity{"mirror.io/v", "vendor.io"}, "mirror.io/vx/app:1", "vendor.io/x/app:1", false},
		{"remap unmatched uses image", RemapIdentity{"mirror.io/v", "vendor.io"}, "other.io/app:1", "other.io/app:1", true},
		{"remap port must match", RemapIdentity{"mirror.io", "vendor.io"}, "mirror.io:443/app:1", "vendor.io:443/app:1", false},
		{"remap to non-canonical", RemapIdentity{"mirror.io/v", "busybox"}, "mirror.io/v/app:1", "docker.io/library/busybox/app:1", false},
		{"remap digest pull", RemapIdentity{"mirror.io/v", "vendor.io"}, "mirror.io/v/app@" + d, "vendor.io/app:any", true},
		{"remap no image", RemapIdentity{"mirror.io/v", "vendor.io"}, "", "vendor.io/app:1", false},
	} {
		t.Run(c.name, func(t *testing.T) {
			var image reference.Named
			if c.image != "" {
				var err error
				if image, err = reference.ParseNormalizedNamed(c.image); err != nil {
					t.Fatal(err)
				}
			}
			if got := c.id.Matches(image, c.signed); got != c.want {
				t.Errorf("%#v.Matches(%q, %q) = %v, want %v", c.id, c.image, c.signed, got, c.want)
			}
		})
	}
}

func TestValidRemapPrefix(t *testing.T) {
	for _, c := range []struct {
		prefix string
		want   bool
	}{
		{"example.com", true},
		{"example.com:5000", true},
		{"example.com/ns/repo", true},
		{"busybox", true}, // containers/image FIXME: short names pass
		{"ns/repo", true}, // likewise: "ns" matches the domain rule
		{"localhost/x", true},
		{"example.com/", false},
		{"example.com/Upper", false},
		{"example.com/a:tag", false},
		{"", false},
		{"localhost:5000/a/b", true},
		{"a.com:x/b", false},
	} {
		t.Run(c.prefix, func(t *testing.T) {
			if got := validRemapPrefix(c.prefix); got != c.want {
				t.Errorf("validRemapPrefix(%q) = %v, want %v", c.prefix, got, c.want)
			}
		})
	}
}
