// Command fixturegen writes the deterministic signed dir: layouts under testdata/generated.
//
// Usage:
//
//	go run ./internal/fixturegen -out testdata/generated -demo examples/demo
//
// It is rerun by `go generate ./...`; the output is byte-identical on every run.
package main

//go:generate go run . -out ../../testdata/generated -demo ../../examples/demo

import (
	"flag"
	"fmt"
	"os"
)

func main() {
	out := flag.String("out", "", "output directory for the test fixtures (replaced entirely)")
	demo := flag.String("demo", "", "output directory for the demo policy and image (its image/ is replaced)")
	flag.Parse()
	if *out == "" && *demo == "" {
		fmt.Fprintln(os.Stderr, "fixturegen: -out or -demo is required")
		os.Exit(2)
	}
	if *out != "" {
		if err := generate(*out); err != nil {
			fmt.Fprintln(os.Stderr, "fixturegen:", err)
			os.Exit(1)
		}
	}
	if *demo != "" {
		if err := generateDemo(*demo); err != nil {
			fmt.Fprintln(os.Stderr, "fixturegen:", err)
			os.Exit(1)
		}
	}
}
