package verify_test

import (
	"context"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/containers/image/v5/docker/reference"

	"github.com/sigpolicy/sigpolicy/bundle"
	"github.com/sigpolicy/sigpolicy/internal/fixturegen/gen"
	"github.com/sigpolicy/sigpolicy/policy"
	"github.com/sigpolicy/sigpolicy/source"
	"github.com/sigpolicy/sigpolicy/verify"
)

// tamperProof flips one bit of the first inclusion-proof hash of a bundle.
func tamperProof(t testing.TB, bundleJSON []byte) []byte {
	t.Helper()
	var doc map[string]any
	if err := json.Unmarshal(bundleJSON, &doc); err != nil {
		t.Fatal(err)
	}
	proof := doc["verificationMaterial"].(map[string]any)["tlogEntries"].([]any)[0].(map[string]any)["inclusionProof"].(map[string]any)
	hashes := proof["hashes"].([]any)
	h, err := base64.StdEncoding.DecodeString(hashes[0].(string))
	if err != nil {
		t.Fatal(err)
	}
	h[0] ^= 1
	hashes[0] = base64.StdEncoding.EncodeToString(h)
	out, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func evalLayout(t testing.TB, ev *verify.Evaluator, dir, ref string) *verify.Decision {
	t.Helper()
	named, err := reference.ParseNormalizedNamed(ref)
	if err != nil {
		t.Fatal(err)
	}
	d, err := ev.Evaluate(context.Background(), verify.Image{Reference: named, Source: source.NewDir(dir)})
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestBundleSatisfiesSigstoreSigned(t *testing.T) {
	f := newBundleFixture(t)
	ca := gen.CertPEM(f.root, f.inter)
	otherDigest := strings.Repeat("ab", 32)
	for _, tc := range []struct {
		name     string
		policy   *policy.Policy
		bundle   []byte
		ref      string
		allowed  bool
		wantErr  error  // errors.Is target for a denial
		contains string // in the signature reason
	}{
		{name: "cosign v3 keyless bundle", policy: f.fulcioPolicy(t, bundleIssuer, bundleEmail, ca, ""), bundle: f.make(t, nil), allowed: true},
		{name: "wrong subject email", policy: f.fulcioPolicy(t, bundleIssuer, "other@example.com", ca, ""), bundle: f.make(t, nil),
			wantErr: verify.ErrInvalidSignature, contains: "other@example.com"},
		{name: "wrong issuer", policy: f.fulcioPolicy(t, "https://other.example", bundleEmail, ca, ""), bundle: f.make(t, nil),
			wantErr: bundle.ErrSignature, contains: "https://other.example"},
		{name: "bundle for another digest", policy: f.fulcioPolicy(t, bundleIssuer, bundleEmail, ca, ""),
			bundle:  f.make(t, func(s *gen.BundleSpec) { s.Payload = gen.Statement(otherDigest, "", gen.CosignSignPredicateType) }),
			wantErr: verify.ErrDigest, contains: otherDigest},
		{name: "tampered inclusion proof", policy: f.fulcioPolicy(t, bundleIssuer, bundleEmail, ca, ""), bundle: tamperProof(t, f.make(t, nil)),
			wantErr: verify.ErrInvalidSignature},
		{name: "attestation predicate type", policy: f.fulcioPolicy(t, bundleIssuer, bundleEmail, ca, ""),
			bundle:  f.make(t, func(s *gen.BundleSpec) { s.Payload = gen.Statement(f.digestHex, "", "https://slsa.dev/provenance/v1") }),
			wantErr: verify.ErrInvalidSignature, contains: "attestation"},
		{name: "message signature bundle", policy: f.fulcioPolicy(t, bundleIssuer, bundleEmail, ca, ""),
			bundle:  f.make(t, func(s *gen.BundleSpec) { s.MessageDigest = mustHexBytes(t, f.digestHex) }),
			wantErr: verify.ErrInvalidSignature, contains: "message signature"},
		{name: "subject name accepted by signedIdentity", policy: f.fulcioPolicy(t, bundleIssuer, bundleEmail, ca, ""),
			bundle: f.make(t, func(s *gen.BundleSpec) {
				s.Payload = gen.Statement(f.digestHex, bundleRepo, gen.CosignSignPredicateType)
			}),
			allowed: true},
		{name: "subject name refused by signedIdentity", policy: f.fulcioPolicy(t, bundleIssuer, bundleEmail, ca, ""),
			bundle: f.make(t, func(s *gen.BundleSpec) {
				s.Payload = gen.Statement(f.digestHex, "registry.example/other", gen.CosignSignPredicateType)
			}),
			wantErr: verify.ErrIdentity},
		{name: "CA data without the intermediate", policy: f.fulcioPolicy(t, bundleIssuer, bundleEmail, gen.CertPEM(f.root), ""),
			bundle: f.make(t, nil), wantErr: verify.ErrInvalidSignature},
		{name: "key-signed bundle", policy: f.keyPolicy(t),
			bundle: f.make(t, func(s *gen.BundleSpec) { s.SignerKey, s.Certificate = f.keys.ECDSAP256, nil }), allowed: true},
		{name: "key-signed bundle by another key", policy: f.keyPolicy(t),
			bundle:  f.make(t, func(s *gen.BundleSpec) { s.SignerKey, s.Certificate = f.keys.OtherECDSA, nil }),
			wantErr: verify.ErrInvalidSignature},
		{name: "keyless bundle under a key policy", policy: f.keyPolicy(t), bundle: f.make(t, nil), wantErr: verify.ErrInvalidSignature},
		{name: "not a bundle", policy: f.fulcioPolicy(t, bundleIssuer, bundleEmail, ca, ""), bundle: []byte(`{"mediaType":"nope"}`),
			wantErr: verify.ErrInvalidSignature},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ref := tc.ref
			if ref == "" {
				ref = bundleRepo + ":v1"
			}
			d := evalLayout(t, compileAt(t, tc.policy), f.layout(t, tc.bundle), ref)
			if d.Allowed != tc.allowed {
				t.Fatalf("allowed = %v, want %v\n%s", d.Allowed, tc.allowed, d.Explain())
			}
			sigs := d.Requirements[0].Signatures
			if len(sigs) != 1 || sigs[0].Kind != "bundle" || sigs[0].Accepted != tc.allowed {
				t.Fatalf("signatures = %+v", sigs)
			}
			if tc.allowed {
				return
			}
			if !errors.Is(d.Err, tc.wantErr) {
				t.Errorf("error %v (%T) does not match %v", d.Err, d.Err, tc.wantErr)
			}
			if !strings.Contains(sigs[0].Reason, tc.contains) || !strings.HasPrefix(sigs[0].Reason, "sigstore-bundle-1.json: ") {
				t.Errorf("reason %q lacks %q or the file name", sigs[0].Reason, tc.contains)
			}
		})
	}
}

func mustHexBytes(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
