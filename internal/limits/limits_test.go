package limits_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ProtonMail/go-crypto/openpgp"
	"github.com/ProtonMail/go-crypto/openpgp/packet"
	"github.com/containers/image/v5/docker/reference"

	"github.com/sigpolicy/sigpolicy/internal/limits"
	"github.com/sigpolicy/sigpolicy/policy"
	"github.com/sigpolicy/sigpolicy/source"
	"github.com/sigpolicy/sigpolicy/verify"
)

const fixtures = "../../testdata/containers-image"

var validImage = filepath.Join(fixtures, "dir-img-cosign-valid")

const validRef = "192.168.64.2:5000/cosign-signed-single-sample"

func abs(t *testing.T, p string) string {
	t.Helper()
	a, err := filepath.Abs(p)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// decide evaluates the image in dir under policyJSON and requires a denial matching want.
func requireDenied(t *testing.T, policyJSON, dir string, want error, reason string) {
	t.Helper()
	p, err := policy.Parse([]byte(policyJSON))
	if err != nil {
		t.Fatal(err)
	}
	ev, err := verify.Compile(p)
	if err != nil {
		t.Fatal(err)
	}
	ref, _ := reference.ParseNormalizedNamed(validRef)
	d, err := ev.Evaluate(context.Background(), verify.Image{Reference: ref, Source: source.NewDir(dir)})
	if err != nil {
		t.Fatal(err)
	}
	if d.Allowed {
		t.Fatal("allowed past the limit")
	}
	if !errors.Is(d.Err, want) {
		t.Fatalf("denial %v does not match %v", d.Err, want)
	}
	if !strings.Contains(d.Err.Error(), reason) {
		t.Fatalf("denial %q does not say %q", d.Err, reason)
	}
	t.Logf("denied: %v", d.Err)
}

func keyPolicy(t *testing.T, keyPath string) string {
	return fmt.Sprintf(`{"default":[{"type":"sigstoreSigned","keyPath":%q,"signedIdentity":{"type":"matchRepository"}}]}`, abs(t, keyPath))
}

// copyImage copies the valid signed image into a temporary directory.
func copyImage(t *testing.T) string {
	t.Helper()
	dst := t.TempDir()
	for _, f := range []string{"manifest.json", "signature-1"} {
		b, err := os.ReadFile(filepath.Join(validImage, f))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dst, f), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dst
}

func TestMaxManifestSize(t *testing.T) {
	dir := copyImage(t)
	big := append([]byte(`{"schemaVersion":2}`), bytes.Repeat([]byte(" "), limits.MaxManifestSize)...)
	if err := os.WriteFile(filepath.Join(dir, "manifest.json"), big, 0o644); err != nil {
		t.Fatal(err)
	}
	requireDenied(t, keyPolicy(t, filepath.Join(fixtures, "cosign.pub")), dir, source.ErrLimitExceeded, "manifest size")
}

func TestMaxSignatureSize(t *testing.T) {
	dir := copyImage(t)
	big := append([]byte("\x00sigstore-json\n"), bytes.Repeat([]byte(" "), limits.MaxSignatureSize)...)
	if err := os.WriteFile(filepath.Join(dir, "signature-1"), big, 0o644); err != nil {
		t.Fatal(err)
	}
	requireDenied(t, keyPolicy(t, filepath.Join(fixtures, "cosign.pub")), dir, source.ErrLimitExceeded, "signature size")
}

func TestMaxSignatureCount(t *testing.T) {
	dir := copyImage(t)
	sig, err := os.ReadFile(filepath.Join(validImage, "signature-1"))
	if err != nil {
		t.Fatal(err)
	}
	for i := 2; i <= limits.MaxSignatureCount+1; i++ {
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("signature-%d", i)), sig, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	requireDenied(t, keyPolicy(t, filepath.Join(fixtures, "cosign.pub")), dir, source.ErrLimitExceeded, "signature count")
}

func TestMaxTrustFileSize(t *testing.T) {
	key, err := os.ReadFile(filepath.Join(fixtures, "cosign.pub"))
	if err != nil {
		t.Fatal(err)
	}
	big := filepath.Join(t.TempDir(), "big.pub")
	if err := os.WriteFile(big, append(key, bytes.Repeat([]byte("\n"), limits.MaxTrustFileSize)...), 0o644); err != nil {
		t.Fatal(err)
	}
	requireDenied(t, keyPolicy(t, big), validImage, verify.ErrTrustMaterial, "larger than")
}

func TestMaxPolicySize(t *testing.T) {
	path := filepath.Join(t.TempDir(), "policy.json")
	doc := `{"default":[{"type":"reject"}]}` + strings.Repeat(" ", policy.MaxPolicySize)
	if err := os.WriteFile(path, []byte(doc), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := policy.ParseFile(path)
	if !errors.Is(err, policy.ErrTooLarge) {
		t.Fatalf("got %v, want ErrTooLarge", err)
	}
}

func TestMaxSimpleSigningPayload(t *testing.T) {
	entity, err := openpgp.NewEntity("limits test", "", "limits@example.com", nil)
	if err != nil {
		t.Fatal(err)
	}
	var ring bytes.Buffer
	if err := entity.Serialize(&ring); err != nil {
		t.Fatal(err)
	}
	keyring := filepath.Join(t.TempDir(), "key.gpg")
	if err := os.WriteFile(keyring, ring.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	var signed bytes.Buffer
	w, err := openpgp.Sign(&signed, entity, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write(bytes.Repeat([]byte(" "), limits.MaxSimpleSigningPayload+1)); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	// Wrap the signed message in a compressed packet, so that the blob itself stays small and only
	// its content exceeds the limit.
	var blob bytes.Buffer
	cw, err := packet.SerializeCompressed(nopCloser{&blob}, packet.CompressionZLIB, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := cw.Write(signed.Bytes()); err != nil {
		t.Fatal(err)
	}
	if err := cw.Close(); err != nil {
		t.Fatal(err)
	}
	if blob.Len() >= limits.MaxSignatureSize {
		t.Fatalf("compressed blob is %d bytes", blob.Len())
	}
	dir := t.TempDir()
	man, err := os.ReadFile(filepath.Join(validImage, "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := source.WriteDir(dir, man, []source.Signature{source.SimpleSigning{UntrustedBlob: blob.Bytes()}}); err != nil {
		t.Fatal(err)
	}
	requireDenied(t, fmt.Sprintf(`{"default":[{"type":"signedBy","keyType":"GPGKeys","keyPath":%q}]}`, keyring),
		dir, verify.ErrInvalidSignature, "signed payload larger than")
}

type nopCloser struct{ *bytes.Buffer }

func (nopCloser) Close() error { return nil }
