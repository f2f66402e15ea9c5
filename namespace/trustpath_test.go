package namespace

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// TestTrustPathSpellings covers a policy naming one key as an absolute path and, relative to the
// working directory, a path that verify.WithFS cannot tell apart from it ("/x/k.pub" and "x/k.pub").
func TestTrustPathSpellings(t *testing.T) {
	for _, tt := range []struct {
		name     string
		sameData bool
		wantErr  error
	}{
		{"same contents are compiled", true, nil},
		{"different contents are refused", false, ErrTrustPathConflict},
	} {
		t.Run(tt.name, func(t *testing.T) {
			l := newLayout(t, rejectPolicy)
			abs := filepath.Join(l.base, "keys", "k.pub")
			if err := os.MkdirAll(filepath.Dir(abs), 0o755); err != nil {
				t.Fatal(err)
			}
			copyFile(t, fixtures+"/cosign.pub", abs)
			work := t.TempDir()
			rel := abs[1:] // the same spelling without the leading "/", relative to work
			if err := os.MkdirAll(filepath.Join(work, filepath.Dir(rel)), 0o755); err != nil {
				t.Fatal(err)
			}
			other := fixtures + "/cosign2.pub"
			if tt.sameData {
				other = fixtures + "/cosign.pub"
			}
			copyFile(t, other, filepath.Join(work, rel))
			writeFile(t, l.nsFile("team"), `{"default":[{"type":"sigstoreSigned","keyPaths":["`+abs+`","`+rel+`"],"signedIdentity":{"type":"matchRepository"}}]}`)
			r := l.resolver(t)
			t.Chdir(work)
			res, err := r.Resolve("team")
			if tt.wantErr != nil {
				if res != nil || !errors.Is(err, tt.wantErr) || !errors.Is(err, ErrPolicyFile) {
					t.Fatalf("Resolve = %v, %v; want %v", res, err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Files) != 3 {
				t.Fatalf("Files = %q, want the policy and both key paths", res.Files)
			}
			if d := evaluateCosign(t, res); !d.Allowed {
				t.Fatalf("denied: %v", d.Err)
			}
		})
	}
}
