package source

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"strings"

	"github.com/opencontainers/go-digest"
	imgspecv1 "github.com/opencontainers/image-spec/specs-go/v1"

	"github.com/sigpolicy/sigpolicy/internal/limits"
)

// SigstoreAttachmentTag returns the tag under which cosign and containers/image store the
// signatures of the manifest with digest d: "<algorithm>-<hex>.sig", e.g. "sha256-1a2b….sig".
func SigstoreAttachmentTag(d digest.Digest) (string, error) {
	if err := d.Validate(); err != nil {
		return "", fmt.Errorf("invalid digest %q: %w", d.String(), err)
	}
	return strings.Replace(d.String(), ":", "-", 1) + ".sig", nil
}

// sigstoreSignatures reads the sigstore attachments of the manifest with digest d, as
// containers/image's docker source does with use-sigstore-attachments: the OCI manifest at
// SigstoreAttachmentTag(d) (none: no signatures), then each layer's blob as the payload, with the
// layer's media type and annotations. Each blob is read with at most limits.MaxSignatureSize
// bytes and its digest checked; more than limits.MaxSignatureCount layers is a *LimitError.
func (c *registryClient) sigstoreSignatures(ctx context.Context, d digest.Digest) ([]Signature, error) {
	tag, err := SigstoreAttachmentTag(d)
	if err != nil {
		return nil, err
	}
	ref := c.repo.Name() + ":" + tag
	m, err := c.fetchManifest(ctx, tag, ref)
	if err != nil {
		if isManifestUnknown(err) {
			return nil, nil
		}
		return nil, err
	}
	if m.mediaType != mediaTypeOCIManifest {
		return nil, &UnsupportedManifestError{Ref: ref, MediaType: m.mediaType,
			Reason: "unexpected media type for a sigstore attachment manifest"}
	}
	layers, err := parseAttachmentManifest(m.untrustedBody)
	if err != nil {
		return nil, &UnsupportedManifestError{Ref: ref, MediaType: m.mediaType, Reason: "invalid sigstore attachment manifest", Err: err}
	}
	if len(layers) > limits.MaxSignatureCount {
		return nil, &LimitError{Path: ref, What: "signature count", Limit: limits.MaxSignatureCount}
	}
	sigs := make([]Signature, 0, len(layers))
	for _, l := range layers {
		// Layer URLs are never followed: the payload must come from the registry itself.
		untrustedPayload, err := c.fetchBlob(ctx, l.Digest, limits.MaxSignatureSize, "signature size")
		if err != nil {
			return nil, err
		}
		sigs = append(sigs, Sigstore{
			UntrustedMIMEType:    l.MediaType,
			UntrustedPayload:     untrustedPayload,
			UntrustedAnnotations: maps.Clone(l.Annotations),
		})
	}
	return sigs, nil
}

// parseAttachmentManifest decodes an OCI image manifest as containers/image's
// manifest.OCI1FromManifest does (plain json.Unmarshal, then refusing list or schema 1 members)
// and returns its layers.
func parseAttachmentManifest(untrustedManifest []byte) ([]imgspecv1.Descriptor, error) {
	var m imgspecv1.Manifest
	if err := json.Unmarshal(untrustedManifest, &m); err != nil {
		return nil, err
	}
	if err := checkUnambiguous(untrustedManifest, "config", "layers"); err != nil {
		return nil, err
	}
	return m.Layers, nil
}
