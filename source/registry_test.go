package source_test

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-containerregistry/pkg/authn"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/opencontainers/go-digest"

	"github.com/sigpolicy/sigpolicy/internal/limits"
	"github.com/sigpolicy/sigpolicy/source"
)

func TestRegistryResolvesAndReadsSignatures(t *testing.T) {
	reg := startRegistry(t, nil)
	dir := filepath.Join(ciFixtures, "dir-img-cosign-valid")
	d, manifest := reg.pushDir(t, "cosign/valid", "v1", dir)
	if d != digestCosignValid {
		t.Fatalf("pushed digest %s", d)
	}
	wantSigs, err := source.NewDir(dir).Signatures(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, ref, requested string
	}{
		{"by tag", reg.host + "/cosign/valid:v1", reg.host + "/cosign/valid:v1"},
		{"by digest", reg.host + "/cosign/valid@" + digestCosignValid, reg.host + "/cosign/valid@" + digestCosignValid},
		{"name only is latest", reg.host + "/cosign/valid", reg.host + "/cosign/valid:latest"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.name == "name only is latest" {
				reg.pushManifest(t, "cosign/valid", "latest", "application/vnd.docker.distribution.manifest.v2+json", manifest)
			}
			ctx := context.Background()
			r, err := source.NewRegistry(ctx, tc.ref, source.WithPlainHTTP())
			if err != nil {
				t.Fatal(err)
			}
			if r.Digest() != digestCosignValid || r.Reference().String() != reg.host+"/cosign/valid@"+digestCosignValid {
				t.Errorf("Digest %s, Reference %s", r.Digest(), r.Reference())
			}
			if r.Requested().String() != tc.requested || r.EvaluationReference().String() != tc.requested {
				t.Errorf("Requested %s, EvaluationReference %s, want %s", r.Requested(), r.EvaluationReference(), tc.requested)
			}
			if r.IndexDigest() != "" || r.Platform() != nil || r.MediaType() != "application/vnd.docker.distribution.manifest.v2+json" {
				t.Errorf("IndexDigest %q, Platform %v, MediaType %q", r.IndexDigest(), r.Platform(), r.MediaType())
			}
			m, err := r.Manifest(ctx)
			if err != nil || !bytes.Equal(m, manifest) {
				t.Fatalf("Manifest differs from the pushed bytes (err %v)", err)
			}
			sigs, err := r.Signatures(ctx)
			if err != nil {
				t.Fatal(err)
			}
			assertSameSignatures(t, sigs, wantSigs)
		})
	}
}

func assertSameSignatures(t *testing.T, got, want []source.Signature) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%d signatures, want %d", len(got), len(want))
	}
	for i := range got {
		g, err1 := source.EncodeSignature(got[i])
		w, err2 := source.EncodeSignature(want[i])
		if err1 != nil || err2 != nil || !bytes.Equal(g, w) {
			t.Errorf("signature %d: got %q, want %q", i+1, g, w)
		}
	}
}

// TestRegistryPinsTheResolvedDigest moves the tag to another image after NewRegistry: the
// manifest and the signatures must still be those of the digest that was resolved.
func TestRegistryPinsTheResolvedDigest(t *testing.T) {
	reg := startRegistry(t, nil)
	ctx := context.Background()
	ref := reg.host + "/moving/app:v1"
	a := syntheticManifest("A")
	b := syntheticManifest("B")
	const oci = "application/vnd.oci.image.manifest.v1+json"
	da := reg.pushManifest(t, "moving/app", "v1", oci, a)
	reg.pushSignatures(t, "moving/app", da, oci, []sigLayer{{sig: sign(t, keyMain, ref, da)}})
	r, err := source.NewRegistry(ctx, ref, source.WithPlainHTTP())
	if err != nil {
		t.Fatal(err)
	}
	db := reg.pushManifest(t, "moving/app", "v1", oci, b) // the tag moves; B is unsigned
	if da == db {
		t.Fatal("test manifests are equal")
	}
	m, err := r.Manifest(ctx)
	if err != nil || !bytes.Equal(m, a) {
		t.Fatalf("Manifest is not the resolved one (err %v)", err)
	}
	sigs, err := r.Signatures(ctx)
	if err != nil || len(sigs) != 1 {
		t.Fatalf("Signatures = %d, %v; want the one signature of the resolved digest", len(sigs), err)
	}
	if r.Digest() != da {
		t.Errorf("Digest %s, want %s", r.Digest(), da)
	}
	// A fresh resolution sees the moved tag and no signature.
	r2, err := source.NewRegistry(ctx, ref, source.WithPlainHTTP())
	if err != nil {
		t.Fatal(err)
	}
	if sigs, err := r2.Signatures(ctx); r2.Digest() != db || err != nil || len(sigs) != 0 {
		t.Errorf("after the move: digest %s, %d signatures, %v", r2.Digest(), len(sigs), err)
	}
}

