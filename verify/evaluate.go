package verify

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/containers/image/v5/docker/reference"
	digest "github.com/opencontainers/go-digest"

	"github.com/sigpolicy/sigpolicy/policy"
	"github.com/sigpolicy/sigpolicy/source"
)

// DockerTransport is the transport name of registry images, the default of Image.Transport.
const DockerTransport = "docker"

// Image is one image to decide on: the reference it is pulled or run as, and where its untrusted
// manifest and signatures come from.
type Image struct {
	// Transport selects the policy's transport section; "" means DockerTransport.
	Transport string
	// Reference is the image's docker reference as the user wrote it, normalised (for example with
	// reference.ParseNormalizedNamed). A name without tag or digest is evaluated as ":latest", as
	// containers/image's docker transport does. It is required for the docker transport.
	Reference reference.Named
	// Source supplies the manifest and the signatures.
	Source source.Image
}

// evalContext is the per-Evaluate state shared by the requirements: the image, and the manifest
// and signatures, each fetched at most once and only when a requirement needs them.
type evalContext struct {
	ctx      context.Context
	ref      reference.Named
	src      source.Image
	now      time.Time
	manifest []byte
	manErr   error
	manDone  bool
	sigs     []source.Signature
	sigErr   error
	sigsDone bool
	digests  *digestMemo
	dgst     digest.Digest
	dgstErr  error
	dgstDone bool
}

// manifestDigest returns the digest of the image's manifest, computed at most once.
func (ev *evalContext) manifestDigest() (digest.Digest, error) {
	if !ev.dgstDone {
		m, err := ev.getManifest()
		if err != nil {
			ev.dgstErr = &ManifestError{Err: err}
		} else if ev.dgst, err = ev.digests.digest(m); err != nil {
			ev.dgstErr = &ManifestError{Err: err}
		}
		ev.dgstDone = true
	}
	return ev.dgst, ev.dgstErr
}

func (ev *evalContext) getManifest() ([]byte, error) {
	if !ev.manDone {
		ev.manifest, ev.manErr = ev.src.Manifest(ev.ctx)
		ev.manDone = true
	}
	return ev.manifest, ev.manErr
}

func (ev *evalContext) signatures() ([]source.Signature, error) {
	if !ev.sigsDone {
		ev.sigs, ev.sigErr = ev.src.Signatures(ev.ctx)
		ev.sigsDone = true
	}
	return ev.sigs, ev.sigErr
}

// checkDigest is the manifest-digest step of every signature check: the signed digest must be the
// digest of the image's manifest (sha256; any other algorithm never matches, as in containers/image).
func (ev *evalContext) checkDigest(signed digest.Digest) error {
	actual, err := ev.manifestDigest()
	if err != nil {
		return err
	}
	if signed != actual {
		return &DigestMismatchError{Signed: signed.String(), Actual: actual.String()}
	}
	return nil
}

// checkIdentity applies a signedIdentity rule to a docker reference claimed by a verified signature.
func (ev *evalContext) checkIdentity(rule policy.SignedIdentity, signedRef string) error {
	c := &payloadClaims{DockerReference: signedRef}
	c.parseReference()
	return ev.checkClaimsIdentity(rule, c)
}

// checkClaimsIdentity is checkIdentity for parsed payload claims.
func (ev *evalContext) checkClaimsIdentity(rule policy.SignedIdentity, claims *payloadClaims) error {
	signedRef := claims.DockerReference
	if rule.MatchesReference(ev.ref, claims.signedRef) {
		return nil
	}
	expected := ""
	if ev.ref != nil {
		expected = ev.ref.String()
	}
	return &IdentityMismatchError{Rule: string(rule.Type()), Expected: expected, Signed: signedRef}
}

// Evaluate decides whether img may run under the evaluator's policy.
//
// It picks the most specific scope for the image (see policy.Policy.RequirementsFor), then checks
// every requirement in order; all must be satisfied, and the first denial decides, as in
// containers/image. For signature requirements any one accepted signature suffices. When the
// reference carries a digest, the manifest must match it before anything else is checked.
//
// The returned error is non-nil only when the image could not be evaluated at all (a nil Source,
// a missing reference for the docker transport, or a cancelled context); the Decision is then a
// denial carrying the same error. Every other problem is a denial explained in the Decision.
func (e *Evaluator) Evaluate(ctx context.Context, img Image) (*Decision, error) {
	transport := img.Transport
	if transport == "" {
		transport = DockerTransport
	}
	d := &Decision{Policy: e.origin}
	d.Policy.Transport = transport
	if img.Reference != nil {
		if reference.IsNameOnly(img.Reference) {
			img.Reference = reference.TagNameOnly(img.Reference)
		}
		d.Image = img.Reference.String()
	}
	if err := checkImageArgs(ctx, transport, img); err != nil {
		d.Err = err
		return d, err
	}
	// The manifest (and, with a decision cache, the signatures) are read before the evaluation
	// state is allocated, so that a cache hit allocates nothing more.
	m, manErr := img.Source.Manifest(ctx)
	var dg digest.Digest
	var dgErr error
	if manErr != nil {
		dgErr = &ManifestError{Err: manErr}
	} else if dg, dgErr = e.digests.digest(m); dgErr != nil {
		dgErr = &ManifestError{Err: dgErr}
	} else {
		d.Digest = dg.String()
	}
	// The scope is a function of the policy, the transport and the reference, all in the cache key,
	// so a hit is served before the scope lookup.
	var key cacheKey
	var sigs []source.Signature
	var sigErr error
	cacheable, sigsDone := false, false
	if e.cache != nil && dgErr == nil {
		sigs, sigErr = img.Source.Signatures(ctx)
		sigsDone = true
		if sigErr == nil {
			key, cacheable = e.cacheKey(d, sigs), true
			if e.cache.get(&key, d) {
				return d, nil
			}
		}
	}
	ev := &evalContext{ctx: ctx, ref: img.Reference, src: img.Source, now: e.now(), digests: e.digests,
		manifest: m, manErr: manErr, manDone: true, dgst: dg, dgstErr: dgErr, dgstDone: true,
		sigs: sigs, sigErr: sigErr, sigsDone: sigsDone}
	var scopeRef policy.PolicyReference = noIdentity{}
	if img.Reference != nil {
		scopeRef = policy.DockerReference(img.Reference)
	}
	match := e.policy.RequirementsFor(transport, scopeRef)
	d.Policy.Scope, d.Policy.Default = match.Scope, match.Default
	reqs := e.compiledFor(transport, match)
	e.decide(ev, d, reqs)
	if err := ctx.Err(); err != nil && d.Allowed {
		d.Allowed, d.Err = false, err
		return d, err
	}
	if cacheable {
		e.cache.put(&key, d, anyClockDependent(reqs))
	}
	return d, nil
}

