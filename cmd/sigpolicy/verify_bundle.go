package main

import (
	"encoding/hex"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/sigstore/sigstore/pkg/cryptoutils"

	"github.com/sigpolicy/sigpolicy/bundle"
)

// envTrustedRoot names the environment variable that points verify-bundle at a trusted_root.json
// when --trusted-root is not given.
const envTrustedRoot = "SIGPOLICY_TRUSTED_ROOT"

// runVerifyBundle implements the sigstore-conformance client protocol:
//
//	sigpolicy verify-bundle --bundle FILE (--certificate-identity ID --certificate-oidc-issuer URL | --key PEM) [--trusted-root FILE] FILE_OR_DIGEST
//
// FILE_OR_DIGEST is a file path, or "sha256:<hex>". The trusted root is --trusted-root, else
// $SIGPOLICY_TRUSTED_ROOT, else the embedded public-good root (bundle.PublicGood). Exit 0 when
// the bundle verifies, 1 when it is refused, 2 on usage or I/O errors.
func runVerifyBundle(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("verify-bundle", flag.ContinueOnError)
	fs.SetOutput(stderr)
	bundlePath := fs.String("bundle", "", "sigstore bundle `FILE` (required)")
	identity := fs.String("certificate-identity", "", "required certificate subject alternative name (exact)")
	issuer := fs.String("certificate-oidc-issuer", "", "required certificate OIDC issuer (exact)")
	keyPath := fs.String("key", "", "verify with this PEM public key `FILE` instead of a certificate identity")
	rootPath := fs.String("trusted-root", "", "trusted_root.json `FILE` (default $"+envTrustedRoot+", else the embedded public-good root)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: sigpolicy verify-bundle --bundle FILE (--certificate-identity ID --certificate-oidc-issuer URL | --key PEM) [--trusted-root FILE] FILE_OR_DIGEST")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return exitError
	}
	if fs.NArg() != 1 || *bundlePath == "" {
		fs.Usage()
		return exitError
	}
	usageErr := func(format string, a ...any) int {
		fmt.Fprintf(stderr, "sigpolicy verify-bundle: "+format+"\n", a...)
		return exitError
	}

	var opts bundle.Options
	switch {
	case *keyPath != "" && (*identity != "" || *issuer != ""):
		return usageErr("--key excludes --certificate-identity and --certificate-oidc-issuer")
	case *keyPath != "":
		pemBytes, err := os.ReadFile(*keyPath)
		if err != nil {
			return usageErr("%v", err)
		}
		pub, err := cryptoutils.UnmarshalPEMToPublicKey(pemBytes)
		if err != nil {
			return usageErr("reading public key %s: %v", *keyPath, err)
		}
		opts.PublicKey = pub
	case *identity != "" && *issuer != "":
		opts.Identity = &bundle.CertificateIdentity{Issuer: *issuer, SAN: *identity}
	default:
		return usageErr("give --certificate-identity and --certificate-oidc-issuer, or --key")
	}

	target := fs.Arg(0)
	if hexDigest, ok := strings.CutPrefix(target, "sha256:"); ok {
		d, err := hex.DecodeString(hexDigest)
		if err != nil || len(d) != 32 {
			return usageErr("invalid sha256 digest %q", target)
		}
		opts.ArtifactDigest = d
	} else {
		data, err := os.ReadFile(target)
		if err != nil {
			return usageErr("%v", err)
		}
		opts.Artifact = data
	}

	tm, err := loadTrustedRoot(*rootPath)
	if err != nil {
		return usageErr("%v", err)
	}
	untrustedBundle, err := readLimited(*bundlePath, bundle.MaxBundleSize)
	if err != nil {
		return usageErr("%v", err)
	}
	// The wall clock is used only here, for the "integrated time in the future" check.
	opts.CurrentTime = time.Now()
	res, err := bundle.Verify(untrustedBundle, tm, opts)
	if err != nil {
		fmt.Fprintf(stderr, "refused: %v\n", err)
		return exitNo
	}
	fmt.Fprintf(stdout, "verified: %s", res.Content.Kind)
	if res.Identity != nil {
		fmt.Fprintf(stdout, " signed by %s (issuer %s)", res.Identity.SAN, res.Identity.Issuer)
	}
	for _, e := range res.LogEntries {
		fmt.Fprintf(stdout, "; log %x index %d", e.LogID[:4], e.LogIndex)
		if !e.IntegratedTime.IsZero() {
			fmt.Fprintf(stdout, " integrated %s", e.IntegratedTime.UTC().Format(time.RFC3339))
		}
	}
	for _, t := range res.TimestampTimes {
		fmt.Fprintf(stdout, "; timestamp %s", t.UTC().Format(time.RFC3339))
	}
	fmt.Fprintln(stdout)
	return exitOK
}

// loadTrustedRoot reads the trusted root from path, else from $SIGPOLICY_TRUSTED_ROOT, else
// returns the embedded public-good root.
func loadTrustedRoot(path string) (*bundle.TrustedMaterial, error) {
	if path == "" {
		path = os.Getenv(envTrustedRoot)
	}
	if path == "" {
		return bundle.PublicGood()
	}
	data, err := readLimited(path, bundle.MaxBundleSize)
	if err != nil {
		return nil, err
	}
	return bundle.FromTrustedRootJSON(data)
}

// readLimited reads a file of at most limit bytes.
func readLimited(path string, limit int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("%s is larger than %d bytes", path, limit)
	}
	return data, nil
}