func TestRegistryMissingSignatureTag(t *testing.T) {
	reg := startRegistry(t, nil)
	reg.pushManifest(t, "unsigned/app", "v1", "application/vnd.oci.image.manifest.v1+json", syntheticManifest("unsigned"))
	r, err := source.NewRegistry(context.Background(), reg.host+"/unsigned/app:v1", source.WithPlainHTTP())
	if err != nil {
		t.Fatal(err)
	}
	sigs, err := r.Signatures(context.Background())
	if err != nil || sigs != nil {
		t.Fatalf("Signatures = %v, %v; want none and no error", sigs, err)
	}
}

func TestRegistryLimits(t *testing.T) {
	const oci = "application/vnd.oci.image.manifest.v1+json"
	sigAt := func(size int) []sigLayer {
		return []sigLayer{{sig: source.Sigstore{UntrustedMIMEType: source.SigstoreSignatureMIMEType}, blob: bytes.Repeat([]byte{'x'}, size)}}
	}
	many := func(n int) []sigLayer {
		l := make([]sigLayer, n)
		for i := range l {
			l[i] = sigLayer{sig: source.Sigstore{UntrustedMIMEType: source.SigstoreSignatureMIMEType}, blob: []byte("same blob")}
		}
		return l
	}
	for _, tc := range []struct {
		name      string
		layers    []sigLayer
		wantLimit int64  // 0: no error
		wantWhat  string // the limited quantity
		wantSigs  int
	}{
		{"signature at the size limit", sigAt(limits.MaxSignatureSize), 0, "", 1},
		{"signature one byte over", sigAt(limits.MaxSignatureSize + 1), limits.MaxSignatureSize, "signature size", 0},
		{"signature count at the limit", many(limits.MaxSignatureCount), 0, "", limits.MaxSignatureCount},
		{"one signature too many", many(limits.MaxSignatureCount + 1), limits.MaxSignatureCount, "signature count", 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			reg := startRegistry(t, nil)
			d := reg.pushManifest(t, "limits/app", "v1", oci, syntheticManifest(tc.name))
			reg.pushSignatures(t, "limits/app", d, oci, tc.layers)
			r, err := source.NewRegistry(context.Background(), reg.host+"/limits/app:v1", source.WithPlainHTTP())
			if err != nil {
				t.Fatal(err)
			}
			sigs, err := r.Signatures(context.Background())
			if tc.wantLimit == 0 {
				if err != nil || len(sigs) != tc.wantSigs {
					t.Fatalf("Signatures = %d, %v; want %d", len(sigs), err, tc.wantSigs)
				}
				return
			}
			var le *source.LimitError
			if !errors.As(err, &le) || !errors.Is(err, source.ErrLimitExceeded) || le.Limit != tc.wantLimit || le.What != tc.wantWhat {
				t.Fatalf("error = %v, want a *LimitError for %s at %d", err, tc.wantWhat, tc.wantLimit)
			}
		})
	}
	t.Run("manifest over the size limit", func(t *testing.T) {
		reg := startRegistry(t, nil)
		big := append(syntheticManifest("big"), bytes.Repeat([]byte(" "), limits.MaxManifestSize)...)
		reg.pushManifest(t, "limits/big", "v1", oci, big)
		_, err := source.NewRegistry(context.Background(), reg.host+"/limits/big:v1", source.WithPlainHTTP())
		var le *source.LimitError
		if !errors.As(err, &le) || le.What != "manifest size" || le.Limit != limits.MaxManifestSize {
			t.Fatalf("error = %v, want a manifest size *LimitError", err)
		}
	})
}

