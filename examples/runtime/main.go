// Command runtime shows how a container runtime uses sigpolicy: the policy check at image pull,
// and the check again at container create, for the namespace of the pod being created.
//
// A runtime such as CRI-O pulls an image once and may then create containers from it for pods
// of any namespace. Each namespace can have its own policy ("<policy-dir>/<namespace>.json",
// else the global policy), so an image admitted when namespace A pulled it must be checked again
// when namespace B creates a container from it. This program:
//
//  1. starts a registry on 127.0.0.1 and uploads the signed demo image (examples/demo/image);
//  2. writes a global policy that rejects everything, a team-a policy that requires the demo
//     image's public-key signature, and a team-b policy that requires a Fulcio signature by
//     another identity;
//  3. pulls the image for team-a (allowed: fetched from the registry and verified), creates a
//     container from it in team-a (allowed: re-checked on the stored copy, answered from the
//     decision cache) and in team-b (denied, with the policy's reason).
//
// Run it with "go run ./examples/runtime" from the repository root.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
)

func main() {
	if err := run(context.Background(), os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "runtime example:", err)
		os.Exit(1)
	}
}

// run is the walk-through described in the package comment.
func run(ctx context.Context, out io.Writer) error {
	work, err := os.MkdirTemp("", "sigpolicy-runtime")
	if err != nil {
		return err
	}
	defer os.RemoveAll(work)
	demoDir := "examples/demo" // run from the repository root
	if _, err := os.Stat(demoDir); err != nil {
		demoDir = "../demo" // run from examples/runtime
	}
	d, err := newDemo(ctx, work, demoDir)
	if err != nil {
		return err
	}
	defer d.close()

	fmt.Fprintf(out, "image %s\n\n", d.image)
	step := func(what string, dec error) {
		var denied *DeniedError
		switch {
		case dec == nil:
			fmt.Fprintf(out, "%-28s allowed\n", what)
		case errors.As(dec, &denied):
			fmt.Fprintf(out, "%-28s DENIED: %v\n", what, denied.Decision.Err)
		default:
			fmt.Fprintf(out, "%-28s error: %v\n", what, dec)
		}
	}
	_, err = d.svc.Pull(ctx, "team-a", d.image)
	step("pull in team-a", err)
	_, err = d.svc.CreateContainer(ctx, "team-a", d.image)
	step("create in team-a", err)
	_, err = d.svc.CreateContainer(ctx, "team-b", d.image)
	step("create in team-b", err)
	st := d.cache.Stats()
	fmt.Fprintf(out, "\ndecision cache: %d hits, %d misses, %d entries\n", st.Hits, st.Misses, st.Entries)
	return nil
}
