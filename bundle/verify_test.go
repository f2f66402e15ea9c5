package bundle

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	sgbundle "github.com/sigstore/sigstore-go/pkg/bundle"

	"github.com/sigpolicy/sigpolicy/rekor"
)

func TestVerifyVectors(t *testing.T) {
	tests := []struct {
		name       string
		bundle     string
		tm         *TrustedMaterial
		opts       Options
		wantKind   ContentKind
		wantIndex  int64     // global log index
		wantProof  int64     // shard-local proof index
		wantTime   time.Time // integrated time
		wantOrigin string
	}{
		{"sigstore.js-v0.1-intoto", sigstoreJSBundle, publicGood(t), sigstoreJSOptions(t), KindDSSE,
			31821305, 27657874, time.Date(2023, 8, 18, 16, 5, 35, 0, time.UTC), "rekor.sigstore.dev - 2605736670972794746"},
		{"dsse-v0.1-x509-chain", dsseBundle, publicGood(t), Options{ArtifactDigest: mustHex(t, dsseSHA512), ArtifactDigestAlgorithm: "sha512",
			Identity: &CertificateIdentity{Issuer: "https://github.com/login/oauth", SAN: "brian@dehamer.com"}}, KindDSSE,
			6800908, -1, time.Date(2022, 11, 9, 23, 0, 36, 0, time.UTC), ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res, err := Verify(readFile(t, tc.bundle), tc.tm, tc.opts)
			if err != nil {
				t.Fatalf("Verify: %v", err)
			}
			if res.Content.Kind != tc.wantKind || len(res.LogEntries) != 1 {
				t.Fatalf("content kind %q, %d log entries", res.Content.Kind, len(res.LogEntries))
			}
			e := res.LogEntries[0]
			if e.LogIndex != tc.wantIndex || e.ProofIndex != tc.wantProof || !e.IntegratedTime.Equal(tc.wantTime) {
				t.Errorf("entry index %d proof %d time %s, want %d %d %s", e.LogIndex, e.ProofIndex, e.IntegratedTime.UTC(), tc.wantIndex, tc.wantProof, tc.wantTime)
			}
			if tc.wantOrigin != "" && e.Checkpoint.Origin != tc.wantOrigin {
				t.Errorf("checkpoint origin %q, want %q", e.Checkpoint.Origin, tc.wantOrigin)
			}
			if res.Identity == nil || res.Identity.SAN != tc.opts.Identity.SAN || res.Identity.Issuer != tc.opts.Identity.Issuer {
				t.Errorf("identity %+v", res.Identity)
			}
		})
	}
}

func TestVerifyDenies(t *testing.T) {
	good := readFile(t, sigstoreJSBundle)
	scaffolding, err := FromTrustedRootJSON(readFile(t, scaffoldingRoot))
	if err != nil {
		t.Fatal(err)
	}
	with := func(edit func(o *Options)) Options { o := sigstoreJSOptions(t); edit(&o); return o }
	integrated := time.Date(2023, 8, 18, 16, 5, 35, 0, time.UTC)
	tests := []struct {
		name   string
		bundle []byte
		tm     *TrustedMaterial
		opts   Options
		want   error
	}{
		{"wrong-san", good, publicGood(t), with(func(o *Options) { o.Identity.SAN += "x" }), ErrSignature},
		{"wrong-issuer", good, publicGood(t), with(func(o *Options) { o.Identity.Issuer = "https://accounts.google.com" }), ErrSignature},
		{"wrong-digest", good, publicGood(t), with(func(o *Options) { o.ArtifactDigest[0] ^= 1 }), ErrSignature},
		{"sha256-of-subject-unknown", good, publicGood(t), with(func(o *Options) { o.ArtifactDigest, o.ArtifactDigestAlgorithm = make([]byte, 32), "" }), ErrSignature},
		{"other-instance-root", good, scaffolding, sigstoreJSOptions(t), ErrSignature},
		{"integrated-time-in-future", good, publicGood(t), with(func(o *Options) { o.CurrentTime = integrated.Add(-time.Second) }), ErrTime},
		{"no-identity-or-key", good, publicGood(t), with(func(o *Options) { o.Identity = nil }), ErrOptions},
		{"no-artifact", good, publicGood(t), with(func(o *Options) { o.ArtifactDigest, o.ArtifactDigestAlgorithm = nil, "" }), ErrOptions},
		{"nil-trusted-material", good, nil, sigstoreJSOptions(t), ErrTrustedMaterial},
		{"not-json", []byte("{"), publicGood(t), sigstoreJSOptions(t), ErrFormat},
		{"unknown-media-type", []byte(strings.Replace(string(good), "version=0.1", "version=0.9", 1)), publicGood(t), sigstoreJSOptions(t), ErrFormat},
		{"media-type-v0.3.1", []byte(strings.Replace(string(good), "bundle+json;version=0.1", "bundle.v0.3.1+json", 1)), publicGood(t), sigstoreJSOptions(t), ErrFormat},
		{"set-integrated-time", mutateEntry(t, good, func(e map[string]any) { e["integratedTime"] = "1692374736" }), publicGood(t), sigstoreJSOptions(t), ErrSignature},
		// sigstore-go accepts this private-instance bundle, but its checkpoint is signed under the
		// pod name "rekor-00001-deployment-…", not the log's URL host: the origin is not the log's.
		{"othername-checkpoint-origin-not-log-host", readFile(t, othernameBundle), scaffolding, Options{ArtifactDigest: mustHex(t, othernameSHA256),
			Identity: &CertificateIdentity{Issuer: "http://oidc.local:8080", SAN: "foo!oidc.local"}}, ErrTransparencyLog},
		{"proof-hash", mutateEntry(t, good, func(e map[string]any) {
			h := e["inclusionProof"].(map[string]any)["hashes"].([]any)
			h[3] = flipBase64(t, h[3].(string), 7)
		}), publicGood(t), sigstoreJSOptions(t), ErrSignature},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res, err := Verify(tc.bundle, tc.tm, tc.opts)
			if !errors.Is(err, tc.want) {
				t.Fatalf("Verify = %v, %v; want an error wrapping %v", res, err, tc.want)
			}
		})
	}
}

