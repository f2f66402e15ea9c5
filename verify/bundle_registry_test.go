package verify_test

import (
	"context"
	"encoding/json"
	"io"
	"log"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/containers/image/v5/docker/reference"
	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/registry"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/static"
	"github.com/google/go-containerregistry/pkg/v1/types"
	"github.com/opencontainers/go-digest"

	"github.com/sigpolicy/sigpolicy/internal/fixturegen/gen"
	"github.com/sigpolicy/sigpolicy/source"
	"github.com/sigpolicy/sigpolicy/verify"
)

// rawManifest is a manifest pushed with remote.Put.
type rawManifest struct {
	body      []byte
	mediaType types.MediaType
}

func (m rawManifest) RawManifest() ([]byte, error)        { return m.body, nil }
func (m rawManifest) MediaType() (types.MediaType, error) { return m.mediaType, nil }

// pushBundleImage serves a registry (with or without the referrers API), pushes the fixture's
// image and attaches bundleJSON as cosign v3 does: an OCI manifest with artifactType
// BundleV03MediaType, the empty config, one layer holding the bundle, and the image as subject.
func pushBundleImage(t *testing.T, f *bundleFixture, referrersAPI bool, bundleJSON []byte) string {
	t.Helper()
	srv := httptest.NewServer(registry.New(registry.Logger(log.New(io.Discard, "", 0)), registry.WithReferrersSupport(referrersAPI)))
	t.Cleanup(srv.Close)
	host := strings.TrimPrefix(srv.URL, "http://")
	repo, err := name.NewRepository(host+"/bundles/app", name.Insecure)
	if err != nil {
		t.Fatal(err)
	}
	empty := static.NewLayer([]byte("{}"), "application/vnd.oci.empty.v1+json")
	cfg := static.NewLayer([]byte("{}"), "application/vnd.oci.image.config.v1+json")
	bl := static.NewLayer(bundleJSON, gen.BundleV03MediaType)
	for _, layer := range []v1.Layer{empty, cfg, bl} {
		if err := remote.WriteLayer(repo, layer); err != nil {
			t.Fatal(err)
		}
	}
	if err := remote.Put(repo.Tag("v1"), rawManifest{f.manifest, types.OCIManifestSchema1}); err != nil {
		t.Fatal(err)
	}
	bundleDigest := digest.FromBytes(bundleJSON)
	ref := map[string]any{
		"schemaVersion": 2,
		"mediaType":     "application/vnd.oci.image.manifest.v1+json",
		"artifactType":  gen.BundleV03MediaType,
		"config":        map[string]any{"mediaType": "application/vnd.oci.empty.v1+json", "digest": digest.FromBytes([]byte("{}")), "size": 2},
		"layers":        []any{map[string]any{"mediaType": gen.BundleV03MediaType, "digest": bundleDigest, "size": len(bundleJSON)}},
		"subject":       map[string]any{"mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": "sha256:" + f.digestHex, "size": len(f.manifest)},
		"annotations": map[string]string{source.BundleContentAnnotationKey: "dsse-envelope",
			source.BundlePredicateTypeAnnotationKey: gen.CosignSignPredicateType, "org.opencontainers.image.created": "2025-06-01T12:00:00Z"},
	}
	body, err := json.Marshal(ref)
	if err != nil {
		t.Fatal(err)
	}
	if err := remote.Put(repo.Digest(digest.FromBytes(body).String()), rawManifest{body, types.OCIManifestSchema1}); err != nil {
		t.Fatal(err)
	}
	return host + "/bundles/app:v1"
}

func TestRegistryReferrerBundle(t *testing.T) {
	f := newBundleFixture(t)
	ca := gen.CertPEM(f.root, f.inter)
	good := f.make(t, nil)
	for _, api := range []bool{true, false} {
		mode := "referrers API"
		if !api {
			mode = "referrers tag schema"
		}
		for _, tc := range []struct {
			name    string
			email   string
			bundle  []byte
			allowed bool
		}{
			{"matching identity", bundleEmail, good, true},
			{"wrong identity", "other@example.com", good, false},
			{"wrong digest", bundleEmail, f.make(t, func(s *gen.BundleSpec) {
				s.Payload = gen.Statement(strings.Repeat("cd", 32), "", gen.CosignSignPredicateType)
			}), false},
			{"tampered proof", bundleEmail, tamperProof(t, good), false},
		} {
			t.Run(mode+"/"+tc.name, func(t *testing.T) {
				ref := pushBundleImage(t, f, api, tc.bundle)
				ctx := context.Background()
				src, err := source.NewRegistry(ctx, ref, source.WithPlainHTTP())
				if err != nil {
					t.Fatal(err)
				}
				sigs, err := src.Signatures(ctx)
				if err != nil {
					t.Fatal(err)
				}
				if len(sigs) != 1 {
					t.Fatalf("got %d signatures, want the one bundle", len(sigs))
				}
				named, err := reference.ParseNormalizedNamed(ref)
				if err != nil {
					t.Fatal(err)
				}
				ev := compileAt(t, f.fulcioPolicy(t, bundleIssuer, tc.email, ca, ""))
				d, err := ev.Evaluate(ctx, verify.Image{Reference: named, Source: src})
				if err != nil {
					t.Fatal(err)
				}
				if d.Allowed != tc.allowed {
					t.Fatalf("allowed = %v, want %v\n%s", d.Allowed, tc.allowed, d.Explain())
				}
				if s := d.Requirements[0].Signatures; len(s) != 1 || s[0].Kind != "bundle" || !strings.Contains(s[0].Reason, "referrer sha256:") {
					t.Errorf("signatures = %+v", s)
				}
			})
		}
	}
}
