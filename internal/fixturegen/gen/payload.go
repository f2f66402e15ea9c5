package gen

import (
	"encoding/json"
	"fmt"
)

// CosignSignatureType is the critical.type value of a cosign container image signature.
const CosignSignatureType = "cosign container image signature"

// Payload describes a cosign "simple signing" payload. Marshal writes exactly the fields set, in
// cosign's order, so that variants (a missing optional, an extra key) are easy to express.
type Payload struct {
	DockerReference string // critical.identity.docker-reference
	ManifestDigest  string // critical.image.docker-manifest-digest
	Type            string // critical.type; CosignSignatureType if empty
	// Optional is the raw JSON of the "optional" member: "null" for cosign's form, an object for
	// containers/image's form, or "" to leave the member out.
	Optional string
	// ExtraCritical, if not empty, is a raw `"key":value` member appended inside "critical".
	ExtraCritical string
}

// Marshal returns the payload JSON, without a trailing newline.
func (p Payload) Marshal() []byte {
	typ := p.Type
	if typ == "" {
		typ = CosignSignatureType
	}
	ref, _ := json.Marshal(p.DockerReference)
	dig, _ := json.Marshal(p.ManifestDigest)
	t, _ := json.Marshal(typ)
	critical := fmt.Sprintf(`{"identity":{"docker-reference":%s},"image":{"docker-manifest-digest":%s},"type":%s`, ref, dig, t)
	if p.ExtraCritical != "" {
		critical += "," + p.ExtraCritical
	}
	critical += "}"
	if p.Optional == "" {
		return []byte(`{"critical":` + critical + `}`)
	}
	return []byte(`{"critical":` + critical + `,"optional":` + p.Optional + `}`)
}

// OptionalCreator returns containers/image's "optional" object for a creator and a timestamp.
func OptionalCreator(creator string, timestamp int64) string {
	c, _ := json.Marshal(creator)
	return fmt.Sprintf(`{"creator":%s,"timestamp":%d}`, c, timestamp)
}
