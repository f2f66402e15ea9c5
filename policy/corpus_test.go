package policy

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

// This file builds the parse corpus shared by the differential test, the fuzz seeds and the
// benchmarks: hand-written documents covering every rule, plus systematic mutations of valid ones.

// node is an ordered JSON tree, so mutations can produce duplicate keys and keep key order.
type node struct {
	kind byte // 'o' object, 'a' array, 's' scalar (raw JSON text)
	keys []string
	vals []*node
	raw  string
}

func parseNode(s string) *node {
	dec := json.NewDecoder(strings.NewReader(s))
	dec.UseNumber()
	n, err := readNode(dec)
	if err != nil {
		panic(fmt.Sprintf("corpus: %v in %s", err, s))
	}
	return n
}

func readNode(dec *json.Decoder) (*node, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	switch t := tok.(type) {
	case json.Delim:
		n := &node{kind: 'a'}
		if t == '{' {
			n.kind = 'o'
		}
		for dec.More() {
			if n.kind == 'o' {
				k, err := dec.Token()
				if err != nil {
					return nil, err
				}
				n.keys = append(n.keys, k.(string))
			}
			v, err := readNode(dec)
			if err != nil {
				return nil, err
			}
			n.vals = append(n.vals, v)
		}
		_, err := dec.Token()
		return n, err
	default:
		raw, _ := json.Marshal(t)
		return &node{kind: 's', raw: string(raw)}, nil
	}
}

func (n *node) String() string {
	var b strings.Builder
	n.write(&b)
	return b.String()
}

func (n *node) write(b *strings.Builder) {
	switch n.kind {
	case 's':
		b.WriteString(n.raw)
	case 'o':
		b.WriteByte('{')
		for i, k := range n.keys {
			if i > 0 {
				b.WriteByte(',')
			}
			kb, _ := json.Marshal(k)
			b.Write(kb)
			b.WriteByte(':')
			n.vals[i].write(b)
		}
		b.WriteByte('}')
	case 'a':
		b.WriteByte('[')
		for i, v := range n.vals {
			if i > 0 {
				b.WriteByte(',')
			}
			v.write(b)
		}
		b.WriteByte(']')
	}
}

func (n *node) clone() *node {
	c := &node{kind: n.kind, raw: n.raw, keys: append([]string(nil), n.keys...)}
	for _, v := range n.vals {
		c.vals = append(c.vals, v.clone())
	}
	return c
}

// walk visits every node with a function that, given a clone of the root and the clone's copy of
// the visited node (and its parent and index), may mutate the clone.
func mutations(root *node) []string {
	var out []string
	replacements := []string{`null`, `""`, `[]`, `{}`, `1`, `true`, `"x"`, `[""]`, `[null]`, `"YWJj"`, `[97]`, `"YWJ"`, `"/abs"`,
		`{"type":"matchExact"}`, `{"type":"reject"}`, `[{"type":"reject"}]`}
	var paths [][]int
	var collect func(n *node, p []int)
	collect = func(n *node, p []int) {
		paths = append(paths, append([]int(nil), p...))
		for i, v := range n.vals {
			collect(v, append(p, i))
		}
	}
	collect(root, nil)
	for _, p := range paths {
		if len(p) == 0 {
			continue
		}
		get := func() (*node, *node, int) {
			c := root.clone()
			parent := c
			for _, i := range p[:len(p)-1] {
				parent = parent.vals[i]
			}
			return c, parent, p[len(p)-1]
		}
		for _, r := range replacements {
			c, parent, i := get()
			parent.vals[i] = parseNode(r)
			out = append(out, c.String())
		}
		// Remove the element or key.
		c, parent, i := get()
		parent.vals = append(parent.vals[:i], parent.vals[i+1:]...)
		if parent.kind == 'o' {
			parent.keys = append(parent.keys[:i], parent.keys[i+1:]...)
		}
		out = append(out, c.String())
		// Duplicate the element or key.
		c, parent, i = get()
		parent.vals = append(parent.vals, parent.vals[i].clone())
		if parent.kind == 'o' {
			parent.keys = append(parent.keys, parent.keys[i])
			// Rename the key: upper case, escaped, unknown.
			for _, rename := range []string{strings.ToUpper(parent.keys[i]), parent.keys[i] + "x", ""} {
				c, parent, i := get()
				parent.keys[i] = rename
				out = append(out, c.String())
			}
			// Add an unknown key next to it.
			c2, parent2, _ := get()
			parent2.keys = append(parent2.keys, "unknownKey")
			parent2.vals = append(parent2.vals, parseNode(`"v"`))
			out = append(out, c2.String())
		}
		out = append(out, c.String())
	}
	return out
}

