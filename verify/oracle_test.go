package verify_test

import (
	"io"
	"os"

	"context"
	"github.com/sirupsen/logrus"
	"testing"

	"github.com/containers/image/v5/docker/reference"

	"github.com/sigpolicy/sigpolicy/internal/cioracle"
	"github.com/sigpolicy/sigpolicy/policy"
	"github.com/sigpolicy/sigpolicy/source"
	"github.com/sigpolicy/sigpolicy/verify"
)

// oracleDecide is containers/image's decision (see internal/cioracle): the reference implementation
// sigpolicy must agree with.
func oracleDecide(ctx context.Context, policyJSON []byte, dir, dockerRef string) (bool, error) {
	return cioracle.DecideDir(ctx, policyJSON, dir, dockerRef)
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
