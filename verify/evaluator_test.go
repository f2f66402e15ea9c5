package verify_test

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/containers/image/v5/docker/reference"

	"github.com/sigpolicy/sigpolicy/policy"
	"github.com/sigpolicy/sigpolicy/source"
	"github.com/sigpolicy/sigpolicy/verify"
)

func evaluate(t *testing.T, pol []byte, dir, ref string, opts ...verify.Option) *verify.Decision {
	t.Helper()
	d, err := ourDecide(context.Background(), pol, dir, ref, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestDenialsAreClassified(t *testing.T) {
	keyMR := `{"type":"sigstoreSigned","keyPath":"FX/cosign.pub",` + mr + `}`
	tests := []struct {
		name     string
		policy   []byte
		dir, ref string
		is       error
	}{
		{"reject", policyFor(`{"type":"reject"}`), "dir-img-cosign-valid", single, verify.ErrRejected},
		{"signedBaseLayer", policyFor(`{"type":"signedBaseLayer","baseLayerIdentity":{"type":"matchExact"}}`), "dir-img-cosign-valid", single, verify.ErrNotImplemented},
		{"no signature", policyFor(keyMR), "dir-img-unsigned", single, verify.ErrNoSignature},
		{"identity", policyFor(keyMR), "dir-img-cosign-valid", "quay.io/x/y:1", verify.ErrIdentity},
		{"digest", policyFor(keyMR), "dir-img-cosign-modified-manifest", single, verify.ErrDigest},
		{"wrong key", policyFor(`{"type":"sigstoreSigned","keyPath":"FX/cosign2.pub",` + mr + `}`), "dir-img-cosign-valid", single, verify.ErrInvalidSignature},
		{"missing key file", policyFor(`{"type":"sigstoreSigned","keyPath":"FX/nonexistent.pub",` + mr + `}`), "dir-img-cosign-valid", single, verify.ErrTrustMaterial},
		{"several rejected", policyFor(keyMR), "dir-img-cosign-valid-2", "quay.io/x/y:1", verify.ErrNoneAccepted},
		{"no manifest", policyFor(keyMR), "dir-img-cosign-no-manifest", single, verify.ErrManifest},
		{"pulled digest mismatch", policyFor(`{"type":"insecureAcceptAnything"}`), "dir-img-cosign-modified-manifest", single + "@" + digest634, verify.ErrManifest},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := evaluate(t, tc.policy, fx(tc.dir), tc.ref)
			if d.Allowed {
				t.Fatal("allowed")
			}
			if !errors.Is(d.Err, tc.is) {
				t.Fatalf("errors.Is(%v, %v) = false", d.Err, tc.is)
			}
		})
	}
}

func TestIdentityMismatchCarriesValues(t *testing.T) {
	d := evaluate(t, policyFor(`{"type":"sigstoreSigned","keyPath":"FX/cosign.pub",`+mr+`}`), fx("dir-img-cosign-valid"), "quay.io/x/y:1")
	var m *verify.IdentityMismatchError
	if !errors.As(d.Err, &m) {
		t.Fatalf("not an IdentityMismatchError: %v", d.Err)
	}
	if m.Expected != "quay.io/x/y:1" || m.Signed != single || m.Rule != "matchRepository" {
		t.Fatalf("got %+v", m)
	}
	var dm *verify.DigestMismatchError
	d = evaluate(t, policyFor(`{"type":"sigstoreSigned","keyPath":"FX/cosign.pub",`+mr+`}`), fx("dir-img-cosign-modified-manifest"), single)
	if !errors.As(d.Err, &dm) || dm.Signed != digest634 || dm.Actual != "sha256:d9dcafdb480aa7c475e91737b96925e45844213dcb0290b4a90017459121f71f" {
		t.Fatalf("got %v %+v", d.Err, dm)
	}
}

