package limits_test

import (
	"bytes"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sigpolicy/sigpolicy/bundle"
	"github.com/sigpolicy/sigpolicy/examples/webhook"
	"github.com/sigpolicy/sigpolicy/internal/fixturegen/gen"
	"github.com/sigpolicy/sigpolicy/internal/limits"
	"github.com/sigpolicy/sigpolicy/namespace"
	"github.com/sigpolicy/sigpolicy/rekor"
)

// requireRefused checks that err is a refusal that says which limit was exceeded.
func requireRefused(t *testing.T, err error, sentinel error, says string) {
	t.Helper()
	if err == nil {
		t.Fatal("accepted past the limit")
	}
	if sentinel != nil && !errors.Is(err, sentinel) {
		t.Fatalf("%v does not match %v", err, sentinel)
	}
	if !strings.Contains(err.Error(), says) {
		t.Fatalf("%q does not say %q", err, says)
	}
	t.Logf("refused: %v", err)
}

func bundleOptions() bundle.Options {
	return bundle.Options{ArtifactDigest: make([]byte, 32), Identity: &bundle.CertificateIdentity{Issuer: "https://issuer.example", SAN: "a@example.com"}}
}

func TestMaxBundleSize(t *testing.T) {
	tm, err := bundle.PublicGood()
	if err != nil {
		t.Fatal(err)
	}
	_, err = bundle.Verify(bytes.Repeat([]byte(" "), limits.MaxBundleSize+1), tm, bundleOptions())
	requireRefused(t, err, bundle.ErrFormat, fmt.Sprintf("more than %d", limits.MaxBundleSize))
}

func TestMaxBundleLogEntries(t *testing.T) {
	raw, err := os.ReadFile("../../testdata/bundle/sigstore.js@2.0.0-provenance.sigstore.json")
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	vm := doc["verificationMaterial"].(map[string]any)
	entries := vm["tlogEntries"].([]any)
	for len(entries) <= limits.MaxBundleLogEntries {
		entries = append(entries, entries[0])
	}
	vm["tlogEntries"] = entries
	many, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	tm, err := bundle.PublicGood()
	if err != nil {
		t.Fatal(err)
	}
	_, err = bundle.Verify(many, tm, bundleOptions())
	requireRefused(t, err, nil, "entries")
}

// signedNote signs a checkpoint body (origin, size, root, then extension lines) for log, as a Rekor
// v1 log signs its checkpoints, and appends extra signature lines.
func signedNote(t *testing.T, body string, extraSigLines int) ([]byte, *rekor.Log) {
	t.Helper()
	keys, err := gen.NewKeys("limits test")
	if err != nil {
		t.Fatal(err)
	}
	log, err := rekor.NewLog(rekor.LogV1, "rekor.example.com", keys.Rekor.Public())
	if err != nil {
		t.Fatal(err)
	}
	sig, err := gen.SignPayload(keys.Rekor, []byte(body))
	if err != nil {
		t.Fatal(err)
	}
	der, err := x509.MarshalPKIXPublicKey(keys.Rekor.Public())
	if err != nil {
		t.Fatal(err)
	}
	id := sha256.Sum256(der)
	line := fmt.Sprintf("\u2014 rekor.example.com %s\n", base64.StdEncoding.EncodeToString(append(binary.BigEndian.AppendUint32(nil, binary.BigEndian.Uint32(id[:4])), sig...)))
	return []byte(body + "\n" + line + strings.Repeat(line, extraSigLines)), log
}

func checkpointBody(extensions int) string {
	b := "rekor.example.com - 123\n5\n" + base64.StdEncoding.EncodeToString(make([]byte, 32)) + "\n"
	for i := range extensions {
		b += fmt.Sprintf("ext%d\n", i)
	}
	return b
}

func TestCheckpointLimitsSignedNoteIsAccepted(t *testing.T) {
	note, log := signedNote(t, checkpointBody(limits.MaxCheckpointExtensions), 0)
	if _, err := log.VerifyCheckpoint(note); err != nil {
		t.Fatalf("a note at every limit was refused: %v", err)
	}
}

func TestMaxCheckpointExtensions(t *testing.T) {
	note, log := signedNote(t, checkpointBody(limits.MaxCheckpointExtensions+1), 0)
	_, err := log.VerifyCheckpoint(note)
	requireRefused(t, err, rekor.ErrNoteFormat, fmt.Sprintf("more than %d", limits.MaxCheckpointExtensions))
}

func TestMaxNoteSignatures(t *testing.T) {
	note, log := signedNote(t, checkpointBody(0), limits.MaxNoteSignatures)
	_, err := log.VerifyCheckpoint(note)
	requireRefused(t, err, rekor.ErrNoteFormat, fmt.Sprintf("more than %d", limits.MaxNoteSignatures))
}

func TestMaxNoteSize(t *testing.T) {
	note, log := signedNote(t, checkpointBody(0)+strings.Repeat("x", limits.MaxNoteSize), 0)
	_, err := log.VerifyCheckpoint(note)
	requireRefused(t, err, rekor.ErrNoteFormat, fmt.Sprintf("more than %d", limits.MaxNoteSize))
}

func TestMaxProofHashes(t *testing.T) {
	note, log := signedNote(t, checkpointBody(0), 0)
	hashes := make([][]byte, limits.MaxProofHashes+1)
	for i := range hashes {
		hashes[i] = make([]byte, 32)
	}
	_, err := log.VerifyInclusion([]byte("{}"), rekor.InclusionProof{LogIndex: 1, TreeSize: 5, RootHash: make([]byte, 32), Hashes: hashes, Checkpoint: note})
	requireRefused(t, err, rekor.ErrInclusionProof, fmt.Sprintf("more than %d", limits.MaxProofHashes))
}

func TestMaxAdmissionReviewSize(t *testing.T) {
	dir := t.TempDir()
	global := filepath.Join(dir, "policy.json")
	if err := os.WriteFile(global, []byte(`{"default":[{"type":"reject"}]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	r, err := namespace.New(global, "")
	if err != nil {
		t.Fatal(err)
	}
	h, err := webhook.New(r)
	if err != nil {
		t.Fatal(err)
	}
	body := `{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":"1","object":{"pad":"` +
		strings.Repeat("x", limits.MaxAdmissionReviewSize) + `"}}}`
	rec := httptest.NewRecorder()
	req := httptest.NewRequest(http.MethodPost, "/validate", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	h.ServeHTTP(rec, req)
	if rec.Code < 400 || rec.Code >= 500 || strings.Contains(rec.Body.String(), `"allowed":true`) {
		t.Fatalf("status %d: %.200s", rec.Code, rec.Body.String())
	}
	t.Logf("refused with status %d: %.120s", rec.Code, rec.Body.String())
}
