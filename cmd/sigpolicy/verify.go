package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"

	"github.com/containers/image/v5/docker/reference"

	"github.com/sigpolicy/sigpolicy/policy"
	"github.com/sigpolicy/sigpolicy/source"
	"github.com/sigpolicy/sigpolicy/verify"
)

// defaultPolicyPath is where containers tools keep the system-wide policy.
const defaultPolicyPath = "/etc/containers/policy.json"

func runVerify(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("verify", flag.ContinueOnError)
	fs.SetOutput(stderr)
	policyPath := fs.String("policy", defaultPolicyPath, "policy.json `file`")
	fromDir := fs.String("from-dir", "", "read the manifest and signatures from this containers dir: layout `directory`")
	output := fs.String("o", "text", "output format: text or json")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: sigpolicy verify [--policy FILE] --from-dir DIR [-o text|json] IMAGE")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return exitError
	}
	if fs.NArg() != 1 || (*output != "text" && *output != "json") {
		fs.Usage()
		return exitError
	}
	if *fromDir == "" {
		fmt.Fprintln(stderr, "sigpolicy verify: --from-dir is required (registry sources are not supported yet)")
		return exitError
	}
	ref, err := reference.ParseNormalizedNamed(fs.Arg(0))
	if err != nil {
		fmt.Fprintf(stderr, "sigpolicy verify: invalid image reference %q: %v\n", fs.Arg(0), err)
		return exitError
	}
	p, err := policy.ParseFile(*policyPath)
	if err != nil {
		fmt.Fprintf(stderr, "sigpolicy verify: %v\n", err)
		return exitError
	}
	ev, err := verify.Compile(p, verify.WithOrigin(*policyPath, ""))
	if err != nil {
		fmt.Fprintf(stderr, "sigpolicy verify: %v\n", err)
		return exitError
	}
	d, err := ev.Evaluate(context.Background(), verify.Image{Reference: ref, Source: source.NewDir(*fromDir)})
	if err != nil {
		fmt.Fprintf(stderr, "sigpolicy verify: %v\n", err)
		return exitError
	}
	if *output == "json" {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(d); err != nil {
			fmt.Fprintf(stderr, "sigpolicy verify: %v\n", err)
			return exitError
		}
	} else {
		fmt.Fprint(stdout, d.Explain())
	}
	if !d.Allowed {
		return exitNo
	}
	return exitOK
}
