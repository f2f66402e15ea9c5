package verify

import (
	"bytes"
	"encoding/json"
	"fmt"

	"github.com/containers/image/v5/docker/reference"
	digest "github.com/opencontainers/go-digest"
)

// Signature payload types, the literal "critical.type" values.
const (
	sigstorePayloadType = "cosign container image signature" // cosign / containers sigstore payloads
	simplePayloadType   = "atomic container signature"       // OpenPGP "simple signing" payloads
)

// payloadClaims is what a signature payload claims, after a strict parse of its JSON. The values are
// claims of a cryptographically verified signer, but not yet checked against the image or policy.
type payloadClaims struct {
	ManifestDigest  digest.Digest
	DockerReference string
	// signedRef is DockerReference parsed with reference.ParseNormalizedNamed, or nil when it does
	// not parse (then no identity rule accepts it).
	signedRef reference.Named
	Creator   *string
	Timestamp *int64
}

// parsePayload parses a signature payload as containers/image does: exactly "critical" and
// "optional" at the top level; optional may be null only in sigstore payloads (optionalNullable);
// critical holds exactly type, image and identity, each with exactly one key. Plain payloads take a
// fast path; everything else, and every error, comes from parsePayloadStrict.
func parsePayload(verifiedBytes []byte, wantType string, optionalNullable bool) (*payloadClaims, error) {
	if c, typ, ok := parsePayloadFast(verifiedBytes, optionalNullable); ok && typ == wantType {
		if _, err := digest.Parse(string(c.ManifestDigest)); err == nil {
			c.parseReference()
			return &c, nil
		}
	}
	c, err := parsePayloadStrict(verifiedBytes, wantType, optionalNullable)
	if err != nil {
		return nil, err
	}
	c.parseReference()
	return c, nil
}

// parseReference fills signedRef from DockerReference.
func (c *payloadClaims) parseReference() {
	if r, err := reference.ParseNormalizedNamed(c.DockerReference); err == nil {
		c.signedRef = r
	}
}

// parsePayloadStrict is parsePayload built on encoding/json, mirroring containers/image's decoder
// call for call.
func parsePayloadStrict(verifiedBytes []byte, wantType string, optionalNullable bool) (*payloadClaims, error) {
	// encoding/json checks the whole document's syntax before any strict walk, as json.Unmarshal does.
	if !json.Valid(verifiedBytes) {
		var v any
		err := json.Unmarshal(verifiedBytes, &v)
		return nil, &FormatError{Field: "payload", Msg: err.Error()}
	}
	data := bytes.TrimSpace(verifiedBytes)
	var critical, optional json.RawMessage
	if err := strictObjectExact(data, map[string]any{"critical": &critical, "optional": &optional}); err != nil {
		return nil, fieldErr("payload", err)
	}
	claims := &payloadClaims{}
	if !optionalNullable || !bytes.Equal(optional, []byte("null")) {
		if err := parseOptional(optional, claims); err != nil {
			return nil, err
		}
	}
	var typ string
	var image, identity json.RawMessage
	if err := strictObjectExact(critical, map[string]any{"type": &typ, "image": &image, "identity": &identity}); err != nil {
		return nil, fieldErr("payload.critical", err)
	}
	if typ != wantType {
		return nil, &FormatError{Field: "payload.critical.type", Msg: fmt.Sprintf("Unrecognized signature type %s", typ)}
	}
	var digestString string
	if err := strictObjectExact(image, map[string]any{"docker-manifest-digest": &digestString}); err != nil {
		return nil, fieldErr("payload.critical.image", err)
	}
	d, err := digest.Parse(digestString)
	if err != nil {
		return nil, &FormatError{Field: "payload.critical.image.docker-manifest-digest",
			Msg: fmt.Sprintf("invalid docker-manifest-digest value %q: %v", digestString, err)}
	}
	claims.ManifestDigest = d
	if err := strictObjectExact(identity, map[string]any{"docker-reference": &claims.DockerReference}); err != nil {
		return nil, fieldErr("payload.critical.identity", err)
	}
	return claims, nil
}

// parseOptional reads the "optional" object: unknown keys are ignored, but keys may not repeat,
// "creator" must be a string and "timestamp" an integral number.
func parseOptional(optional json.RawMessage, claims *payloadClaims) error {
	var creator string
	var timestamp float64
	gotCreator, gotTimestamp := false, false
	if err := strictObject(optional, func(key string) any {
		switch key {
		case "creator":
			gotCreator = true
			return &creator
		case "timestamp":
			gotTimestamp = true
			return &timestamp
		default:
			var ignore any
			return &ignore
		}
	}); err != nil {
		return fieldErr("payload.optional", err)
	}
	if gotCreator {
		claims.Creator = &creator
	}
	if gotTimestamp {
		i := int64(timestamp)
		if float64(i) != timestamp {
			return &FormatError{Field: "payload.optional.timestamp", Msg: "Field optional.timestamp is not an integer"}
		}
		claims.Timestamp = &i
	}
	return nil
}

// fieldErr attaches a field name to a FormatError produced by the strict decoder.
func fieldErr(field string, err error) error {
	if fe, ok := err.(*FormatError); ok && fe.Field == "" {
		fe.Field = field
		return fe
	}
	return err
}

// digestString converts without validating; parsePayload validates with digest.Parse.
func digestString(s string) digest.Digest { return digest.Digest(s) }
