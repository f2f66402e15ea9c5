package verify

import (
	"bytes"
	"crypto"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/opencontainers/go-digest"
	sgbundle "github.com/sigstore/sigstore-go/pkg/bundle"
	"github.com/sigstore/sigstore-go/pkg/fulcio/certificate"
	"github.com/sigstore/sigstore-go/pkg/root"
	"github.com/sigstore/sigstore/pkg/cryptoutils"

	"github.com/sigpolicy/sigpolicy/bundle"
	"github.com/sigpolicy/sigpolicy/fulcio"
	"github.com/sigpolicy/sigpolicy/policy"
	"github.com/sigpolicy/sigpolicy/source"
)

// bundleConfig is the Compile configuration of sigstore bundle verification.
type bundleConfig struct {
	rekorURL    string
	trustedRoot *bundle.TrustedMaterial
}

// bundleRequirement is how one sigstoreSigned requirement verifies sigstore bundles. It is
// immutable after compileBundles.
type bundleRequirement struct {
	unsupported error                   // the requirement cannot use bundles at all
	tm          *bundle.TrustedMaterial // what bundle.Verify checks against
	tmErr       error                   // the policy material could not be turned into trusted material
	keys        []crypto.PublicKey      // key-based requirement: any one must sign the bundle
	identity    *bundle.CertificateIdentity
	withRoot    bool     // tm is the WithTrustedRoot material
	rekorIDs    [][]byte // with a trusted root: the policy's Rekor log IDs
}

// compileBundles prepares bundle verification for a requirement whose material loaded (c.loadErr
// is nil). It reads no file that load did not read: the loader caches every source.
func compileBundles(l *loader, r *policy.SigstoreSigned, c *sigstoreRequirement) *bundleRequirement {
	cfg := l.bundles
	if cfg.rekorURL == "" {
		cfg.rekorURL = DefaultRekorURL
	}
	b := &bundleRequirement{}
	switch {
	case c.pki != nil:
		b.unsupported = &BundleUnsupportedError{Reason: "a pki requirement does not accept sigstore bundles (bundles are verified against Fulcio CAs and Rekor logs)"}
		return b
	case c.keys != nil && c.rekor == nil:
		b.unsupported = &BundleUnsupportedError{Reason: "a public-key requirement without rekorPublicKey… does not accept sigstore bundles (a bundle is verified with its transparency-log entry)"}
		return b
	}
	rekorPEMs, err := l.sources(r.RekorPublicKeyPath, r.RekorPublicKeyPaths, r.RekorPublicKeyData, r.RekorPublicKeyDatas)
	if err != nil {
		b.tmErr = err
		return b
	}
	if c.keys != nil {
		for _, k := range c.keys {
			b.keys = append(b.keys, k.key)
		}
		b.tm, b.tmErr = bundle.FromPolicyMaterial(bundle.PolicyMaterial{RekorPublicKeysPEM: rekorPEMs, RekorURL: cfg.rekorURL})
		return b
	}
	// Fulcio.
	if c.rules != nil && c.rules.IssuerPattern == nil && c.rules.SubjectPattern == nil {
		san := c.rules.Email
		if san == "" {
			san = c.rules.URI
		}
		b.identity = &bundle.CertificateIdentity{Issuer: c.rules.Issuer, SAN: san}
	}
	if cfg.trustedRoot != nil {
		b.tm, b.withRoot = cfg.trustedRoot, true
		for _, p := range rekorPEMs {
			id, err := pemKeyID(p)
			if err != nil {
				b.tmErr = err
				return b
			}
			b.rekorIDs = append(b.rekorIDs, id)
		}
		return b
	}
	ca, err := l.sources(r.Fulcio.CAPath, nil, r.Fulcio.CAData, nil)
	if err != nil || len(ca) != 1 {
		b.tmErr = fmt.Errorf("fulcio CA material: %v", err)
		return b
	}
	b.tm, b.tmErr = bundle.FromPolicyMaterial(bundle.PolicyMaterial{FulcioCAsPEM: ca[0], RekorPublicKeysPEM: rekorPEMs, RekorURL: cfg.rekorURL})
	return b
}

// pemKeyID is a Rekor v1 log ID: SHA-256 of the key's PKIX DER.
func pemKeyID(keyPEM []byte) ([]byte, error) {
	pub, err := cryptoutils.UnmarshalPEMToPublicKey(keyPEM)
	if err != nil {
		return nil, err
	}
	der, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256(der)
	return sum[:], nil
}

