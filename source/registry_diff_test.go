package source_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/containers/image/v5/docker"
	"github.com/containers/image/v5/image"
	"github.com/containers/image/v5/manifest"
	"github.com/containers/image/v5/signature"
	"github.com/containers/image/v5/types"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/opencontainers/go-digest"

	"github.com/sigpolicy/sigpolicy/internal/limits"
	"github.com/sigpolicy/sigpolicy/policy"
	"github.com/sigpolicy/sigpolicy/source"
	"github.com/sigpolicy/sigpolicy/verify"
)

// cimageSystemContext returns a SystemContext that reads sigstore attachments from every registry
// (use-sigstore-attachments in a private registries.d), tries plain HTTP for the loopback registry
// (DockerInsecureSkipTLSVerify), and reads no configuration or credentials of the machine.
func cimageSystemContext(t testing.TB, p v1.Platform) *types.SystemContext {
	t.Helper()
	dir := t.TempDir()
	write := func(name, content string) string {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return path
	}
	lookaside := filepath.Join(dir, "lookaside")
	write("registries.d/default.yaml", fmt.Sprintf("default-docker:\n  lookaside: file://%s\n  use-sigstore-attachments: true\n", lookaside))
	return &types.SystemContext{
		RegistriesDirPath:           filepath.Join(dir, "registries.d"),
		SystemRegistriesConfPath:    write("registries.conf", ""),
		SystemRegistriesConfDirPath: filepath.Join(dir, "registries.conf.d"),
		AuthFilePath:                write("auth.json", "{}"),
		DockerInsecureSkipTLSVerify: types.OptionalBoolTrue,
		OSChoice:                    p.OS,
		ArchitectureChoice:          p.Architecture,
		VariantChoice:               p.Variant,
	}
}

// cimageRegistryDecide is containers/image's decision for pulling ref from a registry, as
// copy.Image makes it: the docker transport's image source, and for a manifest list the instance
// ChooseInstance picks for sys, evaluated with IsRunningImageAllowed.
func cimageRegistryDecide(ctx context.Context, sys *types.SystemContext, policyJSON []byte, ref string) (bool, error) {
	pol, err := signature.NewPolicyFromBytes(policyJSON)
	if err != nil {
		return false, err
	}
	pc, err := signature.NewPolicyContext(pol)
	if err != nil {
		return false, err
	}
	defer func() { _ = pc.Destroy() }()
	dref, err := docker.ParseReference("//" + ref)
	if err != nil {
		return false, err
	}
	src, err := dref.NewImageSource(ctx, sys)
	if err != nil {
		return false, err
	}
	defer src.Close()
	unparsed := image.UnparsedInstance(src, nil)
	m, mt, err := unparsed.Manifest(ctx)
	if err != nil {
		return false, err
	}
	if manifest.MIMETypeIsMultiImage(mt) {
		list, err := manifest.ListFromBlob(m, mt)
		if err != nil {
			return false, err
		}
		instance, err := list.ChooseInstance(sys)
		if err != nil {
			return false, err
		}
		unparsed = image.UnparsedInstance(src, &instance)
	}
	return pc.IsRunningImageAllowed(ctx, unparsed)
}

// ourRegistryDecide is the same decision made by sigpolicy: NewRegistry, then verify.Evaluate of
// the reference as requested, with the Registry as the source.
func ourRegistryDecide(ctx context.Context, policyJSON []byte, ref string, p v1.Platform) (*verify.Decision, error) {
	pol, err := policy.Parse(policyJSON)
	if err != nil {
		return nil, err
	}
	ev, err := verify.Compile(pol)
	if err != nil {
		return nil, err
	}
	r, err := source.NewRegistry(ctx, ref, source.WithPlainHTTP(), source.WithPlatform(p))
	if err != nil {
		return nil, err
	}
	return ev.Evaluate(ctx, verify.Image{Reference: r.EvaluationReference(), Source: r})
}

// regCase is one differential case against the loopback registry.
type regCase struct {
	name     string
	policy   []byte
	ref      string // pulled reference
	platform string // os/arch[/variant]; default linux/amd64
	want     *bool  // the expected decision where known; nil checks agreement only
}

// docPolicy is a policy with default reject and one docker "" scope holding reqs.
func docPolicy(reqs ...string) []byte {
	return []byte(`{"default":[{"type":"reject"}],"transports":{"docker":{"":[` + strings.Join(reqs, ",") + `]}}}`)
}

