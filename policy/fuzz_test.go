//go:build containers_image_openpgp && exclude_graphdriver_btrfs

package policy

import "testing"

// FuzzParse feeds arbitrary bytes to both sigpolicy (in containers/image compatibility mode) and
// containers/image and fails when they disagree on accept/reject, when sigpolicy panics, when an
// accepted policy does not round-trip, or when the default mode differs other than by accepting
// extension fields (see checkAgreement). Seeded from the parse corpus and extension documents. Run with:
//
//	go test -tags "containers_image_openpgp exclude_graphdriver_btrfs" -run '^$' -fuzz FuzzParse -fuzztime 10m ./policy/
func FuzzParse(f *testing.F) {
	docs, err := corpus()
	if err != nil {
		f.Fatal(err)
	}
	for i, c := range docs {
		// Every mutation is covered by TestDifferentialParse; seed with a sample to keep start-up quick.
		if i%8 == 0 || c.name[0] != 'b' {
			f.Add([]byte(c.doc))
		}
	}
	for _, fulcio := range validExtensionFulcios {
		f.Add([]byte(extDoc(fulcio)))
	}
	f.Fuzz(func(t *testing.T, doc []byte) {
		checkAgreement(t, doc)
	})
}
