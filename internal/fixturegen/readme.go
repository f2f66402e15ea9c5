package main

import (
	"bytes"
	"fmt"
	"strings"
)

// readme renders testdata/generated/README.md.
func readme(cases []Case, keyFiles []string) []byte {
	var b bytes.Buffer
	b.WriteString(`# testdata/generated — deterministic signed dir: layouts

**Generated; do not edit.** Written by ` + "`internal/fixturegen`" + ` (` + "`go generate ./internal/fixturegen`" + `, or
` + "`go run ./internal/fixturegen -out testdata/generated`" + ` from the repository root). Every run produces
identical bytes; ` + "`internal/fixturegen`" + `'s tests regenerate into a temporary directory and compare.

All keys derive from the fixed seed ` + "`" + seed + "`" + ` (see ` + "`internal/fixturegen/gen`" + `). They are public
test material.

## Layout

- ` + "`keys/`" + `: PEM trust material.
  - Signing public keys (PKIX ` + "`PUBLIC KEY`" + `): ` + "`ecdsa-p256.pub`, `ecdsa-p384.pub`, `rsa.pub` (RSA-2048; also `rsa-pkcs1.pub` as `RSA PUBLIC KEY`), `ed25519.pub`, `other-ecdsa.pub`" + `.
  - Rekor log keys (P-256): ` + "`rekor.pub`, `rekor-other.pub`" + `. Log ID = SHA-256 of the DER key.
  - Test Fulcio CA (P-384, valid 2024-01-01 to 2034-01-01): ` + "`fulcio-root.pem`, `fulcio-intermediate.pem`, `fulcio-chain.pem`" + ` (intermediate then root).
  - ` + "`other-root.pem`" + `: an unrelated CA. ` + "`pki-root.pem`, `pki-intermediate.pem`" + `: a private PKI valid 2024-01-01 to 2054-01-01
    (containers/image checks PKI certificates at the wall clock).
- ` + "`<case>/`" + `: a containers dir: layout (` + "`version`, `manifest.json`, `signature-1`, …" + `) as skopeo writes it.
  Each case has its own manifest (an OCI manifest with an ` + "`org.sigpolicy.fixture`" + ` annotation naming
  the case), hence its own digest. Config and layer blobs are not written.
- ` + "`cases.json`" + `: one entry per case: ` + "`name`, `dir`, `description`, `signedReference`" + ` (the payload's
  docker-reference), ` + "`pullReference`" + ` (the reference to evaluate as), ` + "`manifestDigest`, `keys`" + ` (trust files and
  identities), ` + "`requirement`" + ` (a ` + "`sigstoreSigned`" + ` requirement with paths relative to this directory), and
  ` + "`expected`" + ` / ` + "`expectedError`" + `: containers/image v5.36.2's decision under that requirement, checked by
  ` + "`internal/fixturegen`" + `'s oracle test.

Signed payloads use containers/image's form (` + "`optional: {creator, timestamp}`" + `) unless a case says otherwise.
Fulcio leaves have an empty subject, a critical SAN, EKU codeSigning and are valid for 10 minutes,
` + leafNotBefor.Format("2006-01-02T15:04:05Z") + ` to ` + leafNotAfter.Format("2006-01-02T15:04:05Z") + `; the default Rekor integrated time is ` +
		fmt.Sprint(integratedTime) + ` (2025-01-01T00:00:00Z). Fulcio issuer ` + "`" + oidcIssuer + "`" + `, email ` + "`" + email + "`" + `.

## Cases

| case | expected | description |
|---|---|---|
`)
	for _, c := range cases {
		exp := c.Expected
		if c.ExpectedError != "" {
			exp += " (`" + c.ExpectedError + "`)"
		}
		fmt.Fprintf(&b, "| `%s` | %s | %s |\n", c.Name, exp, strings.ReplaceAll(c.Description, "|", `\|`))
	}
	fmt.Fprintf(&b, "\n%d cases; key files: %s.\n", len(cases), strings.Join(keyFiles, ", "))
	return b.Bytes()
}
