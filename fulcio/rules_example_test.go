package fulcio_test

import (
	"errors"
	"fmt"

	"github.com/sigpolicy/sigpolicy/fulcio"
)

func ExampleIdentity_Check() {
	// id would come from Anchors.VerifyFulcio; it is built by hand here.
	id := &fulcio.Identity{
		Issuer: "https://token.actions.githubusercontent.com",
		URIs:   []string{"https://github.com/org/app/.github/workflows/release.yml@refs/heads/main"},
	}
	id.Extensions.SourceRepositoryRef = "refs/heads/main"
	pattern, err := fulcio.CompilePattern(`https://github\.com/org/app/\.github/workflows/release\.yml@refs/tags/v.+`)
	if err != nil {
		fmt.Println(err)
		return
	}
	err = id.Check(&fulcio.Rules{
		Issuer:         "https://token.actions.githubusercontent.com",
		SubjectPattern: pattern,
		Extensions:     []fulcio.ExtensionRule{{Name: "sourceRepositoryRef", Value: "refs/tags/v1.2.3"}},
	})
	fmt.Println(err)
	var ext *fulcio.ExtensionMismatchError
	fmt.Println(errors.Is(err, fulcio.ErrSubject), errors.As(err, &ext), ext.Expected, ext.Actual)
	// Output:
	// 2 certificate identity rules failed: No certificate subject matches subjectPattern "https://github\\.com/org/app/\\.github/workflows/release\\.yml@refs/tags/v.+" (got ["https://github.com/org/app/.github/workflows/release.yml@refs/heads/main"]); Certificate extension sourceRepositoryRef (1.3.6.1.4.1.57264.1.14) is "refs/heads/main", expected "refs/tags/v1.2.3"
	// true true refs/tags/v1.2.3 refs/heads/main
}