func boolPtr(b bool) *bool { return &b }

// registryDiffFixtures pushes every image of the differential test and returns the cases.
func registryDiffFixtures(t *testing.T, reg *testRegistry) []regCase {
	t.Helper()
	h := reg.host
	cosignPub := absFixture(t, filepath.Join(ciFixtures, "cosign.pub"))
	cosign2Pub := absFixture(t, filepath.Join(ciFixtures, "cosign2.pub"))
	rekorPub := absFixture(t, filepath.Join(ciFixtures, "rekor.pub"))
	fulcioCA := absFixture(t, filepath.Join(ciFixtures, "fulcio_v1.crt.pem"))
	pkiRoots := absFixture(t, filepath.Join(ciFixtures, "pki_root_crts.pem"))
	genKey := absFixture(t, filepath.Join(genFixtures, "keys", "ecdsa-p256.pub"))

	reg.pushDir(t, "ci/cosign-signed-single-sample", "latest", filepath.Join(ciFixtures, "dir-img-cosign-valid"))
	reg.pushDir(t, "ci/skopeo-signed", "tag", filepath.Join(ciFixtures, "dir-img-cosign-valid-with-tag"))
	reg.pushDir(t, "ci/skopeo-signed", "othertag", filepath.Join(ciFixtures, "dir-img-cosign-valid-with-tag"))
	reg.pushDir(t, "ci/fulcio", "v1", filepath.Join(ciFixtures, "dir-img-cosign-fulcio-rekor-valid"))
	reg.pushDir(t, "ci/key-rekor", "v1", filepath.Join(ciFixtures, "dir-img-cosign-key-rekor-valid"))
	reg.pushDir(t, "ci/pki", "v1", filepath.Join(ciFixtures, "dir-img-cosign-pki-valid"))
	reg.pushDir(t, "ci/mixed", "v1", filepath.Join(ciFixtures, "dir-img-cosign-mixed"))
	reg.pushDir(t, "ci/unsigned", "v1", filepath.Join(ciFixtures, "dir-img-unsigned"))
	reg.pushDir(t, "ci/other-attachment", "v1", filepath.Join(ciFixtures, "dir-img-cosign-other-attachment"))

	key := func(path, identity string, extra ...string) string {
		s := fmt.Sprintf(`{"type":"sigstoreSigned","keyPath":%q`, path)
		if identity != "" {
			s += `,"signedIdentity":` + identity
		}
		for _, e := range extra {
			s += "," + e
		}
		return s + "}"
	}
	exactRepo := func(repo string) string { return fmt.Sprintf(`{"type":"exactRepository","dockerRepository":%q}`, repo) }
	remap := func(prefix, signedPrefix string) string {
		return fmt.Sprintf(`{"type":"remapIdentity","prefix":%q,"signedPrefix":%q}`, prefix, signedPrefix)
	}
	single := "192.168.64.2:5000/cosign-signed-single-sample"
	fulcio := fmt.Sprintf(`"fulcio":{"caPath":%q,"oidcIssuer":"https://github.com/login/oauth","subjectEmail":"mitr@redhat.com"},"rekorPublicKeyPath":%q`, fulcioCA, rekorPub)
	c := func(name, ref string, want bool, reqs ...string) regCase {
		return regCase{name: name, policy: docPolicy(reqs...), ref: h + "/" + ref, want: boolPtr(want)}
	}
	cases := []regCase{
		c("key exactRepository", "ci/cosign-signed-single-sample:latest", true, key(cosignPub, exactRepo(single))),
		c("key exactRepository by digest", "ci/cosign-signed-single-sample@"+digestCosignValid, true, key(cosignPub, exactRepo(single))),
		c("key default identity", "ci/cosign-signed-single-sample:latest", false, key(cosignPub, "")),
		c("key remap repository-only signature", "ci/cosign-signed-single-sample:latest", false, key(cosignPub, remap(h+"/ci", "192.168.64.2:5000"))),
		c("wrong key", "ci/cosign-signed-single-sample:latest", false, key(cosign2Pub, exactRepo(single))),
		c("keyPaths second", "ci/cosign-signed-single-sample:latest", true,
			fmt.Sprintf(`{"type":"sigstoreSigned","keyPaths":[%q,%q],"signedIdentity":%s}`, cosign2Pub, cosignPub, exactRepo(single))),
		c("remap tag", "ci/skopeo-signed:tag", true, key(cosignPub, remap(h+"/ci", "192.168.64.2:5000"))),
		c("remap other tag", "ci/skopeo-signed:othertag", false, key(cosignPub, remap(h+"/ci", "192.168.64.2:5000"))),
		c("remap by digest", "ci/skopeo-signed@"+digestCosignValid, true, key(cosignPub, remap(h+"/ci", "192.168.64.2:5000"))),
		c("fulcio", "ci/fulcio:v1", true, `{"type":"sigstoreSigned",`+fulcio+`,"signedIdentity":`+exactRepo("192.168.64.2:5000/cosign-signed/fulcio-rekor-1")+`}`),
		c("fulcio wrong email", "ci/fulcio:v1", false,
			`{"type":"sigstoreSigned",`+strings.Replace(fulcio, "mitr@redhat.com", "x@example.com", 1)+`,"signedIdentity":`+exactRepo("192.168.64.2:5000/cosign-signed/fulcio-rekor-1")+`}`),
		c("key with rekor", "ci/key-rekor:v1", true, key(cosign2Pub, exactRepo("192.168.64.2:5000/cosign-signed/key-1"), fmt.Sprintf(`"rekorPublicKeyPath":%q`, rekorPub))),
		c("key with rekor, wrong key", "ci/key-rekor:v1", false, key(cosignPub, exactRepo("192.168.64.2:5000/cosign-signed/key-1"), fmt.Sprintf(`"rekorPublicKeyPath":%q`, rekorPub))),
		c("pki", "ci/pki:v1", true, fmt.Sprintf(`{"type":"sigstoreSigned","pki":{"caRootsPath":%q,"subjectEmail":"qiwan@redhat.com"},"signedIdentity":%s}`, pkiRoots, exactRepo("localhost:5000/test"))),
		c("mixed", "ci/mixed:v1", true, key(cosignPub, exactRepo(single))),
		c("mixed, two keys", "ci/mixed:v1", false, key(cosignPub, exactRepo(single)), key(cosign2Pub, exactRepo(single))),
		c("unsigned", "ci/unsigned:v1", false, key(cosignPub, exactRepo(single))),
		c("unsigned, accept anything", "ci/unsigned:v1", true, `{"type":"insecureAcceptAnything"}`),
		c("other attachment", "ci/other-attachment:v1", false, key(cosignPub, exactRepo(single))),
		c("reject", "ci/cosign-signed-single-sample:latest", false, `{"type":"reject"}`),
		c("missing repository", "ci/nothing-here:v1", false, `{"type":"insecureAcceptAnything"}`),
		c("missing tag", "ci/unsigned:nothing-here", false, `{"type":"insecureAcceptAnything"}`),
	}

	// Oversized signature layer.
	const oci = "application/vnd.oci.image.manifest.v1+json"
	big := syntheticManifest("oversized")
	bigDigest := reg.pushManifest(t, "limits/oversized", "v1", oci, big)
	reg.pushSignatures(t, "limits/oversized", bigDigest, oci, []sigLayer{
		{sig: sign(t, keyMain, h+"/limits/oversized:v1", bigDigest)},
		{sig: source.Sigstore{UntrustedMIMEType: source.SigstoreSignatureMIMEType}, blob: bytes.Repeat([]byte{'x'}, limits.MaxSignatureSize+1)},
	})
	cases = append(cases, c("oversized signature layer", "limits/oversized:v1", false, key(genKey, "")))

	cases = append(cases, generatedRegistryCases(t, reg)...)
	cases = append(cases, manifestListCases(t, reg, genKey)...)
	return cases
}

