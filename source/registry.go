package source

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"runtime"
	"time"

	"github.com/containers/image/v5/docker/reference"
	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/opencontainers/go-digest"
)

// Registry is one image in an OCI registry, resolved once to a single-platform manifest pinned
// by digest: the tag (if any) is resolved when the Registry is created, a manifest list is
// narrowed to the instance for the wanted platform, and from then on Manifest returns exactly the
// bytes that were resolved and Signatures looks up the signatures of exactly that digest, even if
// the tag has moved since.
//
// Signatures are cosign / containers "sigstore" attachments (the "sha256-<hex>.sig" tag), as
// containers/image reads them with use-sigstore-attachments enabled. Lookaside (simple-signing)
// signature storage, the X-Registry-Supports-Signatures extension and registry mirrors are not
// read. Sigstore bundles attached as OCI 1.1 referrers are read too (containers/image ignores
// them).
//
// A Registry is immutable after NewRegistry and safe for concurrent use; every Signatures call
// reads the registry again.
type Registry struct {
	requested         reference.Named
	pinned            reference.Canonical
	digest            digest.Digest
	index             digest.Digest
	platform          *v1.Platform
	mediaType         string
	untrustedManifest []byte
	client            *registryClient
	timeout           time.Duration
}

var _ Image = (*Registry)(nil)

// NewRegistry resolves ref, a docker reference (normalised as containers/image does, so
// "busybox" is docker.io/library/busybox:latest), in its registry:
//
//   - it authenticates with credentials from the keychain (WithKeychain; the default keychain
//     otherwise);
//   - it fetches the manifest by tag or digest, reading at most limits.MaxManifestSize bytes
//     (*LimitError beyond), and for a reference with a digest checks that the manifest has it
//     (*ManifestDigestError otherwise);
//   - when the registry serves a Docker manifest list or OCI index (by its Content-Type, as
//     containers/image decides), it chooses the instance for the wanted platform (WithPlatform;
//     the running system otherwise) as containers/image's copy.Image does, fetches that instance
//     by digest and checks its digest. The list's own signatures are never used.
//
// A reference with both a tag and a digest is refused, as containers/image's docker transport
// does. Every request honours ctx and WithTimeout.
func NewRegistry(ctx context.Context, ref string, opts ...RegistryOption) (*Registry, error) {
	cfg := defaultRegistryConfig()
	for _, o := range opts {
		if err := o(&cfg); err != nil {
			return nil, err
		}
	}
	named, err := reference.ParseNormalizedNamed(ref)
	if err != nil {
		return nil, fmt.Errorf("invalid image reference %q: %w", ref, err)
	}
	named = reference.TagNameOnly(named)
	tagged, isTagged := named.(reference.NamedTagged)
	canonical, isDigested := named.(reference.Canonical)
	if isTagged && isDigested {
		return nil, errors.New("Docker references with both a tag and digest are currently not supported")
	}
	var nameOpts []name.Option
	if cfg.plainHTTP {
		nameOpts = append(nameOpts, name.Insecure)
	}
	repo, err := name.NewRepository(named.Name(), nameOpts...)
	if err != nil {
		return nil, fmt.Errorf("invalid repository %q: %w", named.Name(), err)
	}

	ctx, cancel := withOptionalTimeout(ctx, cfg.timeout)
	defer cancel()
	client, err := newRegistryClient(ctx, repo, &cfg)
	if err != nil {
		return nil, err
	}
	r := &Registry{requested: named, client: client, timeout: cfg.timeout}

	ident := ""
	if isDigested {
		ident = canonical.Digest().String()
	} else {
		ident = tagged.Tag()
	}
	top, err := client.fetchManifest(ctx, ident, named.String())
	if err != nil {
		return nil, err
	}
	topDigest, err := ManifestDigest(top.untrustedBody)
	if err != nil {
		return nil, fmt.Errorf("computing the digest of %s: %w", named.String(), err)
	}
	if isDigested && topDigest != canonical.Digest() {
		return nil, &ManifestDigestError{Ref: named.String(), Expected: canonical.Digest().String(), Actual: topDigest.String()}
	}
	r.digest, r.mediaType, r.untrustedManifest = topDigest, top.mediaType, top.untrustedBody

	if isManifestList(top.mediaType) {
		if err := r.resolveInstance(ctx, cfg.platform, top); err != nil {
			return nil, err
		}
		r.index = topDigest
	}
	if r.pinned, err = reference.WithDigest(reference.TrimNamed(named), r.digest); err != nil {
		return nil, err
	}
	return r, nil
}

