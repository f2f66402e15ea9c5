package bundle

import (
	_ "embed"
	"sync"
)

// publicGoodTrustedRoot is the Sigstore public-good instance's trusted_root.json as shipped in
// github.com/sigstore/sigstore@v1.10.11, pkg/tuf/repository/targets/trusted_root.json (SHA-256
// 4364d7724c04cc912ce2a6c45ed2610e8d8d1c4dc857fb500292738d4d9c8d2c). It predates the production
// timestamp authority and the Rekor v2 logs; point at a newer root with the CLI's
// --trusted-root or SIGPOLICY_TRUSTED_ROOT.
//
//go:embed public_good_trusted_root.json
var publicGoodTrustedRoot []byte

var loadPublicGood = sync.OnceValues(func() (*TrustedMaterial, error) { return FromTrustedRootJSON(publicGoodTrustedRoot) })

// PublicGoodTrustedRootJSON returns a copy of the embedded public-good trusted_root.json (from
// github.com/sigstore/sigstore@v1.10.11, pkg/tuf/repository/targets/trusted_root.json).
func PublicGoodTrustedRootJSON() []byte { return append([]byte(nil), publicGoodTrustedRoot...) }

// PublicGood returns the trusted material of the embedded public-good trusted root, loaded once.
func PublicGood() (*TrustedMaterial, error) { return loadPublicGood() }
