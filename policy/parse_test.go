package policy

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestParseErrors(t *testing.T) {
	for _, c := range []struct {
		name     string
		doc      string
		sentinel error
		path     string
		line     int
		col      int
	}{
		{"syntax", `{"default": [}`, ErrSyntax, "", 1, 14},
		{"trailing data", `{"default":[{"type":"reject"}]} x`, ErrSyntax, "", 1, 33},
		{"bom", "\xef\xbb\xbf{}", ErrSyntax, "", 1, 1},
		{"not object", `[]`, ErrType, "", 1, 1},
		{"missing default", `{"transports":{}}`, ErrMissingDefault, "", 1, 1},
		{"unknown top key", `{"default":[{"type":"reject"}],"Transports":{}}`, ErrUnknownKey, "Transports", 1, 32},
		{"duplicate after unescaping", `{"default":[{"type":"reject"}],"d\u0065fault":[]}`, ErrDuplicateKey, "default", 1, 32},
		{"empty default", `{"default":[]}`, ErrEmptyRequirements, "default", 1, 12},
		{"null default", `{"default":null}`, ErrEmptyRequirements, "default", 1, 12},
		{"null transports", `{"default":[{"type":"reject"}],"transports":null}`, ErrType, "transports", 1, 45},
		{"unknown requirement type", "{\"default\":[\n  {\"type\":\"nope\"}]}", ErrUnknownRequirementType, "default[0].type", 2, 11},
		{"null requirement", `{"default":[null]}`, ErrUnknownRequirementType, "default[0]", 1, 13},
		{"unknown requirement key", `{"default":[{"type":"reject","x":1}]}`, ErrUnknownKey, "default[0].x", 1, 30},
		{"invalid dir scope", `{"default":[{"type":"reject"}],"transports":{"dir":{"/a/":[{"type":"reject"}]}}}`, ErrInvalidScope, `transports.dir["/a/"]`, 1, 53},
		{"invalid scope is unknown key", `{"default":[{"type":"reject"}],"transports":{"tarball":{"x":[{"type":"reject"}]}}}`, ErrUnknownKey, `transports.tarball["x"]`, 1, 57},
		{"keyPath empty", `{"default":[{"type":"sigstoreSigned","keyPath":""}]}`, ErrConflict, "default[0]", 1, 13},
		{"keyPaths empty", `{"default":[{"type":"sigstoreSigned","keyPaths":[]}]}`, ErrInvalidValue, "default[0].keyPaths", 1, 49},
		{"fulcio without rekor", `{"default":[{"type":"sigstoreSigned","fulcio":{"caPath":"/c","oidcIssuer":"i","subjectEmail":"e"}}]}`, ErrConflict, "default[0]", 1, 13},
		{"fulcio null", `{"default":[{"type":"sigstoreSigned","fulcio":null}]}`, ErrType, "default[0].fulcio", 1, 47},
		{"pki with rekor", `{"default":[{"type":"sigstoreSigned","pki":{"caRootsPath":"/r","subjectEmail":"e"},"rekorPublicKeyData":""}]}`, ErrConflict, "default[0]", 1, 13},
		{"pki oidcIssuer", `{"default":[{"type":"sigstoreSigned","pki":{"caRootsPath":"/r","oidcIssuer":"i"}}]}`, ErrUnknownKey, "default[0].pki.oidcIssuer", 1, 64},
		{"bad base64", `{"default":[{"type":"sigstoreSigned","keyData":"YWJ"}]}`, ErrInvalidValue, "default[0].keyData", 1, 48},
		{"signedIdentity null", `{"default":[{"type":"sigstoreSigned","keyPath":"/k","signedIdentity":null}]}`, ErrUnknownIdentityType, "default[0].signedIdentity", 1, 70},
		{"exactReference without tag", `{"default":[{"type":"signedBy","keyType":"GPGKeys","keyPath":"/k","signedIdentity":{"type":"exactReference","dockerReference":"busybox"}}]}`, ErrInvalidValue, "default[0].signedIdentity.dockerReference", 1, 127},
		{"remap prefix", `{"default":[{"type":"signedBy","keyType":"GPGKeys","keyPath":"/k","signedIdentity":{"type":"remapIdentity","prefix":"a.com/B","signedPrefix":"b.com"}}]}`, ErrInvalidValue, "default[0].signedIdentity.prefix", 1, 117},
		{"signedBy two sources", `{"default":[{"type":"signedBy","keyType":"GPGKeys","keyPath":"","keyData":"YWJj"}]}`, ErrConflict, "default[0]", 1, 13},
		{"signedBy keyType", `{"default":[{"type":"signedBy","keyType":"gpg","keyPath":"/k"}]}`, ErrInvalidValue, "default[0].keyType", 1, 42},
		{"baseLayerIdentity missing", `{"default":[{"type":"signedBaseLayer"}]}`, ErrMissingKey, "default[0]", 1, 13},
		{"scope path", `{"default":[{"type":"reject"}],"transports":{"docker":{"quay.io/x":[{"type":"reject"},{"type":"sigstoreSigned","fulcio":{"caPath":"/c","oidcIssuer":1}}]}}}`, ErrType, `transports.docker["quay.io/x"][1].fulcio.oidcIssuer`, 1, 149},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := ParseNamed("f.json", []byte(c.doc))
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("got %v (%T), want *Error", err, err)
			}
			if !errors.Is(err, c.sentinel) || !errors.Is(err, ErrInvalidPolicy) {
				t.Errorf("error %v does not match %v", err, c.sentinel)
			}
			if e.File != "f.json" || e.Path != c.path || e.Line != c.line || e.Column != c.col {
				t.Errorf("got %s:%d:%d path %q, want f.json:%d:%d path %q (%v)", e.File, e.Line, e.Column, e.Path, c.line, c.col, c.path, err)
			}
			if !strings.HasPrefix(err.Error(), "f.json:") {
				t.Errorf("message %q does not start with the file name", err)
			}
		})
	}
}

