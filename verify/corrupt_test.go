package verify_test

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"os"
	"path/filepath"
	"testing"

	"github.com/sigpolicy/sigpolicy/source"
)

// mutation changes one field of an image (its manifest or its first signature) in place. It
// reports false when the field does not exist in this image.
type mutation struct {
	name  string
	apply func(manifest *[]byte, sig *source.Sigstore) bool
	// uses lists policy fields of which at least one must appear for the mutated field to be
	// checked at all (a key-only policy ignores the certificate and the Rekor SET, as containers/image does).
	uses []string
}

func flipByte(b []byte, at int) []byte {
	out := bytes.Clone(b)
	out[at%len(out)] ^= 0x01
	return out
}

// flipPEM flips one byte inside the DER of the index-th PEM block of s.
func flipPEM(s string, index int, frac float64) (string, bool) {
	rest := []byte(s)
	var out []byte
	found := false
	for i := 0; ; i++ {
		var block *pem.Block
		block, rest = pem.Decode(rest)
		if block == nil {
			break
		}
		if i == index {
			block.Bytes = flipByte(block.Bytes, int(float64(len(block.Bytes))*frac))
			found = true
		}
		out = append(out, pem.EncodeToMemory(block)...)
	}
	return string(out), found
}

func annotationMutation(name, key string, f func(string) (string, bool)) mutation {
	var uses []string
	switch key {
	case source.CertificateAnnotationKey, source.ChainAnnotationKey:
		uses = []string{`"fulcio"`, `"pki"`}
	case source.BundleAnnotationKey:
		uses = []string{`"rekorPublicKey`}
	}
	return mutation{name: name, uses: uses, apply: func(_ *[]byte, sig *source.Sigstore) bool {
		v, ok := sig.UntrustedAnnotations[key]
		if !ok {
			return false
		}
		nv, ok := f(v)
		if !ok {
			return false
		}
		sig.UntrustedAnnotations[key] = nv
		return true
	}}
}

// setMutation edits the Rekor SET annotation's JSON.
func setMutation(name string, f func(set map[string]any, body map[string]any) bool) mutation {
	return annotationMutation(name, source.BundleAnnotationKey, func(v string) (string, bool) {
		var set map[string]any
		if err := json.Unmarshal([]byte(v), &set); err != nil {
			return "", false
		}
		payload, _ := set["Payload"].(map[string]any)
		bodyB64, _ := payload["body"].(string)
		rawBody, err := base64.StdEncoding.DecodeString(bodyB64)
		if err != nil {
			return "", false
		}
		var body map[string]any
		if err := json.Unmarshal(rawBody, &body); err != nil {
			return "", false
		}
		if !f(set, body) {
			return "", false
		}
		nb, _ := json.Marshal(body)
		if _, changed := set["_keepBody"]; !changed {
			payload["body"] = base64.StdEncoding.EncodeToString(nb)
		}
		delete(set, "_keepBody")
		out, _ := json.Marshal(set)
		return string(out), true
	})
}

func spec(body map[string]any, path ...string) map[string]any {
	m := body
	for _, p := range path {
		next, _ := m[p].(map[string]any)
		if next == nil {
			return nil
		}
		m = next
	}
	return m
}