// checkBundle decides one sigstore bundle for the requirement: its content must be a cosign image
// signature statement, it must verify with the requirement's trust material (see the package
// documentation, "Sigstore bundles"), its verified statement must name the image's manifest
// digest (checked first) and, when the matching subject has a name, that name must be accepted by
// signedIdentity (checked second).
func (c *sigstoreRequirement) checkBundle(ev *evalContext, b source.Bundle) error {
	if c.loadErr != nil {
		return c.loadErr
	}
	br := c.bundles
	if br == nil {
		return &BundleUnsupportedError{Reason: "the requirement was not compiled for bundles"}
	}
	if br.unsupported != nil {
		return br.unsupported
	}
	if br.tmErr != nil {
		return &TrustMaterialError{Field: "sigstore bundle trust material", Err: br.tmErr}
	}
	untrusted, untrustedStmt, err := inspectBundle(b.UntrustedJSON)
	if err != nil {
		return err
	}
	actual, err := ev.manifestDigest()
	if err != nil {
		return err
	}
	if actual.Algorithm() != digest.SHA256 {
		return &DigestMismatchError{Signed: "(a sha256 digest)", Actual: actual.String()}
	}
	// Verify against the subject that names the image, when one does; otherwise against the
	// first subject, so that a valid bundle for another image is reported as a digest mismatch.
	signedHex := actual.Encoded()
	if untrustedStmt.subjectFor(signedHex) == nil {
		if signedHex = untrustedStmt.firstSHA256(); signedHex == "" {
			return &BundleContentError{Field: "subject", Msg: "bundle in-toto statement has no sha256 subject digest"}
		}
	}
	artifact, err := hex.DecodeString(signedHex)
	if err != nil {
		return &BundleContentError{Field: "subject", Msg: fmt.Sprintf("bundle subject digest: %v", err)}
	}
	opts := bundle.Options{ArtifactDigest: artifact, CurrentTime: ev.now}
	var res *bundle.Result
	if br.keys != nil {
		res, err = br.verifyWithKeys(b.UntrustedJSON, opts)
	} else {
		res, err = c.verifyKeyless(br, untrusted, b.UntrustedJSON, opts)
	}
	if err != nil {
		return err
	}
	// The statement is now verified.
	st, err := parseImageStatement(res.Content.PayloadType, res.Content.Payload)
	if err != nil {
		return err
	}
	subject := st.subjectFor(actual.Encoded())
	if subject == nil {
		return &DigestMismatchError{Signed: "sha256:" + st.firstSHA256(), Actual: actual.String()}
	}
	if subject.Name != "" {
		return ev.checkIdentity(c.identity, subject.Name)
	}
	return nil
}

// inspectBundle parses an untrusted bundle to pick what to verify it against; it refuses what
// cosign refuses as an image signature before any cryptography: message signatures, non-in-toto
// DSSE payloads, other predicate types.
func inspectBundle(untrustedJSON []byte) (*sgbundle.Bundle, *statement, error) {
	if len(untrustedJSON) > bundle.MaxBundleSize {
		return nil, nil, &FormatError{Field: "bundle", Msg: fmt.Sprintf("bundle is %d bytes, more than %d", len(untrustedJSON), bundle.MaxBundleSize)}
	}
	var untrusted sgbundle.Bundle
	if err := untrusted.UnmarshalJSON(untrustedJSON); err != nil {
		return nil, nil, &FormatError{Field: "bundle", Msg: fmt.Sprintf("parsing sigstore bundle: %v", err)}
	}
	if untrusted.GetMessageSignature() != nil {
		return nil, nil, &BundleContentError{Field: "messageSignature", Expected: "dsseEnvelope", Actual: "messageSignature",
			Msg: "bundle holds a message signature, not a DSSE image-signature statement (cosign refuses such bundles for images)"}
	}
	env := untrusted.GetDsseEnvelope()
	if env == nil {
		return nil, nil, &FormatError{Field: "bundle", Msg: "bundle has neither a DSSE envelope nor a message signature"}
	}
	st, err := parseImageStatement(env.GetPayloadType(), env.GetPayload())
	if err != nil {
		return nil, nil, err
	}
	return &untrusted, st, nil
}

// verifyWithKeys verifies a key-signed bundle with each configured key in turn; any one suffices.
func (br *bundleRequirement) verifyWithKeys(untrustedJSON []byte, opts bundle.Options) (*bundle.Result, error) {
	var failures []error
	for _, k := range br.keys {
		opts.PublicKey = k
		res, err := bundle.Verify(untrustedJSON, br.tm, opts)
		if err == nil {
			return res, nil
		}
		failures = append(failures, err)
	}
	if len(failures) == 1 {
		return nil, &SignatureError{Msg: "sigstore bundle", Err: failures[0]}
	}
	msgs := make([]string, len(failures))
	for i, f := range failures {
		msgs[i] = f.Error()
	}
	return nil, &SignatureError{Msg: "no configured public key verified the sigstore bundle: " + strings.Join(msgs, "; "),
		Err: errors.Join(failures...)}
}