// validBases are valid documents covering every requirement and identity type and transport.
var validBases = []string{
	`{"default":[{"type":"insecureAcceptAnything"}]}`,
	`{"default":[{"type":"reject"}],"transports":{}}`,
	`{"default":[{"type":"reject"}],"transports":{"docker":{}}}`,
	`{"default":[{"type":"reject"}],"transports":{"docker":{"":[{"type":"insecureAcceptAnything"}],"quay.io/x":[{"type":"reject"},{"type":"insecureAcceptAnything"}],"*.example.com":[{"type":"reject"}]}}}`,
	`{"default":[{"type":"signedBy","keyType":"GPGKeys","keyPath":"/k.gpg"}]}`,
	`{"default":[{"type":"signedBy","keyType":"signedByGPGKeys","keyPaths":["/a","/b"],"signedIdentity":{"type":"matchExact"}}]}`,
	`{"default":[{"type":"signedBy","keyType":"X509Certificates","keyData":"YWJj","signedIdentity":{"type":"matchRepository"}}]}`,
	`{"default":[{"type":"signedBy","keyType":"signedByX509CAs","keyPaths":[],"signedIdentity":{"type":"exactReference","dockerReference":"busybox:latest"}}]}`,
	`{"default":[{"type":"signedBy","keyType":"GPGKeys","keyData":"","signedIdentity":{"type":"exactRepository","dockerRepository":"quay.io/ns/repo"}}]}`,
	`{"default":[{"type":"signedBy","keyType":"GPGKeys","keyPath":"k","signedIdentity":{"type":"remapIdentity","prefix":"example.com/a","signedPrefix":"mirror.io:5000"}}]}`,
	`{"default":[{"type":"signedBy","keyType":"GPGKeys","keyPath":"k","signedIdentity":{"type":"matchRepoDigestOrExact"}}]}`,
	`{"default":[{"type":"signedBaseLayer","baseLayerIdentity":{"type":"matchExact"}}]}`,
	`{"default":[{"type":"signedBaseLayer","baseLayerIdentity":{"type":"exactRepository","dockerRepository":"busybox"}}]}`,
	`{"default":[{"type":"sigstoreSigned","keyPath":"/cosign.pub"}]}`,
	`{"default":[{"type":"sigstoreSigned","keyPaths":["/a.pub","/b.pub"],"rekorPublicKeyPath":"/rekor.pub","signedIdentity":{"type":"matchRepository"}}]}`,
	`{"default":[{"type":"sigstoreSigned","keyData":"YWJj","rekorPublicKeyPaths":["/r1","/r2"]}]}`,
	`{"default":[{"type":"sigstoreSigned","keyDatas":["YWJj","",null],"rekorPublicKeyData":"YWJj"}]}`,
	`{"default":[{"type":"sigstoreSigned","keyPath":"","keyData":"YWJj","rekorPublicKeyDatas":["YWJj"]}]}`,
	`{"default":[{"type":"sigstoreSigned","fulcio":{"caPath":"/f.pem","oidcIssuer":"https://i","subjectEmail":"a@b"},"rekorPublicKeyPath":"/rekor.pub","signedIdentity":{"type":"matchRepository"}}]}`,
	`{"default":[{"type":"sigstoreSigned","fulcio":{"caData":"YWJj","caPath":"","oidcIssuer":"https://i","subjectEmail":"a@b"},"rekorPublicKeyData":"YWJj"}]}`,
	`{"default":[{"type":"sigstoreSigned","pki":{"caRootsPath":"/r.pem","caIntermediatesPath":"/i.pem","subjectEmail":"a@b","subjectHostname":"h.example"}}]}`,
	`{"default":[{"type":"sigstoreSigned","pki":{"caRootsData":"YWJj","caIntermediatesData":"YWJj","subjectHostname":"h"},"rekorPublicKeyPath":""}]}`,
	`{"default":[{"type":"reject"}],"transports":{"dir":{"/a/b":[{"type":"reject"}],"":[{"type":"insecureAcceptAnything"}]},"oci":{"/x":[{"type":"reject"}]},"oci-archive":{"/y/z.tar":[{"type":"reject"}]},"sif":{"/s":[{"type":"reject"}]}}}`,
	`{"default":[{"type":"reject"}],"transports":{"docker-archive":{"":[{"type":"reject"}]},"tarball":{"":[{"type":"reject"}]},"docker-daemon":{"busybox:latest":[{"type":"reject"}]},"ostree":{"anything at all":[{"type":"reject"}]},"Docker":{"nonsense":[{"type":"reject"}]}}}`,
	`{"default":[{"type":"reject"}],"transports":{"atomic":{"registry:5000/ns/stream:tag":[{"type":"reject"}],"registry":[{"type":"reject"}]},"containers-storage":{"[overlay@/var/lib/containers/storage]busybox:latest":[{"type":"reject"}],"[/var/lib/c]":[{"type":"reject"}]}}}`,
}

