package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"

	"github.com/containers/image/v5/docker/reference"

	"github.com/sigpolicy/sigpolicy/namespace"
	"github.com/sigpolicy/sigpolicy/policy"
)

// resolution is the output of `sigpolicy resolve -o json`.
type resolution struct {
	File         string          `json:"file"`
	Namespace    string          `json:"namespace"`
	Digest       string          `json:"digest"`
	Files        []string        `json:"files"`
	Image        string          `json:"image,omitempty"`
	Transport    string          `json:"transport,omitempty"`
	Scope        *string         `json:"scope,omitempty"`
	Default      bool            `json:"default,omitempty"`
	Requirements json.RawMessage `json:"requirements,omitempty"`
}

// runResolve implements `sigpolicy resolve --policy FILE --policy-dir DIR --namespace NS [IMAGE]`:
// it prints which policy file applies to the namespace (CRI-O's signature_policy_dir rule) and, with
// IMAGE, the scope and requirements that match it. Exit status: 0, or 2 on any error (unreadable or
// invalid policy, refused namespace name).
func runResolve(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("resolve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	policyPath := fs.String("policy", defaultPolicyPath, "global policy.json `file`")
	policyDir := fs.String("policy-dir", "", "`directory` of per-namespace policies (<dir>/<namespace>.json)")
	ns := fs.String("namespace", "", "Kubernetes `namespace`")
	overlay := fs.Bool("overlay", false, "overlay the namespace policy on the global one instead of replacing it")
	output := fs.String("o", "text", "output format: text or json")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: sigpolicy resolve [--policy FILE] [--policy-dir DIR --namespace NS] [--overlay] [-o text|json] [IMAGE]")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return exitError
	}
	if fs.NArg() > 1 || (*output != "text" && *output != "json") {
		fs.Usage()
		return exitError
	}
	var opts []namespace.Option
	if *overlay {
		opts = append(opts, namespace.WithOverlay())
	}
	r, err := namespace.New(*policyPath, *policyDir, opts...)
	if err != nil {
		fmt.Fprintf(stderr, "sigpolicy resolve: %v\n", err)
		return exitError
	}
	res, err := r.Resolve(*ns)
	if err != nil {
		if errors.Is(err, namespace.ErrInvalidNamespace) {
			fmt.Fprintf(stderr, "sigpolicy resolve: refused namespace name: %v\n", err)
		} else {
			fmt.Fprintf(stderr, "sigpolicy resolve: %v\n", err)
		}
		return exitError
	}
	out := resolution{File: res.File, Namespace: res.Namespace, Digest: res.Digest, Files: res.Files}
	if fs.NArg() == 1 {
		ref, err := reference.ParseNormalizedNamed(fs.Arg(0))
		if err != nil {
			fmt.Fprintf(stderr, "sigpolicy resolve: invalid image reference %q: %v\n", fs.Arg(0), err)
			return exitError
		}
		ref = reference.TagNameOnly(ref)
		m := res.Evaluator.Policy().RequirementsFor("docker", policy.DockerReference(ref))
		reqs, err := json.Marshal(m.Requirements)
		if err != nil {
			fmt.Fprintf(stderr, "sigpolicy resolve: %v\n", err)
			return exitError
		}
		scope := m.Scope
		out.Image, out.Transport, out.Scope, out.Default, out.Requirements = ref.String(), "docker", &scope, m.Default, reqs
	}
	if *output == "json" {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		_ = enc.Encode(out)
		return exitOK
	}
	fmt.Fprintf(stdout, "policy file: %s\n", out.File)
	if out.Namespace != "" {
		fmt.Fprintf(stdout, "namespace: %s\n", out.Namespace)
	}
	fmt.Fprintf(stdout, "digest: %s\n", out.Digest)
	for _, f := range out.Files[1:] {
		fmt.Fprintf(stdout, "trust file: %s\n", f)
	}
	if out.Scope != nil {
		fmt.Fprintf(stdout, "image: %s\n", out.Image)
		switch {
		case out.Default:
			fmt.Fprintln(stdout, `scope: the global "default"`)
		default:
			fmt.Fprintf(stdout, "scope: transports.docker[%q]\n", *out.Scope)
		}
		var pretty any
		_ = json.Unmarshal(out.Requirements, &pretty)
		b, _ := json.MarshalIndent(pretty, "", "  ")
		fmt.Fprintf(stdout, "requirements: %s\n", b)
	}
	return exitOK
}
