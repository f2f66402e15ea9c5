package policy

// Policy is a parsed containers-policy.json(5) document.
//
// It is plain data: build it with Parse, ParseNamed or ParseFile (which enforce every rule
// containers/image v5.36.2 enforces), or by hand for tests. Treat a parsed Policy as read-only;
// it is then safe to share between goroutines.
type Policy struct {
	// Default applies to every image for which no transport scope matches. Never empty after parsing.
	Default Requirements
	// Transports maps a transport name ("docker", "dir", …) to its scopes. It is nil when the
	// document has no "transports" key, and non-nil (possibly empty) when it has one.
	Transports map[string]TransportScopes
}

// TransportScopes maps a scope of one transport (for docker: a repository, namespace, host or
// "*.domain" wildcard; for dir/oci: an absolute path; "" for the transport-wide default) to the
// requirements that apply to it.
type TransportScopes map[string]Requirements

// Requirements is a list of requirements that must all be satisfied (AND semantics). Never empty
// after parsing.
type Requirements []Requirement

// RequirementType is the value of a requirement's "type" field.
type RequirementType string

// The requirement types of containers-policy.json(5).
const (
	TypeInsecureAcceptAnything RequirementType = "insecureAcceptAnything"
	TypeReject                 RequirementType = "reject"
	TypeSignedBy               RequirementType = "signedBy"
	TypeSignedBaseLayer        RequirementType = "signedBaseLayer"
	TypeSigstoreSigned         RequirementType = "sigstoreSigned"
)

// Requirement is one policy requirement. The implementations are the pointer types
// *InsecureAcceptAnything, *Reject, *SignedBy, *SignedBaseLayer and *SigstoreSigned; the set is
// closed (the interface has an unexported method), so a type switch over those five is exhaustive.
type Requirement interface {
	// Type returns the requirement's "type" discriminator.
	Type() RequirementType
	isRequirement()
}

// IdentityType is the value of a signedIdentity object's "type" field.
type IdentityType string

// The signedIdentity types of containers-policy.json(5).
const (
	TypeMatchExact             IdentityType = "matchExact"
	TypeMatchRepoDigestOrExact IdentityType = "matchRepoDigestOrExact"
	TypeMatchRepository        IdentityType = "matchRepository"
	TypeExactReference         IdentityType = "exactReference"
	TypeExactRepository        IdentityType = "exactRepository"
	TypeRemapIdentity          IdentityType = "remapIdentity"
)