func mutations() []mutation {
	return []mutation{
		{name: "manifest", apply: func(m *[]byte, _ *source.Sigstore) bool { *m = flipByte(*m, len(*m)/2); return true }},
		{name: "payload", apply: func(_ *[]byte, s *source.Sigstore) bool {
			s.UntrustedPayload = flipByte(s.UntrustedPayload, len(s.UntrustedPayload)/2)
			return true
		}},
		annotationMutation("signature", source.SignatureAnnotationKey, func(v string) (string, bool) {
			raw, err := base64.StdEncoding.DecodeString(v)
			if err != nil {
				return "", false
			}
			return base64.StdEncoding.EncodeToString(flipByte(raw, len(raw)-3)), true
		}),
		annotationMutation("certificate", source.CertificateAnnotationKey, func(v string) (string, bool) { return flipPEM(v, 0, 0.5) }),
		annotationMutation("chain-intermediate", source.ChainAnnotationKey, func(v string) (string, bool) { return flipPEM(v, 0, 0.5) }),
		annotationMutation("chain-garbage", source.ChainAnnotationKey, func(v string) (string, bool) {
			return v + "-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n", true
		}),
		setMutation("set-signature", func(set, _ map[string]any) bool {
			s, _ := set["SignedEntryTimestamp"].(string)
			raw, err := base64.StdEncoding.DecodeString(s)
			if err != nil {
				return false
			}
			set["SignedEntryTimestamp"] = base64.StdEncoding.EncodeToString(flipByte(raw, len(raw)-3))
			set["_keepBody"] = true
			return true
		}),
		setMutation("set-integrated-time", func(set, _ map[string]any) bool {
			p, _ := set["Payload"].(map[string]any)
			t, _ := p["integratedTime"].(float64)
			p["integratedTime"] = t + 1
			set["_keepBody"] = true
			return true
		}),
		setMutation("body-hash", func(_, body map[string]any) bool {
			h := spec(body, "spec", "data", "hash")
			if h == nil {
				return false
			}
			v, _ := h["value"].(string)
			h["value"] = string(flipByte([]byte(v), 0))
			return true
		}),
		setMutation("body-signature", func(_, body map[string]any) bool {
			s := spec(body, "spec", "signature")
			if s == nil {
				return false
			}
			s["content"] = base64.StdEncoding.EncodeToString([]byte("another signature"))
			return true
		}),
		setMutation("body-public-key", func(_, body map[string]any) bool {
			k := spec(body, "spec", "signature", "publicKey")
			if k == nil {
				return false
			}
			raw, err := base64.StdEncoding.DecodeString(k["content"].(string))
			if err != nil {
				return false
			}
			flipped, ok := flipPEM(string(raw), 0, 0.7)
			if !ok {
				return false
			}
			k["content"] = base64.StdEncoding.EncodeToString([]byte(flipped))
			return true
		}),
		setMutation("body-kind", func(_, body map[string]any) bool { body["kind"] = "intoto"; return true }),
	}
}

// TestCorruptionProbes takes each valid signed fixture, breaks each field in turn, and expects every
// mutation to be denied, by sigpolicy and by containers/image alike.
func TestCorruptionProbes(t *testing.T) {
	valid := []diffCase{}
	for _, c := range ciFixtureCases() {
		if c.want != nil && *c.want && bytes.Contains(c.policy, []byte("sigstoreSigned")) && !bytes.Contains(c.policy, []byte("insecureAcceptAnything")) {
			valid = append(valid, c)
		}
	}
	if len(valid) < 5 {
		t.Fatalf("only %d valid sigstore fixtures found", len(valid))
	}
	probes := 0
	for _, c := range valid {
		manifest, err := os.ReadFile(filepath.Join(c.dir, "manifest.json"))
		if err != nil {
			t.Fatal(err)
		}
		sigs, err := source.NewDir(c.dir).Signatures(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range mutations() {
			if !usesAny(c.policy, m.uses) {
				continue
			}
			// Mutate the signature that the policy accepts: the last one (mixed fixtures put the good one last).
			idx := len(sigs) - 1
			sig, ok := sigs[idx].(source.Sigstore)
			if !ok {
				continue
			}
			sig = sig.Clone()
			man := bytes.Clone(manifest)
			if !m.apply(&man, &sig) {
				continue
			}
			mutated := append([]source.Signature{}, sigs...)
			mutated[idx] = sig
			if idx > 0 {
				mutated = mutated[idx:] // keep only the mutated signature, so no other can satisfy the policy
			}
			dir := t.TempDir()
			if err := source.WriteDir(dir, man, mutated); err != nil {
				t.Fatal(err)
			}
			probes++
			want := ptr(false)
			if m.name == "chain-intermediate" && usesAny(c.policy, []string{"caIntermediates", "fulcio-chain", "pki_intermediate_crts"}) {
				// The policy itself supplies the intermediate, so the chain annotation is not needed and
				// a corrupted copy of it changes nothing; only agreement with containers/image is checked.
				want = nil
			}
			runDifferential(t, []diffCase{{name: c.name + "/" + m.name, policy: c.policy, dir: dir, ref: c.ref, want: want}})
		}
	}
	t.Logf("%d corruption probes, all denied by both", probes)
}

func usesAny(policy []byte, fields []string) bool {
	if len(fields) == 0 {
		return true
	}
	for _, f := range fields {
		if bytes.Contains(policy, []byte(f)) {
			return true
		}
	}
	return false
}
