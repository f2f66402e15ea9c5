package bundle

import (
	"bytes"
	"crypto"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"encoding/pem"
	"net/url"
	"time"

	"github.com/sigstore/sigstore-go/pkg/root"
	"github.com/sigstore/sigstore/pkg/cryptoutils"

	"github.com/sigpolicy/sigpolicy/rekor"
)

// TrustedMaterial is the trust anchors a bundle is verified against: Fulcio CAs, Rekor logs, CT
// logs and timestamp authorities, each with its validity window. It wraps sigstore-go's
// root.TrustedMaterial and adds sigpolicy's own view of every Rekor log (a [rekor.Log] per
// generation, with the log's origin derived from its base URL). It is immutable and safe for
// concurrent use.
type TrustedMaterial struct {
	material root.TrustedMaterial
	logs     map[string]*trustedLog // by raw log ID
}

// trustedLog is one Rekor log of the trusted material.
type trustedLog struct {
	id         []byte
	v1, v2     *rekor.Log // nil when the key or base URL does not allow that generation
	start, end time.Time  // validity window; zero end is open
	baseURL    string
}

// FromTrustedRootJSON loads a sigstore trusted_root.json (media type
// application/vnd.dev.sigstore.trustedroot+json;version=0.1) with sigstore-go. Errors wrap
// ErrTrustedMaterial.
func FromTrustedRootJSON(trustedRootJSON []byte) (*TrustedMaterial, error) {
	tr, err := root.NewTrustedRootFromJSON(trustedRootJSON)
	if err != nil {
		return nil, newErr(ErrTrustedMaterial, err, "loading trusted root: %v", err)
	}
	return newTrustedMaterial(tr)
}

// PolicyMaterial is trust material in the shape a containers policy.json `sigstoreSigned`
// requirement gives it: PEM files, no validity windows (every key and CA is trusted at all
// times, as containers/image does).
type PolicyMaterial struct {
	// FulcioCAsPEM holds the Fulcio CA certificates (policy fulcio.caPath/caData): self-signed
	// certificates are roots, the others intermediates shared by every root. Optional.
	FulcioCAsPEM []byte
	// RekorPublicKeysPEM are the Rekor log keys (policy rekorPublicKeyPath(s)/Data). Required.
	RekorPublicKeysPEM [][]byte
	// RekorURL is the base URL of the log(s) those keys sign for (e.g. "https://rekor.sigstore.dev"):
	// it gives the checkpoint origin that inclusion proofs are bound to. Required.
	RekorURL string
	// CTLogPublicKeysPEM are certificate-transparency log keys; when present, certificates need
	// an embedded SCT from one of them. Optional.
	CTLogPublicKeysPEM [][]byte
	// TSACertChainsPEM are RFC 3161 timestamp authorities, one PEM chain (leaf first, root last)
	// each. Optional.
	TSACertChainsPEM [][]byte
}

