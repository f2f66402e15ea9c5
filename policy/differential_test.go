//go:build containers_image_openpgp && exclude_graphdriver_btrfs

package policy

import (
	"errors"
	"reflect"
	"testing"

	"github.com/containers/image/v5/signature"
	_ "github.com/containers/image/v5/transports/alltransports" // register every transport, as podman and skopeo do
)

// The differential tests compare this package with containers/image v5.36.2, the reference. They
// need the build tags `containers_image_openpgp exclude_graphdriver_btrfs`.

// cimageAccepts reports whether containers/image accepts doc, and its error.
func cimageAccepts(doc []byte) (bool, error) {
	_, err := signature.NewPolicyFromBytes(doc)
	return err == nil, err
}

// compat is the containers/image compatibility mode the differential tests compare.
var compat = WithCompat(CompatContainersImage)

// checkAgreement fails t when sigpolicy in containers/image compatibility mode and containers/image
// disagree on doc, when sigpolicy's output breaks its own contract (error type and sentinel, round
// trip, Lint consistency), or when the default mode (extensions allowed) differs from the
// compatibility mode other than by accepting a document that uses extension fields.
func checkAgreement(t *testing.T, doc []byte) {
	t.Helper()
	p, err := ParseWithOptions(doc, compat)
	want, cerr := cimageAccepts(doc)
	if (err == nil) != want {
		t.Fatalf("disagreement on %q:\n  sigpolicy: %v\n  containers/image: %v", doc, err, cerr)
	}
	checkDefaultMode(t, doc, p, err)
	lint, lerr := LintWithOptions(doc, compat)
	if lerr != nil {
		t.Fatal(lerr)
	}
	if err != nil {
		var e *Error
		if !errors.As(err, &e) || !errors.Is(err, ErrInvalidPolicy) {
			t.Fatalf("error %v (%T) is not an *Error wrapping ErrInvalidPolicy", err, err)
		}
		if e.Line < 1 || e.Column < 1 {
			t.Fatalf("error %v has no position", err)
		}
		if len(lint) == 0 || lint[0].Error() != e.Error() {
			t.Fatalf("Lint's first error %v differs from Parse's %v", lint, err)
		}
		return
	}
	if len(lint) != 0 {
		t.Fatalf("Lint reports %v on a document Parse accepts", lint)
	}
	out, merr := p.MarshalJSON()
	if merr != nil {
		t.Fatalf("MarshalJSON: %v", merr)
	}
	p2, err := ParseWithOptions(out, compat)
	if err != nil {
		t.Fatalf("re-parsing %s: %v", out, err)
	}
	if !reflect.DeepEqual(p, p2) {
		t.Fatalf("round trip changed the policy:\n  in:  %q\n  out: %s", doc, out)
	}
	if ok, cerr := cimageAccepts(out); !ok {
		t.Fatalf("containers/image refuses our encoding %s: %v", out, cerr)
	}
}

// checkDefaultMode compares Parse (extensions allowed) with the compatibility-mode result p, err.
func checkDefaultMode(t *testing.T, doc []byte, p *Policy, err error) {
	t.Helper()
	pd, derr := Parse(doc)
	switch {
	case err == nil:
		if derr != nil || !reflect.DeepEqual(p, pd) || len(pd.Extensions()) != 0 {
			t.Fatalf("default mode differs on a containers/image document %q: %v", doc, derr)
		}
	case !errors.Is(err, ErrExtension):
		// The first failure is not about an extension: both modes walked the same fields.
		if derr == nil || derr.Error() != err.Error() {
			t.Fatalf("default mode error %v, compatibility mode %v, on %q", derr, err, doc)
		}
	case derr == nil:
		if len(pd.Extensions()) == 0 {
			t.Fatalf("only the default mode accepts %q, which uses no extension", doc)
		}
		out, merr := pd.MarshalJSON()
		if merr != nil {
			t.Fatal(merr)
		}
		if p2, err := Parse(out); err != nil || !reflect.DeepEqual(pd, p2) {
			t.Fatalf("extension round trip: %s: %v", out, err)
		}
	}
}

func TestDifferentialParse(t *testing.T) {
	docs, err := corpus()
	if err != nil {
		t.Fatal(err)
	}
	if len(docs) < 200 {
		t.Fatalf("corpus has only %d documents", len(docs))
	}
	accepted := 0
	for _, c := range docs {
		t.Run(c.name, func(t *testing.T) {
			checkAgreement(t, []byte(c.doc))
		})
		if _, err := Parse([]byte(c.doc)); err == nil {
			accepted++
		}
	}
	t.Logf("%d documents, %d accepted by both, %d rejected by both", len(docs), accepted, len(docs)-accepted)
	if accepted < 50 || len(docs)-accepted < 200 {
		t.Errorf("corpus unbalanced: %d accepted, %d rejected", accepted, len(docs)-accepted)
	}
}
