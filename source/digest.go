package source

import (
	"encoding/json"
	"fmt"

	"github.com/containers/libtrust"
	"github.com/opencontainers/go-digest"
)

// Manifest media types that containers/image's manifest.GuessMIMEType recognises before it looks
// at schemaVersion.
var recognizedMediaTypes = map[string]bool{
	"application/vnd.docker.distribution.manifest.v2+json":      true,
	"application/vnd.docker.distribution.manifest.list.v2+json": true,
	"application/vnd.oci.image.manifest.v1+json":                true,
	"application/vnd.oci.image.index.v1+json":                   true,
}

// isSignedSchema1 reports whether containers/image's manifest.GuessMIMEType would classify
// untrustedManifest as a signed Docker schema 1 manifest
// ("application/vnd.docker.distribution.manifest.v1+prettyjws"): it is valid JSON whose
// mediaType (if a string) is not one of the recognised types, whose schemaVersion is 1 and whose
// "signatures" member is present and not null. Like containers/image, any JSON or type error means
// "not signed schema 1".
func isSignedSchema1(untrustedManifest []byte) bool {
	if cannotNameSignatures(untrustedManifest) {
		return false
	}
	meta := struct {
		MediaType     string `json:"mediaType"`
		SchemaVersion int    `json:"schemaVersion"`
		Signatures    any    `json:"signatures"`
	}{}
	if err := json.Unmarshal(untrustedManifest, &meta); err != nil {
		return false
	}
	if recognizedMediaTypes[meta.MediaType] {
		return false
	}
	return meta.SchemaVersion == 1 && meta.Signatures != nil
}

// cannotNameSignatures reports, without decoding, that no member of the JSON document can decode
// into a "signatures" field: the bytes are pure ASCII without escape sequences (so a key is spelt
// as written, and encoding/json's case-insensitive matching folds ASCII letters only) and no
// spelling of "signatures" in any letter case occurs. Then Signatures stays nil and the manifest is
// not signed schema 1, which spares the JSON decoding of every ordinary manifest.
func cannotNameSignatures(untrustedManifest []byte) bool {
	const word = "signatures"
	for i, b := range untrustedManifest {
		if b >= 0x80 || b == '\\' {
			return false
		}
		if (b|0x20) == 's' && i+len(word) <= len(untrustedManifest) {
			match := true
			for j := 1; j < len(word); j++ {
				if untrustedManifest[i+j]|0x20 != word[j] {
					match = false
					break
				}
			}
			if match {
				return false
			}
		}
	}
	return true
}

// ManifestDigest returns the digest containers/image v5.36.2's manifest.Digest computes for a
// manifest: the sha256 of the bytes, except for a signed Docker schema 1 manifest, whose digest
// is the sha256 of its JWS payload (the manifest with the "signatures" member removed, as
// recorded in the protected header's formatLength and formatTail). The schema 1 payload is
// extracted with github.com/containers/libtrust, the same code containers/image uses, so
// malformed schema 1 manifests fail with the same errors; a schema 1 manifest that would make
// that code panic fails with an error instead.
func ManifestDigest(untrustedManifest []byte) (d digest.Digest, err error) {
	if !isSignedSchema1(untrustedManifest) {
		return digest.FromBytes(untrustedManifest), nil
	}
	payload, err := schema1Payload(untrustedManifest)
	if err != nil {
		return "", err
	}
	return digest.FromBytes(payload), nil
}

// schema1Payload extracts the JWS payload of a signed schema 1 manifest.
func schema1Payload(untrustedManifest []byte) (payload []byte, err error) {
	defer func() {
		// libtrust slices by an untrusted formatLength; a negative value panics there (and in
		// containers/image). Fail closed instead.
		if r := recover(); r != nil {
			payload, err = nil, fmt.Errorf("invalid schema 1 manifest signature: %v", r)
		}
	}()
	sig, err := libtrust.ParsePrettySignature(untrustedManifest, "signatures")
	if err != nil {
		return nil, err
	}
	return sig.Payload()
}

// MatchesDigest reports whether untrustedManifest has digest expected, as containers/image's
// manifest.MatchesDigest does: ManifestDigest (always sha256) compared as strings with expected,
// so a digest of any other algorithm never matches. The error is set only when the digest cannot
// be computed.
func MatchesDigest(untrustedManifest []byte, expected digest.Digest) (bool, error) {
	actual, err := ManifestDigest(untrustedManifest)
	if err != nil {
		return false, err
	}
	return actual == expected, nil
}
