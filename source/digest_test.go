package source

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/containers/image/v5/manifest"
	"github.com/opencontainers/go-digest"
)

// compareDigest fails unless ManifestDigest and containers/image's manifest.Digest agree on m,
// error text included. Inputs that make containers/image panic must give an error here.
func compareDigest(t *testing.T, m []byte) {
	t.Helper()
	got, err := ManifestDigest(m)
	want, wantErr, panicked := cimageDigest(m)
	if panicked {
		if err == nil {
			t.Fatalf("containers/image panics on %q, ManifestDigest returned %s", m, got)
		}
		return
	}
	if errText(err) != errText(wantErr) || got != want {
		t.Fatalf("ManifestDigest(%q) = %s, %v; containers/image %s, %v", m, got, err, want, wantErr)
	}
}

func cimageDigest(m []byte) (d digest.Digest, err error, panicked bool) {
	defer func() {
		if recover() != nil {
			panicked = true
		}
	}()
	d, err = manifest.Digest(m)
	return d, err, false
}

func TestManifestDigestMatchesContainersImage(t *testing.T) {
	files, _ := filepath.Glob("../testdata/source/manifests/*.json")
	more, _ := filepath.Glob(filepath.Join(cimageFixtures, "*manifest.json"))
	files = append(files, more...)
	if len(files) < 30 {
		t.Fatalf("only %d manifest fixtures found", len(files))
	}
	for _, p := range files {
		t.Run(filepath.Base(p), func(t *testing.T) {
			m, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			compareDigest(t, m)
		})
	}
}

func TestManifestDigestSchema1(t *testing.T) {
	tests := []struct {
		name    string
		file    string
		wantErr bool
		payload bool // the digest is not the sha256 of the whole file
	}{
		{"signed schema1", "../testdata/source/manifests/internal-manifest-testdata-v2s1.manifest.json", false, true},
		{"unsigned schema1", "../testdata/source/manifests/internal-manifest-testdata-v2s1-unsigned.manifest.json", false, false},
		{"broken signatures", filepath.Join(cimageFixtures, "v2s1-invalid-signatures.manifest.json"), true, false},
		{"schema2", filepath.Join(cimageFixtures, "image.manifest.json"), false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := os.ReadFile(tt.file)
			if err != nil {
				t.Fatal(err)
			}
			d, err := ManifestDigest(m)
			if (err != nil) != tt.wantErr {
				t.Fatalf("ManifestDigest error = %v, wantErr %v", err, tt.wantErr)
			}
			if err != nil {
				return
			}
			if whole := digest.FromBytes(m); (d != whole) != tt.payload {
				t.Errorf("digest %s, sha256 of the file %s, expected payload digest: %v", d, whole, tt.payload)
			}
			ok, err := MatchesDigest(m, d)
			if !ok || err != nil {
				t.Errorf("MatchesDigest(own digest) = %v, %v", ok, err)
			}
		})
	}
}

func TestMatchesDigest(t *testing.T) {
	m, err := os.ReadFile(filepath.Join(cimageFixtures, "dir-img-cosign-valid", "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	broken, err := os.ReadFile(filepath.Join(cimageFixtures, "v2s1-invalid-signatures.manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		manifest []byte
		d        digest.Digest
		want     bool
		wantErr  bool
	}{
		{"sha256 match", m, "sha256:634a8f35b5f16dcf4aaa0822adc0b1964bb786fca12f6831de8ddc45e5986a00", true, false},
		{"uppercase hex", m, "sha256:634A8F35B5F16DCF4AAA0822ADC0B1964BB786FCA12F6831DE8DDC45E5986A00", false, false},
		{"sha512 of the same bytes", m, digest.SHA512.FromBytes(m), false, false},
		{"other manifest", m, digest.FromString("x"), false, false},
		{"undigestable manifest", broken, digest.FromBytes(broken), false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := MatchesDigest(tt.manifest, tt.d)
			want, wantErr := manifest.MatchesDigest(tt.manifest, tt.d)
			if got != tt.want || (err != nil) != tt.wantErr {
				t.Errorf("MatchesDigest = %v, %v; want %v, error %v", got, err, tt.want, tt.wantErr)
			}
			if got != want || errText(err) != errText(wantErr) {
				t.Errorf("containers/image: %v, %v", want, wantErr)
			}
		})
	}
}
