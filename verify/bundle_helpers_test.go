package verify_test

import (
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/sigpolicy/sigpolicy/internal/fixturegen/gen"
	"github.com/sigpolicy/sigpolicy/policy"
	"github.com/sigpolicy/sigpolicy/verify"
)

// Identity and log of the generated bundles.
const (
	bundleIssuer = "https://issuer.example"
	bundleEmail  = "signer@example.com"
	bundleRepo   = "registry.example/bundles/app"
	bundleHost   = "rekor.sigstore.dev" // the default WithRekorURL
)

// bundleSignTime is when the generated bundles are signed and logged; bundleNow is the
// evaluator's clock.
var (
	bundleSignTime = time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)
	bundleNow      = bundleSignTime.Add(24 * time.Hour)
)

// bundleFixture is a test Fulcio CA (root and intermediate), a leaf for bundleEmail, and a Rekor
// key, all from fixed seeds.
type bundleFixture struct {
	keys        *gen.Keys
	root, inter *x509.Certificate
	leaf        *x509.Certificate
	manifest    []byte
	digestHex   string
}

func newBundleFixture(t testing.TB) *bundleFixture {
	t.Helper()
	keys, err := gen.NewKeys("sigpolicy bundle tests")
	if err != nil {
		t.Fatal(err)
	}
	f := &bundleFixture{keys: keys}
	nb, na := bundleSignTime.Add(-365*24*time.Hour), bundleSignTime.Add(365*24*time.Hour)
	f.root, err = gen.MakeCert(gen.CertSpec{Serial: 1, Subject: pkix.Name{CommonName: "test fulcio root"}, NotBefore: nb, NotAfter: na, IsCA: true},
		keys.FulcioRoot.Public(), nil, keys.FulcioRoot)
	if err != nil {
		t.Fatal(err)
	}
	f.inter, err = gen.MakeCert(gen.CertSpec{Serial: 2, Subject: pkix.Name{CommonName: "test fulcio intermediate"}, NotBefore: nb, NotAfter: na,
		IsCA: true, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageCodeSigning}}, keys.FulcioIntermediate.Public(), f.root, keys.FulcioRoot)
	if err != nil {
		t.Fatal(err)
	}
	f.leaf, err = gen.MakeLeafCert(3, keys.FulcioLeaf.Public(), []string{bundleEmail}, "", bundleIssuer, bundleSignTime.Add(-time.Minute),
		f.inter, keys.FulcioIntermediate)
	if err != nil {
		t.Fatal(err)
	}
	f.manifest = []byte(`{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json",` +
		`"config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a","size":2},"layers":[]}`)
	sum := sha256.Sum256(f.manifest)
	f.digestHex = hex.EncodeToString(sum[:])
	return f
}

// spec is the bundle cosign v3 would write for the fixture's image, signed keylessly.
func (f *bundleFixture) spec() gen.BundleSpec {
	return gen.BundleSpec{
		Payload:   gen.Statement(f.digestHex, "", gen.CosignSignPredicateType),
		SignerKey: f.keys.FulcioLeaf, Certificate: f.leaf,
		RekorKey: f.keys.Rekor, RekorHost: bundleHost, TreeID: 1193050959916656506,
		IntegratedTime: bundleSignTime.Unix(), LogIndex: 4242, LeafIndex: 5, ExtraLeaves: 3,
	}
}

func (f *bundleFixture) make(t testing.TB, edit func(*gen.BundleSpec)) []byte {
	t.Helper()
	s := f.spec()
	if edit != nil {
		edit(&s)
	}
	b, err := gen.MakeBundle(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func (f *bundleFixture) rekorPEM(t testing.TB) []byte {
	t.Helper()
	p, err := gen.PublicKeyPEM(f.keys.Rekor.Public())
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// fulcioPolicy is a sigstoreSigned Fulcio requirement for the fixture's CA and Rekor key, with
// caPEM as caData.
func (f *bundleFixture) fulcioPolicy(t testing.TB, issuer, email string, caPEM []byte, identity string) *policy.Policy {
	t.Helper()
	b64 := base64.StdEncoding.EncodeToString
	if identity == "" {
		identity = `{"type":"matchRepository"}`
	}
	doc := fmt.Sprintf(`{"default":[{"type":"sigstoreSigned","fulcio":{"caData":%q,"oidcIssuer":%q,"subjectEmail":%q},`+
		`"rekorPublicKeyData":%q,"signedIdentity":%s}]}`, b64(caPEM), issuer, email, b64(f.rekorPEM(t)), identity)
	p, err := policy.Parse([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func (f *bundleFixture) keyPolicy(t testing.TB) *policy.Policy {
	t.Helper()
	b64 := base64.StdEncoding.EncodeToString
	key, err := gen.PublicKeyPEM(f.keys.ECDSAP256.Public())
	if err != nil {
		t.Fatal(err)
	}
	doc := fmt.Sprintf(`{"default":[{"type":"sigstoreSigned","keyData":%q,"rekorPublicKeyData":%q,"signedIdentity":{"type":"matchRepository"}}]}`,
		b64(key), b64(f.rekorPEM(t)))
	p, err := policy.Parse([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// layout writes a dir: layout with the fixture's manifest and the bundles as sigstore-bundle-N.json.
func (f *bundleFixture) layout(t testing.TB, bundles ...[]byte) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "manifest.json"), f.manifest, 0o644); err != nil {
		t.Fatal(err)
	}
	for i, b := range bundles {
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("sigstore-bundle-%d.json", i+1)), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func compileAt(t testing.TB, p *policy.Policy, opts ...verify.Option) *verify.Evaluator {
	t.Helper()
	ev, err := verify.Compile(p, append([]verify.Option{verify.WithClock(func() time.Time { return bundleNow })}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return ev
}