// TestRegistryFaults injects registry misbehaviour; each must fail closed with a typed error.
func TestRegistryFaults(t *testing.T) {
	const oci = "application/vnd.oci.image.manifest.v1+json"
	good := syntheticManifest("good")
	goodDigest := digest.FromBytes(good)
	other := syntheticManifest("other")
	for _, tc := range []struct {
		name    string
		wrap    func(http.Handler) http.Handler
		setup   func(t *testing.T, reg *testRegistry)
		ref     string // path after host; default faults/app:v1
		atNew   bool   // the error comes from NewRegistry (else from Signatures)
		wantIs  error
		wantMsg string
	}{
		{name: "manifest by digest with other content", ref: "faults/app@" + goodDigest.String(), atNew: true, wantIs: source.ErrManifestDigest,
			wrap: serveInstead("/v2/faults/app/manifests/"+goodDigest.String(), oci, other)},
		{name: "signature manifest with a Docker media type", wantIs: source.ErrUnsupportedManifest, wantMsg: "unexpected media type for a sigstore attachment manifest",
			setup: func(t *testing.T, reg *testRegistry) {
				reg.pushSignatures(t, "faults/app", goodDigest, "application/vnd.docker.distribution.manifest.v2+json",
					[]sigLayer{{sig: sign(t, keyMain, "x", goodDigest)}})
			}},
		{name: "signature manifest that is an index", wantIs: source.ErrUnsupportedManifest, wantMsg: "ambiguous",
			wrap: serveInstead("/v2/faults/app/manifests/sha256-"+goodDigest.Encoded()+".sig", oci, []byte(`{"schemaVersion":2,"manifests":[]}`))},
		{name: "signature tag answers 500", wantIs: source.ErrRegistry, wantMsg: "HTTP status 500",
			wrap: statusFor("/v2/faults/app/manifests/sha256-"+goodDigest.Encoded()+".sig", 500, "")},
		{name: "signature tag answers 404 NAME_UNKNOWN", wantIs: source.ErrRegistry, wantMsg: "NAME_UNKNOWN",
			wrap: statusFor("/v2/faults/app/manifests/sha256-"+goodDigest.Encoded()+".sig", 404, `{"errors":[{"code":"NAME_UNKNOWN","message":"x"}]}`)},
		{name: "signature blob with other content", wantMsg: "digest mismatch",
			setup: func(t *testing.T, reg *testRegistry) {
				s := sign(t, keyMain, "x", goodDigest)
				reg.pushSignatures(t, "faults/app", goodDigest, oci, []sigLayer{{sig: s}})
			},
			wrap: func(h http.Handler) http.Handler {
				return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					if strings.Contains(r.URL.Path, "/blobs/") && r.Method == http.MethodGet {
						w.Write([]byte("tampered"))
						return
					}
					h.ServeHTTP(w, r)
				})
			}},
		{name: "manifest missing", ref: "faults/app:nope", atNew: true, wantIs: source.ErrRegistry, wantMsg: "MANIFEST_UNKNOWN"},
		{name: "nested manifest list", ref: "faults/nested:v1", atNew: true, wantIs: source.ErrUnsupportedManifest, wantMsg: "inside a manifest list",
			setup: func(t *testing.T, reg *testRegistry) {
				inner := manifestList("application/vnd.oci.image.index.v1+json", []listEntry{{digest: goodDigest, size: len(good), platform: "linux/amd64"}})
				reg.pushManifest(t, "faults/nested", "inner", "application/vnd.oci.image.manifest.v1+json", good)
				di := reg.pushManifest(t, "faults/nested", "inner-list", "application/vnd.oci.image.index.v1+json", inner)
				outer := manifestList("application/vnd.oci.image.index.v1+json", []listEntry{{digest: di, size: len(inner), platform: "linux/amd64"}})
				reg.pushManifest(t, "faults/nested", "v1", "application/vnd.oci.image.index.v1+json", outer)
			}},
		{name: "no instance for the platform", ref: "faults/list:v1", atNew: true, wantIs: source.ErrNoMatchingPlatform, wantMsg: "available: linux/arm64",
			setup: func(t *testing.T, reg *testRegistry) {
				reg.pushManifest(t, "faults/list", "inst", oci, good)
				reg.pushManifest(t, "faults/list", "v1", "application/vnd.oci.image.index.v1+json",
					manifestList("application/vnd.oci.image.index.v1+json", []listEntry{{digest: goodDigest, size: len(good), platform: "linux/arm64"}}))
			}},
		{name: "endless redirects", wantMsg: "stopped after 10 redirects",
			wrap: func(h http.Handler) http.Handler {
				return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					if strings.Contains(r.URL.Path, ".sig") {
						http.Redirect(w, r, r.URL.Path+"x", http.StatusFound)
						return
					}
					h.ServeHTTP(w, r)
				})
			}},
		{name: "tag and digest", ref: "faults/app:v1@" + goodDigest.String(), atNew: true, wantMsg: "both a tag and digest"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			reg := startRegistry(t, tc.wrap)
			reg.pushManifest(t, "faults/app", "v1", oci, good)
			if tc.setup != nil {
				tc.setup(t, reg)
			}
			ref := tc.ref
			if ref == "" {
				ref = "faults/app:v1"
			}
			ctx := context.Background()
			r, err := source.NewRegistry(ctx, reg.host+"/"+ref, source.WithPlainHTTP(), source.WithPlatform(v1.Platform{OS: "linux", Architecture: "amd64"}))
			if !tc.atNew {
				if err != nil {
					t.Fatal(err)
				}
				_, err = r.Signatures(ctx)
			}
			if err == nil {
				t.Fatal("no error")
			}
			if tc.wantIs != nil && !errors.Is(err, tc.wantIs) {
				t.Errorf("error %q does not match %v", err, tc.wantIs)
			}
			if !strings.Contains(err.Error(), tc.wantMsg) {
				t.Errorf("error %q lacks %q", err, tc.wantMsg)
			}
		})
	}
}

