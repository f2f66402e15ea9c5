package rekor_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"

	"github.com/sigpolicy/sigpolicy/rekor"
)

// Verify the Rekor SET of a keyless cosign signature stored by containers/image's dir: transport.
func ExampleKeys_VerifySET() {
	rekorPub, err := os.ReadFile("../testdata/containers-image/rekor.pub")
	if err != nil {
		panic(err)
	}
	keys, err := rekor.NewKeys([][]byte{rekorPub})
	if err != nil {
		panic(err)
	}
	blob, err := os.ReadFile("../testdata/containers-image/dir-img-cosign-fulcio-rekor-valid/signature-1")
	if err != nil {
		panic(err)
	}
	var untrustedSig struct {
		Payload     []byte
		Annotations map[string]string
	}
	if err := json.Unmarshal(bytes.TrimPrefix(blob, []byte("\x00sigstore-json\n")), &untrustedSig); err != nil {
		panic(err)
	}
	a := untrustedSig.Annotations
	entry, err := keys.VerifySET([]byte(a["dev.sigstore.cosign/bundle"]), []byte(a["dev.sigstore.cosign/certificate"]),
		a["dev.cosignproject.cosign/signature"], untrustedSig.Payload)
	if err != nil {
		fmt.Println("denied:", err)
		return
	}
	fmt.Println(entry.IntegratedTime.UTC(), entry.LogIndex, entry.LogIDMatchesKey)
	// Output: 2023-01-20 20:51:33 +0000 UTC 11605770 true
}
