// Package limits holds every size and count limit sigpolicy applies to untrusted input, as named
// constants in one place, so that a reviewer can see at a glance how much memory and work a hostile
// image, signature or policy can cause.
//
// Where containers/image applies a limit to the same data, the value here is the same, so that
// sigpolicy never rejects what containers/image accepts for size reasons alone. Where
// containers/image reads without a bound, the limit here is a deliberate, documented deviation that
// fails closed.
package limits

const (
	// MaxManifestSize is the largest manifest, in bytes, that is read from an image source. It
	// equals containers/image's iolimits.MaxManifestBodySize (4 MiB), which bounds manifests read
	// from registries. containers/image's dir: transport reads manifest.json without a bound.
	MaxManifestSize = 4 << 20

	// MaxSignatureSize is the largest single signature blob, in bytes, read from an image source: a
	// dir: layout's signature-N file, or a registry signature layer. It equals containers/image's
	// iolimits.MaxSignatureBodySize (4 MiB), which bounds signatures read from registries and
	// sigstore attachment layers. containers/image's dir: transport reads signature-N files
	// without a bound.
	MaxSignatureSize = 4 << 20

	// MaxSignatureCount is the largest number of signatures read for one image (signature-N files
	// of a dir: layout, or layers of a registry sigstore attachment manifest). containers/image
	// has no such limit (a dir: layout is read until the first missing signature-N file); 128 is
	// far above what any real image carries (usually 1–3), yet small enough that a hostile source
	// cannot make a verifier do unbounded cryptographic work. An image with more signatures is
	// refused as a whole, failing closed.
	MaxSignatureCount = 128

	// MaxRegistryErrorBodySize is the largest part of a registry error response body, in bytes,
	// that is read to classify the error (for example "MANIFEST_UNKNOWN", which means "no
	// signatures" for a sigstore attachment tag). containers/image reads error bodies without a
	// bound; a longer body is cut here, and a cut body that no longer parses as a registry error
	// is classified by its HTTP status alone.
	MaxRegistryErrorBodySize = 64 << 10

	// MaxRegistryRedirects is the largest number of HTTP redirects followed for one registry
	// request (blob downloads are commonly redirected once, to a storage service). It equals the
	// default of Go's net/http client, which containers/image uses.
	MaxRegistryRedirects = 10
)