// generatedRegistryCases pushes the testdata/generated cases whose requirement has no
// signedIdentity, each under <host>/gen/<case>/…, and evaluates them with a remapIdentity that maps
// that prefix back to the signed registry.example.com, so that cases.json's expectations apply.
func generatedRegistryCases(t *testing.T, reg *testRegistry) []regCase {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(genFixtures, "cases.json"))
	if err != nil {
		t.Fatal(err)
	}
	var genCases []struct {
		Name          string         `json:"name"`
		Dir           string         `json:"dir"`
		PullReference string         `json:"pullReference"`
		Requirement   map[string]any `json:"requirement"`
		Expected      string         `json:"expected"`
	}
	if err := json.Unmarshal(data, &genCases); err != nil {
		t.Fatal(err)
	}
	const signedPrefix = "registry.example.com"
	var out []regCase
	for _, gc := range genCases {
		if _, has := gc.Requirement["signedIdentity"]; has || !strings.HasPrefix(gc.PullReference, signedPrefix+"/") {
			continue // identity rules are covered by the dir: differential tests in verify
		}
		prefix := reg.host + "/gen/" + gc.Name
		pull := prefix + strings.TrimPrefix(gc.PullReference, signedPrefix)
		repo := strings.TrimPrefix(pull, reg.host+"/")
		tag := "pushed"
		if i := strings.IndexAny(repo, ":@"); i >= 0 {
			if repo[i] == ':' {
				tag = repo[i+1:]
			}
			repo = repo[:i]
		}
		reg.pushDir(t, repo, tag, filepath.Join(genFixtures, gc.Dir))
		req := absolutePaths(t, gc.Requirement)
		req["signedIdentity"] = map[string]string{"type": "remapIdentity", "prefix": prefix, "signedPrefix": signedPrefix}
		reqJSON, err := json.Marshal(req)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, regCase{name: "generated/" + gc.Name, policy: docPolicy(string(reqJSON)), ref: pull, want: boolPtr(gc.Expected == "allow")})
	}
	if len(out) < 40 {
		t.Fatalf("only %d generated cases selected", len(out))
	}
	return out
}

