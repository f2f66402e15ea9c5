package source

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/opencontainers/go-digest"

	"github.com/sigpolicy/sigpolicy/internal/limits"
)

const cimageFixtures = "../testdata/containers-image"

// TestDirFixtures reads every dir-img-* layout copied from containers/image and compares the
// result with containers/image's own dir: transport.
func TestDirFixtures(t *testing.T) {
	dirs, err := filepath.Glob(filepath.Join(cimageFixtures, "dir-img-*"))
	if err != nil || len(dirs) == 0 {
		t.Fatalf("no fixtures found: %v", err)
	}
	for _, dir := range dirs {
		t.Run(filepath.Base(dir), func(t *testing.T) {
			ctx := context.Background()
			wantManifest, wantManifestErr, wantSimple, wantSigErr := cimageRead(t, dir, nil)
			d := NewDir(dir)

			gotManifest, err := d.Manifest(ctx)
			if errText(err) != errText(wantManifestErr) {
				t.Errorf("Manifest error = %v, containers/image: %v", err, wantManifestErr)
			}
			if !bytes.Equal(gotManifest, wantManifest) {
				t.Errorf("Manifest differs from containers/image's")
			}

			sigs, err := d.Signatures(ctx)
			if errText(err) != errText(wantSigErr) {
				t.Fatalf("Signatures error = %v, containers/image: %v", err, wantSigErr)
			}
			var gotSimple [][]byte
			for i, sig := range sigs {
				switch s := sig.(type) {
				case SimpleSigning:
					gotSimple = append(gotSimple, s.UntrustedBlob)
				case Sigstore:
					// containers/image wrote these files: re-encoding must reproduce them.
					path, _ := d.SignaturePath(i + 1)
					stored, err := os.ReadFile(path)
					if err != nil {
						t.Fatal(err)
					}
					// Two upstream fixtures were written by hand with a trailing newline, which
					// encoding/json ignores.
					stored = bytes.TrimSuffix(stored, []byte("\n"))
					if got := EncodeSigstore(s); !bytes.Equal(got, stored) {
						t.Errorf("signature-%d: EncodeSigstore does not reproduce the stored blob:\n got %q\nwant %q", i+1, got, stored)
					}
				default:
					t.Errorf("signature-%d: unexpected type %T", i+1, sig)
				}
			}
			if len(gotSimple) != len(wantSimple) {
				t.Fatalf("%d simple-signing signatures, containers/image: %d", len(gotSimple), len(wantSimple))
			}
			for i := range gotSimple {
				if !bytes.Equal(gotSimple[i], wantSimple[i]) {
					t.Errorf("simple-signing signature %d differs from containers/image's", i)
				}
			}
		})
	}
}

// TestDirFixtureContents checks decoded values that containers/image's public API cannot show.
func TestDirFixtureContents(t *testing.T) {
	tests := []struct {
		dir                     string
		wantSigstore, wantOther int
		wantMIME                string
		wantAnnotations         []string
	}{
		{"dir-img-cosign-valid", 1, 0, SigstoreSignatureMIMEType, []string{SignatureAnnotationKey}},
		{"dir-img-cosign-fulcio-rekor-valid", 1, 0, SigstoreSignatureMIMEType,
			[]string{SignatureAnnotationKey, CertificateAnnotationKey, ChainAnnotationKey, BundleAnnotationKey}},
		{"dir-img-cosign-key-rekor-valid", 1, 0, SigstoreSignatureMIMEType, []string{SignatureAnnotationKey, BundleAnnotationKey}},
		{"dir-img-cosign-pki-valid", 1, 0, SigstoreSignatureMIMEType,
			[]string{SignatureAnnotationKey, CertificateAnnotationKey, ChainAnnotationKey}},
		{"dir-img-cosign-other-attachment", 1, 0, "text/plain", nil},
		{"dir-img-cosign-valid-2", 2, 0, SigstoreSignatureMIMEType, []string{SignatureAnnotationKey}},
		{"dir-img-cosign-mixed", 2, 0, SigstoreSignatureMIMEType, []string{SignatureAnnotationKey}},
		{"dir-img-valid", 0, 1, "", nil},
		{"dir-img-valid-2", 0, 2, "", nil},
		{"dir-img-unsigned", 0, 0, "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.dir, func(t *testing.T) {
			sigs, err := NewDir(filepath.Join(cimageFixtures, tt.dir)).Signatures(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			var nSigstore, nOther int
			for _, sig := range sigs {
				s, ok := sig.(Sigstore)
				if !ok {
					nOther++
					continue
				}
				nSigstore++
				if s.UntrustedMIMEType != tt.wantMIME {
					t.Errorf("MIME type %q, want %q", s.UntrustedMIMEType, tt.wantMIME)
				}
				if len(s.UntrustedPayload) == 0 {
					t.Errorf("empty payload")
				}
				for _, k := range tt.wantAnnotations {
					if s.UntrustedAnnotations[k] == "" {
						t.Errorf("annotation %q missing", k)
					}
				}
			}
			if nSigstore != tt.wantSigstore || nOther != tt.wantOther {
				t.Errorf("got %d sigstore + %d simple-signing signatures, want %d + %d", nSigstore, nOther, tt.wantSigstore, tt.wantOther)
			}
		})
	}
}

