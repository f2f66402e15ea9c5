package source

import (
	"bufio"
	"bytes"
	"encoding/json"
	"math"
	"os"
	"runtime"
	"slices"
	"strings"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/opencontainers/go-digest"
	imgspecv1 "github.com/opencontainers/image-spec/specs-go/v1"
)

// variantCompatibility lists, per architecture, the variants an image may have to run on a CPU of
// the first variant, most compatible first (containers/image's internal/pkg/platform table).
var variantCompatibility = map[string][]string{
	"arm":   {"v8", "v7", "v6", "v5"},
	"arm64": {"v8"},
}

// zstdInstanceAnnotation marks a zstd-compressed instance in an OCI index; containers/image
// prefers such instances among equally good platform matches.
const zstdInstanceAnnotation = "io.github.containers.compression.zstd"

// wantedPlatforms returns the platforms to look for in a manifest list, best first, as
// containers/image's platform.WantedPlatforms does for a SystemContext with OSChoice,
// ArchitectureChoice and VariantChoice set from choice (nil: all empty). goos and goarch are the
// running system's; detectVariant is called only when the architecture is not chosen.
func wantedPlatforms(choice *v1.Platform, goos, goarch string, detectVariant func(goos, goarch string) string) []v1.Platform {
	var c v1.Platform
	if choice != nil {
		c = *choice
	}
	arch, variant := goarch, ""
	if c.Architecture != "" {
		arch = c.Architecture
	} else {
		variant = detectVariant(goos, goarch)
	}
	if c.Variant != "" {
		variant = c.Variant
	}
	wantOS := goos
	if c.OS != "" {
		wantOS = c.OS
	}
	var variants []string
	if variant != "" {
		if order := variantCompatibility[arch]; order != nil {
			if i := slices.Index(order, variant); i != -1 {
				variants = slices.Clone(order[i:])
			}
		}
		if variants == nil {
			variants = []string{variant}
		}
		variants = append(variants, "")
	} else {
		variants = append([]string{""}, variantCompatibility[arch]...)
	}
	out := make([]v1.Platform, len(variants))
	for i, v := range variants {
		out[i] = v1.Platform{OS: wantOS, Architecture: arch, Variant: v}
	}
	return out
}

// platformString formats p as os/arch[/variant].
func platformString(p v1.Platform) string {
	s := p.OS + "/" + p.Architecture
	if p.Variant != "" {
		s += "/" + p.Variant
	}
	return s
}

// listEntry is one instance of a manifest list or OCI index.
type listEntry struct {
	Digest      digest.Digest
	Platform    *v1.Platform // nil when an OCI index entry has none
	Annotations map[string]string
}

// schema2List mirrors containers/image's Schema2ListPublic, so that the same JSON type errors
// are refused.
type schema2List struct {
	SchemaVersion int    `json:"schemaVersion"`
	MediaType     string `json:"mediaType"`
	Manifests     []struct {
		MediaType string        `json:"mediaType"`
		Size      int64         `json:"size"`
		Digest    digest.Digest `json:"digest"`
		URLs      []string      `json:"urls,omitempty"`
		Platform  struct {
			Architecture string   `json:"architecture"`
			OS           string   `json:"os"`
			OSVersion    string   `json:"os.version,omitempty"`
			OSFeatures   []string `json:"os.features,omitempty"`
			Variant      string   `json:"variant,omitempty"`
			Features     []string `json:"features"`
		} `json:"platform"`
	} `json:"manifests"`
}

// parseManifestList decodes a Docker manifest list or OCI index as containers/image does
// (Schema2ListFromManifest, OCI1IndexFromManifest): plain json.Unmarshal into the same
// structures, then refusing a document that also has image-manifest members.
func parseManifestList(untrustedList []byte, mediaType, ref string) ([]listEntry, error) {
	var entries []listEntry
	var err error
	if mediaType == mediaTypeDockerList {
		var l schema2List
		if err = json.Unmarshal(untrustedList, &l); err == nil {
			for _, m := range l.Manifests {
				p := v1.Platform{OS: m.Platform.OS, Architecture: m.Platform.Architecture, Variant: m.Platform.Variant}
				entries = append(entries, listEntry{Digest: m.Digest, Platform: &p})
			}
		}
	} else {
		var idx imgspecv1.Index
		if err = json.Unmarshal(untrustedList, &idx); err == nil {
			for _, m := range idx.Manifests {
				e := listEntry{Digest: m.Digest, Annotations: m.Annotations}
				if m.Platform != nil {
					e.Platform = &v1.Platform{OS: m.Platform.OS, Architecture: m.Platform.Architecture, Variant: m.Platform.Variant}
				}
				entries = append(entries, e)
			}
		}
	}
	if err != nil {
		return nil, &UnsupportedManifestError{Ref: ref, MediaType: mediaType, Reason: "invalid manifest list", Err: err}
	}
	if err := checkUnambiguous(untrustedList, "manifests"); err != nil {
		return nil, &UnsupportedManifestError{Ref: ref, MediaType: mediaType, Reason: "ambiguous manifest list", Err: err}
	}
	return entries, nil
}