// FromPolicyMaterial builds trusted material from policy-style PEM material. Errors wrap
// ErrTrustedMaterial.
func FromPolicyMaterial(m PolicyMaterial) (*TrustedMaterial, error) {
	always := time.Unix(0, 0) // sigstore-go requires a non-zero start for Rekor keys
	if len(m.RekorPublicKeysPEM) == 0 || m.RekorURL == "" {
		return nil, newErr(ErrTrustedMaterial, nil, "policy material needs Rekor public keys and the Rekor URL")
	}
	logs := map[string]*root.TransparencyLog{}
	for i, p := range m.RekorPublicKeysPEM {
		tl, err := transparencyLog(p, m.RekorURL, always)
		if err != nil {
			return nil, newErr(ErrTrustedMaterial, err, "Rekor public key %d: %v", i+1, err)
		}
		logs[hex.EncodeToString(tl.ID)] = tl
	}
	ctlogs := map[string]*root.TransparencyLog{}
	for i, p := range m.CTLogPublicKeysPEM {
		tl, err := transparencyLog(p, "", always)
		if err != nil {
			return nil, newErr(ErrTrustedMaterial, err, "CT log public key %d: %v", i+1, err)
		}
		ctlogs[hex.EncodeToString(tl.ID)] = tl
	}
	var cas []root.CertificateAuthority
	if len(m.FulcioCAsPEM) > 0 {
		certs, err := cryptoutils.UnmarshalCertificatesFromPEM(m.FulcioCAsPEM)
		if err != nil {
			return nil, newErr(ErrTrustedMaterial, err, "Fulcio CA certificates: %v", err)
		}
		var roots, intermediates []*x509.Certificate
		for _, c := range certs {
			if bytes.Equal(c.RawIssuer, c.RawSubject) && c.CheckSignatureFrom(c) == nil {
				roots = append(roots, c)
			} else {
				intermediates = append(intermediates, c)
			}
		}
		if len(roots) == 0 {
			return nil, newErr(ErrTrustedMaterial, nil, "Fulcio CA certificates contain no self-signed root")
		}
		for _, r := range roots {
			cas = append(cas, &root.FulcioCertificateAuthority{Root: r, Intermediates: intermediates})
		}
	}
	var tsas []root.TimestampingAuthority
	for i, p := range m.TSACertChainsPEM {
		certs, err := cryptoutils.UnmarshalCertificatesFromPEM(p)
		if err != nil || len(certs) == 0 {
			return nil, newErr(ErrTrustedMaterial, err, "TSA certificate chain %d: no certificates", i+1)
		}
		tsa := &root.SigstoreTimestampingAuthority{Root: certs[len(certs)-1]}
		if len(certs) > 1 {
			tsa.Leaf = certs[0]
			tsa.Intermediates = certs[1 : len(certs)-1]
		}
		tsas = append(tsas, tsa)
	}
	tr, err := root.NewTrustedRoot(root.TrustedRootMediaType01, cas, ctlogs, tsas, logs)
	if err != nil {
		return nil, newErr(ErrTrustedMaterial, err, "building trusted root: %v", err)
	}
	return newTrustedMaterial(tr)
}

// transparencyLog builds a sigstore-go log description from a PEM public key.
func transparencyLog(keyPEM []byte, baseURL string, start time.Time) (*root.TransparencyLog, error) {
	if block, _ := pem.Decode(keyPEM); block == nil {
		return nil, newErr(ErrTrustedMaterial, nil, "not a PEM public key")
	}
	pub, err := cryptoutils.UnmarshalPEMToPublicKey(keyPEM)
	if err != nil {
		return nil, err
	}
	der, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		return nil, err
	}
	id := sha256.Sum256(der)
	return &root.TransparencyLog{BaseURL: baseURL, ID: id[:], ValidityPeriodStart: start,
		HashFunc: crypto.SHA256, PublicKey: pub, SignatureHashFunc: crypto.SHA256}, nil
}

// newTrustedMaterial derives sigpolicy's view of every Rekor log.
func newTrustedMaterial(tm root.TrustedMaterial) (*TrustedMaterial, error) {
	t := &TrustedMaterial{material: tm, logs: map[string]*trustedLog{}}
	for key, tl := range tm.RekorLogs() {
		id, err := hex.DecodeString(key)
		if err != nil || !bytes.Equal(id, tl.ID) {
			return nil, newErr(ErrTrustedMaterial, err, "Rekor log %q: inconsistent log ID", key)
		}
		l := &trustedLog{id: id, start: tl.ValidityPeriodStart, end: tl.ValidityPeriodEnd, baseURL: tl.BaseURL}
		if u, err := url.Parse(tl.BaseURL); err == nil && u.Host != "" {
			// A log whose key, name or ID does not fit one generation simply cannot verify entries
			// of that generation: entries of it then fail closed.
			if v1, err := rekor.NewLog(rekor.LogV1, u.Host, tl.PublicKey); err == nil && bytes.Equal(v1.ID(), id) {
				l.v1 = v1
			}
			if v2, err := rekor.NewLog(rekor.LogV2, u.Hostname(), tl.PublicKey); err == nil && bytes.Equal(v2.ID(), id) {
				l.v2 = v2
			}
		}
		t.logs[string(id)] = l
	}
	return t, nil
}

// SigstoreGo returns the wrapped sigstore-go trusted material.
func (t *TrustedMaterial) SigstoreGo() root.TrustedMaterial { return t.material }
