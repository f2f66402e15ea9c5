package source

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// FuzzSignatureBlob checks that ParseSignatureBlob never panics, that what it accepts re-encodes
// to a blob it decodes the same way, and that it accepts and rejects exactly what
// containers/image's dir: source does, with the same error text.
func FuzzSignatureBlob(f *testing.F) {
	seeds, _ := filepath.Glob(filepath.Join(cimageFixtures, "*.signature*"))
	more, _ := filepath.Glob(filepath.Join(cimageFixtures, "dir-img-*", "signature-*"))
	for _, p := range append(seeds, more...) {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	for _, s := range []string{"", "\x00", "\x00sigstore-json\n", "\x00sigstore-json\nnull",
		"\x00simple-signing\n", "\x00\n", "=", "\x00sigstore-json\n{\"payload\":\"AA==\",\"annotations\":{\"a\":\"b\"}}"} {
		f.Add([]byte(s))
	}
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, blob []byte) {
		if err := os.WriteFile(filepath.Join(dir, "signature-1"), blob, 0o644); err != nil {
			t.Fatal(err)
		}
		compareWithContainersImage(t, dir)

		sig, err := ParseSignatureBlob(blob)
		if err != nil {
			return
		}
		switch s := sig.(type) {
		case Sigstore:
			enc := EncodeSigstore(s)
			again, err := ParseSignatureBlob(enc)
			if err != nil {
				t.Fatalf("re-encoded blob %q fails: %v", enc, err)
			}
			if enc2, _ := EncodeSignature(again); !bytes.Equal(enc, enc2) {
				t.Fatalf("encoding is not stable: %q vs %q", enc, enc2)
			}
		case SimpleSigning:
			// A raw OpenPGP blob is stored unchanged. (A "\x00simple-signing\n" blob is stored
			// as its bare content, which, as in containers/image, need not be readable again.)
			if blob[0] != 0 && !bytes.Equal(s.UntrustedBlob, blob) {
				t.Fatalf("SimpleSigning blob %q differs from the input", s.UntrustedBlob)
			}
		}
	})
}

// FuzzManifestDigest compares ManifestDigest with containers/image's manifest.Digest.
func FuzzManifestDigest(f *testing.F) {
	seeds, _ := filepath.Glob("../testdata/source/manifests/*.json")
	seeds = append(seeds, filepath.Join(cimageFixtures, "v2s1-invalid-signatures.manifest.json"))
	for _, p := range seeds {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	f.Fuzz(func(t *testing.T, m []byte) {
		compareDigest(t, m)
	})
}