func TestDecisionJSONAndExplain(t *testing.T) {
	pol := []byte(`{"default":[{"type":"reject"}],"transports":{"docker":{"192.168.64.2:5000/cosign-signed-single-sample":[` +
		`{"type":"insecureAcceptAnything"},{"type":"sigstoreSigned","keyPath":"` + fx("cosign.pub") + `",` + mr + `}]}}}`)
	d := evaluate(t, pol, fx("dir-img-cosign-mixed"), single, verify.WithOrigin("/etc/containers/policy.json", "team-a"))
	if !d.Allowed {
		t.Fatalf("denied: %v", d.Err)
	}
	raw, err := json.Marshal(d)
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		Allowed bool   `json:"allowed"`
		Image   string `json:"image"`
		Digest  string `json:"digest"`
		Policy  struct {
			File, Namespace, Transport, Scope string
		} `json:"policy"`
		Requirements []struct {
			Type       string `json:"type"`
			Allowed    bool   `json:"allowed"`
			Reason     string `json:"reason"`
			Signatures []struct {
				Index    int    `json:"index"`
				Accepted bool   `json:"accepted"`
				Reason   string `json:"reason"`
			} `json:"signatures"`
		} `json:"requirements"`
	}
	if err := json.Unmarshal(raw, &got); err != nil {
		t.Fatal(err)
	}
	if !got.Allowed || got.Image != single+":latest" || got.Digest != digest634 ||
		got.Policy.File != "/etc/containers/policy.json" || got.Policy.Namespace != "team-a" ||
		got.Policy.Transport != "docker" || got.Policy.Scope != single {
		t.Fatalf("unexpected JSON: %s", raw)
	}
	if len(got.Requirements) != 2 || got.Requirements[0].Type != "insecureAcceptAnything" || len(got.Requirements[1].Signatures) != 2 {
		t.Fatalf("unexpected requirements: %s", raw)
	}
	s1, s2 := got.Requirements[1].Signatures[0], got.Requirements[1].Signatures[1]
	if s1.Index != 1 || s1.Accepted || !strings.Contains(s1.Reason, "cryptographic signature verification failed") || s2.Index != 2 || !s2.Accepted {
		t.Fatalf("unexpected signatures: %s", raw)
	}
	text := d.Explain()
	for _, want := range []string{"ALLOWED", "namespace team-a", `transports.docker["192.168.64.2:5000/cosign-signed-single-sample"]`,
		"signature 1 (sigstore): rejected: cryptographic signature verification failed", "signature 2 (sigstore): accepted"} {
		if !strings.Contains(text, want) {
			t.Errorf("Explain() lacks %q:\n%s", want, text)
		}
	}
}

func TestLaterRequirementsNotEvaluatedAfterDenial(t *testing.T) {
	d := evaluate(t, policyFor(`{"type":"reject"}`, `{"type":"insecureAcceptAnything"}`), fx("dir-img-cosign-valid"), single)
	if d.Allowed || len(d.Requirements) != 2 || !d.Requirements[0].Evaluated || d.Requirements[1].Evaluated {
		t.Fatalf("got %+v", d.Requirements)
	}
}

func TestPKIUsesInjectedClock(t *testing.T) {
	pol := policyFor(`{"type":"sigstoreSigned","pki":{"caRootsPath":"FX/pki_root_crts.pem","subjectEmail":"qiwan@redhat.com"},` + mr + `}`)
	for _, tc := range []struct {
		at   time.Time
		want bool
	}{
		{time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC), true},
		{time.Date(2053, 1, 1, 0, 0, 0, 0, time.UTC), false}, // after the leaf's NotAfter (2052-02-16)
		{time.Date(2024, 9, 1, 0, 0, 0, 0, time.UTC), false}, // before its NotBefore (2024-10-01)
	} {
		d := evaluate(t, pol, fx("dir-img-cosign-pki-valid"), "localhost:5000/test", verify.WithClock(func() time.Time { return tc.at }))
		if d.Allowed != tc.want {
			t.Errorf("at %s: allowed=%v, want %v (%v)", tc.at, d.Allowed, tc.want, d.Err)
		}
	}
}

