//go:build containers_image_openpgp && exclude_graphdriver_btrfs

package policy

import (
	"errors"
	"testing"
)

// TestDifferentialExtensions checks documents that use extension fields: containers/image refuses
// every one, so does the compatibility mode (with ErrExtension first), and the default mode accepts
// the valid ones.
func TestDifferentialExtensions(t *testing.T) {
	for name, f := range validExtensionFulcios {
		t.Run(name, func(t *testing.T) {
			doc := []byte(extDoc(f))
			if ok, _ := cimageAccepts(doc); ok {
				t.Fatal("containers/image accepts an extension document")
			}
			checkAgreement(t, doc)
			if _, err := ParseWithOptions(doc, compat); !errors.Is(err, ErrExtension) {
				t.Fatalf("compat: %v", err)
			}
			if _, err := Parse(doc); err != nil {
				t.Fatal(err)
			}
		})
	}
}
