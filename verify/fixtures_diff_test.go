package verify_test

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
)

// ciFixtures is the directory of the fixtures copied from containers/image (see testdata/README.md).
var ciFixtures = mustAbs("../testdata/containers-image")

func mustAbs(p string) string {
	a, err := filepath.Abs(p)
	if err != nil {
		panic(err)
	}
	return a
}

func fx(name string) string { return filepath.Join(ciFixtures, name) }

func ptr(b bool) *bool { return &b }

// policyFor builds a policy with default reject and one docker "" scope holding reqs (JSON objects),
// with every "FX/NAME" replaced by the absolute path of fixture NAME.
func policyFor(reqs ...string) []byte {
	body := strings.Join(reqs, ",")
	for strings.Contains(body, "FX/") {
		i := strings.Index(body, "FX/")
		j := i + 3
		for j < len(body) && body[j] != '"' {
			j++
		}
		body = body[:i] + fx(body[i+3:j]) + body[j:]
	}
	return []byte(fmt.Sprintf(`{"default":[{"type":"reject"}],"transports":{"docker":{"":[%s]}}}`, body))
}

const (
	mr          = `"signedIdentity":{"type":"matchRepository"}`
	single      = "192.168.64.2:5000/cosign-signed-single-sample"
	withTag     = "192.168.64.2:5000/skopeo-signed:tag"
	keyRekorRef = "192.168.64.2:5000/cosign-signed/key-1"
	fulcioRef   = "192.168.64.2:5000/cosign-signed/fulcio-rekor-1"
	digest634   = "sha256:634a8f35b5f16dcf4aaa0822adc0b1964bb786fca12f6831de8ddc45e5986a00"
	fulcioSpec  = `"fulcio":{"caPath":"FX/fulcio_v1.crt.pem","oidcIssuer":"https://github.com/login/oauth","subjectEmail":"mitr@redhat.com"},"rekorPublicKeyPath":"FX/rekor.pub"`
)

