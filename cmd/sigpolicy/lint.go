package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"

	"github.com/sigpolicy/sigpolicy/policy"
)

// lintFinding is one line of `sigpolicy lint -o json` output.
type lintFinding struct {
	File    string `json:"file"`
	Line    int    `json:"line"`
	Column  int    `json:"column"`
	Path    string `json:"path"`
	Message string `json:"message"`
}

// runLint implements `sigpolicy lint [-o text|json] [--compat containers-image] FILE...`: it reports
// every problem it finds in each file as "file:line:col: json.path: message" (or a JSON array of
// findings with -o json). With --compat containers-image, every use of a sigpolicy extension field
// is reported too (containers/image, and so CRI-O, Podman and Skopeo, would refuse the file);
// without it the extensions are valid.
// Exit status: 0 all files valid, 1 some file invalid, 2 usage error or unreadable file.
func runLint(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("lint", flag.ContinueOnError)
	fs.SetOutput(stderr)
	output := fs.String("o", "text", "output format: text or json")
	compat := fs.String("compat", "", `also report sigpolicy extensions refused by another implementation: "containers-image" (CRI-O, Podman, Skopeo)`)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: sigpolicy lint [-o text|json] [--compat containers-image] FILE...")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return exitError
	}
	if *output != "text" && *output != "json" {
		fmt.Fprintf(stderr, "sigpolicy lint: unknown output format %q (want text or json)\n", *output)
		return exitError
	}
	var opts []policy.ParseOption
	if *compat != "" {
		opt := policy.WithCompat(policy.Compat(*compat))
		if _, err := policy.LintWithOptions(nil, opt); err != nil {
			fmt.Fprintf(stderr, "sigpolicy lint: %v\n", err)
			return exitError
		}
		opts = append(opts, opt)
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return exitError
	}

	findings := []lintFinding{}
	status := exitOK
	for _, file := range fs.Args() {
		errs, err := policy.LintFileWithOptions(file, opts...)
		if err != nil {
			fmt.Fprintf(stderr, "sigpolicy lint: %v\n", err)
			status = exitError
			continue
		}
		if len(errs) > 0 && status == exitOK {
			status = exitNo
		}
		for _, e := range errs {
			if *output == "text" {
				fmt.Fprintln(stdout, e.Error())
				continue
			}
			findings = append(findings, lintFinding{File: e.File, Line: e.Line, Column: e.Column, Path: e.Path, Message: e.Msg})
		}
	}
	if *output == "json" {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(findings); err != nil {
			fmt.Fprintf(stderr, "sigpolicy lint: %v\n", err)
			return exitError
		}
	}
	return status
}
