package source

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/sigpolicy/sigpolicy/internal/limits"
)

// BundlePath returns the file holding sigstore bundle number n (1-based) beside the layout:
// "sigstore-bundle-N.json", or "<hex>.sigstore-bundle-N.json" with WithInstance.
func (d *Dir) BundlePath(n int) (string, error) {
	if d.instance == "" {
		return filepath.Join(d.path, fmt.Sprintf("sigstore-bundle-%d.json", n)), nil
	}
	if err := d.instance.Validate(); err != nil {
		return "", fmt.Errorf("instance digest %q: %w", string(d.instance), err)
	}
	return filepath.Join(d.path, fmt.Sprintf("%s.sigstore-bundle-%d.json", d.instance.Encoded(), n)), nil
}

// bundles reads sigstore-bundle-1.json, -2, … up to the first missing number, each with at most
// limits.MaxSignatureSize bytes; more than limits.MaxSignatureCount files is a *LimitError. The
// files are not parsed here: a malformed bundle is a rejected signature, not a failed read.
func (d *Dir) bundles(ctx context.Context) ([]Signature, error) {
	var out []Signature
	for n := 1; ; n++ {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		path, err := d.BundlePath(n)
		if err != nil {
			return nil, err
		}
		if n > limits.MaxSignatureCount {
			if _, err := os.Lstat(path); os.IsNotExist(err) {
				return out, nil
			}
			return nil, &LimitError{Path: path, What: "bundle count", Limit: limits.MaxSignatureCount}
		}
		untrustedJSON, err := readFileLimited(path, limits.MaxSignatureSize, "bundle size")
		if err != nil {
			if os.IsNotExist(err) {
				return out, nil
			}
			return nil, err
		}
		out = append(out, Bundle{UntrustedJSON: untrustedJSON, Origin: filepath.Base(path)})
	}
}
