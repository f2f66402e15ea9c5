package verify

import (
	"fmt"
	"strings"

	"github.com/sigpolicy/sigpolicy/policy"
)

// Decision is the outcome of evaluating one image, with everything needed to explain it.
// It marshals to the JSON of the CLI contract (see DESIGN.md).
type Decision struct {
	// Allowed is true only when every requirement of the applicable scope was satisfied.
	Allowed bool `json:"allowed"`
	// Image is the image reference as evaluated.
	Image string `json:"image"`
	// Digest is the manifest digest of the image, when the manifest could be read.
	Digest string `json:"digest"`
	// Policy says which policy file, namespace, transport and scope applied.
	Policy PolicySource `json:"policy"`
	// Requirements has one entry per requirement of the scope, in policy order.
	Requirements []RequirementResult `json:"requirements"`
	// Err is nil when Allowed; otherwise the denial (the first requirement that denied, as in
	// containers/image). It wraps the sentinel errors of this package and typed errors such as
	// *IdentityMismatchError, reachable with errors.Is and errors.As.
	Err error `json:"-"`
}

// PolicySource identifies the policy scope that applied to an image.
type PolicySource struct {
	File      string `json:"file"`      // the policy file, when known (see WithOrigin)
	Namespace string `json:"namespace"` // the Kubernetes namespace, when known (see WithOrigin)
	Transport string `json:"transport"` // e.g. "docker"
	Scope     string `json:"scope"`     // the matched scope; "" for the transport's "" scope
	Default   bool   `json:"default"`   // true when the policy's global "default" applied
}

// RequirementResult is the outcome of one requirement.
type RequirementResult struct {
	Type       policy.RequirementType `json:"type"`
	Allowed    bool                   `json:"allowed"`
	Evaluated  bool                   `json:"evaluated"` // false when an earlier requirement already denied
	Reason     string                 `json:"reason"`
	Signatures []SignatureResult      `json:"signatures"`
	Err        error                  `json:"-"`
}

// SignatureResult is what one requirement made of one signature.
type SignatureResult struct {
	Index    int    `json:"index"` // 1-based position among the image's signatures
	Kind     string `json:"kind"`  // "sigstore", "simple-signing", "bundle" or "attachment"
	Accepted bool   `json:"accepted"`
	Reason   string `json:"reason"`
	Err      error  `json:"-"`
}

// Explain returns a readable multi-line report of the decision.
func (d *Decision) Explain() string {
	var b strings.Builder
	verdict := "DENIED"
	if d.Allowed {
		verdict = "ALLOWED"
	}
	fmt.Fprintf(&b, "%s %s\n", verdict, d.Image)
	if d.Digest != "" {
		fmt.Fprintf(&b, "  manifest digest: %s\n", d.Digest)
	}
	file := d.Policy.File
	if file == "" {
		file = "(policy given in memory)"
	}
	fmt.Fprintf(&b, "  policy: %s", file)
	if d.Policy.Namespace != "" {
		fmt.Fprintf(&b, " (namespace %s)", d.Policy.Namespace)
	}
	b.WriteString("\n")
	switch {
	case d.Policy.Default:
		fmt.Fprintf(&b, "  scope: the global \"default\" (no %q scope matched)\n", d.Policy.Transport)
	case d.Policy.Scope == "":
		fmt.Fprintf(&b, "  scope: transports.%s[\"\"] (the transport's default)\n", d.Policy.Transport)
	default:
		fmt.Fprintf(&b, "  scope: transports.%s[%q]\n", d.Policy.Transport, d.Policy.Scope)
	}
	for i, r := range d.Requirements {
		status := "denied"
		switch {
		case !r.Evaluated:
			status = "not evaluated"
		case r.Allowed:
			status = "satisfied"
		}
		fmt.Fprintf(&b, "  requirement %d: %s: %s", i+1, r.Type, status)
		if r.Reason != "" {
			fmt.Fprintf(&b, ": %s", r.Reason)
		}
		b.WriteString("\n")
		for _, s := range r.Signatures {
			mark := "rejected"
			if s.Accepted {
				mark = "accepted"
			}
			fmt.Fprintf(&b, "    signature %d (%s): %s", s.Index, s.Kind, mark)
			if s.Reason != "" {
				fmt.Fprintf(&b, ": %s", s.Reason)
			}
			b.WriteString("\n")
		}
	}
	return b.String()
}