// decide evaluates the requirements in order into d.
func (e *Evaluator) decide(ev *evalContext, d *Decision, reqs []compiledRequirement) {
	if c, ok := ev.ref.(reference.Canonical); ok {
		if err := checkPulledDigest(ev, c.Digest()); err != nil {
			d.Err = err
			d.Requirements = notEvaluated(reqs)
			return
		}
	}
	d.Requirements = make([]RequirementResult, len(reqs))
	denied := false
	for i, r := range reqs {
		res := RequirementResult{Type: r.typ()}
		if denied {
			res.Reason = "not evaluated: an earlier requirement denied the image"
			d.Requirements[i] = res
			continue
		}
		res.Evaluated = true
		sigs, err := r.evaluate(ev)
		res.Signatures = sigs
		if err != nil {
			res.Err, res.Reason = err, err.Error()
			d.Err, denied = err, true
		} else {
			res.Allowed = true
		}
		d.Requirements[i] = res
	}
	if len(reqs) == 0 {
		d.Err = &RequirementError{Kind: ErrRejected, Msg: "List of verification policy requirements must not be empty"}
		denied = true
	}
	d.Allowed = !denied
}

// cacheKey builds the decision-cache key of an image whose manifest digest and signatures were read.
func (e *Evaluator) cacheKey(d *Decision, sigs []source.Signature) cacheKey {
	return cacheKey{policy: e.digest, transport: d.Policy.Transport, ref: d.Image, digest: d.Digest,
		sigs: sigs, sigsHash: hashSignatures(e.cache.seed, sigs)}
}

func anyClockDependent(reqs []compiledRequirement) bool {
	for _, r := range reqs {
		if r.clockDependent() {
			return true
		}
	}
	return false
}

func checkImageArgs(ctx context.Context, transport string, img Image) error {
	if img.Source == nil {
		return errors.New("verify: Image.Source is nil")
	}
	if img.Reference == nil && (transport == DockerTransport || transport == "atomic") {
		return fmt.Errorf("verify: Image.Reference is required for the %s transport", transport)
	}
	return ctx.Err()
}

// checkPulledDigest is the check a pull by digest makes before any policy evaluation.
//
// When the reference names a manifest list and the source evaluates one of its instances, the list
// is what the digest names: a source that resolved the list by that digest (and checked it) says so
// through an IndexDigest method, as source.Registry does.
func checkPulledDigest(ev *evalContext, want digest.Digest) error {
	if ix, ok := ev.src.(indexDigester); ok && want != "" && ix.IndexDigest() == want {
		return nil
	}
	actual, err := ev.manifestDigest()
	if err != nil {
		return err
	}
	if actual != want {
		return &ManifestError{Msg: fmt.Sprintf("Manifest does not match provided manifest digest %s", want)}
	}
	return nil
}

// indexDigester is a source that evaluates one instance of a manifest list it fetched, and checked,
// by the list's digest.
type indexDigester interface {
	IndexDigest() digest.Digest
}

func (e *Evaluator) compiledFor(transport string, m policy.ScopeMatch) []compiledRequirement {
	if m.Default {
		return e.defaults
	}
	return e.transports[transport][m.Scope]
}

func notEvaluated(reqs []compiledRequirement) []RequirementResult {
	out := make([]RequirementResult, len(reqs))
	for i, r := range reqs {
		out[i] = RequirementResult{Type: r.typ(), Reason: "not evaluated: the manifest does not match the pulled digest"}
	}
	return out
}

// noIdentity is the scope identity of an image without a docker reference: only the transport's ""
// scope and the global default can apply to it.
type noIdentity struct{}

func (noIdentity) PolicyConfigurationIdentity() string     { return "" }
func (noIdentity) PolicyConfigurationNamespaces() []string { return nil }
