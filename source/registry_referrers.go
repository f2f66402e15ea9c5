package source

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"strings"

	"github.com/opencontainers/go-digest"
	imgspecv1 "github.com/opencontainers/image-spec/specs-go/v1"

	"github.com/sigpolicy/sigpolicy/internal/limits"
)

// ReferrersTag returns the tag of the OCI 1.1 referrers tag schema for digest d, used by
// registries without the referrers API: "<algorithm>-<hex>", e.g. "sha256-1a2b…" (the encoded
// part is not truncated: every digest Go knows fits in a tag).
func ReferrersTag(d digest.Digest) (string, error) {
	if err := d.Validate(); err != nil {
		return "", fmt.Errorf("invalid digest %q: %w", d.String(), err)
	}
	return strings.Replace(d.String(), ":", "-", 1), nil
}

// referrerBundles reads the sigstore bundles attached to the manifest d as OCI 1.1 referrers
// (see the package documentation). A registry without the referrers API and without a fallback
// tag has none (nil, nil). Any other failure fails the whole read.
func (c *registryClient) referrerBundles(ctx context.Context, d digest.Digest) ([]Signature, error) {
	index, err := c.referrersIndex(ctx, d)
	if err != nil || index == nil {
		return nil, err
	}
	var out []Signature
	candidates := 0
	for _, desc := range index.Manifests {
		if !IsBundleMediaType(desc.ArtifactType) && desc.ArtifactType != mediaTypeOCIEmpty {
			continue
		}
		candidates++
		if candidates > limits.MaxSignatureCount {
			return nil, &LimitError{Path: c.repo.Name() + "@" + d.String() + " referrers", What: "bundle count",
				Limit: limits.MaxSignatureCount}
		}
		bundles, err := c.bundleReferrer(ctx, d, desc)
		if err != nil {
			return nil, err
		}
		out = append(out, bundles...)
	}
	return out, nil
}

// mediaTypeOCIEmpty is the empty config descriptor's media type. Registries that list a referrer
// by its config media type instead of its artifactType (go-containerregistry's pkg/registry does)
// report it for cosign's bundle referrers, so such referrers are fetched and decided by the
// manifest's own artifactType.
const mediaTypeOCIEmpty = "application/vnd.oci.empty.v1+json"

// referrersIndex fetches the referrers of d: the referrers API, else the referrers tag schema.
// It returns nil when neither exists.
func (c *registryClient) referrersIndex(ctx context.Context, d digest.Digest) (*imgspecv1.Index, error) {
	ref := c.repo.Name() + "@" + d.String() + " referrers"
	resp, err := c.get(ctx, c.url("referrers", d.String()), mediaTypeOCIIndex, "listing referrers", ref)
	var body []byte
	if err == nil {
		defer resp.Body.Close()
		if body, err = readAtMost(resp.Body, limits.MaxManifestSize, ref, "referrers index size"); err != nil {
			return nil, err
		}
		if mt, _, perr := mime.ParseMediaType(resp.Header.Get("Content-Type")); perr == nil && mt != mediaTypeOCIIndex {
			return nil, &UnsupportedManifestError{Ref: ref, MediaType: mt, Reason: "a referrers response that is not an OCI image index"}
		}
	} else {
		var re *RegistryError
		if !errors.As(err, &re) || !referrersUnsupported(re.StatusCode) {
			return nil, err
		}
		// The referrers tag schema: an OCI index at the tag "<alg>-<hex>".
		tag, terr := ReferrersTag(d)
		if terr != nil {
			return nil, terr
		}
		ref = c.repo.Name() + ":" + tag
		m, ferr := c.fetchManifest(ctx, tag, ref)
		if ferr != nil {
			if isManifestUnknown(ferr) {
				return nil, nil
			}
			return nil, ferr
		}
		if m.mediaType != mediaTypeOCIIndex {
			return nil, &UnsupportedManifestError{Ref: ref, MediaType: m.mediaType, Reason: "a referrers tag that is not an OCI image index"}
		}
		body = m.untrustedBody
	}
	var index imgspecv1.Index
	if err := json.Unmarshal(body, &index); err != nil {
		return nil, &UnsupportedManifestError{Ref: ref, MediaType: mediaTypeOCIIndex, Reason: "invalid referrers index", Err: err}
	}
	return &index, nil
}

