package verify

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/ProtonMail/go-crypto/openpgp"
	"github.com/ProtonMail/go-crypto/openpgp/packet"

	"github.com/sigpolicy/sigpolicy/internal/limits"
	"github.com/sigpolicy/sigpolicy/policy"
	"github.com/sigpolicy/sigpolicy/source"
)

// signedByRequirement is a compiled signedBy requirement: an OpenPGP keyring and the identity rule.
type signedByRequirement struct {
	identity     policy.SignedIdentity
	keyType      string
	keyring      openpgp.EntityList
	fingerprints []string // upper-case hex fingerprints of the primary keys, as gpgme reports them
	loadErr      error
}

func compileSignedBy(l *loader, r *policy.SignedBy) compiledRequirement {
	c := &signedByRequirement{identity: r.SignedIdentity, keyType: string(r.KeyType)}
	if c.identity == nil {
		c.identity = policy.MatchRepoDigestOrExact{}
	}
	switch c.keyType {
	case "GPGKeys":
	case "signedByGPGKeys", "X509Certificates", "signedByX509CAs":
		c.loadErr = &RequirementError{Kind: ErrNotImplemented, Msg: fmt.Sprintf(`Unimplemented "keyType" value %q`, c.keyType)}
		return c
	default:
		c.loadErr = &RequirementError{Kind: ErrNotImplemented, Msg: fmt.Sprintf(`Unknown "keyType" value %q`, c.keyType)}
		return c
	}
	blobs, err := l.sources(r.KeyPath, r.KeyPaths, r.KeyData, nil)
	if err != nil {
		c.loadErr = &TrustMaterialError{Field: "keyPath", Err: err}
		return c
	}
	if blobs == nil {
		c.loadErr = &TrustMaterialError{Field: "keyPath", Err: errors.New(`Internal inconsistency: not exactly one of "keyPath", "keyPaths" and "keyData" specified`)}
		return c
	}
	for _, blob := range blobs {
		ring, err := readKeyRing(blob)
		if err != nil {
			c.loadErr = &TrustMaterialError{Field: "keyPath", Err: err}
			return c
		}
		for _, e := range ring {
			if e.PrimaryKey == nil {
				continue
			}
			c.fingerprints = append(c.fingerprints, strings.ToUpper(fmt.Sprintf("%x", e.PrimaryKey.Fingerprint)))
			c.keyring = append(c.keyring, e)
		}
	}
	if len(c.fingerprints) == 0 {
		c.loadErr = &TrustMaterialError{Field: "keyPath", Err: errors.New("No public keys imported")}
	}
	return c
}

// readKeyRing reads a binary keyring, or else an ASCII-armored one; on failure it reports the
// binary parser's error, as containers/image does.
func readKeyRing(blob []byte) (openpgp.EntityList, error) {
	ring, err := openpgp.ReadKeyRing(bytes.NewReader(blob))
	if err == nil {
		return ring, nil
	}
	if armored, e2 := openpgp.ReadArmoredKeyRing(bytes.NewReader(blob)); e2 == nil {
		return armored, nil
	}
	return nil, err
}

// clockDependent: OpenPGP signatures expire at the wall clock.
func (c *signedByRequirement) clockDependent() bool { return true }

func (c *signedByRequirement) typ() policy.RequirementType { return policy.TypeSignedBy }

// evaluate considers only simple-signing signatures; sigstore attachments are invisible to
// signedBy, as in containers/image.
func (c *signedByRequirement) evaluate(ev *evalContext) ([]SignatureResult, error) {
	sigs, err := ev.signatures()
	if err != nil {
		return nil, &RequirementError{Kind: ErrSource, Msg: err.Error(), Reasons: []error{err}}
	}
	var results []SignatureResult
	var rejections []error
	for i, s := range sigs {
		sig, ok := s.(source.SimpleSigning)
		if !ok {
			if p, isPtr := s.(*source.SimpleSigning); isPtr && p != nil {
				sig, ok = *p, true
			}
		}
		if !ok {
			results = append(results, SignatureResult{Index: i + 1, Kind: "sigstore", Reason: "not a simple-signing signature: ignored by signedBy"})
			continue
		}
		err := c.checkSignature(ev, sig.UntrustedBlob)
		res := SignatureResult{Index: i + 1, Kind: "simple-signing", Accepted: err == nil, Err: err}
		if err != nil {
			res.Reason = err.Error()
		}
		results = append(results, res)
		if err == nil {
			return results, nil
		}
		rejections = append(rejections, err)
	}
	return results, summarize(rejections, 0, 0, false)
}

// checkSignature verifies an OpenPGP-signed simple-signing payload: the signature by a key of the
// keyring, signature expiry at the evaluation clock, then the payload's digest and identity.
func (c *signedByRequirement) checkSignature(ev *evalContext, untrustedBlob []byte) error {
	if c.loadErr != nil {
		return c.loadErr
	}
	content, fingerprint, err := c.verifyOpenPGP(untrustedBlob, ev.now)
	if err != nil {
		return err
	}
	if !slices.Contains(c.fingerprints, fingerprint) {
		return &SignatureError{Msg: fmt.Sprintf("Signature by key %s is not accepted", fingerprint)}
	}
	claims, err := parsePayload(content, simplePayloadType, false)
	if err != nil {
		return err
	}
	if err := ev.checkDigest(claims.ManifestDigest); err != nil {
		return err
	}
	return ev.checkClaimsIdentity(c.identity, claims)
}

// verifyOpenPGP checks an OpenPGP signed message against the keyring and returns its content and
// the signer's primary key fingerprint.
func (c *signedByRequirement) verifyOpenPGP(untrustedBlob []byte, now time.Time) ([]byte, string, error) {
	cfg := &packet.Config{Time: func() time.Time { return now }}
	md, err := openpgp.ReadMessage(bytes.NewReader(untrustedBlob), c.keyring, nil, cfg)
	if err != nil {
		return nil, "", &SignatureError{Err: err}
	}
	if !md.IsSigned {
		return nil, "", &SignatureError{Msg: "not signed"}
	}
	content, err := io.ReadAll(io.LimitReader(md.UnverifiedBody, maxSimplePayload+1))
	if err != nil {
		return nil, "", &SignatureError{Err: err}
	}
	if len(content) > maxSimplePayload {
		return nil, "", &SignatureError{Msg: fmt.Sprintf("signed payload larger than %d bytes", maxSimplePayload)}
	}
	if md.SignatureError != nil {
		return nil, "", &SignatureError{Msg: "signature error", Err: md.SignatureError}
	}
	if md.SignedBy == nil {
		return nil, "", &SignatureError{Msg: fmt.Sprintf("Key not found for key ID %x in signature", md.SignedByKeyId)}
	}
	if md.Signature == nil {
		return nil, "", &SignatureError{Msg: "Unexpected openpgp.MessageDetails: no signature packet"}
	}
	if md.Signature.SigLifetimeSecs != nil {
		expiry := md.Signature.CreationTime.Add(time.Duration(*md.Signature.SigLifetimeSecs) * time.Second)
		if now.After(expiry) {
			return nil, "", &SignatureError{Msg: fmt.Sprintf("Signature expired on %s", expiry)}
		}
	}
	return content, strings.ToUpper(fmt.Sprintf("%x", md.SignedBy.Entity.PrimaryKey.Fingerprint)), nil
}

// maxSimplePayload bounds the signed content of a simple-signing signature.
const maxSimplePayload = limits.MaxSimpleSigningPayload
