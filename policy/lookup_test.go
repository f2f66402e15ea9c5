package policy

import (
	"testing"

	"github.com/containers/image/v5/docker/reference"
)

// lookupPolicy has the docker scopes of the research report's oracle table (§1.2).
const lookupDigest = "sha256:634a8f35b5f16dcf4aaa0822adc0b1964bb786fca12f6831de8ddc45e5986a00"

var lookupScopes = []string{"", "example.com", "example.com/ns", "example.com/ns/repo", "example.com/ns/repo:tag",
	"*.example.com", "*.b.example.com", "*.com", "docker.io/library", "localhost:5000", "example.com:5000",
	"example.com/ns/repo@" + lookupDigest}

func TestRequirementsForDocker(t *testing.T) {
	p := &Policy{Default: Requirements{&Reject{}}, Transports: map[string]TransportScopes{"docker": {}}}
	for _, s := range lookupScopes {
		p.Transports["docker"][s] = Requirements{&InsecureAcceptAnything{}}
	}
	for _, c := range []struct{ ref, scope string }{
		{"example.com/ns/repo:tag", "example.com/ns/repo:tag"},
		{"example.com/ns/repo:other", "example.com/ns/repo"},
		{"example.com/ns/repo", "example.com/ns/repo"},
		{"example.com/ns/other:1", "example.com/ns"},
		{"example.com:5000/ns/repo:tag", "example.com:5000"},
		{"example.com:6000/ns/repo:tag", "*.com"},
		{"a.example.com/x:1", "*.example.com"},
		{"a.b.example.com/x:1", "*.b.example.com"},
		{"a.b.example.com:443/x:1", "*.b.example.com"},
		{"busybox", "docker.io/library"},
		{"library/busybox:1", "docker.io/library"},
		{"docker.io/other/x:1", ""},
		{"localhost/x:1", ""},
		{"localhost:5000/x:1", "localhost:5000"},
		{"example.com/ns/repo@" + lookupDigest, "example.com/ns/repo@" + lookupDigest},
		{"EXAMPLE.com/ns/repo:tag", "*.com"},
	} {
		t.Run(c.ref, func(t *testing.T) {
			ref, err := reference.ParseNormalizedNamed(c.ref)
			if err != nil {
				t.Fatal(err)
			}
			m := p.RequirementsFor("docker", DockerReference(ref))
			if m.Scope != c.scope || m.Default || m.Transport != "docker" {
				t.Errorf("got %+v, want scope %q", m, c.scope)
			}
		})
	}
}

func TestRequirementsForFallbacks(t *testing.T) {
	reject, accept := Requirements{&Reject{}}, Requirements{&InsecureAcceptAnything{}}
	p := &Policy{Default: reject, Transports: map[string]TransportScopes{
		"dir":    {"/a/b": accept, "": accept},
		"oci":    {"/x": accept},
		"docker": {},
	}}
	for _, c := range []struct {
		name, transport string
		ref             PolicyReference
		scope           string
		isDefault       bool
	}{
		{"dir parent", "dir", PathReference("/a/b/c/d"), "/a/b", false},
		{"dir exact", "dir", PathReference("/a/b"), "/a/b", false},
		{"dir unclean input", "dir", PathReference("/a//b/./c/"), "/a/b", false},
		{"dir transport default", "dir", PathReference("/a/c"), "", false},
		{"oci no match", "oci", PathReference("/y"), "", true},
		{"oci match", "oci", PathReference("/x/y"), "/x", false},
		{"empty transport", "docker", DockerReference(mustRef(t, "busybox")), "", true},
		{"absent transport", "sif", PathReference("/x"), "", true},
	} {
		t.Run(c.name, func(t *testing.T) {
			m := p.RequirementsFor(c.transport, c.ref)
			if m.Scope != c.scope || m.Default != c.isDefault {
				t.Errorf("got %+v, want scope %q default %v", m, c.scope, c.isDefault)
			}
		})
	}
}

func mustRef(t *testing.T, s string) reference.Named {
	t.Helper()
	r, err := reference.ParseNormalizedNamed(s)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestDockerReferenceTagAndDigest(t *testing.T) {
	r := DockerReference(mustRef(t, "example.com/a:tag@"+lookupDigest))
	if got := r.PolicyConfigurationIdentity(); got != "example.com/a@"+lookupDigest {
		t.Errorf("identity %q", got)
	}
}
