package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"

	"github.com/containers/image/v5/docker/reference"

	"github.com/sigpolicy/sigpolicy/namespace"
	"github.com/sigpolicy/sigpolicy/source"
	"github.com/sigpolicy/sigpolicy/verify"
)

// imageService is the image side of a container runtime: it pulls images from registries into a
// local store, checking the pulling namespace's policy, and checks the policy again, from the
// stored copy, each time a container is created from an image, for the namespace of the pod.
type imageService struct {
	resolver *namespace.Resolver
	store    string // one containers dir: layout per manifest digest
	registry []source.RegistryOption

	mu     sync.Mutex
	images map[string]localImage // by the reference as pulled (normalised)
}

// localImage is a pulled image: the reference it was evaluated as and where its manifest and
// signatures are stored.
type localImage struct {
	ref reference.Named
	dir string
}

// ErrNotPulled means a container names an image that is not in the local store.
var ErrNotPulled = errors.New("image not pulled")

// DeniedError is a policy denial, as the runtime reports it in the CRI error of PullImage or
// CreateContainer.
type DeniedError struct {
	Op        string // "pull" or "create"
	Namespace string
	Image     string
	Decision  *verify.Decision
}

// Error gives the operation, the namespace, the image and the policy's reason.
func (e *DeniedError) Error() string {
	return fmt.Sprintf("%s of %s in namespace %q denied by policy %s: %v", e.Op, e.Image, e.Namespace, e.Decision.Policy.File, e.Decision.Err)
}

// Unwrap returns the policy's reason (the verify errors, matchable with errors.Is).
func (e *DeniedError) Unwrap() error { return e.Decision.Err }

// newImageService returns a service storing images under store.
func newImageService(resolver *namespace.Resolver, store string, registry ...source.RegistryOption) *imageService {
	return &imageService{resolver: resolver, store: store, registry: registry, images: map[string]localImage{}}
}

// Pull is PullImage: it resolves image in its registry, evaluates it under the policy of ns and,
// when allowed, stores the manifest and exactly the signatures that were evaluated.
func (s *imageService) Pull(ctx context.Context, ns, image string) (*verify.Decision, error) {
	res, err := s.resolver.Resolve(ns)
	if err != nil {
		return nil, err
	}
	reg, err := source.NewRegistry(ctx, image, s.registry...)
	if err != nil {
		return nil, err
	}
	src := &recording{Image: reg}
	ref := reg.EvaluationReference()
	d, err := res.Evaluator.Evaluate(ctx, verify.Image{Reference: ref, Source: src})
	if err != nil {
		return nil, err
	}
	if !d.Allowed {
		return d, &DeniedError{Op: "pull", Namespace: ns, Image: ref.String(), Decision: d}
	}
	manifest, err := reg.Manifest(ctx)
	if err != nil {
		return nil, err
	}
	if !src.fetched { // the policy did not read them; store them for later checks anyway
		if _, err := src.Signatures(ctx); err != nil {
			return nil, err
		}
	}
	dir := filepath.Join(s.store, reg.Digest().Encoded())
	if err := os.MkdirAll(s.store, 0o755); err != nil {
		return nil, err
	}
	if err := source.WriteDir(dir, manifest, src.sigs); err != nil {
		return nil, err
	}
	s.mu.Lock()
	s.images[ref.String()] = localImage{ref: ref, dir: dir}
	s.mu.Unlock()
	return d, nil
}

// CreateContainer is the check of CreateContainer: the pod's namespace may differ from the one
// that pulled the image, so its policy is evaluated again, on the stored manifest and signatures
// (no registry access). An unchanged policy and image are answered from the decision cache.
func (s *imageService) CreateContainer(ctx context.Context, ns, image string) (*verify.Decision, error) {
	named, err := reference.ParseNormalizedNamed(image)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	img, ok := s.images[reference.TagNameOnly(named).String()]
	s.mu.Unlock()
	if !ok {
		return nil, fmt.Errorf("%s: %w", image, ErrNotPulled)
	}
	res, err := s.resolver.Resolve(ns)
	if err != nil {
		return nil, err
	}
	d, err := res.Evaluator.Evaluate(ctx, verify.Image{Reference: img.ref, Source: source.NewDir(img.dir)})
	if err != nil {
		return nil, err
	}
	if !d.Allowed {
		return d, &DeniedError{Op: "create", Namespace: ns, Image: img.ref.String(), Decision: d}
	}
	return d, nil
}

// recording passes an image source through and keeps the signatures it returned, so that the
// store holds exactly what was evaluated.
type recording struct {
	source.Image
	sigs    []source.Signature
	fetched bool
}

func (r *recording) Signatures(ctx context.Context) ([]source.Signature, error) {
	sigs, err := r.Image.Signatures(ctx)
	if err == nil {
		r.sigs, r.fetched = sigs, true
	}
	return sigs, err
}