// serveInstead answers GET path with body and Content-Type mediaType.
func serveInstead(path, mediaType string, body []byte) func(http.Handler) http.Handler {
	return func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method == http.MethodGet && r.URL.Path == path {
				w.Header().Set("Content-Type", mediaType)
				w.Write(body)
				return
			}
			h.ServeHTTP(w, r)
		})
	}
}

// statusFor answers GET path with status and body.
func statusFor(path string, status int, body string) func(http.Handler) http.Handler {
	return func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method == http.MethodGet && r.URL.Path == path {
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(status)
				w.Write([]byte(body))
				return
			}
			h.ServeHTTP(w, r)
		})
	}
}

func TestRegistryRefusesPlainHTTPByDefault(t *testing.T) {
	reg := startRegistry(t, nil)
	reg.pushManifest(t, "plain/app", "v1", "application/vnd.oci.image.manifest.v1+json", syntheticManifest("plain"))
	_, err := source.NewRegistry(context.Background(), reg.host+"/plain/app:v1")
	if err == nil || !strings.Contains(err.Error(), "refusing http request") {
		t.Fatalf("error = %v, want a refusal of plain HTTP", err)
	}
}

func TestRegistryContextAndTimeout(t *testing.T) {
	var stall atomic.Bool
	release := make(chan struct{})
	t.Cleanup(func() { close(release) })
	reg := startRegistry(t, func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if stall.Load() && strings.HasSuffix(r.URL.Path, ".sig") {
				select {
				case <-r.Context().Done():
				case <-release:
				}
				return
			}
			h.ServeHTTP(w, r)
		})
	})
	reg.pushManifest(t, "slow/app", "v1", "application/vnd.oci.image.manifest.v1+json", syntheticManifest("slow"))

	t.Run("cancelled context", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		if _, err := source.NewRegistry(ctx, reg.host+"/slow/app:v1", source.WithPlainHTTP()); !errors.Is(err, context.Canceled) {
			t.Fatalf("error = %v, want context.Canceled", err)
		}
	})
	t.Run("timeout on a stalled signature read", func(t *testing.T) {
		r, err := source.NewRegistry(context.Background(), reg.host+"/slow/app:v1", source.WithPlainHTTP(), source.WithTimeout(200*time.Millisecond))
		if err != nil {
			t.Fatal(err)
		}
		stall.Store(true)
		defer stall.Store(false)
		if _, err := r.Signatures(context.Background()); !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("error = %v, want context.DeadlineExceeded", err)
		}
	})
	t.Run("Manifest honours a cancelled context", func(t *testing.T) {
		r, err := source.NewRegistry(context.Background(), reg.host+"/slow/app:v1", source.WithPlainHTTP())
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		if _, err := r.Manifest(ctx); !errors.Is(err, context.Canceled) {
			t.Fatalf("error = %v, want context.Canceled", err)
		}
	})
}