// resolveInstance narrows r from the manifest list top to the instance for the wanted platform.
func (r *Registry) resolveInstance(ctx context.Context, want *v1.Platform, top *manifestResponse) error {
	listRef := r.requested.String()
	entries, err := parseManifestList(top.untrustedBody, top.mediaType, listRef)
	if err != nil {
		return err
	}
	wanted := wantedPlatforms(want, runtime.GOOS, runtime.GOARCH, cpuVariant)
	e, err := chooseInstance(entries, top.mediaType, wanted, listRef)
	if err != nil {
		return err
	}
	if err := e.Digest.Validate(); err != nil {
		return &UnsupportedManifestError{Ref: listRef, MediaType: top.mediaType, Reason: fmt.Sprintf("invalid instance digest %q", e.Digest.String()), Err: err}
	}
	instRef := r.requested.Name() + "@" + e.Digest.String()
	inst, err := r.client.fetchManifest(ctx, e.Digest.String(), instRef)
	if err != nil {
		return err
	}
	if ok, err := MatchesDigest(inst.untrustedBody, e.Digest); err != nil {
		return fmt.Errorf("computing the digest of %s: %w", instRef, err)
	} else if !ok {
		actual, _ := ManifestDigest(inst.untrustedBody)
		return &ManifestDigestError{Ref: instRef, Expected: e.Digest.String(), Actual: actual.String()}
	}
	if isManifestList(inst.mediaType) {
		return &UnsupportedManifestError{Ref: instRef, MediaType: inst.mediaType, Reason: "a manifest list inside a manifest list"}
	}
	r.digest, r.mediaType, r.untrustedManifest = e.Digest, inst.mediaType, inst.untrustedBody
	if e.Platform != nil {
		p := *e.Platform
		r.platform = &p
	}
	return nil
}

func isManifestList(mediaType string) bool {
	return mediaType == mediaTypeDockerList || mediaType == mediaTypeOCIIndex
}

func withOptionalTimeout(ctx context.Context, d time.Duration) (context.Context, context.CancelFunc) {
	if d <= 0 {
		return ctx, func() {}
	}
	return context.WithTimeout(ctx, d)
}

// Digest returns the digest of the single-platform manifest this Registry is pinned to.
func (r *Registry) Digest() digest.Digest { return r.digest }

// Reference returns the pinned reference: the repository and Digest (name@sha256:…).
func (r *Registry) Reference() reference.Canonical { return r.pinned }

// Requested returns the reference NewRegistry was given, normalised, with ":latest" added to a
// name without tag or digest.
func (r *Registry) Requested() reference.Named { return r.requested }

// IndexDigest returns the digest of the manifest list or OCI index the reference resolved to, or
// "" when it resolved to a single manifest.
func (r *Registry) IndexDigest() digest.Digest { return r.index }

// Platform returns the platform of the chosen manifest list instance (as the list states it:
// OS, architecture and variant), or nil when the reference resolved to a single manifest.
func (r *Registry) Platform() *v1.Platform {
	if r.platform == nil {
		return nil
	}
	p := *r.platform
	return &p
}

// MediaType returns the media type the registry gave for the pinned manifest (its Content-Type
// without parameters; "" if absent).
func (r *Registry) MediaType() string { return r.mediaType }

// EvaluationReference returns the reference a policy should evaluate this image as: the
// reference as requested (so that matchExact and matchRepoDigestOrExact compare against the tag or
// digest the user wrote). For a digest reference that resolved through a manifest list, that is the
// list's digest, as in containers/image: verify.Evaluate accepts it because IndexDigest reports the
// list that was fetched and checked by that digest.
func (r *Registry) EvaluationReference() reference.Named {
	return r.requested
}

// Manifest returns the pinned manifest bytes, as fetched and digest-checked by NewRegistry. It
// does no I/O.
func (r *Registry) Manifest(ctx context.Context) ([]byte, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return bytes.Clone(r.untrustedManifest), nil
}

// Signatures returns the sigstore signatures attached to Digest, in layer order: the OCI
// manifest at tag SigstoreAttachmentTag(Digest), then one Sigstore per layer, its payload the
// layer blob (at most limits.MaxSignatureSize bytes, digest-checked) and its MIME type and
// annotations the layer's. A missing attachment tag means no signatures (nil, nil), with
// containers/image's rules for recognising "manifest unknown". More than
// limits.MaxSignatureCount layers or an oversized blob gives a *LimitError; an attachment manifest
// that is not an OCI image manifest an *UnsupportedManifestError; a registry failure a
// *RegistryError. Any error fails the whole read, as in containers/image.
//
// After the attachments come the sigstore bundles attached to Digest as OCI 1.1 referrers (the
// referrers API, else the referrers tag schema), one Bundle per bundle layer of each referrer
// whose artifactType is a bundle media type (see the package documentation). containers/image
// does not read them.
func (r *Registry) Signatures(ctx context.Context) ([]Signature, error) {
	ctx, cancel := withOptionalTimeout(ctx, r.timeout)
	defer cancel()
	sigs, err := r.client.sigstoreSignatures(ctx, r.digest)
	if err != nil {
		return nil, err
	}
	bundles, err := r.client.referrerBundles(ctx, r.digest)
	if err != nil {
		return nil, err
	}
	return append(sigs, bundles...), nil
}
