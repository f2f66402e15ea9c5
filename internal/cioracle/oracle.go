//go:build containers_image_openpgp

// Package cioracle evaluates a policy with containers/image v5.36.2's public API: the reference
// implementation that sigpolicy's differential tests compare against. It is test support only
// (nothing outside _test.go files imports it) and needs the build tag containers_image_openpgp,
// with which containers/image uses pure-Go OpenPGP instead of cgo gpgme; without the tag the
// package is empty.
package cioracle

import (
	"context"
	"fmt"

	"github.com/containers/image/v5/directory"
	"github.com/containers/image/v5/docker"
	"github.com/containers/image/v5/docker/reference"
	"github.com/containers/image/v5/image"
	"github.com/containers/image/v5/manifest"
	"github.com/containers/image/v5/signature"
	// Every transport registered, so that scope validation is that of Podman and Skopeo.
	_ "github.com/containers/image/v5/transports/alltransports"
)

// DecideDir evaluates policyJSON for the image in the containers dir: layout dir, pulled as
// dockerRef (a docker reference; name-only means :latest), with
// PolicyContext.IsRunningImageAllowed on image.UnparsedInstanceWithReference over the dir:
// transport's own image source (which keeps the sigstore signature format). A pull by digest
// checks the manifest against the digest before the policy, as a real pull does.
func DecideDir(ctx context.Context, policyJSON []byte, dir, dockerRef string) (bool, error) {
	pol, err := signature.NewPolicyFromBytes(policyJSON)
	if err != nil {
		return false, err
	}
	pc, err := signature.NewPolicyContext(pol)
	if err != nil {
		return false, err
	}
	defer func() { _ = pc.Destroy() }()
	srcRef, err := directory.NewReference(dir)
	if err != nil {
		return false, err
	}
	src, err := srcRef.NewImageSource(ctx, nil)
	if err != nil {
		return false, err
	}
	defer src.Close()
	ref, err := docker.ParseReference("//" + dockerRef)
	if err != nil {
		return false, err
	}
	unparsed := image.UnparsedInstance(src, nil)
	if c, ok := ref.DockerReference().(reference.Canonical); ok {
		m, _, err := unparsed.Manifest(ctx)
		if err != nil {
			return false, err
		}
		if ok, err := manifest.MatchesDigest(m, c.Digest()); err != nil || !ok {
			return false, fmt.Errorf("Manifest does not match provided manifest digest %s (%v)", c.Digest(), err)
		}
	}
	return pc.IsRunningImageAllowed(ctx, image.UnparsedInstanceWithReference(unparsed, ref))
}