func TestParseModel(t *testing.T) {
	p, err := Parse([]byte(`{"default":[{"type":"reject"}],"transports":{"docker":{"q.io/a":[
	  {"type":"signedBy","keyType":"GPGKeys","keyPaths":[]},
	  {"type":"sigstoreSigned","keyPath":"","keyDatas":["YWJj",null,""],"rekorPublicKeyPath":"/r"},
	  {"type":"sigstoreSigned","fulcio":{"caPath":"","caData":[97],"oidcIssuer":"i","subjectEmail":"e"},"rekorPublicKeyDatas":["YWJj"],"signedIdentity":{"type":"remapIdentity","prefix":"q.io","signedPrefix":"r.io/x"}},
	  {"type":"signedBaseLayer","baseLayerIdentity":{"type":"matchExact"}}]}}}`))
	if err != nil {
		t.Fatal(err)
	}
	want := &Policy{
		Default: Requirements{&Reject{}},
		Transports: map[string]TransportScopes{"docker": {"q.io/a": Requirements{
			&SignedBy{KeyType: KeyTypeGPGKeys, KeyPaths: []string{}, SignedIdentity: MatchRepoDigestOrExact{}},
			&SigstoreSigned{KeyDatas: [][]byte{[]byte("abc"), nil, {}}, RekorPublicKeyPath: "/r", SignedIdentity: MatchRepoDigestOrExact{}},
			&SigstoreSigned{Fulcio: &Fulcio{CAData: []byte("a"), OIDCIssuer: "i", SubjectEmail: "e"}, RekorPublicKeyDatas: [][]byte{[]byte("abc")},
				SignedIdentity: RemapIdentity{Prefix: "q.io", SignedPrefix: "r.io/x"}},
			&SignedBaseLayer{BaseLayerIdentity: MatchExact{}},
		}}},
	}
	if !reflect.DeepEqual(p, want) {
		t.Errorf("got %#v\nwant %#v", p, want)
	}
	out, err := p.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	p2, err := Parse(out)
	if err != nil || !reflect.DeepEqual(p2, p) {
		t.Errorf("round trip of %s: %v", out, err)
	}
}