// staticKeychain returns one username and password for every registry.
type staticKeychain struct{ user, pass string }

func (k staticKeychain) Resolve(authn.Resource) (authn.Authenticator, error) {
	return &authn.Basic{Username: k.user, Password: k.pass}, nil
}

func TestRegistryKeychain(t *testing.T) {
	reg := startRegistry(t, func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			// Uploads by the test itself are not authenticated.
			if u, p, ok := r.BasicAuth(); r.Method == http.MethodGet && !(ok && u == "alice" && p == "s3cret") {
				w.Header().Set("WWW-Authenticate", `Basic realm="test"`)
				w.WriteHeader(http.StatusUnauthorized)
				return
			}
			h.ServeHTTP(w, r)
		})
	})
	reg.pushManifest(t, "private/app", "v1", "application/vnd.oci.image.manifest.v1+json", syntheticManifest("private"))
	for _, tc := range []struct {
		name string
		kc   authn.Keychain
		ok   bool
	}{
		{"right credentials", staticKeychain{"alice", "s3cret"}, true},
		{"wrong credentials", staticKeychain{"alice", "nope"}, false},
		{"anonymous", authn.NewMultiKeychain(), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, err := source.NewRegistry(context.Background(), reg.host+"/private/app:v1", source.WithPlainHTTP(), source.WithKeychain(tc.kc))
			if tc.ok {
				if err != nil {
					t.Fatal(err)
				}
				if _, err := r.Signatures(context.Background()); err != nil {
					t.Fatal(err)
				}
				return
			}
			var re *source.RegistryError
			if !errors.As(err, &re) || re.StatusCode != http.StatusUnauthorized {
				t.Fatalf("error = %v, want a 401 *RegistryError", err)
			}
		})
	}
}

func TestRegistryOptionsValidate(t *testing.T) {
	for _, tc := range []struct {
		name string
		opt  source.RegistryOption
	}{
		{"nil keychain", source.WithKeychain(nil)},
		{"nil transport", source.WithTransport(nil)},
		{"zero timeout", source.WithTimeout(0)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := source.NewRegistry(context.Background(), "127.0.0.1:1/x:y", tc.opt); err == nil {
				t.Fatal("invalid option accepted")
			}
		})
	}
	if _, err := source.NewRegistry(context.Background(), "Invalid Reference"); err == nil {
		t.Error("invalid reference accepted")
	}
}

