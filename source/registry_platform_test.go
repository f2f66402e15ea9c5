package source

import (
	"context"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/containers/image/v5/manifest"
	"github.com/containers/image/v5/types"
	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/sigpolicy/sigpolicy/internal/limits"
)

// TestChooseInstanceMatchesContainersImage compares chooseInstance with containers/image's
// public manifest.List.ChooseInstance on its own list fixtures, for a table of platform choices.
func TestChooseInstanceMatchesContainersImage(t *testing.T) {
	lists := map[string]string{
		"schema2list-variants":       mediaTypeDockerList,
		"schema2list":                mediaTypeDockerList,
		"v2list.everything":          mediaTypeDockerList,
		"v2list.manifest":            mediaTypeDockerList,
		"ocilist-variants":           mediaTypeOCIIndex,
		"oci1index":                  mediaTypeOCIIndex,
		"oci1.index.everything":      mediaTypeOCIIndex,
		"oci1.index.zstd-selection":  mediaTypeOCIIndex,
		"oci1.index.zstd-selection2": mediaTypeOCIIndex,
		"ociv1.image.index":          mediaTypeOCIIndex,
	}
	platforms := []v1.Platform{
		{OS: "linux", Architecture: "amd64"}, {OS: "linux", Architecture: "arm64"},
		{OS: "linux", Architecture: "arm64", Variant: "v8"}, {OS: "linux", Architecture: "arm"},
		{OS: "linux", Architecture: "arm", Variant: "v7"}, {OS: "linux", Architecture: "arm", Variant: "v6"},
		{OS: "linux", Architecture: "arm", Variant: "v5"}, {OS: "linux", Architecture: "ppc64le"},
		{OS: "linux", Architecture: "s390x"}, {OS: "windows", Architecture: "amd64"},
		{OS: "linux", Architecture: "riscv64", Variant: "rva20"}, {OS: "linux", Architecture: "386"},
	}
	compared := 0
	for file, mt := range lists {
		path := filepath.Join("..", "testdata", "source", "manifests", "internal-manifest-testdata-"+file+".json")
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range platforms {
			t.Run(file+"/"+platformString(p), func(t *testing.T) {
				sys := &types.SystemContext{OSChoice: p.OS, ArchitectureChoice: p.Architecture, VariantChoice: p.Variant}
				list, err := manifest.ListFromBlob(data, mt)
				if err != nil {
					t.Fatal(err)
				}
				want, wantErr := list.ChooseInstance(sys)
				entries, err := parseManifestList(data, mt, "x")
				if err != nil {
					t.Fatal(err)
				}
				got, gotErr := chooseInstance(entries, mt, wantedPlatforms(&p, runtime.GOOS, runtime.GOARCH, cpuVariant), "x")
				if (wantErr == nil) != (gotErr == nil) || got.Digest != want {
					t.Fatalf("chose %s (%v), containers/image %s (%v)", got.Digest, gotErr, want, wantErr)
				}
				compared++
			})
		}
	}
	if compared < len(lists)*len(platforms) {
		t.Errorf("compared %d choices", compared)
	}
}

func TestWantedPlatforms(t *testing.T) {
	detect := func(_, goarch string) string {
		if goarch == "arm" {
			return "v7"
		}
		return ""
	}
	for _, tc := range []struct {
		name   string
		choice *v1.Platform
		goarch string
		want   string
	}{
		{"default amd64", nil, "amd64", "linux/amd64"},
		{"default arm detects the variant", nil, "arm", "linux/arm/v7 linux/arm/v6 linux/arm/v5 linux/arm"},
		{"chosen arch skips detection", &v1.Platform{Architecture: "arm"}, "amd64", "linux/arm linux/arm/v8 linux/arm/v7 linux/arm/v6 linux/arm/v5"},
		{"chosen variant", &v1.Platform{Architecture: "arm64", Variant: "v8"}, "amd64", "linux/arm64/v8 linux/arm64"},
		{"unknown variant", &v1.Platform{OS: "freebsd", Architecture: "riscv64", Variant: "x"}, "amd64", "freebsd/riscv64/x freebsd/riscv64"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			for _, p := range wantedPlatforms(tc.choice, "linux", tc.goarch, detect) {
				got = append(got, platformString(p))
			}
			if s := strings.Join(got, " "); s != tc.want {
				t.Errorf("got %q, want %q", s, tc.want)
			}
		})
	}
}

