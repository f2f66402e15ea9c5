package demoregistry

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/static"
	"github.com/google/go-containerregistry/pkg/v1/types"
	digest "github.com/opencontainers/go-digest"

	"github.com/sigpolicy/sigpolicy/source"
)

// rawManifest is a manifest uploaded byte for byte, so that its digest (which the signatures
// sign) is kept.
type rawManifest struct {
	body      []byte
	mediaType types.MediaType
}

func (m rawManifest) RawManifest() ([]byte, error)        { return m.body, nil }
func (m rawManifest) MediaType() (types.MediaType, error) { return m.mediaType, nil }

// descriptor is an OCI content descriptor.
type descriptor struct {
	MediaType   string            `json:"mediaType"`
	Size        int64             `json:"size"`
	Digest      string            `json:"digest"`
	Annotations map[string]string `json:"annotations,omitempty"`
}

// PushDir uploads the image of the containers dir: layout at dir as repoAndTag (for example
// "demo/hello:1.0", without the registry host): its manifest exactly as stored, and its sigstore
// signatures as a cosign attachment at the "sha256-<hex>.sig" tag, one layer per signature.
// Other signature kinds are not uploaded. It returns the manifest digest.
func (r *Registry) PushDir(ctx context.Context, repoAndTag, dir string) (digest.Digest, error) {
	manifest, err := os.ReadFile(filepath.Join(dir, "manifest.json"))
	if err != nil {
		return "", err
	}
	var head struct {
		MediaType string `json:"mediaType"`
	}
	if err := json.Unmarshal(manifest, &head); err != nil || head.MediaType == "" {
		return "", fmt.Errorf("%s: manifest without a mediaType", dir)
	}
	ref, err := name.NewTag(r.host+"/"+repoAndTag, r.nameOptions()...)
	if err != nil {
		return "", err
	}
	if err := remote.Put(ref, rawManifest{manifest, types.MediaType(head.MediaType)}, r.remoteOptions(ctx)...); err != nil {
		return "", err
	}
	d := digest.FromBytes(manifest)
	sigs, err := source.NewDir(dir).Signatures(ctx)
	if err != nil {
		return "", err
	}
	var layers []descriptor
	for _, s := range sigs {
		ss, ok := s.(source.Sigstore)
		if !ok {
			continue
		}
		desc, err := r.pushBlob(ctx, ref.Context(), ss.UntrustedPayload, ss.UntrustedMIMEType)
		if err != nil {
			return "", err
		}
		desc.Annotations = ss.UntrustedAnnotations
		layers = append(layers, desc)
	}
	if len(layers) == 0 {
		return d, nil
	}
	return d, r.pushAttachment(ctx, ref.Context(), d, layers)
}

// pushAttachment uploads the cosign signature manifest of the image with digest d.
func (r *Registry) pushAttachment(ctx context.Context, repo name.Repository, d digest.Digest, layers []descriptor) error {
	config, err := r.pushBlob(ctx, repo, []byte(`{"architecture":"","os":"","config":{},"rootfs":{"type":"layers","diff_ids":[]}}`),
		string(types.OCIConfigJSON))
	if err != nil {
		return err
	}
	body, err := json.Marshal(struct {
		SchemaVersion int          `json:"schemaVersion"`
		MediaType     string       `json:"mediaType"`
		Config        descriptor   `json:"config"`
		Layers        []descriptor `json:"layers"`
	}{2, string(types.OCIManifestSchema1), config, layers})
	if err != nil {
		return err
	}
	tag, err := source.SigstoreAttachmentTag(d)
	if err != nil {
		return err
	}
	return remote.Put(repo.Tag(tag), rawManifest{body, types.OCIManifestSchema1}, r.remoteOptions(ctx)...)
}

// pushBlob uploads data and returns its descriptor.
func (r *Registry) pushBlob(ctx context.Context, repo name.Repository, data []byte, mediaType string) (descriptor, error) {
	layer := static.NewLayer(data, types.MediaType(mediaType))
	if err := remote.WriteLayer(repo, layer, r.remoteOptions(ctx)...); err != nil {
		return descriptor{}, err
	}
	return descriptor{MediaType: mediaType, Size: int64(len(data)), Digest: digest.FromBytes(data).String()}, nil
}

func (r *Registry) nameOptions() []name.Option {
	if r.plain {
		return []name.Option{name.Insecure}
	}
	return nil
}

func (r *Registry) remoteOptions(ctx context.Context) []remote.Option {
	return []remote.Option{remote.WithContext(ctx), remote.WithTransport(r.Transport())}
}