// ciFixtureCases are the decisions containers/image's own tests and the research oracle established
// on its fixtures (research/containers-image.md §6.3), each with its expected outcome.
func ciFixtureCases() []diffCase {
	key := func(extra string) string {
		s := `{"type":"sigstoreSigned","keyPath":"FX/cosign.pub"`
		if extra != "" {
			s += "," + extra
		}
		return s + "}"
	}
	c := func(name, dir, ref string, want bool, reqs ...string) diffCase {
		return diffCase{name: name, policy: policyFor(reqs...), dir: fx(dir), ref: ref, want: ptr(want)}
	}
	return []diffCase{
		c("01-key-matchRepository", "dir-img-cosign-valid", single, true, key(mr)),
		c("02-key-default-identity", "dir-img-cosign-valid", single, false, key("")),
		c("02b-key-default-identity-by-digest", "dir-img-cosign-valid", single+"@"+digest634, false, key("")),
		c("03-key-matchExact", "dir-img-cosign-valid", single, false, key(`"signedIdentity":{"type":"matchExact"}`)),
		c("04-exactRepository", "dir-img-cosign-valid", "other.example/x:y", true, key(`"signedIdentity":{"type":"exactRepository","dockerRepository":"`+single+`"}`)),
		c("05-other-repo", "dir-img-cosign-valid", "testing/manifest:notlatest", false, key(mr)),
		c("06-wrong-key", "dir-img-cosign-valid", single, false, `{"type":"sigstoreSigned","keyPath":"FX/cosign2.pub",`+mr+`}`),
		c("07-keyPaths-second", "dir-img-cosign-valid", single, true, `{"type":"sigstoreSigned","keyPaths":["FX/cosign2.pub","FX/cosign.pub"],`+mr+`}`),
		c("08-rsa-key", "dir-img-cosign-valid", single, false, `{"type":"sigstoreSigned","keyPath":"FX/some-rsa-key.pub",`+mr+`}`),
		c("09-keyPaths-missing-file", "dir-img-cosign-valid", single, false, `{"type":"sigstoreSigned","keyPaths":["FX/cosign.pub","FX/nonexistent.pub"],`+mr+`}`),
		c("10-keyData-empty", "dir-img-cosign-valid", single, false, `{"type":"sigstoreSigned","keyData":"",`+mr+`}`),
		c("11-unsigned-missing-key", "dir-img-unsigned", "testing/manifest:latest", false, `{"type":"sigstoreSigned","keyPath":"FX/nonexistent.pub"}`),
		c("12-valid-2", "dir-img-cosign-valid-2", single, true, key(mr)),
		c("13-valid-2-wrong-ref", "dir-img-cosign-valid-2", "this/does-not:match", false, key(mr)),
		c("14-mixed", "dir-img-cosign-mixed", single, true, key(mr)),
		c("15-modified-manifest", "dir-img-cosign-modified-manifest", single, false, key(mr)),
		c("16-no-manifest", "dir-img-cosign-no-manifest", single, false, key(mr)),
		c("17-manifest-digest-error", "dir-img-cosign-manifest-digest-error", single, false, key(mr)),
		c("18-other-attachment", "dir-img-cosign-other-attachment", single, false, key(mr)),
		c("19-gpg-only", "dir-img-valid", "testing/manifest:latest", false, key(mr)),
		c("20-with-tag-matchExact", "dir-img-cosign-valid-with-tag", withTag, true, key(`"signedIdentity":{"type":"matchExact"}`)),
		c("21-with-tag-othertag", "dir-img-cosign-valid-with-tag", "192.168.64.2:5000/skopeo-signed:othertag", false, key(`"signedIdentity":{"type":"matchExact"}`)),
		c("22-with-tag-default", "dir-img-cosign-valid-with-tag", withTag, true, key("")),
		c("23-with-tag-by-digest-default", "dir-img-cosign-valid-with-tag", "192.168.64.2:5000/skopeo-signed@"+digest634, true, key("")),
		c("23b-with-tag-by-digest-matchExact", "dir-img-cosign-valid-with-tag", "192.168.64.2:5000/skopeo-signed@"+digest634, false, key(`"signedIdentity":{"type":"matchExact"}`)),
		c("24-remap", "dir-img-cosign-valid-with-tag", "mirror.example.com/m/skopeo-signed:tag", true,
			key(`"signedIdentity":{"type":"remapIdentity","prefix":"mirror.example.com/m","signedPrefix":"192.168.64.2:5000"}`)),
		c("24b-remap-other-prefix", "dir-img-cosign-valid-with-tag", "other.example.com/m/skopeo-signed:tag", false,
			key(`"signedIdentity":{"type":"remapIdentity","prefix":"mirror.example.com/m","signedPrefix":"192.168.64.2:5000"}`)),
		c("25-exactReference", "dir-img-cosign-valid-with-tag", "anything.example/x:y", true,
			key(`"signedIdentity":{"type":"exactReference","dockerReference":"`+withTag+`"}`)),
		c("26-key-rekor", "dir-img-cosign-key-rekor-valid", keyRekorRef, true, `{"type":"sigstoreSigned","keyPath":"FX/cosign2.pub","rekorPublicKeyPath":"FX/rekor.pub",`+mr+`}`),
		c("27-key-rekor-wrong-key", "dir-img-cosign-key-rekor-valid", keyRekorRef, false, `{"type":"sigstoreSigned","keyPath":"FX/cosign.pub","rekorPublicKeyPath":"FX/rekor.pub",`+mr+`}`),
		c("28-key-rekor-lists", "dir-img-cosign-key-rekor-valid", keyRekorRef, true,
			`{"type":"sigstoreSigned","keyPaths":["FX/cosign.pub","FX/cosign2.pub"],"rekorPublicKeyPaths":["FX/cosign.pub","FX/rekor.pub"],`+mr+`}`),
		c("29-key-rekor-wrong-rekor", "dir-img-cosign-key-rekor-valid", keyRekorRef, false, `{"type":"sigstoreSigned","keyPath":"FX/cosign2.pub","rekorPublicKeyPath":"FX/cosign.pub",`+mr+`}`),
		c("30-key-rekor-rsa-rekor", "dir-img-cosign-key-rekor-valid", keyRekorRef, false, `{"type":"sigstoreSigned","keyPath":"FX/cosign2.pub","rekorPublicKeyPath":"FX/some-rsa-key.pub",`+mr+`}`),
		c("31-key-rekor-no-rekor", "dir-img-cosign-key-rekor-valid", keyRekorRef, true, `{"type":"sigstoreSigned","keyPath":"FX/cosign2.pub",`+mr+`}`),
		c("32-key-rekor-missing-bundle", "dir-img-cosign-valid", single, false, key(`"rekorPublicKeyPath":"FX/rekor.pub",`+mr)),
		c("33-fulcio", "dir-img-cosign-fulcio-rekor-valid", fulcioRef, true, `{"type":"sigstoreSigned",`+fulcioSpec+`,`+mr+`}`),
		c("34-fulcio-default-identity", "dir-img-cosign-fulcio-rekor-valid", fulcioRef, false, `{"type":"sigstoreSigned",`+fulcioSpec+`}`),
		c("35-fulcio-wrong-email", "dir-img-cosign-fulcio-rekor-valid", fulcioRef, false,
			`{"type":"sigstoreSigned",`+strings.Replace(fulcioSpec, "mitr@redhat.com", "x@example.com", 1)+`,`+mr+`}`),
		c("36-fulcio-issuer-slash", "dir-img-cosign-fulcio-rekor-valid", fulcioRef, false,
			`{"type":"sigstoreSigned",`+strings.Replace(fulcioSpec, "oauth\"", "oauth/\"", 1)+`,`+mr+`}`),
		c("37-fulcio-wrong-ca", "dir-img-cosign-fulcio-rekor-valid", fulcioRef, false,
			`{"type":"sigstoreSigned",`+strings.Replace(fulcioSpec, "fulcio_v1.crt.pem", "pki_root_crts.pem", 1)+`,`+mr+`}`),
		c("38-fulcio-wrong-rekor", "dir-img-cosign-fulcio-rekor-valid", fulcioRef, false,
			`{"type":"sigstoreSigned",`+strings.Replace(fulcioSpec, "FX/rekor.pub", "FX/cosign.pub", 1)+`,`+mr+`}`),
		c("39-fulcio-chain-as-ca", "dir-img-cosign-fulcio-rekor-valid", fulcioRef, true,
			`{"type":"sigstoreSigned",`+strings.Replace(fulcioSpec, "fulcio_v1.crt.pem", "fulcio-chain", 1)+`,`+mr+`}`),
		c("41-key-rekor-policy-on-fulcio-sig", "dir-img-cosign-key-rekor-valid", keyRekorRef, false,
			`{"type":"sigstoreSigned",`+fulcioSpec+`,`+mr+`}`),
		c("42-pki", "dir-img-cosign-pki-valid", "localhost:5000/test", true,
			`{"type":"sigstoreSigned","pki":{"caRootsPath":"FX/pki_root_crts.pem","caIntermediatesPath":"FX/pki_intermediate_crts.pem","subjectEmail":"qiwan@redhat.com","subjectHostname":"myhost.example.com"},`+mr+`}`),
		c("42b-pki-roots-email", "dir-img-cosign-pki-valid", "localhost:5000/test", true,
			`{"type":"sigstoreSigned","pki":{"caRootsPath":"FX/pki_root_crts.pem","subjectEmail":"qiwan@redhat.com"},`+mr+`}`),
		c("42c-pki-hostname-case", "dir-img-cosign-pki-valid", "localhost:5000/test", true,
			`{"type":"sigstoreSigned","pki":{"caRootsPath":"FX/pki_root_crts.pem","subjectHostname":"MYHOST.example.com"},`+mr+`}`),
		c("42d-pki-intermediate-as-root", "dir-img-cosign-pki-valid", "localhost:5000/test", true,
			`{"type":"sigstoreSigned","pki":{"caRootsPath":"FX/pki_intermediate_crts.pem","subjectEmail":"qiwan@redhat.com"},`+mr+`}`),
		c("43-pki-wrong-email", "dir-img-cosign-pki-valid", "localhost:5000/test", false,
			`{"type":"sigstoreSigned","pki":{"caRootsPath":"FX/pki_root_crts.pem","subjectEmail":"x@redhat.com"},`+mr+`}`),
		c("44-pki-wrong-hostname", "dir-img-cosign-pki-valid", "localhost:5000/test", false,
			`{"type":"sigstoreSigned","pki":{"caRootsPath":"FX/pki_root_crts.pem","subjectHostname":"other.example.com"},`+mr+`}`),
		c("45-pki-wrong-root", "dir-img-cosign-pki-valid", "localhost:5000/test", false,
			`{"type":"sigstoreSigned","pki":{"caRootsPath":"FX/fulcio_v1.crt.pem","subjectEmail":"qiwan@redhat.com"},`+mr+`}`),
		c("47-pki-default-identity", "dir-img-cosign-pki-valid", "localhost:5000/test", false,
			`{"type":"sigstoreSigned","pki":{"caRootsPath":"FX/pki_root_crts.pem","subjectEmail":"qiwan@redhat.com"}}`),
		// Aggregation (research §4.1, on dir-img-cosign-mixed).
		c("agg-A-A", "dir-img-cosign-mixed", single, true, key(mr), key(mr)),
		c("agg-accept-A", "dir-img-cosign-mixed", single, true, `{"type":"insecureAcceptAnything"}`, key(mr)),
		c("agg-A-B", "dir-img-cosign-mixed", single, false, key(mr), `{"type":"sigstoreSigned","keyPath":"FX/cosign2.pub",`+mr+`}`),
		c("agg-A-reject", "dir-img-cosign-mixed", single, false, key(mr), `{"type":"reject"}`),
		c("accept-anything", "dir-img-unsigned", "testing/manifest:latest", true, `{"type":"insecureAcceptAnything"}`),
		c("reject", "dir-img-cosign-valid", single, false, `{"type":"reject"}`),
		c("signedBaseLayer", "dir-img-cosign-valid", single, false, `{"type":"signedBaseLayer","baseLayerIdentity":{"type":"matchRepository"}}`),
		// OpenPGP simple signing.
		c("gpg-valid", "dir-img-valid", "testing/manifest:latest", true, `{"type":"signedBy","keyType":"GPGKeys","keyPath":"FX/public-key.gpg"}`),
		c("gpg-valid-2", "dir-img-valid-2", "testing/manifest:latest", true, `{"type":"signedBy","keyType":"GPGKeys","keyPath":"FX/public-key.gpg"}`),
		c("gpg-wrong-key", "dir-img-valid", "testing/manifest:latest", false, `{"type":"signedBy","keyType":"GPGKeys","keyPath":"FX/public-key-2.gpg"}`),
		c("gpg-keyPaths", "dir-img-valid", "testing/manifest:latest", true, `{"type":"signedBy","keyType":"GPGKeys","keyPaths":["FX/public-key-2.gpg","FX/public-key.gpg"]}`),
		c("gpg-keyPaths-empty", "dir-img-valid", "testing/manifest:latest", false, `{"type":"signedBy","keyType":"GPGKeys","keyPaths":[]}`),
		c("gpg-other-identity", "dir-img-valid", "testing/other:latest", false, `{"type":"signedBy","keyType":"GPGKeys","keyPath":"FX/public-key.gpg"}`),
		c("gpg-modified-manifest", "dir-img-modified-manifest", "testing/manifest:latest", false, `{"type":"signedBy","keyType":"GPGKeys","keyPath":"FX/public-key.gpg"}`),
		c("gpg-unsigned", "dir-img-unsigned", "testing/manifest:latest", false, `{"type":"signedBy","keyType":"GPGKeys","keyPath":"FX/public-key.gpg"}`),
		c("gpg-x509-unimplemented", "dir-img-valid", "testing/manifest:latest", false, `{"type":"signedBy","keyType":"X509Certificates","keyPath":"FX/public-key.gpg"}`),
		c("gpg-on-cosign-image", "dir-img-cosign-valid", single, false, `{"type":"signedBy","keyType":"GPGKeys","keyPath":"FX/public-key.gpg"}`),
		c("gpg-pubring", "dir-img-valid", "testing/manifest:latest", true, `{"type":"signedBy","keyType":"GPGKeys","keyPath":"FX/pubring.gpg"}`),
		c("gpg-matchRepository", "dir-img-valid", "testing/manifest:other", true, `{"type":"signedBy","keyType":"GPGKeys","keyPath":"FX/public-key.gpg","signedIdentity":{"type":"matchRepository"}}`),
	}
}

func TestDifferentialContainersImageFixtures(t *testing.T) {
	cases := ciFixtureCases()
	allowed := runDifferential(t, cases)
	t.Logf("%d cases, %d allowed by both", len(cases), allowed)
}
