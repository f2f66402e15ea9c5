package policy

// InsecureAcceptAnything accepts every image without looking at signatures
// ({"type":"insecureAcceptAnything"}).
type InsecureAcceptAnything struct{}

// Reject refuses every image ({"type":"reject"}).
type Reject struct{}

// KeyType is the "keyType" of a signedBy requirement.
type KeyType string

// The keyType values containers/image accepts at parse time. Only KeyTypeGPGKeys is implemented by
// containers/image at evaluation time; the others parse but always deny.
const (
	KeyTypeGPGKeys          KeyType = "GPGKeys"
	KeyTypeSignedByGPGKeys  KeyType = "signedByGPGKeys"
	KeyTypeX509Certificates KeyType = "X509Certificates"
	KeyTypeSignedByX509CAs  KeyType = "signedByX509CAs"
)

// Valid reports whether kt is one of the four recognised key types.
func (kt KeyType) Valid() bool {
	switch kt {
	case KeyTypeGPGKeys, KeyTypeSignedByGPGKeys, KeyTypeX509Certificates, KeyTypeSignedByX509CAs:
		return true
	}
	return false
}

// SignedBy requires a "simple signing" (OpenPGP) signature by one of the given keys.
// Exactly one of KeyPath, KeyPaths and KeyData is set after parsing.
type SignedBy struct {
	KeyType  KeyType  // always Valid() after parsing
	KeyPath  string   // "" = absent
	KeyPaths []string // nil = absent; non-nil empty = present and empty (containers/image accepts [] here)
	KeyData  []byte   // nil = absent; non-nil empty = present
	// SignedIdentity decides which signed docker references are accepted. Never nil after parsing
	// (MatchRepoDigestOrExact{} when the document omits it).
	SignedIdentity SignedIdentity
}

// SignedBaseLayer requires a signed base layer. containers/image parses it but always denies it at
// evaluation time ("signedBaseLayer not implemented yet!").
type SignedBaseLayer struct {
	BaseLayerIdentity SignedIdentity // never nil after parsing
}

// SigstoreSigned requires a sigstore (cosign-style) signature.
//
// After parsing exactly one key source is set: KeyPath, KeyPaths, KeyData, KeyDatas, Fulcio or PKI;
// at most one Rekor key source is set; Fulcio requires one and PKI forbids one. Presence rules
// follow containers/image: a string is present when non-empty, a []byte when non-nil, a list when
// non-nil (and then it has at least one element).
type SigstoreSigned struct {
	KeyPath  string
	KeyPaths []string
	KeyData  []byte
	KeyDatas [][]byte // elements may be nil or empty; they fail only at evaluation

	Fulcio *Fulcio
	PKI    *PKI

	RekorPublicKeyPath  string
	RekorPublicKeyPaths []string
	RekorPublicKeyData  []byte
	RekorPublicKeyDatas [][]byte

	// SignedIdentity is never nil after parsing (MatchRepoDigestOrExact{} when omitted).
	SignedIdentity SignedIdentity
}

// Fulcio configures keyless verification with Fulcio certificates. After parsing exactly one of
// CAPath and CAData is set, exactly one issuer rule (OIDCIssuer or OIDCIssuerPattern) and exactly
// one subject rule (SubjectEmail, SubjectURI or SubjectPattern) is non-empty, and
// CertificateExtensions is nil or has at least one entry.
//
// The fields after SubjectEmail are sigpolicy extensions of containers-policy.json(5) (see
// docs/policy-extensions.md): containers/image, and so CRI-O, Podman and Skopeo, refuse a document
// that uses them. (*Policy).Extensions lists where a policy uses them; WithCompat refuses them.
type Fulcio struct {
	CAPath       string
	CAData       []byte
	OIDCIssuer   string // exact OIDC issuer; "" = absent
	SubjectEmail string // exact rfc822Name SAN; "" = absent

	// OIDCIssuerPattern is an RE2 pattern the whole OIDC issuer must match (see CompilePattern).
	OIDCIssuerPattern string
	// SubjectURI is a URI SAN the certificate must carry, compared exactly.
	SubjectURI string
	// SubjectPattern is an RE2 pattern that must match the whole of at least one subject: an
	// rfc822Name SAN, a URI SAN or Fulcio's otherName SAN (see CompilePattern).
	SubjectPattern string
	// CertificateExtensions maps Fulcio extension names (see CertificateExtensionNames) to the
	// value the certificate must carry, compared exactly. nil = absent.
	CertificateExtensions map[string]string
}

// PKI configures verification with certificates from a user-provided PKI. After parsing exactly
// one of CARootsPath and CARootsData is set, at most one of the intermediates fields, and at least
// one of SubjectEmail and SubjectHostname.
type PKI struct {
	CARootsPath         string
	CARootsData         []byte
	CAIntermediatesPath string
	CAIntermediatesData []byte
	SubjectEmail        string
	SubjectHostname     string
}

// Type implements Requirement.
func (*InsecureAcceptAnything) Type() RequirementType { return TypeInsecureAcceptAnything }

// Type implements Requirement.
func (*Reject) Type() RequirementType { return TypeReject }

// Type implements Requirement.
func (*SignedBy) Type() RequirementType { return TypeSignedBy }

// Type implements Requirement.
func (*SignedBaseLayer) Type() RequirementType { return TypeSignedBaseLayer }

// Type implements Requirement.
func (*SigstoreSigned) Type() RequirementType { return TypeSigstoreSigned }

func (*InsecureAcceptAnything) isRequirement() {}
func (*Reject) isRequirement()                 {}
func (*SignedBy) isRequirement()               {}
func (*SignedBaseLayer) isRequirement()        {}
func (*SigstoreSigned) isRequirement()         {}

// Compile-time checks.
var (
	_ Requirement = (*InsecureAcceptAnything)(nil)
	_ Requirement = (*Reject)(nil)
	_ Requirement = (*SignedBy)(nil)
	_ Requirement = (*SignedBaseLayer)(nil)
	_ Requirement = (*SigstoreSigned)(nil)
)
