package namespace

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/sigpolicy/sigpolicy/verify"
)

// TestKeyRotation uses the real containers/image fixture dir-img-cosign-valid, signed by the key in
// cosign.pub: replacing the policy's key file with cosign2.pub must deny its signatures on the very
// next Resolve, however the file is replaced.
func TestKeyRotation(t *testing.T) {
	for _, mode := range resolverModes() {
		t.Run(mode.name, func(t *testing.T) { testKeyRotation(t, mode.opts...) })
	}
}

func testKeyRotation(t *testing.T, opts ...Option) {
	for _, replace := range []struct {
		name  string
		write func(t testing.TB, from, to string)
	}{
		{"atomic rename", copyFile},
		{"rewritten in place", func(t testing.TB, from, to string) {
			data, err := os.ReadFile(from)
			if err != nil {
				t.Fatal(err)
			}
			writeFile(t, to, string(data))
		}},
	} {
		t.Run(replace.name, func(t *testing.T) {
			l := newLayout(t, rejectPolicy)
			key := filepath.Join(l.base, "key.pub")
			replace.write(t, fixtures+"/cosign.pub", key)
			writeFile(t, l.nsFile("signed"), keyPolicy(key))
			r := l.resolver(t, opts...)
			steps := []struct {
				name    string
				change  func(t *testing.T)
				allowed bool
				wantErr error // the denial, when not allowed
			}{
				{"signing key", func(*testing.T) {}, true, nil},
				{"rotated to another key", func(t *testing.T) { replace.write(t, fixtures+"/cosign2.pub", key) }, false, verify.ErrInvalidSignature},
				{"rotated back", func(t *testing.T) { replace.write(t, fixtures+"/cosign.pub", key) }, true, nil},
				{"key file removed", func(t *testing.T) { remove(t, key) }, false, verify.ErrTrustMaterial},
				{"key file restored", func(t *testing.T) { replace.write(t, fixtures+"/cosign.pub", key) }, true, nil},
			}
			for _, s := range steps {
				s.change(t)
				d := evaluateCosign(t, mustResolve(t, r, "signed"))
				if d.Allowed != s.allowed {
					t.Fatalf("%s: allowed %v, want %v (%v)", s.name, d.Allowed, s.allowed, d.Err)
				}
				if !s.allowed && !errors.Is(d.Err, s.wantErr) {
					t.Fatalf("%s: denied with %v, want %v", s.name, d.Err, s.wantErr)
				}
			}
		})
	}
}
