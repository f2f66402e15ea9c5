package namespace_test

import (
	"fmt"
	"log"
	"os"
	"path/filepath"

	"github.com/sigpolicy/sigpolicy/namespace"
	"github.com/sigpolicy/sigpolicy/policy"
)

// A runtime resolves the policy of each pod's namespace before a pull and again before a container
// is created. Namespaces without their own file get the global policy; names that are not
// Kubernetes namespace names are refused before any file is touched.
func Example() {
	base, err := os.MkdirTemp("", "policies")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(base)
	global := filepath.Join(base, "policy.json")
	dir := filepath.Join(base, "policies")
	must(os.Mkdir(dir, 0o755))
	must(os.WriteFile(global, []byte(`{"default":[{"type":"reject"}]}`), 0o644))
	must(os.WriteFile(filepath.Join(dir, "dev.json"), []byte(`{"default":[{"type":"insecureAcceptAnything"}]}`), 0o644))

	r, err := namespace.New(global, dir)
	if err != nil {
		log.Fatal(err)
	}
	for _, ns := range []string{"dev", "prod", "../etc"} {
		res, err := r.Resolve(ns)
		if err != nil {
			fmt.Printf("%s: %v\n", ns, err)
			continue
		}
		fmt.Printf("%s: %s, default %s\n", ns, filepath.Base(res.File), res.Evaluator.Policy().Default[0].Type())
	}
	// Output:
	// dev: dev.json, default insecureAcceptAnything
	// prod: policy.json, default reject
	// ../etc: invalid namespace name "../etc": invalid character "." at byte 0 (only lower-case letters, digits and '-' are allowed)
}

func must(err error) {
	if err != nil {
		log.Fatal(err)
	}
}

// Overlay mode combines a namespace file with the global policy: the namespace's default and
// scopes win, and the global scopes fill in.
func ExampleOverlay() {
	global, err := policy.ParseNamed("policy.json", []byte(`{"default":[{"type":"reject"}],
		"transports":{"docker":{"docker.io":[{"type":"reject"}],"quay.io":[{"type":"reject"}]}}}`))
	if err != nil {
		log.Fatal(err)
	}
	ns, err := policy.ParseNamed("dev.json", []byte(`{"default":[{"type":"insecureAcceptAnything"}],
		"transports":{"docker":{"quay.io":[{"type":"insecureAcceptAnything"}]}}}`))
	if err != nil {
		log.Fatal(err)
	}
	combined := namespace.Overlay(ns, global)
	fmt.Println("default:", combined.Default[0].Type())
	for _, scope := range []string{"quay.io", "docker.io"} {
		fmt.Printf("docker %s: %s\n", scope, combined.Transports["docker"][scope][0].Type())
	}
	// Output:
	// default: insecureAcceptAnything
	// docker quay.io: insecureAcceptAnything
	// docker docker.io: reject
}