func TestDirMissingManifest(t *testing.T) {
	dir := filepath.Join(cimageFixtures, "dir-img-cosign-no-manifest")
	_, wantErr, _, _ := cimageRead(t, dir, nil)
	_, err := NewDir(dir).Manifest(context.Background())
	if !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("Manifest error = %v, want fs.ErrNotExist", err)
	}
	if err.Error() != wantErr.Error() {
		t.Errorf("error text %q, containers/image %q", err, wantErr)
	}
}

func writeFile(t *testing.T, path string, data []byte) {
	t.Helper()
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestDirLimits(t *testing.T) {
	valid, err := os.ReadFile(filepath.Join(cimageFixtures, "dir-img-cosign-valid", "signature-1"))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name      string
		setup     func(t *testing.T, dir string)
		read      func(d *Dir) error
		wantWhat  string
		wantLimit int64
		wantFile  string
	}{
		{
			name: "manifest one byte over",
			setup: func(t *testing.T, dir string) {
				writeFile(t, filepath.Join(dir, "manifest.json"), make([]byte, limits.MaxManifestSize+1))
			},
			read: func(d *Dir) error {
				_, err := d.Manifest(context.Background())
				return err
			},
			wantWhat: "manifest size", wantLimit: limits.MaxManifestSize, wantFile: "manifest.json",
		},
		{
			name: "signature one byte over",
			setup: func(t *testing.T, dir string) {
				writeFile(t, filepath.Join(dir, "signature-1"), valid)
				writeFile(t, filepath.Join(dir, "signature-2"), append([]byte{0x89}, make([]byte, limits.MaxSignatureSize)...))
			},
			read: func(d *Dir) error {
				_, err := d.Signatures(context.Background())
				return err
			},
			wantWhat: "signature size", wantLimit: limits.MaxSignatureSize, wantFile: "signature-2",
		},
		{
			name: "one signature too many",
			setup: func(t *testing.T, dir string) {
				for i := 1; i <= limits.MaxSignatureCount+1; i++ {
					writeFile(t, filepath.Join(dir, "signature-"+itoa(i)), valid)
				}
			},
			read: func(d *Dir) error {
				_, err := d.Signatures(context.Background())
				return err
			},
			wantWhat: "signature count", wantLimit: limits.MaxSignatureCount, wantFile: "signature-" + itoa(limits.MaxSignatureCount+1),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			tt.setup(t, dir)
			err := tt.read(NewDir(dir))
			if !errors.Is(err, ErrLimitExceeded) {
				t.Fatalf("error = %v, want ErrLimitExceeded", err)
			}
			var le *LimitError
			if !errors.As(err, &le) {
				t.Fatalf("error %T is not a *LimitError", err)
			}
			if le.What != tt.wantWhat || le.Limit != tt.wantLimit || le.Path != filepath.Join(dir, tt.wantFile) {
				t.Errorf("LimitError = %+v, want What %q Limit %d file %q", *le, tt.wantWhat, tt.wantLimit, tt.wantFile)
			}
			if !strings.Contains(err.Error(), tt.wantFile) {
				t.Errorf("error %q does not name the file", err)
			}
		})
	}
}

func itoa(i int) string { return strconv.Itoa(i) }

// TestDirAtLimits checks that exactly the limits are accepted.
func TestDirAtLimits(t *testing.T) {
	valid, err := os.ReadFile(filepath.Join(cimageFixtures, "dir-img-cosign-valid", "signature-1"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "manifest.json"), make([]byte, limits.MaxManifestSize))
	for i := 1; i <= limits.MaxSignatureCount; i++ {
		writeFile(t, filepath.Join(dir, "signature-"+itoa(i)), valid)
	}
	d := NewDir(dir)
	if m, err := d.Manifest(context.Background()); err != nil || len(m) != limits.MaxManifestSize {
		t.Errorf("Manifest at the limit: %d bytes, %v", len(m), err)
	}
	sigs, err := d.Signatures(context.Background())
	if err != nil || len(sigs) != limits.MaxSignatureCount {
		t.Errorf("Signatures at the limit: %d, %v", len(sigs), err)
	}
}