// TestCheckEntriesCorruption runs sigpolicy's own log checks (the layer added on top of
// sigstore-go) on a real bundle with each field of its log entry corrupted in turn: every probe
// must deny, with the rekor sentinel that names the failed check.
func TestCheckEntriesCorruption(t *testing.T) {
	good := readFile(t, sigstoreJSBundle)
	tm := publicGood(t)
	proofField := func(key string, v func(old any) any) func(map[string]any) {
		return func(e map[string]any) { p := e["inclusionProof"].(map[string]any); p[key] = v(p[key]) }
	}
	checkpoint := func(edit func(string) string) func(map[string]any) {
		return proofField("checkpoint", func(old any) any {
			cp := old.(map[string]any)
			cp["envelope"] = edit(cp["envelope"].(string))
			return cp
		})
	}
	type probe struct {
		name string
		edit func(map[string]any)
		want error
	}
	probes := []probe{
		{"none", func(map[string]any) {}, nil},
		{"global-log-index", func(e map[string]any) { e["logIndex"] = "31821306" }, rekor.ErrSETSignature},
		{"global-log-index-negative", func(e map[string]any) { e["logIndex"] = "-1" }, ErrFormat},
		{"global-index-as-proof-index", proofField("logIndex", func(any) any { return "31821305" }), rekor.ErrInclusionProof},
		{"proof-index+1", proofField("logIndex", func(any) any { return "27657875" }), rekor.ErrInclusionProof},
		{"proof-index-1", proofField("logIndex", func(any) any { return "27657873" }), rekor.ErrInclusionProof},
		{"tree-size+1", proofField("treeSize", func(any) any { return "27657876" }), rekor.ErrCheckpointMismatch},
		{"root-hash", proofField("rootHash", func(old any) any { return flipBase64(t, old.(string), 0) }), rekor.ErrCheckpointMismatch},
		{"integrated-time", func(e map[string]any) { e["integratedTime"] = "1692374736" }, rekor.ErrSETSignature},
		{"set", func(e map[string]any) {
			p := e["inclusionPromise"].(map[string]any)
			p["signedEntryTimestamp"] = flipBase64(t, p["signedEntryTimestamp"].(string), 20)
		}, rekor.ErrSETSignature},
		{"log-id-unknown", func(e map[string]any) {
			e["logId"] = map[string]any{"keyId": flipBase64(t, e["logId"].(map[string]any)["keyId"].(string), 0)}
		}, ErrTransparencyLog},
		{"body", func(e map[string]any) { e["canonicalizedBody"] = flipBase64(t, e["canonicalizedBody"].(string), 100) }, rekor.ErrSETSignature},
		{"no-proof-and-no-promise", func(e map[string]any) { delete(e, "inclusionProof"); delete(e, "inclusionPromise") }, ErrTransparencyLog},
		{"checkpoint-origin", checkpoint(func(s string) string { return strings.Replace(s, "rekor.sigstore.dev - ", "rekor.sigstage.dev - ", 1) }), rekor.ErrNoteSignature},
		{"checkpoint-size-line", checkpoint(func(s string) string { return strings.Replace(s, "\n27657875\n", "\n27657876\n", 1) }), rekor.ErrNoteSignature},
		{"checkpoint-signer-name", checkpoint(func(s string) string {
			return strings.Replace(s, "\u2014 rekor.sigstore.dev ", "\u2014 rekor.other.dev ", 1)
		}), rekor.ErrNoteSignature},
		{"checkpoint-key-hint", checkpoint(func(s string) string { return strings.Replace(s, " wNI9a", " wNI9b", 1) }), rekor.ErrNoteSignature},
		{"checkpoint-no-signatures", checkpoint(func(s string) string { return s[:strings.LastIndex(s, "\n\n")+2] }), rekor.ErrNoteFormat},
	}
	hashes := 10
	for i := range hashes {
		probes = append(probes, probe{fmt.Sprintf("proof-hash-%d", i), proofField("hashes", func(old any) any {
			h := old.([]any)
			h[i] = flipBase64(t, h[i].(string), i)
			return h
		}), rekor.ErrInclusionProof})
	}
	for _, tc := range probes {
		t.Run(tc.name, func(t *testing.T) {
			var b sgbundle.Bundle
			if err := b.UnmarshalJSON(mutateEntry(t, good, tc.edit)); err != nil {
				if tc.want == nil {
					t.Fatal(err)
				}
				return // sigstore-go's parser already refuses it
			}
			_, err := tm.checkEntries(&b, nil, sigstoreJSOptions(t))
			if tc.want == nil {
				if err != nil {
					t.Fatalf("checkEntries: %v", err)
				}
				return
			}
			if !errors.Is(err, tc.want) {
				t.Fatalf("checkEntries error = %v, want one wrapping %v", err, tc.want)
			}
		})
	}
}
