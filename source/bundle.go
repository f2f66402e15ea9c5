package source

import "bytes"

// Bundle is a sigstore bundle (protobuf-specs JSON, media type
// application/vnd.dev.sigstore.bundle.v0.3+json or an earlier version) attached to the image: an
// OCI 1.1 referrer in a registry, or a sigstore-bundle-N.json file beside a dir: layout. Nothing
// in it has been verified; the verify package decides what it proves.
type Bundle struct {
	// UntrustedMediaType is the media type the bundle was stored with: the referrer's
	// artifactType (for registries), or "" for a dir: layout file (which has none).
	UntrustedMediaType string
	// UntrustedJSON is the bundle document, as stored.
	UntrustedJSON []byte
	// Origin says where the bundle was found, for explanations: "referrer sha256:…" or the
	// layout file's name. It is informational only.
	Origin string
}

func (Bundle) isSignature() {}

var _ Signature = Bundle{}

// Clone returns a deep copy of b.
func (b Bundle) Clone() Bundle {
	return Bundle{UntrustedMediaType: b.UntrustedMediaType, UntrustedJSON: bytes.Clone(b.UntrustedJSON), Origin: b.Origin}
}

// Sigstore bundle constants, with the values cosign v3 uses when it attaches a bundle to an image
// (cosign pkg/oci/remote WriteAttestationNewBundleFormat).
const (
	// BundleV03MediaType is the media type of a v0.3 sigstore bundle: the artifactType of the
	// referrer manifest and the media type of its one layer.
	BundleV03MediaType = "application/vnd.dev.sigstore.bundle.v0.3+json"
	// BundleContentAnnotationKey is the referrer annotation naming the bundle's content
	// ("dsse-envelope" or "message-signature"). Informational: the bundle itself decides.
	BundleContentAnnotationKey = "dev.sigstore.bundle.content"
	// BundlePredicateTypeAnnotationKey is the referrer annotation naming the in-toto predicate
	// type. Informational: the verified statement decides.
	BundlePredicateTypeAnnotationKey = "dev.sigstore.bundle.predicateType"
)

// bundleMediaTypes are the artifact and layer media types read as sigstore bundles.
var bundleMediaTypes = []string{
	BundleV03MediaType,
	"application/vnd.dev.sigstore.bundle+json;version=0.1",
	"application/vnd.dev.sigstore.bundle+json;version=0.2",
	"application/vnd.dev.sigstore.bundle+json;version=0.3",
}

// IsBundleMediaType reports whether mediaType is one of the sigstore bundle media types (v0.1 to
// v0.3) that referrers are read for.
func IsBundleMediaType(mediaType string) bool {
	for _, m := range bundleMediaTypes {
		if m == mediaType {
			return true
		}
	}
	return false
}
