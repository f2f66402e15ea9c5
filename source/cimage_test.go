package source

import (
	"context"
	"testing"

	"github.com/containers/image/v5/directory"
	"github.com/opencontainers/go-digest"
)

// cimageRead reads the layout at path through containers/image's dir: transport (the reference
// implementation) and returns the manifest, the simple-signing signatures it exposes through its
// public API, and the two errors.
func cimageRead(t testing.TB, path string, instance *digest.Digest) (manifest []byte, manifestErr error, simple [][]byte, sigErr error) {
	t.Helper()
	ref, err := directory.NewReference(path)
	if err != nil {
		t.Fatalf("directory.NewReference(%q): %v", path, err)
	}
	src, err := ref.NewImageSource(context.Background(), nil)
	if err != nil {
		t.Fatalf("NewImageSource(%q): %v", path, err)
	}
	defer src.Close()
	manifest, _, manifestErr = src.GetManifest(context.Background(), instance)
	simple, sigErr = src.GetSignatures(context.Background(), instance)
	return manifest, manifestErr, simple, sigErr
}

// errText returns err's text, or "" for nil.
func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}