// chooseInstance picks the instance of a manifest list for the wanted platforms, as
// containers/image's ChooseInstance (Docker list: the first instance matching the best wanted
// platform) and chooseInstance with zstd preferred (OCI index: the best platform match; among
// equals a zstd instance, then the earliest; an instance without a platform matches last) do.
func chooseInstance(entries []listEntry, mediaType string, wanted []v1.Platform, ref string) (listEntry, error) {
	rank := func(p *v1.Platform) int {
		return slices.IndexFunc(wanted, func(w v1.Platform) bool {
			return p.OS == w.OS && p.Architecture == w.Architecture && p.Variant == w.Variant
		})
	}
	if mediaType == mediaTypeDockerList {
		for _, w := range wanted {
			for _, e := range entries {
				if p := e.Platform; p.OS == w.OS && p.Architecture == w.Architecture && p.Variant == w.Variant {
					return e, nil
				}
			}
		}
	} else {
		best, bestRank, bestZstd := -1, 0, false
		for i, e := range entries {
			r := math.MaxInt
			if e.Platform != nil {
				if r = rank(e.Platform); r == -1 {
					continue
				}
			}
			zstd := e.Annotations[zstdInstanceAnnotation] == "true"
			if best == -1 || r < bestRank || (r == bestRank && zstd && !bestZstd) {
				best, bestRank, bestZstd = i, r, zstd
			}
		}
		if best != -1 {
			return entries[best], nil
		}
	}
	pe := &PlatformError{Ref: ref, Wanted: platformString(wanted[0])}
	for _, e := range entries {
		if e.Platform == nil {
			pe.Available = append(pe.Available, "(none)")
		} else {
			pe.Available = append(pe.Available, platformString(*e.Platform))
		}
	}
	return listEntry{}, pe
}

// checkUnambiguous refuses a manifest that has non-null members of another manifest kind, as
// containers/image's ValidateUnambiguousManifestFormat does; allowed names the members the
// expected kind may have.
func checkUnambiguous(untrustedManifest []byte, allowed ...string) error {
	var fields struct {
		Config    any `json:"config"`
		FSLayers  any `json:"fsLayers"`
		History   any `json:"history"`
		Layers    any `json:"layers"`
		Manifests any `json:"manifests"`
	}
	if err := json.Unmarshal(untrustedManifest, &fields); err != nil {
		return err
	}
	present := map[string]bool{
		"config": fields.Config != nil, "fsLayers": fields.FSLayers != nil, "history": fields.History != nil,
		"layers": fields.Layers != nil, "manifests": fields.Manifests != nil,
	}
	var unexpected []string
	for _, f := range []string{"config", "fsLayers", "history", "layers", "manifests"} {
		if present[f] && !slices.Contains(allowed, f) {
			unexpected = append(unexpected, f)
		}
	}
	if len(unexpected) != 0 {
		return &ambiguousError{fields: unexpected}
	}
	return nil
}

type ambiguousError struct{ fields []string }

func (e *ambiguousError) Error() string {
	return "rejecting ambiguous manifest, unexpected fields " + strings.Join(e.fields, ", ")
}

// cpuVariant returns the CPU variant of the running system as containers/image detects it:
// v8 (arm64) or v7 (arm) on darwin and windows, /proc/cpuinfo's "Cpu architecture" on linux
// arm and arm64, and "" otherwise or when undetectable.
func cpuVariant(goos, goarch string) string {
	if goos == "darwin" || goos == "windows" {
		switch goarch {
		case "arm64":
			return "v8"
		case "arm":
			return "v7"
		}
		return ""
	}
	if goarch != "arm" && goarch != "arm64" || runtime.GOOS != "linux" {
		return ""
	}
	info, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return ""
	}
	switch strings.ToLower(cpuInfoField(info, "Cpu architecture")) {
	case "8", "aarch64":
		return "v8"
	case "7m", "?(12)", "?(13)", "?(14)", "?(15)", "?(16)", "?(17)":
		return "v7"
	case "7":
		if strings.HasPrefix(strings.ToLower(cpuInfoField(info, "model name")), "armv6-compatible") {
			return "v6"
		}
		return "v7"
	case "6", "6tej":
		return "v6"
	case "5", "5t", "5te", "5tej":
		return "v5"
	case "4", "4t":
		return "v4"
	case "3":
		return "v3"
	}
	return ""
}

// cpuInfoField returns the value of the first /proc/cpuinfo line whose key is field (case
// insensitive).
func cpuInfoField(info []byte, field string) string {
	sc := bufio.NewScanner(bytes.NewReader(info))
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ":")
		if ok && strings.EqualFold(strings.TrimSpace(k), field) {
			return strings.TrimSpace(v)
		}
	}
	return ""
}