// handWritten are documents aimed at single rules; most are invalid.
func handWritten() []string {
	sha := strings.Repeat("a", 64)
	docs := []string{
		``, ` `, `{}`, `[]`, `null`, `"x"`, `1`, `{"default":[{"type":"reject"}]} x`, `{"default":[{"type":"reject"}]}{}`,
		"\xef\xbb\xbf{\"default\":[{\"type\":\"reject\"}]}",
		"{\"default\":[{\"type\":\"reject\"}]}\n\t ",
		`{"default":[{"type":"reject"}],"default":[{"type":"reject"}]}`,
		`{"default":[{"type":"reject"}],"defaul\u0074":[{"type":"reject"}]}`,
		`{"d\u0065fault":[{"typ\u0065":"rej\u0065ct"}]}`,
		`{"Default":[{"type":"reject"}]}`,
		`{"default":[{"type":"reject"}],"transports":null}`,
		`{"default":null}`, `{"default":[]}`, `{"default":{}}`, `{"default":[null]}`, `{"default":[1]}`, `{"default":[[]]}`,
		`{"default":[{}]}`, `{"default":[{"type":null}]}`, `{"default":[{"type":1}]}`, `{"default":[{"TYPE":"reject"}]}`,
		`{"default":[{"Type":"reject","type":"reject"}]}`, `{"default":[{"type":"reject","type":"reject"}]}`,
		`{"default":[{"type":"reject","type":"nope"}]}`, `{"default":[{"type":"nope","type":"reject"}]}`,
		`{"default":[{"type":"reject","TYPE":null}]}`, `{"default":[{"type":"reject","x":1}]}`,
		`{"default":[{"type":"insecureAcceptAnything","signedIdentity":{"type":"matchExact"}}]}`,
		`{"transports":{"docker":{"a":[{"type":"nope"}]}}}`,
		`{"transports":{"docker":{}}}`,
		"{\"default\":[{\"type\":\"reject\"}],\"transports\":{\"\xff\":{},\"\xfe\":{}}}",
		"{\"default\":[{\"type\":\"reject\"}],\"transports\":{\"docker\":{\"\xff\":[{\"type\":\"reject\"}],\"\xfe\":[{\"type\":\"reject\"}]}}}",
		"{\"default\":[{\"type\":\"reject\"}],\"transports\":{\"dir\":{\"/a\xff\":[{\"type\":\"reject\"}]}}}",
		`{"default":[{"type":"reject"}],"transports":{"docker":null}}`,
		`{"default":[{"type":"reject"}],"transports":{"docker":[]}}`,
		`{"default":[{"type":"reject"}],"transports":{"docker":{"x":null}}}`,
		`{"default":[{"type":"reject"}],"transports":{"docker":{"x":[]}}}`,
		`{"default":[{"type":"signedBy","keyType":"GPGKeys"}]}`,
		`{"default":[{"type":"signedBy","keyPath":"/k"}]}`,
		`{"default":[{"type":"signedBy","keyType":"gpgkeys","keyPath":"/k"}]}`,
		`{"default":[{"type":"signedBy","keyType":null,"keyPath":"/k"}]}`,
		`{"default":[{"type":"signedBy","keyType":"","keyPath":"/k"}]}`,
		`{"default":[{"type":"signedBy","keyType":"GPGKeys","keyPath":""}]}`,
		`{"default":[{"type":"signedBy","keyType":"GPGKeys","keyPath":null}]}`,
		`{"default":[{"type":"signedBy","keyType":"GPGKeys","keyPaths":null}]}`,
		`{"default":[{"type":"signedBy","keyType":"GPGKeys","keyData":null}]}`,
		`{"default":[{"type":"signedBy","keyType":"GPGKeys","keyPath":"","keyData":"YWJj"}]}`,
		`{"default":[{"type":"signedBy","keyType":"GPGKeys","keyPath":"/a","keyPaths":["/b"]}]}`,
		`{"default":[{"type":"signedBy","keyType":"GPGKeys","keyData":"YWJj\n"}]}`,
		`{"default":[{"type":"signedBy","keyType":"GPGKeys","keyData":"YWJj\r\nYWJj"}]}`,
		`{"default":[{"type":"signedBy","keyType":"GPGKeys","keyData":"YW Jj"}]}`,
		`{"default":[{"type":"signedBy","keyType":"GPGKeys","keyData":"YWJ"}]}`,
		`{"default":[{"type":"signedBy","keyType":"GPGKeys","keyData":"YW-_"}]}`,
		`{"default":[{"type":"signedBy","keyType":"GPGKeys","keyData":"YQ=="}]}`,
		`{"default":[{"type":"signedBy","keyType":"GPGKeys","keyData":"YQ="}]}`,
		`{"default":[{"type":"signedBy","keyType":"GPGKeys","keyData":"YR=="}]}`,
		`{"default":[{"type":"signedBy","keyType":"GPGKeys","keyData":[0,255]}]}`,
		`{"default":[{"type":"signedBy","keyType":"GPGKeys","keyData":[-1]}]}`,
		`{"default":[{"type":"signedBy","keyType":"GPGKeys","keyData":[1.0]}]}`,
		`{"default":[{"type":"signedBy","keyType":"GPGKeys","keyData":[1e1]}]}`,
		`{"default":[{"type":"signedBy","keyType":"GPGKeys","keyData":["a"]}]}`,
		`{"default":[{"type":"signedBy","keyType":"GPGKeys","keyData":[]}]}`,
		`{"default":[{"type":"signedBy","keyType":"GPGKeys","keyPaths":[1]}]}`,
		`{"default":[{"type":"signedBy","keyType":"GPGKeys","keyPaths":[null,""]}]}`,
		`{"default":[{"type":"signedBy","keyType":"GPGKeys","keyPaths":"/a"}]}`,
		`{"default":[{"type":"signedBy","keyType":"GPGKeys","keyPath":"/k","signedIdentity":null}]}`,
		`{"default":[{"type":"signedBy","keyType":"GPGKeys","keyPath":"/k","signedIdentity":{}}]}`,
		`{"default":[{"type":"signedBy","keyType":"GPGKeys","keyPath":"/k","signedIdentity":"matchExact"}]}`,
		`{"default":[{"type":"signedBy","keyType":"GPGKeys","keyPath":"/k","signedIdentity":{"type":"matchExact","x":1}}]}`,
		`{"default":[{"type":"signedBy","keyType":"GPGKeys","keyPath":"/k","signedIdentity":{"type":"nope"},"bad":1}]}`,
		`{"default":[{"type":"signedBy","keyType":"GPGKeys","signedIdentity":{"type":"nope"}}]}`,
		`{"default":[{"type":"signedBaseLayer"}]}`,
		`{"default":[{"type":"signedBaseLayer","baseLayerIdentity":null}]}`,
		`{"default":[{"type":"signedBaseLayer","baseLayerIdentity":{"type":"matchRepository"},"x":1}]}`,
		`{"default":[{"type":"sigstoreSigned"}]}`,
		`{"default":[{"type":"sigstoreSigned","keyPath":""}]}`,
		`{"default":[{"type":"sigstoreSigned","keyPath":null}]}`,
		`{"default":[{"type":"sigstoreSigned","keyData":""}]}`,
		`{"default":[{"type":"sigstoreSigned","keyData":null}]}`,
		`{"default":[{"type":"sigstoreSigned","keyPaths":[]}]}`,
		`{"default":[{"type":"sigstoreSigned","keyPaths":null}]}`,
		`{"default":[{"type":"sigstoreSigned","keyDatas":[]}]}`,
		`{"default":[{"type":"sigstoreSigned","keyDatas":null}]}`,
		`{"default":[{"type":"sigstoreSigned","keyDatas":[[1,2],null,""]}]}`,
		`{"default":[{"type":"sigstoreSigned","keyPath":"/a","keyData":"YWJj"}]}`,
		`{"default":[{"type":"sigstoreSigned","keyPath":"/a","rekorPublicKeyPaths":[]}]}`,
		`{"default":[{"type":"sigstoreSigned","keyPath":"/a","rekorPublicKeyDatas":null}]}`,
		`{"default":[{"type":"sigstoreSigned","keyPath":"/a","rekorPublicKeyPath":"/r","rekorPublicKeyData":""}]}`,
		`{"default":[{"type":"sigstoreSigned","keyPath":"/a","rekorPublicKeyPath":"","rekorPublicKeyData":null}]}`,
		`{"default":[{"type":"sigstoreSigned","fulcio":null,"rekorPublicKeyPath":"/r"}]}`,
		`{"default":[{"type":"sigstoreSigned","fulcio":{},"rekorPublicKeyPath":"/r"}]}`,
		`{"default":[{"type":"sigstoreSigned","fulcio":{"caPath":"/c","oidcIssuer":"i","subjectEmail":"e"}}]}`,
		`{"default":[{"type":"sigstoreSigned","fulcio":{"caPath":"/c","oidcIssuer":"i","subjectEmail":"e"},"rekorPublicKeyPath":""}]}`,
		`{"default":[{"type":"sigstoreSigned","fulcio":{"caPath":"/c","caData":"","oidcIssuer":"i","subjectEmail":"e"},"rekorPublicKeyPath":"/r"}]}`,
		`{"default":[{"type":"sigstoreSigned","fulcio":{"caPath":"/c","oidcIssuer":"","subjectEmail":"e"},"rekorPublicKeyPath":"/r"}]}`,
		`{"default":[{"type":"sigstoreSigned","fulcio":{"caPath":"/c","oidcIssuer":"i","subjectEmail":null},"rekorPublicKeyPath":"/r"}]}`,
		`{"default":[{"type":"sigstoreSigned","fulcio":{"caPath":"/c","oidcIssuer":"i","subjectEmail":"e","subjectHostname":"h"},"rekorPublicKeyPath":"/r"}]}`,
		`{"default":[{"type":"sigstoreSigned","fulcio":{"caPath":"/c","oidcIssuer":"i","subjectEmail":"e"},"keyPath":"/k","rekorPublicKeyPath":"/r"}]}`,
		`{"default":[{"type":"sigstoreSigned","pki":null}]}`,
		`{"default":[{"type":"sigstoreSigned","pki":{}}]}`,
		`{"default":[{"type":"sigstoreSigned","pki":{"caRootsPath":"/r"}}]}`,
		`{"default":[{"type":"sigstoreSigned","pki":{"caRootsPath":"/r","subjectEmail":""}}]}`,
		`{"default":[{"type":"sigstoreSigned","pki":{"caRootsPath":"/r","caRootsData":"","subjectEmail":"e"}}]}`,
		`{"default":[{"type":"sigstoreSigned","pki":{"caRootsPath":"/r","caIntermediatesPath":"/i","caIntermediatesData":"","subjectEmail":"e"}}]}`,
		`{"default":[{"type":"sigstoreSigned","pki":{"caRootsPath":"/r","caIntermediatesPath":"","caIntermediatesData":null,"subjectHostname":"h"}}]}`,
		`{"default":[{"type":"sigstoreSigned","pki":{"caRootsPath":"/r","subjectEmail":"e","oidcIssuer":"i"}}]}`,
		`{"default":[{"type":"sigstoreSigned","pki":{"caRootsPath":"/r","subjectEmail":"e"},"rekorPublicKeyPath":"/r"}]}`,
		`{"default":[{"type":"sigstoreSigned","pki":{"caRootsPath":"/r","subjectEmail":"e"},"rekorPublicKeyData":""}]}`,
		`{"default":[{"type":"sigstoreSigned","pki":{"caRootsPath":"/r","subjectEmail":"e"},"rekorPublicKeyData":null}]}`,
	}
	// signedIdentity values.
	for _, id := range []string{
		`{"type":"matchExact"}`, `{"type":"matchRepoDigestOrExact"}`, `{"type":"matchRepository"}`,
		`{"type":"exactReference","dockerReference":"busybox:latest"}`,
		`{"type":"exactReference","dockerReference":"busybox"}`,
		`{"type":"exactReference","dockerReference":"Busybox:latest"}`,
		`{"type":"exactReference","dockerReference":"quay.io/ns/repo@sha256:` + sha + `"}`,
		`{"type":"exactReference","dockerReference":"quay.io/ns/repo:tag@sha256:` + sha + `"}`,
		`{"type":"exactReference","dockerReference":"quay.io/ns/repo@sha256:abc"}`,
		`{"type":"exactReference","dockerReference":"quay.io/ns/repo@sha512:` + strings.Repeat("b", 128) + `"}`,
		`{"type":"exactReference","dockerReference":"quay.io/ns/repo@md5:` + strings.Repeat("b", 32) + `"}`,
		`{"type":"exactReference","dockerReference":""}`,
		`{"type":"exactReference","dockerReference":null}`,
		`{"type":"exactReference","dockerReference":1}`,
		`{"type":"exactReference"}`,
		`{"type":"exactReference","dockerReference":"a:1","dockerRepository":"a"}`,
		`{"type":"exactRepository","dockerRepository":"busybox"}`,
		`{"type":"exactRepository","dockerRepository":"busybox:tag"}`,
		`{"type":"exactRepository","dockerRepository":"localhost:5000/a/b@sha256:` + sha + `"}`,
		`{"type":"exactRepository","dockerRepository":"UPPER/case"}`,
		`{"type":"exactRepository","dockerRepository":""}`,
		`{"type":"exactRepository","dockerRepository":"sha256:` + sha + `"}`,
		`{"type":"exactRepository","dockerRepository":"` + sha + `"}`,
		`{"type":"exactRepository"}`,
		`{"type":"remapIdentity","prefix":"example.com","signedPrefix":"mirror.example.com:5000/x"}`,
		`{"type":"remapIdentity","prefix":"busybox","signedPrefix":"ns/repo"}`,
		`{"type":"remapIdentity","prefix":"example.com/","signedPrefix":"m.io"}`,
		`{"type":"remapIdentity","prefix":"example.com/Upper","signedPrefix":"m.io"}`,
		`{"type":"remapIdentity","prefix":"example.com/a:tag","signedPrefix":"m.io"}`,
		`{"type":"remapIdentity","prefix":"","signedPrefix":"m.io"}`,
		`{"type":"remapIdentity","prefix":"m.io","signedPrefix":""}`,
		`{"type":"remapIdentity","prefix":"m.io","signedPrefix":null}`,
		`{"type":"remapIdentity","prefix":"m.io"}`,
		`{"type":"remapIdentity","prefix":"[::1]:5000/a","signedPrefix":"localhost"}`,
		`{"type":"remapIdentity","prefix":"a_b/c","signedPrefix":"localhost"}`,
		`{"type":"remapIdentity","prefix":"ns/repo/x","signedPrefix":"localhost"}`,
		`{"type":"remapIdentity","prefix":"-bad.com","signedPrefix":"localhost"}`,
		`{"type":"remapIdentity","prefix":"x.com:abc","signedPrefix":"localhost"}`,
		`{"type":"MatchExact"}`, `{"TYPE":"matchExact"}`, `{"type":"matchExact","type":"matchExact"}`,
	} {
		docs = append(docs,
			`{"default":[{"type":"signedBy","keyType":"GPGKeys","keyPath":"/k","signedIdentity":`+id+`}]}`,
			`{"default":[{"type":"sigstoreSigned","keyPath":"/k","signedIdentity":`+id+`}]}`,
			`{"default":[{"type":"signedBaseLayer","baseLayerIdentity":`+id+`}]}`)
	}
	// Scope keys for each transport.
	scopes := []string{"", "/", "/a", "/a/", "/a/../b", "/a//b", "/a/./b", "a/b", ".", "/a b", "C:\\x", "x",
		"docker.io/library/busybox:latest", "*.example.com", "example*.*.com", "a/b/c/d", "a/b:c", "a/b/c:d", "a/b/c:d:e", "a:b/c",
		"sha256:" + sha, "sha256:" + strings.ToUpper(sha), "sha384:" + strings.Repeat("c", 96), "md5:abc",
		"[/var/lib/c]", "[overlay@/var/lib/c]", "[overlay@var]", "[@/var]", "[overlay@]", "[]", "[/x", "]", "[/x]name",
		"[/x]name:tag", "[/x]name@" + sha, "[/x]name@sha256:" + sha, "[/x]name@sha256:" + sha + "@" + sha,
		"[/x]name@bad", "[/x]name@sha256:" + sha + "@bad", "[/x]@" + sha, "[a@b@/c]", "[/x]a@b@c@d",
	}
	transports := []string{"docker", "atomic", "containers-storage", "dir", "oci", "oci-archive", "docker-archive",
		"docker-daemon", "sif", "tarball", "ostree", "nosuch", "", "DIR"}
	for _, tr := range transports {
		for _, sc := range scopes {
			t, _ := json.Marshal(tr)
			s, _ := json.Marshal(sc)
			docs = append(docs, fmt.Sprintf(`{"default":[{"type":"reject"}],"transports":{%s:{%s:[{"type":"reject"}]}}}`, t, s))
		}
	}
	return docs
}

