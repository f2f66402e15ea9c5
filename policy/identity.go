package policy

import (
	"regexp"
	"strings"

	"github.com/containers/image/v5/docker/reference"
)

// SignedIdentity decides whether the docker reference claimed by a signature is acceptable for the
// image being run. The implementations are the value types MatchExact, MatchRepoDigestOrExact,
// MatchRepository, ExactReference, ExactRepository and RemapIdentity; the set is closed.
type SignedIdentity interface {
	// Type returns the "type" discriminator of the signedIdentity object.
	Type() IdentityType
	// Matches reports whether a signature claiming untrustedSignedRef (the raw "docker-reference"
	// string from the signature payload) is accepted for an image pulled as image, which is nil
	// when the image has no docker identity (dir:, oci: …; then every rule except exactReference
	// and exactRepository refuses). The semantics are those of containers/image v5.36.2.
	Matches(image reference.Named, untrustedSignedRef string) bool
	// MatchesReference is Matches for a claimed reference already parsed with
	// reference.ParseNormalizedNamed (callers that check the same signature often parse it once);
	// a nil signed reference (one that did not parse) never matches.
	MatchesReference(image reference.Named, signed reference.Named) bool
	isSignedIdentity()
}

// MatchExact accepts a signature whose reference equals the image reference exactly (both must
// carry a tag or digest).
type MatchExact struct{}

// MatchRepoDigestOrExact is the default identity rule: a tagged image needs an exact match; an
// image pulled by digest only needs the same repository (the digest is checked elsewhere). A
// repository-only signed reference (what cosign writes) never matches.
type MatchRepoDigestOrExact struct{}

// MatchRepository accepts a signature for the same repository, whatever the tag or digest.
type MatchRepository struct{}

// ExactReference ignores the image and accepts a signature claiming exactly DockerReference
// (after normalisation; it must carry a tag or digest).
type ExactReference struct{ DockerReference string }

// ExactRepository ignores the image and accepts a signature for the repository DockerRepository.
type ExactRepository struct{ DockerRepository string }

// RemapIdentity rewrites an image whose repository is Prefix, or lies under Prefix + "/", to start
// with SignedPrefix instead, then applies MatchRepoDigestOrExact.
type RemapIdentity struct{ Prefix, SignedPrefix string }

// Type implements SignedIdentity.
func (MatchExact) Type() IdentityType { return TypeMatchExact }

// Type implements SignedIdentity.
func (MatchRepoDigestOrExact) Type() IdentityType { return TypeMatchRepoDigestOrExact }

// Type implements SignedIdentity.
func (MatchRepository) Type() IdentityType { return TypeMatchRepository }

// Type implements SignedIdentity.
func (ExactReference) Type() IdentityType { return TypeExactReference }

// Type implements SignedIdentity.
func (ExactRepository) Type() IdentityType { return TypeExactRepository }

// Type implements SignedIdentity.
func (RemapIdentity) Type() IdentityType { return TypeRemapIdentity }

func (MatchExact) isSignedIdentity()             {}
func (MatchRepoDigestOrExact) isSignedIdentity() {}
func (MatchRepository) isSignedIdentity()        {}
func (ExactReference) isSignedIdentity()         {}
func (ExactRepository) isSignedIdentity()        {}
func (RemapIdentity) isSignedIdentity()          {}

// Compile-time checks.
var (
	_ SignedIdentity = MatchExact{}
	_ SignedIdentity = MatchRepoDigestOrExact{}
	_ SignedIdentity = MatchRepository{}
	_ SignedIdentity = ExactReference{}
	_ SignedIdentity = ExactRepository{}
	_ SignedIdentity = RemapIdentity{}
)

// Matches implements SignedIdentity: both references carry a tag or digest and are equal.
func (MatchExact) Matches(image reference.Named, untrustedSignedRef string) bool {
	signed, err := reference.ParseNormalizedNamed(untrustedSignedRef)
	if err != nil {
		return false
	}
	return MatchExact{}.MatchesReference(image, signed)
}

// MatchesReference implements SignedIdentity.
func (MatchExact) MatchesReference(image reference.Named, signed reference.Named) bool {
	if signed == nil {
		return false
	}
	if image == nil {
		return false
	}
	if reference.IsNameOnly(image) || reference.IsNameOnly(signed) {
		return false
	}
	return signed.String() == image.String()
}

// Matches implements SignedIdentity.
func (MatchRepoDigestOrExact) Matches(image reference.Named, untrustedSignedRef string) bool {
	signed, err := reference.ParseNormalizedNamed(untrustedSignedRef)
	if err != nil {
		return false
	}
	return MatchRepoDigestOrExact{}.MatchesReference(image, signed)
}

// MatchesReference implements SignedIdentity.
func (MatchRepoDigestOrExact) MatchesReference(image reference.Named, signed reference.Named) bool {
	if signed == nil {
		return false
	}
	if image == nil {
		return false
	}
	return matchRepoDigestOrExact(image, signed)
}