// absolutePaths returns req with every path (a string ending in .pub or .pem, under keys/) made
// absolute against testdata/generated.
func absolutePaths(t *testing.T, req map[string]any) map[string]any {
	t.Helper()
	var fix func(v any) any
	fix = func(v any) any {
		switch x := v.(type) {
		case string:
			if strings.HasPrefix(x, "keys/") {
				return absFixture(t, filepath.Join(genFixtures, x))
			}
		case []any:
			for i := range x {
				x[i] = fix(x[i])
			}
		case map[string]any:
			for k := range x {
				x[k] = fix(x[k])
			}
		}
		return v
	}
	return fix(req).(map[string]any)
}

// manifestListCases pushes a Docker manifest list and an OCI index whose instances are signed
// differently, and whose list digest carries a valid signature that must be ignored.
func manifestListCases(t *testing.T, reg *testRegistry, genKey string) []regCase {
	t.Helper()
	const oci = "application/vnd.oci.image.manifest.v1+json"
	var out []regCase
	for _, lt := range []struct{ short, mediaType string }{
		{"docker-list", "application/vnd.docker.distribution.manifest.list.v2+json"},
		{"oci-index", "application/vnd.oci.image.index.v1+json"},
	} {
		repo := "lists/" + lt.short
		ref := reg.host + "/" + repo + ":v1"
		inst := func(label string, signer signKey) listEntry {
			m := syntheticManifest(lt.short + "/" + label)
			d := reg.pushManifest(t, repo, "instance-"+strings.ReplaceAll(label, "/", "-"), oci, m)
			if signer != "" {
				reg.pushSignatures(t, repo, d, oci, []sigLayer{{sig: sign(t, signer, ref, d)}})
			}
			return listEntry{digest: d, size: len(m)}
		}
		amd64 := inst("amd64", keyMain)
		amd64.platform = "linux/amd64"
		arm64 := inst("arm64", "") // unsigned
		arm64.platform = "linux/arm64"
		armv7 := inst("arm/v7", keyOther) // signed by an untrusted key
		armv7.platform = "linux/arm/v7"
		entries := []listEntry{arm64, amd64, armv7}
		if lt.mediaType == "application/vnd.oci.image.index.v1+json" {
			// A zstd instance for s390x is preferred over the gzip one listed first.
			gz := inst("s390x-gzip", "")
			gz.platform = "linux/s390x"
			zstd := inst("s390x-zstd", keyMain)
			zstd.platform, zstd.zstd = "linux/s390x", true
			entries = append(entries, gz, zstd)
		}
		list := manifestList(lt.mediaType, entries)
		listDigest := reg.pushManifest(t, repo, "v1", lt.mediaType, list)
		reg.pushSignatures(t, repo, listDigest, oci, []sigLayer{{sig: sign(t, keyMain, ref, listDigest)}})

		pol := docPolicy(fmt.Sprintf(`{"type":"sigstoreSigned","keyPath":%q}`, genKey))
		add := func(name, platform, ref string, want bool) {
			out = append(out, regCase{name: lt.short + "/" + name, policy: pol, ref: ref, platform: platform, want: boolPtr(want)})
		}
		add("amd64 signed", "linux/amd64", ref, true)
		add("arm64 unsigned, list signed", "linux/arm64", ref, false)
		add("arm v7 untrusted key", "linux/arm/v7", ref, false)
		add("arm without variant picks v7", "linux/arm", ref, false)
		add("no instance", "linux/ppc64le", ref, false)
		add("amd64 by list digest", "linux/amd64", reg.host+"/"+repo+"@"+listDigest.String(), true)
		if len(entries) > 3 {
			add("zstd instance preferred", "linux/s390x", ref, true)
		}
	}
	return out
}