// upstreamDocs returns the policy documents shipped with containers/image, copied under
// testdata/policy/upstream (see testdata/README-policy.md).
func upstreamDocs() (map[string]string, error) {
	files, err := filepath.Glob("../testdata/policy/upstream/*.json")
	if err != nil {
		return nil, err
	}
	res := map[string]string{}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		res[filepath.Base(f)] = string(data)
	}
	return res, nil
}

// corpus returns every parse test document, named and deduplicated, in a stable order.
func corpus() ([]corpusDoc, error) {
	seen := map[string]bool{}
	var res []corpusDoc
	add := func(name, doc string) {
		if !seen[doc] {
			seen[doc] = true
			res = append(res, corpusDoc{name, doc})
		}
	}
	up, err := upstreamDocs()
	if err != nil {
		return nil, err
	}
	names := make([]string, 0, len(up))
	for n := range up {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		add("upstream/"+n, up[n])
		if !json.Valid([]byte(up[n])) {
			continue
		}
		for i, m := range mutations(parseNode(up[n])) {
			add("upstream/"+n+"/mut"+strconv.Itoa(i), m)
		}
	}
	for i, doc := range validBases {
		add("base"+strconv.Itoa(i), doc)
		for j, m := range mutations(parseNode(doc)) {
			add(fmt.Sprintf("base%d/mut%d", i, j), m)
		}
	}
	for i, doc := range handWritten() {
		add("hand"+strconv.Itoa(i), doc)
	}
	return res, nil
}