// matchRepoDigestOrExact is the shared rule of MatchRepoDigestOrExact and RemapIdentity.
func matchRepoDigestOrExact(image, signed reference.Named) bool {
	if reference.IsNameOnly(signed) {
		return false
	}
	switch image.(type) {
	case reference.NamedTagged: // also tag+digest: exact match required
		return signed.String() == image.String()
	case reference.Canonical: // the digest itself is enforced by the manifest and payload checks
		return signed.Name() == image.Name()
	default: // name-only image
		return false
	}
}

// Matches implements SignedIdentity.
func (MatchRepository) Matches(image reference.Named, untrustedSignedRef string) bool {
	signed, err := reference.ParseNormalizedNamed(untrustedSignedRef)
	if err != nil {
		return false
	}
	return MatchRepository{}.MatchesReference(image, signed)
}

// MatchesReference implements SignedIdentity.
func (MatchRepository) MatchesReference(image reference.Named, signed reference.Named) bool {
	if signed == nil {
		return false
	}
	if image == nil {
		return false
	}
	return signed.Name() == image.Name()
}

// Matches implements SignedIdentity; image is ignored.
func (e ExactReference) Matches(image reference.Named, untrustedSignedRef string) bool {
	signed, err := reference.ParseNormalizedNamed(untrustedSignedRef)
	if err != nil {
		return false
	}
	return e.MatchesReference(image, signed)
}

// MatchesReference implements SignedIdentity.
func (e ExactReference) MatchesReference(_ reference.Named, signed reference.Named) bool {
	if signed == nil {
		return false
	}
	want, err := reference.ParseNormalizedNamed(e.DockerReference)
	if err != nil {
		return false
	}
	if reference.IsNameOnly(want) || reference.IsNameOnly(signed) {
		return false
	}
	return signed.String() == want.String()
}

// Matches implements SignedIdentity; image is ignored.
func (e ExactRepository) Matches(image reference.Named, untrustedSignedRef string) bool {
	signed, err := reference.ParseNormalizedNamed(untrustedSignedRef)
	if err != nil {
		return false
	}
	return e.MatchesReference(image, signed)
}

// MatchesReference implements SignedIdentity.
func (e ExactRepository) MatchesReference(_ reference.Named, signed reference.Named) bool {
	if signed == nil {
		return false
	}
	want, err := reference.ParseNormalizedNamed(e.DockerRepository)
	if err != nil {
		return false
	}
	return signed.Name() == want.Name()
}

// Matches implements SignedIdentity.
func (r RemapIdentity) Matches(image reference.Named, untrustedSignedRef string) bool {
	signed, err := reference.ParseNormalizedNamed(untrustedSignedRef)
	if err != nil {
		return false
	}
	return r.MatchesReference(image, signed)
}

// MatchesReference implements SignedIdentity.
func (r RemapIdentity) MatchesReference(image reference.Named, signed reference.Named) bool {
	if signed == nil {
		return false
	}
	if image == nil {
		return false
	}
	remapped, ok := r.Remap(image)
	if !ok {
		return false
	}
	return matchRepoDigestOrExact(remapped, signed)
}

// Remap returns image rewritten from Prefix to SignedPrefix when image's repository is Prefix or
// lies under Prefix + "/", and image unchanged otherwise. ok is false when the rewritten string is
// not a valid, already-normalised reference (then nothing matches).
func (r RemapIdentity) Remap(image reference.Named) (remapped reference.Named, ok bool) {
	name := image.Name()
	switch {
	case len(name) < len(r.Prefix):
		return image, true
	case len(name) == len(r.Prefix):
		if name != r.Prefix {
			return image, true
		}
	default:
		if !strings.HasPrefix(name, r.Prefix) || name[len(r.Prefix)] != '/' {
			return image, true
		}
	}
	rewritten := strings.Replace(image.String(), r.Prefix, r.SignedPrefix, 1)
	parsed, err := reference.ParseNamed(rewritten) // not normalising: the result must already be canonical
	if err != nil {
		return nil, false
	}
	return parsed, true
}

// Prefix validation, as containers/image validateIdentityRemappingPrefix: a bare host[:port], or a
// name matching reference.NameRegexp that starts with a domain and "/".
var (
	remapDomainRegexp       = regexp.MustCompile("^" + reference.DomainRegexp.String() + "$")
	remapDomainPrefixRegexp = regexp.MustCompile("^" + reference.DomainRegexp.String() + "/")
	remapNameRegexp         = regexp.MustCompile("^" + reference.NameRegexp.String() + "$")
)

// validRemapPrefix reports whether s is acceptable as a remapIdentity prefix or signedPrefix. Like
// containers/image it does not refuse short names such as "busybox" (they match the domain rule).
func validRemapPrefix(s string) bool {
	return remapDomainRegexp.MatchString(s) ||
		(remapNameRegexp.MatchString(s) && remapDomainPrefixRegexp.MatchString(s))
}
