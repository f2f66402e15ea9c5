package verify

import (
	"crypto"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"

	"github.com/sigstore/sigstore/pkg/cryptoutils"

	"github.com/sigpolicy/sigpolicy/fulcio"
	"github.com/sigpolicy/sigpolicy/policy"
	"github.com/sigpolicy/sigpolicy/rekor"
	"github.com/sigpolicy/sigpolicy/source"
)

// sigstoreRequirement is a compiled sigstoreSigned requirement.
type sigstoreRequirement struct {
	identity policy.SignedIdentity
	loadErr  error // trust material that failed to load: every signature is rejected with it

	keys    []*payloadKey // keyPath/keyPaths/keyData/keyDatas
	rekor   *rekor.Keys   // nil without a Rekor key
	fulcio  *fulcio.Anchors
	rules   *fulcio.Rules // the fulcio identity rules (issuer, subject, certificate extensions)
	pki     *fulcio.Anchors
	pkiMail string
	pkiHost string

	verified *sigCache // signatures whose time-independent checks passed; nil for PKI (wall clock)

	bundles *bundleRequirement // how sigstore bundles are verified (bundle.go); nil when loadErr is set
}

// payloadKey is one configured public key with what verification needs, prepared once.
type payloadKey struct {
	key      crypto.PublicKey
	pem      []byte // re-marshalled PEM, compared with the key in a Rekor entry
	verifier verifierFunc
	loadErr  error // the key's type is unusable for sigstore signatures
}

func compileSigstore(l *loader, r *policy.SigstoreSigned) compiledRequirement {
	c := &sigstoreRequirement{identity: r.SignedIdentity}
	if c.identity == nil {
		c.identity = policy.MatchRepoDigestOrExact{}
	}
	c.loadErr = c.load(l, r)
	if c.loadErr == nil && c.pki == nil && !l.noSigCache {
		c.verified = newSigCache()
	}
	if c.loadErr == nil {
		c.bundles = compileBundles(l, r, c)
	}
	return c
}

// load mirrors containers/image's prepareTrustRoot, in the same order: keys, fulcio, Rekor keys, PKI.
func (c *sigstoreRequirement) load(l *loader, r *policy.SigstoreSigned) error {
	pems, err := l.sources(r.KeyPath, r.KeyPaths, r.KeyData, r.KeyDatas)
	if err != nil {
		return &TrustMaterialError{Field: "keyPath", Err: err}
	}
	for i, data := range pems {
		pk, err := cryptoutils.UnmarshalPEMToPublicKey(data)
		if err != nil {
			return &TrustMaterialError{Field: fmt.Sprintf("key %d", i+1), Err: fmt.Errorf("parsing public key %d: %w", i+1, err)}
		}
		c.keys = append(c.keys, newPayloadKey(pk))
	}
	if r.Fulcio != nil {
		ca, err := l.sources(r.Fulcio.CAPath, nil, r.Fulcio.CAData, nil)
		if err != nil {
			return &TrustMaterialError{Field: "fulcio.caPath", Err: err}
		}
		if len(ca) != 1 {
			return &TrustMaterialError{Field: "fulcio", Err: errors.New(`Internal inconsistency: Fulcio specified with not exactly one of "caPath" nor "caData"`)}
		}
		a, err := fulcio.NewFulcioAnchors(ca[0])
		if err != nil {
			return &TrustMaterialError{Field: "fulcio.caData", Err: err}
		}
		rules, field, err := fulcioRules(r.Fulcio)
		if err != nil {
			return &TrustMaterialError{Field: field, Err: err}
		}
		c.fulcio, c.rules = a, rules
	}
	rk, err := l.sources(r.RekorPublicKeyPath, r.RekorPublicKeyPaths, r.RekorPublicKeyData, r.RekorPublicKeyDatas)
	if err != nil {
		return &TrustMaterialError{Field: "rekorPublicKeyPath", Err: err}
	}
	if rk != nil {
		keys, err := rekor.NewKeys(rk)
		if err != nil {
			return &TrustMaterialError{Field: "rekorPublicKey", Err: err}
		}
		c.rekor = keys
	}
	if r.PKI != nil {
		roots, err := l.sources(r.PKI.CARootsPath, nil, r.PKI.CARootsData, nil)
		if err != nil {
			return &TrustMaterialError{Field: "pki.caRootsPath", Err: err}
		}
		if len(roots) != 1 {
			return &TrustMaterialError{Field: "pki", Err: errors.New(`Internal inconsistency: PKI specified with not exactly one of "caRootsPath" nor "caRootsData"`)}
		}
		inter, err := l.sources(r.PKI.CAIntermediatesPath, nil, r.PKI.CAIntermediatesData, nil)
		if err != nil {
			return &TrustMaterialError{Field: "pki.caIntermediatesPath", Err: err}
		}
		var interPEM []byte
		if inter != nil {
			interPEM = inter[0]
		}
		a, err := fulcio.NewPKIAnchors(roots[0], interPEM)
		if err != nil {
			return &TrustMaterialError{Field: "pki", Err: err}
		}
		c.pki, c.pkiMail, c.pkiHost = a, r.PKI.SubjectEmail, r.PKI.SubjectHostname
	}
	sources := 0
	for _, set := range []bool{c.keys != nil, c.fulcio != nil, c.pki != nil} {
		if set {
			sources++
		}
	}
	switch {
	case sources != 1:
		return &TrustMaterialError{Field: "sigstoreSigned", Err: errors.New("Internal inconsistency: not exactly one of public key, Fulcio, or PKI specified")}
	case c.fulcio != nil && c.rekor == nil:
		return &TrustMaterialError{Field: "fulcio", Err: errors.New("Internal inconsistency: Fulcio CA specified without a Rekor public key")}
	case c.pki != nil && c.rekor != nil:
		return &TrustMaterialError{Field: "pki", Err: errors.New("Internal inconsistency: PKI specified with a Rekor public key")}
	}
	return nil
}

