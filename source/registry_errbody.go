package source

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"

	"github.com/sigpolicy/sigpolicy/internal/limits"
)

// registeredErrorCodes are the distribution error codes containers/image knows (registered by
// docker/distribution's errcode and registry/api/v2 packages); any other code decodes as UNKNOWN.
var registeredErrorCodes = map[string]bool{
	"UNKNOWN": true, "UNSUPPORTED": true, "UNAUTHORIZED": true, "DENIED": true, "UNAVAILABLE": true,
	"TOOMANYREQUESTS": true, "DIGEST_INVALID": true, "SIZE_INVALID": true, "NAME_INVALID": true,
	"TAG_INVALID": true, "NAME_UNKNOWN": true, "MANIFEST_UNKNOWN": true, "MANIFEST_INVALID": true,
	"MANIFEST_UNVERIFIED": true, "MANIFEST_BLOB_UNKNOWN": true, "BLOB_UNKNOWN": true,
	"BLOB_UPLOAD_UNKNOWN": true, "BLOB_UPLOAD_INVALID": true, "PAGINATION_NUMBER_INVALID": true,
}

// distributionErrors is the OCI distribution error body. Keys match case-insensitively, as with
// the encoding/json decoding containers/image uses.
type distributionErrors struct {
	Errors []struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	} `json:"errors"`
}

// newRegistryError builds the *RegistryError of a non-200 response, reading at most
// limits.MaxRegistryErrorBodySize bytes of its body, and classifies it as containers/image's
// registryHTTPResponseToError and isManifestUnknownError would.
func newRegistryError(resp *http.Response, op, ref string) *RegistryError {
	e := &RegistryError{Op: op, Ref: ref, StatusCode: resp.StatusCode}
	if resp.StatusCode < 400 || resp.StatusCode >= 500 {
		return e // containers/image does not look at the body of other statuses
	}
	untrustedBody, _ := io.ReadAll(io.LimitReader(resp.Body, limits.MaxRegistryErrorBodySize))

	if resp.StatusCode == http.StatusUnauthorized && bearerChallengeError(resp.Header) {
		// OAuth errors in WWW-Authenticate come first (UNAUTHORIZED or DENIED): never "unknown".
		e.Code = "UNAUTHORIZED"
		return e
	}
	// The legacy {"details": "..."} form.
	var details struct {
		Details string `json:"details"`
	}
	if json.Unmarshal(untrustedBody, &details) == nil && details.Details != "" {
		switch resp.StatusCode {
		case http.StatusUnauthorized:
			e.Code = "UNAUTHORIZED"
		case http.StatusTooManyRequests:
			e.Code = "TOOMANYREQUESTS"
		default:
			e.Code = "UNKNOWN"
		}
		e.Message = details.Details
		e.manifestUnknown = e.Code == "UNKNOWN" && containsNotFound(e.Message)
		return e
	}
	var errs distributionErrors
	if json.Unmarshal(untrustedBody, &errs) != nil || len(errs.Errors) == 0 {
		// No distribution error: only the status counts.
		e.manifestUnknown = resp.StatusCode == http.StatusNotFound
		return e
	}
	first := errs.Errors[0]
	e.Code, e.Message = first.Code, first.Message
	switch {
	case first.Code == "MANIFEST_UNKNOWN":
		e.manifestUnknown = true
	case first.Code != "" && !registeredErrorCodes[first.Code], first.Code == "UNKNOWN":
		// (A missing or null code decodes as no code at all in containers/image, never UNKNOWN.)
		e.manifestUnknown = containsNotFound(first.Message)
	}
	return e
}

func containsNotFound(msg string) bool {
	return strings.Contains(strings.ToLower(msg), "not found")
}

// bearerChallengeError reports whether a WWW-Authenticate header carries a Bearer challenge with
// an RFC 6750 error of invalid_token or insufficient_scope.
func bearerChallengeError(h http.Header) bool {
	for _, v := range h.Values("WWW-Authenticate") {
		lv := strings.ToLower(strings.TrimSpace(v))
		if !strings.HasPrefix(lv, "bearer") {
			continue
		}
		if strings.Contains(lv, `error="invalid_token"`) || strings.Contains(lv, `error="insufficient_scope"`) {
			return true
		}
	}
	return false
}
