// Command sigpolicy decides whether a container image may run under a containers policy.json.
//
// Usage:
//
//	sigpolicy verify [--policy FILE] [--policy-dir DIR --namespace NS] [--from-dir DIR | --plain-http] [-o text|json] IMAGE
//	sigpolicy lint [-o json] FILE...
//	sigpolicy resolve --policy FILE --policy-dir DIR --namespace NS [IMAGE]
//	sigpolicy verify-bundle --bundle FILE (--certificate-identity ID --certificate-oidc-issuer URL | --key PEM) [--trusted-root FILE] FILE_OR_DIGEST
//
// Run "sigpolicy help" for the full list. Exit codes follow the CLI contract in DESIGN.md:
// 0 success (valid / allowed), 1 a negative answer (invalid / denied), 2 an error.
package main

import (
	"fmt"
	"io"
	"os"
)

// Exit codes shared by every subcommand.
const (
	exitOK    = 0 // valid, allowed, verified
	exitNo    = 1 // invalid, denied, refused
	exitError = 2 // usage error, unreadable input
)

// command is one subcommand: its name, a one-line summary and its entry point.
type command struct {
	name    string
	summary string
	run     func(args []string, stdout, stderr io.Writer) int
}

func commands() []command {
	return []command{
		{"lint", "check policy.json files; print file:line:col: path: message per error", runLint},
		{"verify", "decide whether an image may run under a policy, and explain why", runVerify},
		{"resolve", "show which policy file and scope apply to a namespace and image", runResolve},
		{"verify-bundle", "verify a sigstore bundle (sigstore-conformance client protocol)", runVerifyBundle},
		{"test", "run a policy fixture table (for CI)", runTest},
	}
}

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		usage(stdout)
		if len(args) == 0 {
			return exitError
		}
		return exitOK
	}
	for _, c := range commands() {
		if c.name == args[0] {
			return c.run(args[1:], stdout, stderr)
		}
	}
	fmt.Fprintf(stderr, "sigpolicy: unknown command %q\n", args[0])
	usage(stderr)
	return exitError
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: sigpolicy COMMAND [flags] [args]")
	fmt.Fprintln(w, "\ncommands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-8s %s\n", c.name, c.summary)
	}
}
