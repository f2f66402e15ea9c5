package main

import (
	"github.com/opencontainers/go-digest"

	"github.com/sigpolicy/sigpolicy/source"
)

// Case is one generated image layout and the policy requirement it was built for.
type Case struct {
	Name        string `json:"name"`
	Dir         string `json:"dir"` // relative to testdata/generated
	Description string `json:"description"`
	// SignedReference is the docker-reference in the (first good) signature payload; "" if none.
	SignedReference string `json:"signedReference"`
	// PullReference is the reference to evaluate the image as, for the requirement below.
	PullReference  string        `json:"pullReference"`
	ManifestDigest digest.Digest `json:"manifestDigest"`
	// Keys lists the files (relative to testdata/generated) that the requirement trusts.
	Keys Keys `json:"keys"`
	// Requirement is a sigstoreSigned policy requirement, with paths relative to
	// testdata/generated, under which the case is meant to be evaluated.
	Requirement map[string]any `json:"requirement"`
	// Expected is containers/image v5.36.2's decision for PullReference under Requirement:
	// "allow" or "deny"; ExpectedError is a substring of its denial message.
	Expected      string `json:"expected"`
	ExpectedError string `json:"expectedError,omitempty"`

	manifest   []byte
	signatures []source.Signature
}

// Keys names the trust material of a case.
type Keys struct {
	PublicKeys       []string `json:"publicKeys,omitempty"`
	RekorPublicKeys  []string `json:"rekorPublicKeys,omitempty"`
	FulcioCA         string   `json:"fulcioCA,omitempty"`
	OIDCIssuer       string   `json:"oidcIssuer,omitempty"`
	SubjectEmail     string   `json:"subjectEmail,omitempty"`
	PKIRoots         string   `json:"pkiRoots,omitempty"`
	PKIIntermediates string   `json:"pkiIntermediates,omitempty"`
	SubjectHostname  string   `json:"subjectHostname,omitempty"`
}

// requirement returns the sigstoreSigned requirement for k and an optional signedIdentity.
func (k Keys) requirement(identity map[string]any) map[string]any {
	r := map[string]any{"type": "sigstoreSigned"}
	switch len(k.PublicKeys) {
	case 0:
	case 1:
		r["keyPath"] = k.PublicKeys[0]
	default:
		r["keyPaths"] = k.PublicKeys
	}
	switch len(k.RekorPublicKeys) {
	case 0:
	case 1:
		r["rekorPublicKeyPath"] = k.RekorPublicKeys[0]
	default:
		r["rekorPublicKeyPaths"] = k.RekorPublicKeys
	}
	if k.FulcioCA != "" {
		r["fulcio"] = map[string]any{"caPath": k.FulcioCA, "oidcIssuer": k.OIDCIssuer, "subjectEmail": k.SubjectEmail}
	}
	if k.PKIRoots != "" {
		p := map[string]any{"caRootsPath": k.PKIRoots}
		if k.PKIIntermediates != "" {
			p["caIntermediatesPath"] = k.PKIIntermediates
		}
		if k.SubjectEmail != "" {
			p["subjectEmail"] = k.SubjectEmail
		}
		if k.SubjectHostname != "" {
			p["subjectHostname"] = k.SubjectHostname
		}
		r["pki"] = p
	}
	if identity != nil {
		r["signedIdentity"] = identity
	}
	return r
}

var matchRepository = map[string]any{"type": "matchRepository"}