// referrersUnsupported reports whether a referrers API status means "no referrers API here", so
// that the tag schema applies: 404 (the OCI distribution spec's answer), and 405 or 501 from
// registries that do not route the endpoint at all.
func referrersUnsupported(status int) bool {
	return status == http.StatusNotFound || status == http.StatusMethodNotAllowed || status == http.StatusNotImplemented
}

// bundleReferrer fetches one referrer manifest by digest and returns its bundle layers. The
// manifest must be an OCI image manifest whose subject is d and whose artifactType is a bundle
// media type; layers of other media types are ignored; layer URLs are never followed.
func (c *registryClient) bundleReferrer(ctx context.Context, d digest.Digest, desc imgspecv1.Descriptor) ([]Signature, error) {
	if err := desc.Digest.Validate(); err != nil {
		return nil, fmt.Errorf("referrer of %s: invalid digest %q: %w", d, desc.Digest.String(), err)
	}
	ref := c.repo.Name() + "@" + desc.Digest.String()
	m, err := c.fetchManifest(ctx, desc.Digest.String(), ref)
	if err != nil {
		return nil, err
	}
	if ok, err := MatchesDigest(m.untrustedBody, desc.Digest); err != nil {
		return nil, fmt.Errorf("computing the digest of %s: %w", ref, err)
	} else if !ok {
		actual, _ := ManifestDigest(m.untrustedBody)
		return nil, &ManifestDigestError{Ref: ref, Expected: desc.Digest.String(), Actual: actual.String()}
	}
	if m.mediaType != mediaTypeOCIManifest {
		return nil, &UnsupportedManifestError{Ref: ref, MediaType: m.mediaType, Reason: "a bundle referrer that is not an OCI image manifest"}
	}
	var untrusted imgspecv1.Manifest
	if err := json.Unmarshal(m.untrustedBody, &untrusted); err != nil {
		return nil, &UnsupportedManifestError{Ref: ref, MediaType: m.mediaType, Reason: "invalid bundle referrer manifest", Err: err}
	}
	if err := checkUnambiguous(m.untrustedBody, "config", "layers"); err != nil {
		return nil, &UnsupportedManifestError{Ref: ref, MediaType: m.mediaType, Reason: "invalid bundle referrer manifest", Err: err}
	}
	if untrusted.Subject == nil || untrusted.Subject.Digest != d {
		return nil, &UnsupportedManifestError{Ref: ref, MediaType: m.mediaType, Reason: fmt.Sprintf("bundle referrer whose subject is not %s", d)}
	}
	if !IsBundleMediaType(untrusted.ArtifactType) {
		if desc.ArtifactType == mediaTypeOCIEmpty {
			return nil, nil // listed by its config type: an artifact of another kind
		}
		return nil, &UnsupportedManifestError{Ref: ref, MediaType: m.mediaType,
			Reason: fmt.Sprintf("bundle referrer with artifactType %q, the index said %q", untrusted.ArtifactType, desc.ArtifactType)}
	}
	var out []Signature
	for _, l := range untrusted.Layers {
		if !IsBundleMediaType(l.MediaType) {
			continue
		}
		untrustedJSON, err := c.fetchBlob(ctx, l.Digest, limits.MaxSignatureSize, "bundle size")
		if err != nil {
			return nil, err
		}
		out = append(out, Bundle{UntrustedMediaType: untrusted.ArtifactType, UntrustedJSON: untrustedJSON,
			Origin: "referrer " + desc.Digest.String()})
	}
	return out, nil
}