type corpusDoc struct{ name, doc string }

// realisticPolicy builds a policy with n docker scopes of mixed requirement types, for benchmarks.
func realisticPolicy(n int) []byte {
	var b bytes.Buffer
	b.WriteString("{\n  \"default\": [{\"type\": \"reject\"}],\n  \"transports\": {\n    \"docker\": {\n")
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteString(",\n")
		}
		fmt.Fprintf(&b, "      \"registry%d.example.com/team%d/app\": ", i%17, i)
		switch i % 5 {
		case 0:
			b.WriteString(`[{"type": "insecureAcceptAnything"}]`)
		case 1:
			fmt.Fprintf(&b, `[{"type": "signedBy", "keyType": "GPGKeys", "keyPath": "/etc/pki/rpm-gpg/key-%d.gpg"}]`, i)
		case 2:
			fmt.Fprintf(&b, `[{"type": "sigstoreSigned", "keyPath": "/etc/containers/keys/%d.pub", "signedIdentity": {"type": "matchRepository"}}]`, i)
		case 3:
			fmt.Fprintf(&b, `[{"type": "sigstoreSigned", "fulcio": {"caData": "LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSUI5ekNDQVh5Z0F3SUJBZ0lVQUxaTkFQRmR4SFB3amVEbG9Ed3lZQ2hBTy80d0NnWUlLb1pJemowRUF3TXcKS2pFVk1CTUdBMVVFQ2hNTWMybG5jM1J2Y21VdVpHVjJNUkV3RHdZRFZRUURFd2h6YVdkemRHOXlaVEFlRncweQpNVEV3TURjeE16VTJOVGxhRncwek1URXdNRFV4TXpVMk5UaGFNQ294RlRBVEJnTlZCQW9UREhOcFozTjBiM0psCkxtUmxkakVSTUE4R0ExVUVBeE1JYzJsbmMzUnZjbVV3ZGpBUUJnY3Foa2pPUFFJQkJnVXJnUVFBSWdOaUFBVDcKWGVGVDRyYjNQUUd3UzRJYWp0TGszL09sbnBnYW5nYUJjbFlwc1lCcjVpKzR5bkIwN2NlYjNMUDBPSU9aZHhleApYNjljNWlWdXlKUlErSHowNXlpK1VGM3VCV0FsSHBpUzVzaDArSDJHSEU3U1hyazFFQzVtMVRyMTlMOWdnOTJqCll6QmhNQTRHQTFVZER3RUIvd1FFQXdJQkJqQVBCZ05WSFJNQkFmOEVCVEFEQVFIL01CMEdBMVVkRGdRV0JCUlkKd0I1ZmtVV2xacWw2ekpDaGt5TFFLc1hGK2pBZkJnTlZIU01FR0RBV2dCUll3QjVma1VXbFpxbDZ6SkNoa3lMUQpLc1hGK2pBS0JnZ3Foa2pPUFFRREF3TnBBREJtQWpFQWoxbkhlWFpwKzEzTldCTmErRURzRFA4RzFXV2cxdENNCldQL1dIUHFwYVZvMGpoc3dlTkZaZ1NzMGVFN3dZSTRxQWpFQTJXQjlvdDk4c0lrb0YzdlpZZGQzL1Z0V0I1YjkKVE5NZWE3SXgvc3RKNVRmY0xMZUFCTEU0Qk5KT3NRNHZuQkhKCi0tLS0tRU5EIENFUlRJRklDQVRFLS0tLS0K", "oidcIssuer": "https://accounts.google.com", "subjectEmail": "krel-trust-%d@k8s-releng-prod.iam.gserviceaccount.com"}, "rekorPublicKeyPath": "/etc/containers/rekor.pub", "signedIdentity": {"type": "matchRepository"}}]`, i)
		default:
			fmt.Fprintf(&b, `[{"type": "signedBy", "keyType": "GPGKeys", "keyPaths": ["/a/%d.gpg", "/b/%d.gpg"], "signedIdentity": {"type": "remapIdentity", "prefix": "registry%d.example.com", "signedPrefix": "mirror.example.com/r%d"}}, {"type": "sigstoreSigned", "keyData": "YWJjZGVm", "rekorPublicKeyData": "YWJj"}]`, i, i, i%17, i)
		}
	}
	b.WriteString("\n    }\n  }\n}\n")
	return b.Bytes()
}