func TestCPUInfoField(t *testing.T) {
	info := []byte("processor\t: 0\nmodel name\t: ARMv6-compatible processor rev 7 (v6l)\nCPU architecture: 7\n")
	if got := cpuInfoField(info, "Cpu architecture"); got != "7" {
		t.Errorf("Cpu architecture = %q", got)
	}
	if got := cpuInfoField(info, "missing"); got != "" {
		t.Errorf("missing = %q", got)
	}
	if got := cpuVariant("darwin", "arm64"); got != "v8" {
		t.Errorf("darwin/arm64 variant = %q", got)
	}
	if got := cpuVariant("linux", "amd64"); got != "" {
		t.Errorf("linux/amd64 variant = %q", got)
	}
}

// TestRegistryErrorClassification checks which error responses count as "manifest unknown" (no
// signatures), following containers/image's isManifestUnknownError.
func TestRegistryErrorClassification(t *testing.T) {
	for _, tc := range []struct {
		name    string
		status  int
		header  string
		body    string
		unknown bool
		code    string
	}{
		{"MANIFEST_UNKNOWN", 404, "", `{"errors":[{"code":"MANIFEST_UNKNOWN","message":"x"}]}`, true, "MANIFEST_UNKNOWN"},
		{"MANIFEST_UNKNOWN with 400", 400, "", `{"errors":[{"code":"MANIFEST_UNKNOWN"}]}`, true, "MANIFEST_UNKNOWN"},
		{"NAME_UNKNOWN", 404, "", `{"errors":[{"code":"NAME_UNKNOWN","message":"repository not found"}]}`, false, "NAME_UNKNOWN"},
		{"UNKNOWN Not Found (registry.redhat.io)", 404, "", `{"errors":[{"code":"UNKNOWN","message":"Not Found"}]}`, true, "UNKNOWN"},
		{"unregistered code, not found (Harbor)", 404, "", `{"errors":[{"code":"NOT_FOUND","message":"artifact x not found"}]}`, true, "NOT_FOUND"},
		{"unregistered code, other message", 404, "", `{"errors":[{"code":"NOT_FOUND","message":"gone"}]}`, false, "NOT_FOUND"},
		{"only the first error counts", 404, "", `{"errors":[{"code":"DENIED"},{"code":"MANIFEST_UNKNOWN"}]}`, false, "DENIED"},
		{"plain 404", 404, "", `not json`, true, ""},
		{"404 without errors", 404, "", `{"errors":[]}`, true, ""},
		{"plain 403", 403, "", ``, false, ""},
		{"details not found", 404, "", `{"details":"manifest not found"}`, true, "UNKNOWN"},
		{"details on 401", 401, "", `{"details":"not found"}`, false, "UNAUTHORIZED"},
		{"bearer error header", 401, `Bearer realm="x",error="insufficient_scope"`, `{"errors":[{"code":"MANIFEST_UNKNOWN"}]}`, false, "UNAUTHORIZED"},
		{"500", 500, "", `{"errors":[{"code":"MANIFEST_UNKNOWN"}]}`, false, ""},
		{"numeric code", 404, "", `{"errors":[{"code":1}]}`, true, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			if tc.header != "" {
				rec.Header().Set("WWW-Authenticate", tc.header)
			}
			rec.WriteHeader(tc.status)
			rec.WriteString(tc.body)
			e := newRegistryError(rec.Result(), "reading manifest", "r")
			if e.manifestUnknown != tc.unknown || e.Code != tc.code || e.StatusCode != tc.status {
				t.Errorf("unknown=%v code=%q status=%d, want %v %q %d", e.manifestUnknown, e.Code, e.StatusCode, tc.unknown, tc.code, tc.status)
			}
			if isManifestUnknown(e) != tc.unknown {
				t.Error("isManifestUnknown disagrees")
			}
		})
	}
	t.Run("body cut at MaxRegistryErrorBodySize", func(t *testing.T) {
		body := `{"errors":[{"code":"NAME_UNKNOWN"}]` + strings.Repeat(" ", limits.MaxRegistryErrorBodySize) + `}`
		rec := httptest.NewRecorder()
		rec.WriteHeader(404)
		rec.WriteString(body)
		// Whole, the body says NAME_UNKNOWN; cut, it no longer parses and only the 404 counts.
		if e := newRegistryError(rec.Result(), "reading manifest", "r"); !e.manifestUnknown || e.Code != "" {
			t.Errorf("unknown=%v code=%q: the body was not cut", e.manifestUnknown, e.Code)
		}
	})
	if isManifestUnknown(context.Canceled) {
		t.Error("a non-registry error counted as manifest unknown")
	}
}
