package verify_test

import (
	"io"
	"os"

	"context"
	"fmt"
	"github.com/sirupsen/logrus"
	"testing"

	"github.com/containers/image/v5/directory"
	"github.com/containers/image/v5/docker"
	"github.com/containers/image/v5/docker/reference"
	"github.com/containers/image/v5/image"
	"github.com/containers/image/v5/manifest"
	"github.com/containers/image/v5/signature"
	_ "github.com/containers/image/v5/transports/alltransports"

	"github.com/sigpolicy/sigpolicy/policy"
	"github.com/sigpolicy/sigpolicy/source"
	"github.com/sigpolicy/sigpolicy/verify"
)

// oracleDecide evaluates policyJSON for the image in the containers dir: layout dir, pulled as
// dockerRef, with containers/image's public API: the reference implementation sigpolicy must agree with.
func oracleDecide(ctx context.Context, policyJSON []byte, dir, dockerRef string) (bool, error) {
	pol, err := signature.NewPolicyFromBytes(policyJSON)
	if err != nil {
		return false, err
	}
	pc, err := signature.NewPolicyContext(pol)
	if err != nil {
		return false, err
	}
	defer func() { _ = pc.Destroy() }()
	srcRef, err := directory.NewReference(dir)
	if err != nil {
		return false, err
	}
	src, err := srcRef.NewImageSource(ctx, nil)
	if err != nil {
		return false, err
	}
	defer src.Close()
	ref, err := docker.ParseReference("//" + dockerRef)
	if err != nil {
		return false, err
	}
	unparsed := image.UnparsedInstance(src, nil)
	// A pull by digest checks the manifest against the digest before the policy; emulate it.
	if c, ok := ref.DockerReference().(reference.Canonical); ok {
		m, _, err := unparsed.Manifest(ctx)
		if err != nil {
			return false, err
		}
		if ok, err := manifest.MatchesDigest(m, c.Digest()); err != nil || !ok {
			return false, fmt.Errorf("Manifest does not match provided manifest digest %s (%v)", c.Digest(), err)
		}
	}
	return pc.IsRunningImageAllowed(ctx, image.UnparsedInstanceWithReference(unparsed, ref))
}

// ourDecide is the same decision made by sigpolicy.
func ourDecide(ctx context.Context, policyJSON []byte, dir, dockerRef string, opts ...verify.Option) (*verify.Decision, error) {
	p, err := policy.Parse(policyJSON)
	if err != nil {
		return nil, err
	}
	ev, err := verify.Compile(p, opts...)
	if err != nil {
		return nil, err
	}
	ref, err := reference.ParseNormalizedNamed(dockerRef)
	if err != nil {
		return nil, err
	}
	return ev.Evaluate(ctx, verify.Image{Reference: ref, Source: source.NewDir(dir)})
}

// diffCase is one differential case: a policy, an image directory and the reference it is pulled as.
type diffCase struct {
	name   string
	policy []byte
	dir    string
	ref    string
	want   *bool // the expected decision, where known from containers/image's own tests; nil if only agreement is checked
}

// runDifferential asserts that sigpolicy and containers/image reach the same decision on every case,
// and that both reach the expected one where it is known. It returns how many cases were allowed.
func runDifferential(t *testing.T, cases []diffCase) (allowed int) {
	t.Helper()
	ctx := context.Background()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ciOK, ciErr := oracleDecide(ctx, c.policy, c.dir, c.ref)
			d, err := ourDecide(ctx, c.policy, c.dir, c.ref)
			ours := err == nil && d.Allowed
			if ours != ciOK {
				reason := ""
				if err != nil {
					reason = err.Error()
				} else if d.Err != nil {
					reason = d.Err.Error()
				}
				t.Fatalf("disagreement: containers/image allowed=%v (%v), sigpolicy allowed=%v (%s)\npolicy: %s", ciOK, ciErr, ours, reason, c.policy)
			}
			if c.want != nil && *c.want != ours {
				t.Fatalf("both decided allowed=%v, want %v (containers/image: %v)", ours, *c.want, ciErr)
			}
			if ours && d.Err != nil {
				t.Fatalf("allowed decision carries an error: %v", d.Err)
			}
			if !ours && err == nil && d.Err == nil {
				t.Fatalf("denied decision without a reason")
			}
			if ours {
				allowed++
			}
		})
	}
	return allowed
}

func TestMain(m *testing.M) {
	// containers/image logs some denials (signedBaseLayer) through logrus; keep test output readable.
	logrus.SetOutput(io.Discard)
	os.Exit(m.Run())
}
