package fulcio

import (
	"encoding/asn1"
	"slices"

	"github.com/sigstore/fulcio/pkg/certificate"
)

// extensionField is one Fulcio certificate extension a policy can pin, by its policy name.
type extensionField struct {
	name string
	oid  asn1.ObjectIdentifier
	get  func(*certificate.Extensions) string
}

// extensionFields lists the extensions in OID order. The names are those of the policy field
// certificateExtensions (policy.CertificateExtensionNames): the certificate.Extensions field names
// with a lower-case first letter.
//
//nolint:staticcheck // the deprecated GitHub workflow OIDs are still issued and pinned by users.
var extensionFields = []extensionField{
	{"issuer", certificate.OIDIssuerV2, func(e *certificate.Extensions) string { return e.Issuer }},
	{"githubWorkflowTrigger", certificate.OIDGitHubWorkflowTrigger, func(e *certificate.Extensions) string { return e.GithubWorkflowTrigger }},
	{"githubWorkflowSHA", certificate.OIDGitHubWorkflowSHA, func(e *certificate.Extensions) string { return e.GithubWorkflowSHA }},
	{"githubWorkflowName", certificate.OIDGitHubWorkflowName, func(e *certificate.Extensions) string { return e.GithubWorkflowName }},
	{"githubWorkflowRepository", certificate.OIDGitHubWorkflowRepository, func(e *certificate.Extensions) string { return e.GithubWorkflowRepository }},
	{"githubWorkflowRef", certificate.OIDGitHubWorkflowRef, func(e *certificate.Extensions) string { return e.GithubWorkflowRef }},
	{"buildSignerURI", certificate.OIDBuildSignerURI, func(e *certificate.Extensions) string { return e.BuildSignerURI }},
	{"buildSignerDigest", certificate.OIDBuildSignerDigest, func(e *certificate.Extensions) string { return e.BuildSignerDigest }},
	{"runnerEnvironment", certificate.OIDRunnerEnvironment, func(e *certificate.Extensions) string { return e.RunnerEnvironment }},
	{"sourceRepositoryURI", certificate.OIDSourceRepositoryURI, func(e *certificate.Extensions) string { return e.SourceRepositoryURI }},
	{"sourceRepositoryDigest", certificate.OIDSourceRepositoryDigest, func(e *certificate.Extensions) string { return e.SourceRepositoryDigest }},
	{"sourceRepositoryRef", certificate.OIDSourceRepositoryRef, func(e *certificate.Extensions) string { return e.SourceRepositoryRef }},
	{"sourceRepositoryIdentifier", certificate.OIDSourceRepositoryIdentifier, func(e *certificate.Extensions) string { return e.SourceRepositoryIdentifier }},
	{"sourceRepositoryOwnerURI", certificate.OIDSourceRepositoryOwnerURI, func(e *certificate.Extensions) string { return e.SourceRepositoryOwnerURI }},
	{"sourceRepositoryOwnerIdentifier", certificate.OIDSourceRepositoryOwnerIdentifier, func(e *certificate.Extensions) string { return e.SourceRepositoryOwnerIdentifier }},
	{"buildConfigURI", certificate.OIDBuildConfigURI, func(e *certificate.Extensions) string { return e.BuildConfigURI }},
	{"buildConfigDigest", certificate.OIDBuildConfigDigest, func(e *certificate.Extensions) string { return e.BuildConfigDigest }},
	{"buildTrigger", certificate.OIDBuildTrigger, func(e *certificate.Extensions) string { return e.BuildTrigger }},
	{"runInvocationURI", certificate.OIDRunInvocationURI, func(e *certificate.Extensions) string { return e.RunInvocationURI }},
	{"sourceRepositoryVisibilityAtSigning", certificate.OIDSourceRepositoryVisibilityAtSigning, func(e *certificate.Extensions) string { return e.SourceRepositoryVisibilityAtSigning }},
}

// ExtensionNames returns the extension names Rules.Extensions accepts, in OID order.
func ExtensionNames() []string {
	out := make([]string, len(extensionFields))
	for i, f := range extensionFields {
		out[i] = f.name
	}
	return out
}

func findExtension(name string) (extensionField, bool) {
	i := slices.IndexFunc(extensionFields, func(f extensionField) bool { return f.name == name })
	if i < 0 {
		return extensionField{}, false
	}
	return extensionFields[i], true
}

// ExtensionOID returns the OID of the named extension ("issuer" gives the v2 OID
// 1.3.6.1.4.1.57264.1.8; its deprecated v1 form 1.3.6.1.4.1.57264.1.1 is read as well).
func ExtensionOID(name string) (asn1.ObjectIdentifier, bool) {
	f, ok := findExtension(name)
	return f.oid, ok
}

// ExtensionValue returns the value of the named extension in ext ("" when the certificate does not
// carry it; certificate.ParseExtensions does not distinguish absent from empty) and whether the
// name is known.
func ExtensionValue(ext *certificate.Extensions, name string) (string, bool) {
	f, ok := findExtension(name)
	if !ok {
		return "", false
	}
	return f.get(ext), true
}