// verifyKeyless verifies a certificate-signed bundle: bundle.Verify with the trusted material and
// the identity, then the verified leaf against the requirement's own Fulcio CA at the first
// signature-backed time and every fulcio identity rule (issuer, subject, extensions), and, with
// a trusted root, that a Rekor key of the policy logged the entry.
func (c *sigstoreRequirement) verifyKeyless(br *bundleRequirement, untrusted *sgbundle.Bundle, untrustedJSON []byte, opts bundle.Options) (*bundle.Result, error) {
	id := br.identity
	if id == nil {
		// Pattern rules: let bundle.Verify match the certificate's own identity, which the fulcio
		// rules check below once the certificate is verified.
		derived, err := untrustedIdentity(untrusted)
		if err != nil {
			return nil, err
		}
		id = derived
	}
	opts.Identity = id
	res, err := bundle.Verify(untrustedJSON, br.tm, opts)
	if err != nil {
		return nil, &SignatureError{Msg: "sigstore bundle", Err: err}
	}
	if res.Identity == nil || res.Identity.Certificate == nil {
		return nil, &SignatureError{Msg: "sigstore bundle is not signed with a certificate"}
	}
	times := res.VerifiedTimes()
	if len(times) == 0 {
		return nil, &SignatureError{Msg: "sigstore bundle has no signature-backed time"}
	}
	leafPEM := cryptoutils.PEMEncode(cryptoutils.CertificatePEMType, res.Identity.Certificate.Raw)
	fid, err := c.leafAgainstPolicyCA(br, leafPEM, times[0])
	if err != nil {
		return nil, &SignatureError{Msg: "sigstore bundle certificate and the policy's Fulcio CA", Err: err}
	}
	if err := fid.Check(c.rules); err != nil {
		return nil, &SignatureError{Err: err}
	}
	if br.withRoot {
		logged := false
		for _, e := range res.LogEntries {
			for _, want := range br.rekorIDs {
				logged = logged || bytes.Equal(e.LogID, want)
			}
		}
		if !logged {
			return nil, &SignatureError{Msg: "sigstore bundle was not logged by a Rekor key of the policy"}
		}
	}
	return res, nil
}

// leafAgainstPolicyCA verifies the (already verified) leaf against the requirement's Fulcio
// anchors at time at. With a trusted root, each of the root's Fulcio CAs supplies the untrusted
// chain (intermediates then root) in turn, so that a policy naming only a root CA still verifies
// a leaf-only bundle; the leaf must chain to the policy's CA either way.
func (c *sigstoreRequirement) leafAgainstPolicyCA(br *bundleRequirement, leafPEM []byte, at time.Time) (*fulcio.Identity, error) {
	if !br.withRoot {
		return c.fulcio.VerifyFulcio(leafPEM, nil, at)
	}
	var firstErr error
	for _, ca := range br.tm.SigstoreGo().FulcioCertificateAuthorities() {
		fca, ok := ca.(*root.FulcioCertificateAuthority)
		if !ok {
			continue
		}
		var chain []byte
		for _, ic := range fca.Intermediates {
			chain = append(chain, cryptoutils.PEMEncode(cryptoutils.CertificatePEMType, ic.Raw)...)
		}
		if fca.Root != nil {
			chain = append(chain, cryptoutils.PEMEncode(cryptoutils.CertificatePEMType, fca.Root.Raw)...)
		}
		id, err := c.fulcio.VerifyFulcio(leafPEM, chain, at)
		if err == nil {
			return id, nil
		}
		if firstErr == nil {
			firstErr = err
		}
	}
	if firstErr == nil { // a trusted root without Fulcio CAs: the policy's CA data alone
		return c.fulcio.VerifyFulcio(leafPEM, nil, at)
	}
	return nil, firstErr
}

// untrustedIdentity reads the issuer and SAN of a bundle's certificate, unverified, for
// bundle.Verify to compare against itself; only the fulcio rules applied afterwards decide.
func untrustedIdentity(untrusted *sgbundle.Bundle) (*bundle.CertificateIdentity, error) {
	vc, err := untrusted.VerificationContent()
	if err != nil {
		return nil, &FormatError{Field: "bundle.verificationMaterial", Msg: fmt.Sprintf("bundle verification material: %v", err)}
	}
	cert := vc.Certificate()
	if cert == nil {
		return nil, &SignatureError{Msg: "sigstore bundle is not signed with a certificate"}
	}
	sum, err := certificate.SummarizeCertificate(cert)
	if err != nil {
		return nil, &SignatureError{Msg: "sigstore bundle certificate", Err: err}
	}
	if sum.Issuer == "" || sum.SubjectAlternativeName == "" {
		return nil, &SignatureError{Msg: "sigstore bundle certificate has no OIDC issuer or subject alternative name"}
	}
	return &bundle.CertificateIdentity{Issuer: sum.Issuer, SAN: sum.SubjectAlternativeName}, nil
}

// asBundle returns s as a source.Bundle (a value or a non-nil pointer).
func asBundle(s source.Signature) (source.Bundle, bool) {
	switch b := s.(type) {
	case source.Bundle:
		return b, true
	case *source.Bundle:
		if b != nil {
			return *b, true
		}
	}
	return source.Bundle{}, false
}

// bundleResult is the explanation of one bundle: Kind "bundle", and the reason prefixed with
// where the bundle was found.
func bundleResult(index int, b source.Bundle, err error) SignatureResult {
	res := SignatureResult{Index: index, Kind: "bundle", Accepted: err == nil, Err: err}
	switch {
	case err != nil && b.Origin != "":
		res.Reason = b.Origin + ": " + err.Error()
	case err != nil:
		res.Reason = err.Error()
	case b.Origin != "":
		res.Reason = "verified sigstore bundle (" + b.Origin + ")"
	default:
		res.Reason = "verified sigstore bundle"
	}
	return res
}
