package bundle

import (
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"os"
	"testing"
)

// Vectors copied from github.com/sigstore/sigstore-go@v1.3.0 (see testdata/README-bundle.md).
const (
	sigstoreJSBundle = "../testdata/bundle/sigstore.js@2.0.0-provenance.sigstore.json"
	sigstoreJSIssuer = "https://token.actions.githubusercontent.com"
	sigstoreJSSAN    = "https://github.com/sigstore/sigstore-js/.github/workflows/release.yml@refs/heads/main"
	sigstoreJSSHA512 = "46d4e2f74c4877316640000a6fdf8a8b59f1e0847667973e9859f774dd31b8f1e0937813b777fb66a2ac67d50540fe34640966eee9fc2ccca387082b4c85cd3c"

	dsseBundle = "../testdata/bundle/dsse.sigstore.json"
	dsseSHA512 = "bbfd372fc9beeb777fe35d05bb10c0c70a9733d366a75fed7dd18866c7391de3ee7e88ba74dd47abf3e15c845e547fcf0e5c3da80854c751554224d3a6d4e55f"

	othernameBundle = "../testdata/bundle/othername.sigstore.json"
	othernameSHA256 = "bc103b4a84971ef6459b294a2b98568a2bfb72cded09d4acd1e16366a401f95b"
	scaffoldingRoot = "../testdata/bundle/scaffolding.json"
)

func readFile(t testing.TB, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func mustHex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func publicGood(t testing.TB) *TrustedMaterial {
	t.Helper()
	tm, err := PublicGood()
	if err != nil {
		t.Fatal(err)
	}
	return tm
}

func sigstoreJSOptions(t testing.TB) Options {
	return Options{ArtifactDigest: mustHex(t, sigstoreJSSHA512), ArtifactDigestAlgorithm: "sha512",
		Identity: &CertificateIdentity{Issuer: sigstoreJSIssuer, SAN: sigstoreJSSAN}}
}

// mutateJSON decodes a bundle, lets edit change the first transparency-log entry, and encodes it
// again.
func mutateEntry(t testing.TB, bundleJSON []byte, edit func(entry map[string]any)) []byte {
	t.Helper()
	var doc map[string]any
	if err := json.Unmarshal(bundleJSON, &doc); err != nil {
		t.Fatal(err)
	}
	entry := doc["verificationMaterial"].(map[string]any)["tlogEntries"].([]any)[0].(map[string]any)
	edit(entry)
	out, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// flipBase64 flips one bit of a base64 string's decoded bytes at index i.
func flipBase64(t testing.TB, s string, i int) string {
	t.Helper()
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	b[i%len(b)] ^= 1
	return base64.StdEncoding.EncodeToString(b)
}
