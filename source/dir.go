package source

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/opencontainers/go-digest"

	"github.com/sigpolicy/sigpolicy/internal/limits"
)

// Image is where untrusted image data comes from.
type Image interface {
	// Manifest returns the (untrusted) manifest bytes of the single image being evaluated.
	Manifest(ctx context.Context) ([]byte, error)
	// Signatures returns the untrusted signatures of that manifest, in order.
	Signatures(ctx context.Context) ([]Signature, error)
}

// Dir reads one image from a containers dir: layout. It holds only the path and options; every
// call reads the files again, so a Dir is safe for concurrent use and never caches stale data.
type Dir struct {
	path     string
	instance digest.Digest // "" for the top-level image
}

var _ Image = (*Dir)(nil)

// DirOption configures a Dir.
type DirOption func(*Dir)

// WithInstance selects one instance of a manifest list stored in the layout: the manifest is read
// from <hex>.manifest.json and the signatures from <hex>.signature-N, where <hex> is the encoded
// part of instance (containers/image's naming, for every algorithm). An invalid digest makes
// Manifest and Signatures fail.
func WithInstance(instance digest.Digest) DirOption {
	return func(d *Dir) { d.instance = instance }
}

// NewDir returns a Dir reading the layout at path. It does no I/O: a missing manifest or a bad
// signature file is reported by Manifest or Signatures, as containers/image does.
func NewDir(path string, opts ...DirOption) *Dir {
	d := &Dir{path: path}
	for _, o := range opts {
		o(d)
	}
	return d
}

// Path returns the layout directory.
func (d *Dir) Path() string { return d.path }

// ManifestPath returns the file Manifest reads.
func (d *Dir) ManifestPath() (string, error) {
	if d.instance == "" {
		return filepath.Join(d.path, "manifest.json"), nil
	}
	// Validate before Encoded: Encoded panics on malformed digests, and an unchecked value could
	// carry "../" into the path.
	if err := d.instance.Validate(); err != nil {
		return "", fmt.Errorf("instance digest %q: %w", string(d.instance), err)
	}
	return filepath.Join(d.path, d.instance.Encoded()+".manifest.json"), nil
}

// SignaturePath returns the file holding signature number n (1-based), as Signatures reads it.
func (d *Dir) SignaturePath(n int) (string, error) {
	if d.instance == "" {
		return filepath.Join(d.path, fmt.Sprintf("signature-%d", n)), nil
	}
	if err := d.instance.Validate(); err != nil {
		return "", fmt.Errorf("instance digest %q: %w", string(d.instance), err)
	}
	return filepath.Join(d.path, fmt.Sprintf("%s.signature-%d", d.instance.Encoded(), n)), nil
}

// Manifest returns the manifest bytes, read with at most limits.MaxManifestSize bytes. A missing
// file gives the *fs.PathError from opening it (errors.Is(err, fs.ErrNotExist)); a larger file gives
// a *LimitError.
func (d *Dir) Manifest(ctx context.Context) ([]byte, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	path, err := d.ManifestPath()
	if err != nil {
		return nil, err
	}
	return readFileLimited(path, limits.MaxManifestSize, "manifest size")
}

// Signatures returns the signatures signature-1, signature-2, … up to the first missing file, in
// order, as containers/image's dir: source does. Any unreadable or undecodable file fails the
// whole read: a blob in an unknown format gives a *SignatureFileError wrapping a
// *BlobFormatError, a file larger than limits.MaxSignatureSize or more than
// limits.MaxSignatureCount files give a *LimitError. No signature files at all is not an error.
//
// After them come the sigstore bundles stored beside the layout (sigpolicy's naming, which
// containers/image ignores): sigstore-bundle-1.json, -2, … up to the first missing number, as
// Bundle values, unparsed, with the same size and count limits.
func (d *Dir) Signatures(ctx context.Context) ([]Signature, error) {
	var sigs []Signature
	for n := 1; ; n++ {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		path, err := d.SignaturePath(n)
		if err != nil {
			return nil, err
		}
		if n > limits.MaxSignatureCount {
			// Refuse only when the extra file exists: exactly MaxSignatureCount signatures is fine.
			if _, err := os.Lstat(path); os.IsNotExist(err) {
				break
			}
			return nil, &LimitError{Path: path, What: "signature count", Limit: limits.MaxSignatureCount}
		}
		untrustedBlob, err := readFileLimited(path, limits.MaxSignatureSize, "signature size")
		if err != nil {
			if os.IsNotExist(err) {
				break
			}
			return nil, err
		}
		sig, err := ParseSignatureBlob(untrustedBlob)
		if err != nil {
			return nil, &SignatureFileError{Path: path, Err: err}
		}
		sigs = append(sigs, sig)
	}
	bundles, err := d.bundles(ctx)
	if err != nil {
		return nil, err
	}
	return append(sigs, bundles...), nil
}
