package webhook

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/containers/image/v5/docker/reference"

	"github.com/sigpolicy/sigpolicy/policy"
	"github.com/sigpolicy/sigpolicy/source"
	"github.com/sigpolicy/sigpolicy/verify"
)

// Result labels of the image-decision metric.
const (
	resultAllowed = "allowed"
	resultDenied  = "denied"  // the policy denied the image
	resultError   = "error"   // the image could not be read or named: denied
	resultTimeout = "timeout" // not decided within the budget: denied
)

// imageResult is the verdict on one distinct image.
type imageResult struct {
	image   string
	outcome string // one of the result… constants
	reason  string // why it was not allowed ("" when allowed)
}

// errNoImageData is what the stand-in source returns when a scope needs no image data.
var errNoImageData = errors.New("image data not fetched: no requirement of the scope reads it")

// noImageData is the source of an image whose scope only holds insecureAcceptAnything and reject
// requirements: containers/image decides those without reading the image, so the registry is not
// contacted.
type noImageData struct{}

func (noImageData) Manifest(context.Context) ([]byte, error) { return nil, errNoImageData }
func (noImageData) Signatures(context.Context) ([]source.Signature, error) {
	return nil, errNoImageData
}

var _ source.Image = noImageData{}

// needsImageData reports whether deciding ref under ev reads the manifest or the signatures. A
// reference with a digest always does (the manifest must match it).
func needsImageData(ev *verify.Evaluator, ref reference.Named) bool {
	if _, ok := ref.(reference.Canonical); ok {
		return true
	}
	m := ev.Policy().RequirementsFor(verify.DockerTransport, policy.DockerReference(reference.TagNameOnly(ref)))
	for _, r := range m.Requirements {
		switch r.Type() {
		case policy.TypeInsecureAcceptAnything, policy.TypeReject:
		default:
			return true
		}
	}
	return false
}

// checkImages decides every image of images (distinct strings) under ev, at most h.concurrency at a
// time, and returns the results in the same order.
func (h *Handler) checkImages(ctx context.Context, ev *verify.Evaluator, images []string) []imageResult {
	out := make([]imageResult, len(images))
	sem := make(chan struct{}, h.cfg.concurrency)
	var wg sync.WaitGroup
	for i, img := range images {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			start := time.Now()
			out[i] = h.checkImage(ctx, ev, img)
			h.metrics.observe(out[i].outcome, time.Since(start))
		}()
	}
	wg.Wait()
	return out
}

// checkImage decides one image. Everything that is not an allowed decision is a denial.
func (h *Handler) checkImage(ctx context.Context, ev *verify.Evaluator, image string) imageResult {
	res := imageResult{image: image, outcome: resultError}
	if image == "" {
		res.reason = "no image named"
		return res
	}
	ref, err := reference.ParseNormalizedNamed(image)
	if err != nil {
		res.reason = fmt.Sprintf("invalid image reference: %v", err)
		return res
	}
	img := verify.Image{Reference: ref, Source: noImageData{}}
	if needsImageData(ev, ref) {
		reg, err := source.NewRegistry(ctx, image, h.cfg.registry...)
		if err != nil {
			return h.failed(ctx, res, fmt.Errorf("reading the image from its registry: %w", err))
		}
		img = verify.Image{Reference: reg.EvaluationReference(), Source: reg}
	}
	d, err := ev.Evaluate(ctx, img)
	if err != nil {
		return h.failed(ctx, res, err)
	}
	if d.Allowed {
		return imageResult{image: image, outcome: resultAllowed}
	}
	if ctx.Err() != nil {
		return h.failed(ctx, res, d.Err)
	}
	res.outcome, res.reason = resultDenied, d.Err.Error()
	return res
}

// failed classifies an error that stopped a decision: past the budget it is a timeout.
func (h *Handler) failed(ctx context.Context, res imageResult, err error) imageResult {
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		res.outcome = resultTimeout
		res.reason = fmt.Sprintf("not verified within the time budget of %s (denied; the registry or the policy check was too slow)",
			budgetOf(ctx))
		return res
	}
	res.reason = err.Error()
	return res
}

type budgetKey struct{}

// budgetOf returns the budget stored in ctx by ServeHTTP.
func budgetOf(ctx context.Context) time.Duration {
	d, _ := ctx.Value(budgetKey{}).(time.Duration)
	return d
}