func TestDirStopsAtFirstGap(t *testing.T) {
	valid, err := os.ReadFile(filepath.Join(cimageFixtures, "dir-img-cosign-valid", "signature-1"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "signature-1"), valid)
	writeFile(t, filepath.Join(dir, "signature-3"), []byte("garbage that would fail"))
	sigs, err := NewDir(dir).Signatures(context.Background())
	if err != nil || len(sigs) != 1 {
		t.Fatalf("got %d signatures, %v; want 1, nil", len(sigs), err)
	}
}

func TestDirCanceledContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	d := NewDir(filepath.Join(cimageFixtures, "dir-img-cosign-valid"))
	if _, err := d.Manifest(ctx); !errors.Is(err, context.Canceled) {
		t.Errorf("Manifest error = %v, want context.Canceled", err)
	}
	if _, err := d.Signatures(ctx); !errors.Is(err, context.Canceled) {
		t.Errorf("Signatures error = %v, want context.Canceled", err)
	}
}

// TestDirInstance checks per-instance names against containers/image.
func TestDirInstance(t *testing.T) {
	valid, err := os.ReadFile(filepath.Join(cimageFixtures, "dir-img-cosign-valid", "signature-1"))
	if err != nil {
		t.Fatal(err)
	}
	manifest := []byte(`{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json"}`)
	sha256d := digest.FromBytes(manifest)
	sha512d := digest.SHA512.FromBytes(manifest)
	tests := []struct {
		name     string
		instance digest.Digest
		files    []string
		wantSigs int
	}{
		{"sha256", sha256d, []string{sha256d.Encoded() + ".manifest.json", sha256d.Encoded() + ".signature-1", sha256d.Encoded() + ".signature-2"}, 2},
		{"sha512", sha512d, []string{sha512d.Encoded() + ".manifest.json", sha512d.Encoded() + ".signature-1"}, 1},
		{"top-level files ignored", sha256d, []string{sha256d.Encoded() + ".manifest.json", "signature-1"}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			for _, f := range tt.files {
				content := valid
				if strings.HasSuffix(f, "manifest.json") {
					content = manifest
				}
				writeFile(t, filepath.Join(dir, f), content)
			}
			d := NewDir(dir, WithInstance(tt.instance))
			m, err := d.Manifest(context.Background())
			if err != nil || !bytes.Equal(m, manifest) {
				t.Fatalf("Manifest: %q, %v", m, err)
			}
			sigs, err := d.Signatures(context.Background())
			if err != nil || len(sigs) != tt.wantSigs {
				t.Fatalf("Signatures: %d, %v; want %d", len(sigs), err, tt.wantSigs)
			}
			inst := tt.instance
			wantM, wantMErr, _, wantSErr := cimageRead(t, dir, &inst)
			if wantMErr != nil || wantSErr != nil || !bytes.Equal(wantM, m) {
				t.Errorf("containers/image disagrees: %q %v %v", wantM, wantMErr, wantSErr)
			}
		})
	}
}

func TestDirInvalidInstance(t *testing.T) {
	for _, bad := range []digest.Digest{"sha256:../../etc", "sha256:ABCDEF", "nonsense", "sha256:"} {
		t.Run(string(bad), func(t *testing.T) {
			d := NewDir(t.TempDir(), WithInstance(bad))
			if _, err := d.Manifest(context.Background()); err == nil {
				t.Error("Manifest accepted an invalid instance digest")
			}
			if _, err := d.Signatures(context.Background()); err == nil {
				t.Error("Signatures accepted an invalid instance digest")
			}
		})
	}
}

func TestWriteDirRoundTrip(t *testing.T) {
	manifest := []byte(`{"schemaVersion":2}`)
	sigs := []Signature{
		Sigstore{UntrustedMIMEType: SigstoreSignatureMIMEType, UntrustedPayload: []byte(`{"a":1}`),
			UntrustedAnnotations: map[string]string{SignatureAnnotationKey: "c2ln", "z": "<&>"}},
		SimpleSigning{UntrustedBlob: []byte{0xA3, 1, 2, 3}},
		Sigstore{UntrustedMIMEType: "text/plain"},
	}
	dir := t.TempDir()
	// A stale extra signature must not survive a rewrite.
	writeFile(t, filepath.Join(dir, "signature-4"), []byte{0x89})
	if err := WriteDir(dir, manifest, sigs); err != nil {
		t.Fatal(err)
	}
	got, err := NewDir(dir).Signatures(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(sigs) {
		t.Fatalf("read %d signatures, wrote %d", len(got), len(sigs))
	}
	for i := range sigs {
		a, _ := EncodeSignature(sigs[i])
		b, _ := EncodeSignature(got[i])
		if !bytes.Equal(a, b) {
			t.Errorf("signature %d: wrote %q, read back %q", i+1, a, b)
		}
	}
	_, _, simple, cerr := cimageRead(t, dir, nil)
	if cerr != nil || len(simple) != 1 {
		t.Errorf("containers/image read %d simple signatures, %v", len(simple), cerr)
	}
}
