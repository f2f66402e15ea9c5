// Package policy is the document model of containers-policy.json(5), the file that tells
// CRI-O, Podman and Skopeo which container images may run, with the exact acceptance rules of
// github.com/containers/image/v5 v5.36.2.
//
// # The document
//
// A policy has a global "default" requirement list and optional per-transport scopes:
//
//	{
//	  "default": [{"type": "reject"}],
//	  "transports": {
//	    "docker": {
//	      "registry.k8s.io": [{
//	        "type": "sigstoreSigned",
//	        "fulcio": {"caPath": "/etc/containers/fulcio.pem",
//	                   "oidcIssuer": "https://accounts.google.com",
//	                   "subjectEmail": "krel-trust@k8s-releng-prod.iam.gserviceaccount.com"},
//	        "rekorPublicKeyPath": "/etc/containers/rekor.pub",
//	        "signedIdentity": {"type": "matchRepository"}}]
//	    }
//	  }
//	}
//
// A requirement list is a logical AND. The requirement types are InsecureAcceptAnything, Reject,
// SignedBy (OpenPGP "simple signing"), SignedBaseLayer (parsed, never satisfied) and
// SigstoreSigned (public keys, Fulcio certificates or a private PKI, optionally with Rekor). Each
// signature requirement has a SignedIdentity rule saying which docker reference a signature may
// claim for the image being run.
//
// # Parsing
//
// Parse, ParseNamed and ParseFile accept exactly the documents containers/image accepts: unknown
// and duplicate keys (compared after JSON unescaping) are refused, names are case-sensitive,
// `null` is treated as encoding/json treats it for the Go type containers/image decodes into,
// "keyPath":"" counts as absent, key sources are mutually exclusive, "fulcio" needs a Rekor key
// and "pki" forbids one, and scope keys are validated per transport (unknown transport names are
// accepted unchecked). Every failure is an *Error carrying the file, JSON path, line and column,
// wrapping a sentinel (see ErrInvalidPolicy) for errors.Is. Lint returns all the errors it can
// find. (*Policy).MarshalJSON writes a canonical form that parses back to an equal Policy.
//
// # Extensions
//
// Inside "fulcio", Parse also accepts sigpolicy's extension fields for CI identities: subjectURI,
// subjectPattern, oidcIssuerPattern (whole-value RE2 patterns, see CompilePattern) and
// certificateExtensions (see CertificateExtensionNames); exactly one issuer rule and one subject
// rule are required. containers/image refuses them: ParseWithOptions and LintWithOptions with
// WithCompat(CompatContainersImage) report each use as an ErrExtension error, and
// (*Policy).Extensions lists them. docs/policy-extensions.md documents the fields.
//
// # Lookup and identity
//
// (*Policy).RequirementsFor picks the requirements for an image with containers/image's
// precedence: exact tag or digest, repository, parent namespaces, host[:port], "*." wildcards,
// the transport's "" scope, then the default. DockerReference and PathReference compute the
// lookup keys of docker and path-based images. SignedIdentity.Matches implements each identity
// rule as a pure function of two references.
//
// The package does no I/O beyond reading the one document in ParseFile and does no cryptography;
// key and certificate files named by a policy are loaded by package verify.
package policy
