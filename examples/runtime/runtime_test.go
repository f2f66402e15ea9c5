package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sigpolicy/sigpolicy/namespace"
	"github.com/sigpolicy/sigpolicy/verify"
)

func newTestDemo(t *testing.T) *demo {
	t.Helper()
	d, err := newDemo(context.Background(), t.TempDir(), "../demo")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(d.close)
	return d
}

// TestNamespaces is the acceptance test: an image admitted at pull for namespace A is
// denied at create in namespace B, whose policy rejects it, while A's own create is served from
// the decision cache.
func TestNamespaces(t *testing.T) {
	d := newTestDemo(t)
	ctx := context.Background()
	type step struct {
		name    string
		op      func(ctx context.Context, ns, image string) (*verify.Decision, error)
		ns      string
		image   string
		allowed bool
		errIs   error    // for errors that are not denials
		reason  []string // substrings of the denial
		hitsUp  bool     // the decision cache served it
	}
	steps := []step{
		{name: "create before pull", op: d.svc.CreateContainer, ns: "team-a", image: d.image, errIs: ErrNotPulled},
		{name: "pull in team-b is denied", op: d.svc.Pull, ns: "team-b", image: d.image,
			reason: []string{"pull of", `namespace "team-b"`, "team-b.json", `Required email "someone-else@example.com" not found`}},
		{name: "pull in team-a", op: d.svc.Pull, ns: "team-a", image: d.image, allowed: true},
		{name: "create in team-a is a cache hit", op: d.svc.CreateContainer, ns: "team-a", image: d.image, allowed: true, hitsUp: true},
		{name: "create in team-b is denied", op: d.svc.CreateContainer, ns: "team-b", image: d.image,
			reason: []string{"create of", `namespace "team-b"`, `Required email "someone-else@example.com" not found`}},
		{name: "create in a namespace without a file gets the global policy", op: d.svc.CreateContainer, ns: "team-c", image: d.image,
			reason: []string{"policy.json", "is rejected by policy"}},
		{name: "invalid namespace name", op: d.svc.CreateContainer, ns: "../team-a", image: d.image, errIs: namespace.ErrInvalidNamespace},
		{name: "empty namespace is refused", op: d.svc.CreateContainer, ns: "", image: d.image, errIs: namespace.ErrInvalidNamespace},
	}
	for _, s := range steps {
		t.Run(s.name, func(t *testing.T) {
			before := d.cache.Stats().Hits
			dec, err := s.op(ctx, s.ns, s.image)
			if s.errIs != nil {
				if !errors.Is(err, s.errIs) {
					t.Fatalf("err = %v, want %v", err, s.errIs)
				}
				return
			}
			if s.allowed {
				if err != nil || dec == nil || !dec.Allowed {
					t.Fatalf("want allowed, got %v", err)
				}
			} else {
				var denied *DeniedError
				if !errors.As(err, &denied) || dec == nil || dec.Allowed {
					t.Fatalf("want a *DeniedError, got %v", err)
				}
				if !errors.Is(err, verify.ErrRejected) && !errors.Is(err, verify.ErrNoneAccepted) {
					t.Fatalf("denial does not match a verify sentinel: %v", err)
				}
				for _, r := range s.reason {
					if !strings.Contains(err.Error(), r) {
						t.Errorf("denial lacks %q: %v", r, err)
					}
				}
			}
			if hit := d.cache.Stats().Hits > before; hit != s.hitsUp {
				t.Fatalf("cache hit = %v, want %v", hit, s.hitsUp)
			}
		})
	}
}

// TestPolicyChangeAppliesAtCreate: replacing team-a's policy file makes the next create in team-a
// denied, although the image was admitted at pull.
func TestPolicyChangeAppliesAtCreate(t *testing.T) {
	d := newTestDemo(t)
	ctx := context.Background()
	if _, err := d.svc.Pull(ctx, "team-a", d.image); err != nil {
		t.Fatal(err)
	}
	tmp := filepath.Join(d.dir, ".team-a.json.tmp")
	if err := os.WriteFile(tmp, []byte(`{"default":[{"type":"reject"}]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, filepath.Join(d.dir, "team-a.json")); err != nil {
		t.Fatal(err)
	}
	_, err := d.svc.CreateContainer(ctx, "team-a", d.image)
	var denied *DeniedError
	if !errors.As(err, &denied) || !errors.Is(err, verify.ErrRejected) {
		t.Fatalf("want a rejection after the policy change, got %v", err)
	}
}

// TestRun runs the walk-through of the program.
func TestRun(t *testing.T) {
	var out bytes.Buffer
	if err := run(context.Background(), &out); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"pull in team-a               allowed",
		"create in team-a             allowed",
		"create in team-b             DENIED: ",
		"decision cache: 1 hits",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
}