// TestRegistryGeneratedFixtures pushes every generated dir: layout and checks that the registry
// returns the same manifest and signatures as the layout.
func TestRegistryGeneratedFixtures(t *testing.T) {
	reg := startRegistry(t, nil)
	dirs, err := filepath.Glob(filepath.Join(genFixtures, "*", "manifest.json"))
	if err != nil || len(dirs) == 0 {
		t.Fatalf("no generated fixtures: %v", err)
	}
	for _, m := range dirs {
		dir := filepath.Dir(m)
		name := filepath.Base(dir)
		t.Run(name, func(t *testing.T) {
			want, err := source.NewDir(dir).Signatures(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			var wantSigstore []source.Signature
			for _, s := range want {
				if _, ok := s.(source.Sigstore); ok {
					wantSigstore = append(wantSigstore, s)
				}
			}
			d, manifest := reg.pushDir(t, "gen/"+name, "v1", dir)
			r, err := source.NewRegistry(context.Background(), reg.host+"/gen/"+name+":v1", source.WithPlainHTTP())
			if err != nil {
				t.Fatal(err)
			}
			got, err := r.Signatures(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if m, _ := r.Manifest(context.Background()); r.Digest() != d || !bytes.Equal(m, manifest) {
				t.Errorf("manifest or digest differs")
			}
			assertSameSignatures(t, got, wantSigstore)
		})
	}
	if _, err := os.Stat(filepath.Join(genFixtures, "cases.json")); err != nil {
		t.Fatal(err)
	}
}

// TestRegistryManifestList resolves a manifest list to the instance for each platform: that
// instance's manifest and signatures are used, and the list's own (valid) signature is not.
func TestRegistryManifestList(t *testing.T) {
	reg := startRegistry(t, nil)
	const oci = "application/vnd.oci.image.manifest.v1+json"
	const index = "application/vnd.oci.image.index.v1+json"
	ref := reg.host + "/list/app:v1"
	amd64 := syntheticManifest("list amd64")
	arm64 := syntheticManifest("list arm64")
	dAMD := reg.pushManifest(t, "list/app", "amd64", oci, amd64)
	dARM := reg.pushManifest(t, "list/app", "arm64", oci, arm64)
	reg.pushSignatures(t, "list/app", dAMD, oci, []sigLayer{{sig: sign(t, keyMain, ref, dAMD)}})
	list := manifestList(index, []listEntry{{digest: dAMD, size: len(amd64), platform: "linux/amd64"}, {digest: dARM, size: len(arm64), platform: "linux/arm64/v8"}})
	dList := reg.pushManifest(t, "list/app", "v1", index, list)
	reg.pushSignatures(t, "list/app", dList, oci, []sigLayer{{sig: sign(t, keyMain, ref, dList)}})

	for _, tc := range []struct {
		name, platform, ref string
		want                digest.Digest
		wantManifest        []byte
		wantSigs            int
		wantEvalRef         string
	}{
		{"amd64", "linux/amd64", ref, dAMD, amd64, 1, ref},
		{"arm64 v8", "linux/arm64/v8", ref, dARM, arm64, 0, ref},
		{"arm64 without variant", "linux/arm64", ref, dARM, arm64, 0, ref},
		{"by list digest", "linux/amd64", reg.host + "/list/app@" + dList.String(), dAMD, amd64, 1, reg.host + "/list/app@" + dList.String()},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			p, err := v1.ParsePlatform(tc.platform)
			if err != nil {
				t.Fatal(err)
			}
			r, err := source.NewRegistry(ctx, tc.ref, source.WithPlainHTTP(), source.WithPlatform(*p))
			if err != nil {
				t.Fatal(err)
			}
			if r.Digest() != tc.want || r.IndexDigest() != dList || r.MediaType() != oci {
				t.Errorf("Digest %s IndexDigest %s MediaType %s, want %s %s", r.Digest(), r.IndexDigest(), r.MediaType(), tc.want, dList)
			}
			if got := r.Platform(); got == nil || got.OS != p.OS || got.Architecture != p.Architecture {
				t.Errorf("Platform %v, want %v", got, p)
			}
			if m, _ := r.Manifest(ctx); !bytes.Equal(m, tc.wantManifest) {
				t.Error("Manifest is not the instance's")
			}
			if r.EvaluationReference().String() != tc.wantEvalRef {
				t.Errorf("EvaluationReference %s, want %s", r.EvaluationReference(), tc.wantEvalRef)
			}
			sigs, err := r.Signatures(ctx)
			if err != nil || len(sigs) != tc.wantSigs {
				t.Fatalf("%d signatures (%v), want %d", len(sigs), err, tc.wantSigs)
			}
			for _, s := range sigs {
				if !strings.Contains(string(s.(source.Sigstore).UntrustedPayload), tc.want.String()) {
					t.Error("a signature is not for the instance digest")
				}
			}
		})
	}
}
