package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"time"

	"github.com/sigpolicy/sigpolicy/examples/internal/demoregistry"
	"github.com/sigpolicy/sigpolicy/namespace"
	"github.com/sigpolicy/sigpolicy/verify"
)

// demo is the set-up of the walk-through: a loopback registry holding the demo image, the
// policies of two namespaces, and an image service using them through one decision cache.
type demo struct {
	reg   *demoregistry.Registry
	image string // the demo image's reference in the registry
	dir   string // the per-namespace policy directory
	cache *verify.DecisionCache
	svc   *imageService
}

// newDemo builds the demo under work, with the demo image and policy from demoDir
// (examples/demo).
func newDemo(ctx context.Context, work, demoDir string) (*demo, error) {
	demoPolicy, err := os.ReadFile(filepath.Join(demoDir, "policy.json"))
	if err != nil {
		return nil, err
	}
	var p struct {
		Transports map[string]map[string][]map[string]any `json:"transports"`
	}
	if err := json.Unmarshal(demoPolicy, &p); err != nil {
		return nil, err
	}
	reqs := p.Transports["docker"]["registry.example.com/demo"]
	if len(reqs) != 2 {
		return nil, os.ErrInvalid
	}
	reg := demoregistry.Start()
	d := &demo{reg: reg, image: reg.Host() + "/demo/hello:1.0", dir: filepath.Join(work, "policies")}
	if _, err := reg.PushDir(ctx, "demo/hello:1.0", filepath.Join(demoDir, "image")); err != nil {
		reg.Close()
		return nil, err
	}
	// The image is signed as registry.example.com/demo/hello and served here from a mirror.
	identity := map[string]any{"type": "exactRepository", "dockerRepository": "registry.example.com/demo/hello"}
	keyReq, fulcioReq := reqs[0], reqs[1]
	keyReq["signedIdentity"], fulcioReq["signedIdentity"] = identity, identity
	fulcioReq["fulcio"].(map[string]any)["subjectEmail"] = "someone-else@example.com"
	scoped := func(req map[string]any) map[string]any {
		return map[string]any{"default": []any{map[string]any{"type": "reject"}},
			"transports": map[string]any{"docker": map[string]any{reg.Host() + "/demo": []any{req}}}}
	}
	files := map[string]any{
		filepath.Join(work, "policy.json"):  map[string]any{"default": []any{map[string]any{"type": "reject"}}},
		filepath.Join(d.dir, "team-a.json"): scoped(keyReq),
		filepath.Join(d.dir, "team-b.json"): scoped(fulcioReq),
	}
	if err := os.MkdirAll(d.dir, 0o755); err != nil {
		reg.Close()
		return nil, err
	}
	for path, v := range files {
		data, err := json.MarshalIndent(v, "", "  ")
		if err == nil {
			err = os.WriteFile(path, data, 0o644)
		}
		if err != nil {
			reg.Close()
			return nil, err
		}
	}
	d.cache = verify.NewDecisionCache(1024, 5*time.Minute)
	resolver, err := namespace.New(filepath.Join(work, "policy.json"), d.dir,
		namespace.WithRequireNamespace(), namespace.WithCompileOptions(verify.WithDecisionCache(d.cache)))
	if err != nil {
		reg.Close()
		return nil, err
	}
	d.svc = newImageService(resolver, filepath.Join(work, "store"), reg.SourceOptions()...)
	return d, nil
}

func (d *demo) close() { d.reg.Close() }
