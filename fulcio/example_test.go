package fulcio_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"time"

	"github.com/sigpolicy/sigpolicy/fulcio"
)

func readSignature(path string) (payload []byte, annotations map[string]string) {
	blob, err := os.ReadFile(path)
	if err != nil {
		panic(err)
	}
	var sig struct {
		Payload     []byte
		Annotations map[string]string
	}
	if err := json.Unmarshal(bytes.TrimPrefix(blob, []byte("\x00sigstore-json\n")), &sig); err != nil {
		panic(err)
	}
	return sig.Payload, sig.Annotations
}

// Verify the Fulcio certificate of a keyless signature at its (already verified) Rekor integrated
// time, then apply a policy's oidcIssuer and subjectEmail.
func ExampleAnchors_VerifyFulcio() {
	caPEM, err := os.ReadFile("../testdata/containers-image/fulcio_v1.crt.pem")
	if err != nil {
		panic(err)
	}
	anchors, err := fulcio.NewFulcioAnchors(caPEM) // once per policy
	if err != nil {
		panic(err)
	}
	_, a := readSignature("../testdata/containers-image/dir-img-cosign-fulcio-rekor-valid/signature-1")
	integratedTime := time.Unix(1674247893, 0) // from rekor.Keys.VerifySET

	id, err := anchors.VerifyFulcio([]byte(a["dev.sigstore.cosign/certificate"]), []byte(a["dev.sigstore.cosign/chain"]), integratedTime)
	if err != nil {
		fmt.Println("denied:", err)
		return
	}
	fmt.Println(id.Issuer, id.Emails)
	fmt.Println(id.CheckIssuer("https://github.com/login/oauth"), id.CheckEmail("mitr@redhat.com"))
	fmt.Println(id.CheckEmail("someone@example.com"))
	// Output:
	// https://github.com/login/oauth [mitr@redhat.com]
	// <nil> <nil>
	// Required email "someone@example.com" not found (got ["mitr@redhat.com"])
}

// Verify a certificate from a private PKI at the current time of an injected clock.
func ExampleAnchors_VerifyPKI() {
	roots, err := os.ReadFile("../testdata/containers-image/pki_root_crts.pem")
	if err != nil {
		panic(err)
	}
	anchors, err := fulcio.NewPKIAnchors(roots, nil)
	if err != nil {
		panic(err)
	}
	_, a := readSignature("../testdata/containers-image/dir-img-cosign-pki-valid/signature-1")
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC) // clock.Now()

	id, err := anchors.VerifyPKI([]byte(a["dev.sigstore.cosign/certificate"]), []byte(a["dev.sigstore.cosign/chain"]), now)
	if err != nil {
		fmt.Println("denied:", err)
		return
	}
	fmt.Println(id.CheckEmail("qiwan@redhat.com"), id.CheckHostname("MYHOST.example.com"))
	fmt.Println(id.CheckHostname("other.example.com"))
	// Output:
	// <nil> <nil>
	// Unexpected subject hostname: x509: certificate is valid for myhost.example.com, not other.example.com
}
