package verify

import (
	"github.com/sigpolicy/sigpolicy/policy"
)

// acceptAnything is insecureAcceptAnything: always satisfied, reads nothing.
type acceptAnything struct{}

func (acceptAnything) clockDependent() bool { return false }

func (acceptAnything) typ() policy.RequirementType { return policy.TypeInsecureAcceptAnything }

func (acceptAnything) evaluate(*evalContext) ([]SignatureResult, error) { return nil, nil }

// rejectAll is reject: never satisfied.
type rejectAll struct{}

func (rejectAll) clockDependent() bool { return false }

func (rejectAll) typ() policy.RequirementType { return policy.TypeReject }

func (rejectAll) evaluate(ev *evalContext) ([]SignatureResult, error) {
	name := "<unknown>"
	if ev.ref != nil {
		name = ev.ref.String()
	}
	return nil, &RequirementError{Kind: ErrRejected, Msg: "Running image docker://" + name + " is rejected by policy."}
}

// signedBaseLayer parses but is never satisfied: containers/image has not implemented it.
type signedBaseLayer struct{}

func (signedBaseLayer) clockDependent() bool { return false }

func (signedBaseLayer) typ() policy.RequirementType { return policy.TypeSignedBaseLayer }

func (signedBaseLayer) evaluate(*evalContext) ([]SignatureResult, error) {
	return nil, &RequirementError{Kind: ErrNotImplemented, Msg: "signedBaseLayer not implemented yet!"}
}