// clockDependent: PKI certificates are checked at the wall clock; a public key without Rekor has no
// time evidence at all, so its decisions are refreshed too.
func (c *sigstoreRequirement) clockDependent() bool {
	return c.pki != nil || (c.keys != nil && c.rekor == nil)
}

func (c *sigstoreRequirement) typ() policy.RequirementType { return policy.TypeSigstoreSigned }

func (c *sigstoreRequirement) evaluate(ev *evalContext) ([]SignatureResult, error) {
	sigs, err := ev.signatures()
	if err != nil {
		return nil, &RequirementError{Kind: ErrSource, Msg: err.Error(), Reasons: []error{err}}
	}
	var results []SignatureResult
	var rejections []error
	nonSigstore, attachments := 0, 0
	for i, s := range sigs {
		if b, isBundle := asBundle(s); isBundle {
			err := c.checkBundle(ev, b)
			res := bundleResult(i+1, b, err)
			results = append(results, res)
			if err == nil {
				return results, nil
			}
			rejections = append(rejections, err)
			continue
		}
		sig, ok := s.(source.Sigstore)
		if !ok {
			if p, isPtr := s.(*source.Sigstore); isPtr && p != nil {
				sig, ok = *p, true
			}
		}
		if !ok {
			nonSigstore++
			results = append(results, SignatureResult{Index: i + 1, Kind: "simple-signing", Reason: "not a sigstore signature: ignored by sigstoreSigned"})
			continue
		}
		if sig.UntrustedMIMEType != source.SigstoreSignatureMIMEType {
			attachments++
			results = append(results, SignatureResult{Index: i + 1, Kind: "attachment",
				Reason: fmt.Sprintf("media type %q is not a signature: ignored", sig.UntrustedMIMEType)})
			continue
		}
		err := c.checkSignature(ev, sig)
		res := SignatureResult{Index: i + 1, Kind: "sigstore", Accepted: err == nil, Err: err}
		if err != nil {
			res.Reason = err.Error()
		}
		results = append(results, res)
		if err == nil {
			return results, nil
		}
		rejections = append(rejections, err)
	}
	return results, summarize(rejections, nonSigstore, attachments, true)
}

// summarize phrases the denial of a signature requirement as containers/image does.
func summarize(rejections []error, nonSigstore, attachments int, sigstore bool) error {
	switch len(rejections) {
	case 0:
		msg := "A signature was required, but no signature exists"
		if sigstore && (nonSigstore != 0 || attachments != 0) {
			msg += fmt.Sprintf(" (%d non-sigstore signatures, %d sigstore non-signature attachments)", nonSigstore, attachments)
		}
		return &RequirementError{Kind: ErrNoSignature, Msg: msg}
	case 1:
		return rejections[0]
	default:
		parts := make([]string, len(rejections))
		for i, r := range rejections {
			parts[i] = r.Error()
		}
		return &RequirementError{Kind: ErrNoneAccepted, Reasons: rejections,
			Msg: "None of the signatures were accepted, reasons: " + strings.Join(parts, "; ")}
	}
}

// checkSignature is containers/image's isSignatureAccepted: establish the candidate public key(s)
// from the trust material (with Rekor, Fulcio or PKI evidence as configured), verify the payload
// signature, then the payload's manifest digest, then its identity.
func (c *sigstoreRequirement) checkSignature(ev *evalContext, sig source.Sigstore) error {
	if c.loadErr != nil {
		return c.loadErr
	}
	ann := sig.UntrustedAnnotations
	untrustedB64Sig, ok := ann[source.SignatureAnnotationKey]
	if !ok {
		return &FormatError{Field: source.SignatureAnnotationKey, Msg: "missing " + source.SignatureAnnotationKey + " annotation"}
	}
	untrustedPayload := sig.UntrustedPayload
	var in *sigInputs
	if c.verified != nil {
		in = &sigInputs{b64Sig: untrustedB64Sig, payload: string(untrustedPayload),
			cert: ann[source.CertificateAnnotationKey], chain: ann[source.ChainAnnotationKey], bundle: ann[source.BundleAnnotationKey]}
		if e, ok := c.verified.lookup(in); ok {
			if e.claims == nil {
				return e.claimsErr
			}
			return c.checkClaims(ev, e.claims)
		}
	}
	if err := c.verifyCrypto(ev, ann, untrustedB64Sig, untrustedPayload); err != nil {
		return err
	}
	claims, err := parsePayload(untrustedPayload, sigstorePayloadType, true)
	if in != nil {
		c.verified.add(&sigCacheEntry{inputs: *in, claims: claims, claimsErr: err})
	}
	if err != nil {
		return err
	}
	return c.checkClaims(ev, claims)
}