func TestFulcioIgnoresClock(t *testing.T) {
	pol := policyFor(`{"type":"sigstoreSigned",` + fulcioSpec + `,` + mr + `}`)
	d := evaluate(t, pol, fx("dir-img-cosign-fulcio-rekor-valid"), fulcioRef, verify.WithClock(func() time.Time { return time.Date(2040, 1, 1, 0, 0, 0, 0, time.UTC) }))
	if !d.Allowed {
		t.Fatalf("denied: %v", d.Err)
	}
}

func TestWithFSAndFiles(t *testing.T) {
	key, err := os.ReadFile(fx("cosign.pub"))
	if err != nil {
		t.Fatal(err)
	}
	fsys := fstest.MapFS{"keys/cosign.pub": {Data: key}}
	p, err := policy.Parse([]byte(`{"default":[{"type":"sigstoreSigned","keyPath":"/keys/cosign.pub",` + mr + `},` +
		`{"type":"sigstoreSigned","keyPaths":["/keys/cosign.pub"],` + mr + `}]}`))
	if err != nil {
		t.Fatal(err)
	}
	ev, err := verify.Compile(p, verify.WithFS(fsys))
	if err != nil {
		t.Fatal(err)
	}
	if files := ev.Files(); len(files) != 1 || files[0] != "/keys/cosign.pub" {
		t.Fatalf("Files() = %v", files)
	}
	ref, _ := reference.ParseNormalizedNamed(single)
	d, err := ev.Evaluate(context.Background(), verify.Image{Reference: ref, Source: source.NewDir(fx("dir-img-cosign-valid"))})
	if err != nil || !d.Allowed {
		t.Fatalf("denied: %v %v", err, d.Err)
	}
}

func TestEvaluateArguments(t *testing.T) {
	p, _ := policy.Parse([]byte(`{"default":[{"type":"insecureAcceptAnything"}]}`))
	ev, _ := verify.Compile(p)
	ref, _ := reference.ParseNormalizedNamed(single)
	if d, err := ev.Evaluate(context.Background(), verify.Image{Reference: ref}); err == nil || d.Allowed {
		t.Fatal("nil source accepted")
	}
	if d, err := ev.Evaluate(context.Background(), verify.Image{Source: source.NewDir(fx("dir-img-cosign-valid"))}); err == nil || d.Allowed {
		t.Fatal("nil reference accepted")
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if d, err := ev.Evaluate(ctx, verify.Image{Reference: ref, Source: source.NewDir(fx("dir-img-cosign-valid"))}); err == nil || d.Allowed {
		t.Fatal("cancelled context accepted")
	}
	if _, err := verify.Compile(nil); err == nil {
		t.Fatal("nil policy compiled")
	}
	if _, err := verify.Compile(p, verify.WithClock(nil)); err == nil {
		t.Fatal("nil clock accepted")
	}
}

// TestConcurrentEvaluations shares one Evaluator between goroutines (run with -race).
func TestConcurrentEvaluations(t *testing.T) {
	p, err := policy.Parse(policyFor(`{"type":"sigstoreSigned",` + fulcioSpec + `,` + mr + `}`))
	if err != nil {
		t.Fatal(err)
	}
	ev, err := verify.Compile(p)
	if err != nil {
		t.Fatal(err)
	}
	good, _ := reference.ParseNormalizedNamed(fulcioRef)
	bad, _ := reference.ParseNormalizedNamed("quay.io/x/y:1")
	mem := loadMemImage(t, fx("dir-img-cosign-fulcio-rekor-valid"))
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			for range 20 {
				ref, want := good, true
				if i%2 == 1 {
					ref, want = bad, false
				}
				d, err := ev.Evaluate(context.Background(), verify.Image{Reference: ref, Source: mem})
				if err != nil || d.Allowed != want {
					t.Errorf("goroutine %d: allowed=%v want %v (%v %v)", i, d.Allowed, want, err, d.Err)
					return
				}
			}
		})
	}
	wg.Wait()
}
