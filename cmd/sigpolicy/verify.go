package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/containers/image/v5/docker/reference"
	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/sigpolicy/sigpolicy/namespace"
	"github.com/sigpolicy/sigpolicy/policy"
	"github.com/sigpolicy/sigpolicy/source"
	"github.com/sigpolicy/sigpolicy/verify"
)

// defaultPolicyPath is where containers tools keep the system-wide policy.
const defaultPolicyPath = "/etc/containers/policy.json"

// defaultTimeout bounds the registry reads of one verify run.
const defaultTimeout = 60 * time.Second

// verifyFlags are the parsed flags of "sigpolicy verify".
type verifyFlags struct {
	policyPath string
	policyDir  string
	namespace  string
	overlay    bool
	fromDir    string
	plainHTTP  bool
	platform   string
	timeout    time.Duration
	output     string
	image      string
}

func parseVerifyFlags(args []string, stderr io.Writer) (*verifyFlags, bool) {
	f := &verifyFlags{}
	fs := flag.NewFlagSet("verify", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&f.policyPath, "policy", defaultPolicyPath, "policy.json `file`")
	fs.StringVar(&f.policyDir, "policy-dir", "", "`directory` of per-namespace policies: <dir>/<namespace>.json applies when it exists (CRI-O's signature_policy_dir)")
	fs.StringVar(&f.namespace, "namespace", "", "Kubernetes `namespace` whose policy applies (with --policy-dir)")
	fs.BoolVar(&f.overlay, "overlay", false, "overlay the namespace policy on the global one instead of replacing it (see the namespace package)")
	fs.StringVar(&f.fromDir, "from-dir", "", "read the manifest and signatures from this containers dir: layout `directory` instead of the registry")
	fs.BoolVar(&f.plainHTTP, "plain-http", false, "allow plain HTTP to the registry (for loopback test registries)")
	fs.StringVar(&f.platform, "platform", "", "for a manifest list, evaluate the instance for `os/arch[/variant]` (default: this system)")
	fs.DurationVar(&f.timeout, "timeout", defaultTimeout, "bound on the registry reads")
	fs.StringVar(&f.output, "o", "text", "output format: text or json")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: sigpolicy verify [--policy FILE] [--policy-dir DIR --namespace NS [--overlay]] [--from-dir DIR | --plain-http --platform OS/ARCH[/VARIANT] --timeout D] [-o text|json] IMAGE")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return nil, false
	}
	if fs.NArg() != 1 || (f.output != "text" && f.output != "json") || f.timeout <= 0 {
		fs.Usage()
		return nil, false
	}
	if f.namespace != "" && f.policyDir == "" {
		fmt.Fprintln(stderr, "sigpolicy verify: --namespace needs --policy-dir")
		return nil, false
	}
	f.image = fs.Arg(0)
	return f, true
}

func runVerify(args []string, stdout, stderr io.Writer) int {
	f, ok := parseVerifyFlags(args, stderr)
	if !ok {
		return exitError
	}
	fail := func(err error) int {
		fmt.Fprintf(stderr, "sigpolicy verify: %v\n", err)
		return exitError
	}
	ref, err := reference.ParseNormalizedNamed(f.image)
	if err != nil {
		return fail(fmt.Errorf("invalid image reference %q: %w", f.image, err))
	}
	ev, namespaceName, err := selectPolicy(f)
	if err != nil {
		if errors.Is(err, namespace.ErrInvalidNamespace) {
			return fail(fmt.Errorf("refused namespace name: %w", err))
		}
		return fail(err)
	}

	ctx, cancel := context.WithTimeout(context.Background(), f.timeout)
	defer cancel()
	img, err := imageToVerify(ctx, f, ref)
	if err != nil {
		return fail(err)
	}
	d, err := ev.Evaluate(ctx, img)
	if err != nil {
		return fail(err)
	}
	d.Policy.Namespace = namespaceName
	if err := printDecision(stdout, f.output, d); err != nil {
		return fail(err)
	}
	if !d.Allowed {
		return exitNo
	}
	return exitOK
}

// selectPolicy returns the compiled policy that applies: with --policy-dir, the namespace's own
// file if it exists, else the global one (namespace.Resolver, CRI-O's rule); otherwise --policy.
// Any unreadable or invalid policy file, and any refused namespace name, is an error.
func selectPolicy(f *verifyFlags) (*verify.Evaluator, string, error) {
	if f.policyDir == "" {
		p, err := policy.ParseFile(f.policyPath)
		if err != nil {
			return nil, "", err
		}
		ev, err := verify.Compile(p, verify.WithOrigin(f.policyPath, ""))
		return ev, "", err
	}
	var opts []namespace.Option
	if f.overlay {
		opts = append(opts, namespace.WithOverlay())
	}
	r, err := namespace.New(f.policyPath, f.policyDir, opts...)
	if err != nil {
		return nil, "", err
	}
	res, err := r.Resolve(f.namespace)
	if err != nil {
		return nil, "", err
	}
	return res.Evaluator, res.Namespace, nil
}

// imageToVerify returns the image to evaluate: the reference as the user wrote it, with the
// manifest and signatures from the dir: layout (--from-dir) or from the registry, resolved now
// and pinned to a digest. A registry that cannot be read is an error (exit 2), not a denial.
func imageToVerify(ctx context.Context, f *verifyFlags, ref reference.Named) (verify.Image, error) {
	if f.fromDir != "" {
		if f.plainHTTP || f.platform != "" {
			return verify.Image{}, fmt.Errorf("--plain-http and --platform apply to registry images, not to --from-dir")
		}
		return verify.Image{Reference: ref, Source: source.NewDir(f.fromDir)}, nil
	}
	var opts []source.RegistryOption
	if f.plainHTTP {
		opts = append(opts, source.WithPlainHTTP())
	}
	if f.platform != "" {
		p, err := v1.ParsePlatform(f.platform)
		if err != nil {
			return verify.Image{}, fmt.Errorf("invalid --platform %q: %w", f.platform, err)
		}
		opts = append(opts, source.WithPlatform(*p))
	}
	r, err := source.NewRegistry(ctx, f.image, opts...)
	if err != nil {
		return verify.Image{}, err
	}
	return verify.Image{Reference: r.EvaluationReference(), Source: r}, nil
}

func printDecision(w io.Writer, format string, d *verify.Decision) error {
	if format == "json" {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(d)
	}
	_, err := fmt.Fprint(w, d.Explain())
	return err
}
