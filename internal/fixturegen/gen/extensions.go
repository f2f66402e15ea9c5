package gen

import (
	"crypto"
	"crypto/x509"
	"crypto/x509/pkix"
	"math/big"
	"net/url"
	"strings"
	"time"

	"github.com/sigstore/fulcio/pkg/certificate"
	"github.com/sigstore/sigstore/pkg/cryptoutils"
)

// LeafSpec describes a Fulcio-style leaf certificate with the identity material a keyless CI
// signer gets: subject alternative names and Fulcio's OID 1.3.6.1.4.1.57264.1.* extensions.
type LeafSpec struct {
	Serial    int64
	NotBefore time.Time // the leaf is valid for 10 minutes from NotBefore
	Emails    []string
	URIs      []string
	// OtherName, when set, is the only SAN: a critical SAN extension holding Fulcio's otherName
	// (OID 1.3.6.1.4.1.57264.1.7), as Fulcio issues for username identities. Emails and URIs must
	// then be empty.
	OtherName string
	// Extensions are rendered with certificate.Extensions.Render, which writes the issuer in both
	// the v1 (raw) and v2 (DER) forms and every other non-empty field in its DER form; the
	// deprecated GitHub workflow fields are raw. Extensions.Issuer is required.
	Extensions certificate.Extensions
	// Extra are appended verbatim after the rendered extensions (for malformed-extension cases).
	Extra []pkix.Extension
}

// MakeFulcioLeaf creates the leaf described by spec for pub, signed by parentKey as parent: empty
// subject, EKU codeSigning, digital-signature key usage. The bytes are deterministic.
func MakeFulcioLeaf(spec LeafSpec, pub crypto.PublicKey, parent *x509.Certificate, parentKey crypto.Signer) (*x509.Certificate, error) {
	exts, err := spec.Extensions.Render()
	if err != nil {
		return nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(spec.Serial),
		NotBefore:             spec.NotBefore,
		NotAfter:              spec.NotBefore.Add(10 * time.Minute),
		BasicConstraintsValid: true,
		KeyUsage:              x509.KeyUsageDigitalSignature,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageCodeSigning},
		EmailAddresses:        spec.Emails,
		ExtraExtensions:       append(exts, spec.Extra...),
	}
	for _, s := range spec.URIs {
		u, err := url.Parse(s)
		if err != nil {
			return nil, err
		}
		tmpl.URIs = append(tmpl.URIs, u)
	}
	if spec.OtherName != "" {
		san, err := cryptoutils.MarshalOtherNameSAN(spec.OtherName, true)
		if err != nil {
			return nil, err
		}
		tmpl.ExtraExtensions = append(tmpl.ExtraExtensions, *san)
	}
	der, err := x509.CreateCertificate(nil, tmpl, parent, pub, DeterministicSigner{parentKey})
	if err != nil {
		return nil, err
	}
	return x509.ParseCertificate(der)
}

// GitHubActionsExtensions returns the extensions Fulcio issues to a GitHub Actions workflow run
// of workflowPath (e.g. ".github/workflows/release.yml") in repo ("org/name") at ref
// ("refs/heads/main") and commit sha, with the event trigger (e.g. "push"). The values follow
// Fulcio's docs/oidc-info.md mapping of the GitHub token claims.
func GitHubActionsExtensions(repo, workflowPath, ref, sha, trigger string) certificate.Extensions {
	workflow := "https://github.com/" + repo + "/" + workflowPath + "@" + ref
	owner, _, _ := strings.Cut(repo, "/")
	return certificate.Extensions{
		Issuer:                              "https://token.actions.githubusercontent.com",
		GithubWorkflowTrigger:               trigger,
		GithubWorkflowSHA:                   sha,
		GithubWorkflowName:                  "Release",
		GithubWorkflowRepository:            repo,
		GithubWorkflowRef:                   ref,
		BuildSignerURI:                      workflow,
		BuildSignerDigest:                   sha,
		RunnerEnvironment:                   "github-hosted",
		SourceRepositoryURI:                 "https://github.com/" + repo,
		SourceRepositoryDigest:              sha,
		SourceRepositoryRef:                 ref,
		SourceRepositoryIdentifier:          "123456789",
		SourceRepositoryOwnerURI:            "https://github.com/" + owner,
		SourceRepositoryOwnerIdentifier:     "987654",
		BuildConfigURI:                      workflow,
		BuildConfigDigest:                   sha,
		BuildTrigger:                        trigger,
		RunInvocationURI:                    "https://github.com/" + repo + "/actions/runs/42/attempts/1",
		SourceRepositoryVisibilityAtSigning: "public",
	}
}