func parsePlatform(t testing.TB, s string) v1.Platform {
	t.Helper()
	if s == "" {
		s = "linux/amd64"
	}
	p, err := v1.ParsePlatform(s)
	if err != nil {
		t.Fatal(err)
	}
	return *p
}

// TestRegistryDifferential pulls the same images from the loopback registry through
// containers/image's docker transport and through sigpolicy, and requires the same decision.
func TestRegistryDifferential(t *testing.T) {
	reg := startRegistry(t, nil)
	cases := registryDiffFixtures(t, reg)
	ctx := context.Background()
	allowed := 0
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := parsePlatform(t, tc.platform)
			ciOK, ciErr := cimageRegistryDecide(ctx, cimageSystemContext(t, p), tc.policy, tc.ref)
			d, err := ourRegistryDecide(ctx, tc.policy, tc.ref, p)
			ours := err == nil && d.Allowed
			if ours != ciOK {
				reason := fmt.Sprint(err)
				if d != nil {
					reason = fmt.Sprint(d.Err)
				}
				t.Fatalf("disagreement: containers/image allowed=%v (%v), sigpolicy allowed=%v (%s)\npolicy: %s", ciOK, ciErr, ours, reason, tc.policy)
			}
			if tc.want != nil && *tc.want != ours {
				t.Fatalf("both decided allowed=%v, want %v (containers/image: %v)", ours, *tc.want, ciErr)
			}
			if !ours && err == nil && d.Err == nil {
				t.Fatal("denied without a reason")
			}
			if ours {
				allowed++
			}
		})
	}
	t.Logf("%d cases, %d allowed by both", len(cases), allowed)
}

// TestRegistryDecisionReasons checks the reasons of registry-specific denials through verify.
func TestRegistryDecisionReasons(t *testing.T) {
	reg := startRegistry(t, nil)
	const oci = "application/vnd.oci.image.manifest.v1+json"
	genKey := absFixture(t, filepath.Join(genFixtures, "keys", "ecdsa-p256.pub"))
	pol := docPolicy(fmt.Sprintf(`{"type":"sigstoreSigned","keyPath":%q}`, genKey))

	unsigned := reg.pushManifest(t, "reasons/unsigned", "v1", oci, syntheticManifest("reasons unsigned"))
	over := reg.pushManifest(t, "reasons/oversized", "v1", oci, syntheticManifest("reasons oversized"))
	reg.pushSignatures(t, "reasons/oversized", over, oci, []sigLayer{{sig: source.Sigstore{UntrustedMIMEType: source.SigstoreSignatureMIMEType},
		blob: bytes.Repeat([]byte{'x'}, limits.MaxSignatureSize+1)}})

	for _, tc := range []struct {
		name       string
		ref        string
		platform   string
		wantAllow  bool
		wantIs     error
		wantReason string
		wantDigest digest.Digest
	}{
		{name: "missing signature tag", ref: reg.host + "/reasons/unsigned:v1", wantIs: verify.ErrNoSignature,
			wantReason: "no signature", wantDigest: unsigned},
		{name: "oversized signature layer", ref: reg.host + "/reasons/oversized:v1", wantIs: source.ErrLimitExceeded,
			wantReason: "signature size exceeds the limit of 4194304", wantDigest: over},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d, err := ourRegistryDecide(context.Background(), pol, tc.ref, parsePlatform(t, tc.platform))
			if err != nil {
				t.Fatal(err)
			}
			if d.Allowed != tc.wantAllow || d.Digest != tc.wantDigest.String() {
				t.Fatalf("allowed=%v digest=%s, want %v %s (%v)", d.Allowed, d.Digest, tc.wantAllow, tc.wantDigest, d.Err)
			}
			if !errors.Is(d.Err, tc.wantIs) || !strings.Contains(d.Err.Error(), tc.wantReason) {
				t.Errorf("reason %q: want %v and %q", d.Err, tc.wantIs, tc.wantReason)
			}
		})
	}
}