// verifyCrypto establishes the candidate keys from the trust material and verifies the payload
// signature with them.
func (c *sigstoreRequirement) verifyCrypto(ev *evalContext, ann map[string]string, untrustedB64Sig string, untrustedPayload []byte) error {
	var candidates []*payloadKey
	switch {
	case c.keys != nil && c.rekor == nil:
		candidates = c.keys
	case c.keys != nil:
		set, ok := ann[source.BundleAnnotationKey]
		if !ok {
			return &FormatError{Field: source.BundleAnnotationKey, Msg: "missing " + source.BundleAnnotationKey + " annotation"}
		}
		var failures []string
		for _, k := range c.keys {
			if _, err := c.rekor.VerifySET([]byte(set), k.pem, untrustedB64Sig, untrustedPayload); err != nil {
				failures = append(failures, err.Error())
				continue
			}
			candidates = []*payloadKey{k}
			break
		}
		if candidates == nil {
			return &SignatureError{Msg: "No public key verified against the RekorSET: " + strings.Join(failures, ", ")}
		}
	case c.fulcio != nil:
		k, err := c.fulcioKey(ann, untrustedB64Sig, untrustedPayload)
		if err != nil {
			return err
		}
		candidates = []*payloadKey{k}
	case c.pki != nil:
		k, err := c.pkiKey(ev, ann)
		if err != nil {
			return err
		}
		candidates = []*payloadKey{k}
	}
	untrustedSig, err := base64.StdEncoding.DecodeString(untrustedB64Sig)
	if err != nil {
		return &FormatError{Field: source.SignatureAnnotationKey, Msg: fmt.Sprintf("base64 decoding: %v", err)}
	}
	return verifyPayloadSignature(candidates, untrustedPayload, untrustedSig)
}

// checkClaims checks a verified payload's claims against the image: digest first, then identity.
func (c *sigstoreRequirement) checkClaims(ev *evalContext, claims *payloadClaims) error {
	if err := ev.checkDigest(claims.ManifestDigest); err != nil {
		return err
	}
	return ev.checkClaimsIdentity(c.identity, claims)
}

// fulcioKey verifies the Rekor SET over the certificate, then the certificate at the SET's
// integrated time, then every identity rule (issuer, subject, certificate extensions; all failures
// are reported), and returns the certificate's key.
func (c *sigstoreRequirement) fulcioKey(ann map[string]string, b64Sig string, payload []byte) (*payloadKey, error) {
	set, ok := ann[source.BundleAnnotationKey]
	if !ok {
		return nil, &FormatError{Field: source.BundleAnnotationKey, Msg: "missing " + source.BundleAnnotationKey + " annotation"}
	}
	cert, ok := ann[source.CertificateAnnotationKey]
	if !ok {
		return nil, &FormatError{Field: source.CertificateAnnotationKey, Msg: "missing " + source.CertificateAnnotationKey + " annotation"}
	}
	var chain []byte
	if ch, ok := ann[source.ChainAnnotationKey]; ok {
		chain = []byte(ch)
	}
	entry, err := c.rekor.VerifySET([]byte(set), []byte(cert), b64Sig, payload)
	if err != nil {
		return nil, &SignatureError{Err: err}
	}
	id, err := c.fulcio.VerifyFulcio([]byte(cert), chain, entry.IntegratedTime)
	if err != nil {
		return nil, &SignatureError{Err: err}
	}
	if err := id.Check(c.rules); err != nil {
		return nil, &SignatureError{Err: err}
	}
	return newPayloadKey(id.Leaf.PublicKey), nil
}

// pkiKey verifies the certificate against the PKI roots at the evaluation clock's time, then the
// subject rules, and returns the certificate's key.
func (c *sigstoreRequirement) pkiKey(ev *evalContext, ann map[string]string) (*payloadKey, error) {
	cert, ok := ann[source.CertificateAnnotationKey]
	if !ok {
		return nil, &FormatError{Field: source.CertificateAnnotationKey, Msg: "missing " + source.CertificateAnnotationKey + " annotation"}
	}
	var chain []byte
	if ch, ok := ann[source.ChainAnnotationKey]; ok {
		chain = []byte(ch)
	}
	id, err := c.pki.VerifyPKI([]byte(cert), chain, ev.now)
	if err != nil {
		return nil, &SignatureError{Err: err}
	}
	if c.pkiMail != "" {
		if err := id.CheckEmail(c.pkiMail); err != nil {
			return nil, &SignatureError{Err: err}
		}
	}
	if c.pkiHost != "" {
		if err := id.CheckHostname(c.pkiHost); err != nil {
			return nil, &SignatureError{Err: err}
		}
	}
	return newPayloadKey(id.Leaf.PublicKey), nil
}
