package source

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// dirVersion is the content of the "version" file containers/image's dir: destination writes.
const dirVersion = "Directory Transport Version: 1.1\n"

// WriteDir writes a dir: layout at path, as skopeo would for an image with this manifest and
// these signatures: the version file, the manifest, and signature-1 … signature-N (with
// WithInstance, <hex>.manifest.json and <hex>.signature-N, and no version file). The directory is
// created if needed; existing files with the same names are overwritten. It is meant for fixture
// generators and tests.
func WriteDir(path string, manifest []byte, sigs []Signature, opts ...DirOption) error {
	d := NewDir(path, opts...)
	if err := os.MkdirAll(path, 0o755); err != nil {
		return err
	}
	if d.instance == "" {
		if err := os.WriteFile(filepath.Join(path, "version"), []byte(dirVersion), 0o644); err != nil {
			return err
		}
	}
	mp, err := d.ManifestPath()
	if err != nil {
		return err
	}
	if err := os.WriteFile(mp, manifest, 0o644); err != nil {
		return err
	}
	for i, sig := range sigs {
		blob, err := EncodeSignature(sig)
		if err != nil {
			return fmt.Errorf("signature %d: %w", i+1, err)
		}
		sp, err := d.SignaturePath(i + 1)
		if err != nil {
			return err
		}
		if err := os.WriteFile(sp, blob, 0o644); err != nil {
			return err
		}
	}
	// Remove a stale signature-(N+1) so that the layout holds exactly sigs.
	sp, err := d.SignaturePath(len(sigs) + 1)
	if err != nil {
		return err
	}
	if err := os.Remove(sp); err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	return nil
}