func TestTransportsPresence(t *testing.T) {
	for _, c := range []struct {
		name string
		doc  string
		nil_ bool
	}{
		{"absent", `{"default":[{"type":"reject"}]}`, true},
		{"empty", `{"default":[{"type":"reject"}],"transports":{}}`, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			p, err := Parse([]byte(c.doc))
			if err != nil {
				t.Fatal(err)
			}
			if (p.Transports == nil) != c.nil_ {
				t.Errorf("Transports = %#v", p.Transports)
			}
		})
	}
}

func TestParseFile(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct {
		name     string
		content  []byte
		sentinel error
	}{
		{"valid", []byte(`{"default":[{"type":"reject"}]}`), nil},
		{"too large", append([]byte(`{"default":[{"type":"reject"}]}`), make([]byte, MaxPolicySize)...), ErrTooLarge},
		{"missing", nil, os.ErrNotExist},
	} {
		t.Run(c.name, func(t *testing.T) {
			path := filepath.Join(dir, c.name+".json")
			if c.content != nil {
				if err := os.WriteFile(path, c.content, 0o600); err != nil {
					t.Fatal(err)
				}
			}
			_, err := ParseFile(path)
			if c.sentinel == nil {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			var e *Error
			if !errors.As(err, &e) || !errors.Is(err, c.sentinel) || e.File != path {
				t.Errorf("got %v, want an *Error for %s matching %v", err, path, c.sentinel)
			}
		})
	}
}

func TestLintFindsSeveral(t *testing.T) {
	doc := `{"default":[{"type":"reject","a":1},{"type":"nope"}],"x":1,"transports":{"dir":{"rel":[{"type":"reject"}],"/ok":[]}}}`
	errs := Lint("", []byte(doc))
	var paths []string
	for _, e := range errs {
		paths = append(paths, e.Path)
	}
	want := []string{"default[0].a", "default[1].type", "x", `transports.dir["rel"]`, `transports.dir["/ok"]`}
	if !reflect.DeepEqual(paths, want) {
		t.Errorf("got %q, want %q", paths, want)
	}
	if _, err := Parse([]byte(doc)); err == nil || err.Error() != errs[0].Error() {
		t.Errorf("Parse error %v differs from Lint's first %v", err, errs[0])
	}
}

func TestValidateScope(t *testing.T) {
	sha := strings.Repeat("0", 64)
	for _, c := range []struct {
		transport, scope string
		ok               bool
	}{
		{"docker", "anything goes*", true},
		{"dir", "/a/b", true},
		{"dir", "/a/b/", false},
		{"dir", "/", false},
		{"oci", "a", false},
		{"sif", "/a/../b", false},
		{"docker-archive", "/x", false},
		{"tarball", "", true},
		{"docker-daemon", "sha256:" + sha, false},
		{"docker-daemon", "busybox:latest", true},
		{"atomic", "host/ns/stream:tag", true},
		{"atomic", "host/ns/stream/extra", false},
		{"containers-storage", "[/var/lib]", true},
		{"containers-storage", "[overlay@/var/lib]busybox@" + sha, true},
		{"containers-storage", "[overlay@var]", false},
		{"containers-storage", "busybox", false},
		{"ostree", "whatever", true},
		{"nosuch", "whatever", true},
	} {
		t.Run(c.transport+"/"+c.scope, func(t *testing.T) {
			err := ValidateScope(c.transport, c.scope)
			if (err == nil) != c.ok {
				t.Errorf("got %v, want ok=%v", err, c.ok)
			}
			if err != nil && !errors.Is(err, ErrInvalidScope) {
				t.Errorf("%v does not match ErrInvalidScope", err)
			}
		})
	}
}
