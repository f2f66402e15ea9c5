// Package signature holds the JSON form of a "sigstore-json" signature blob. It exists only so
// that encoding/json error texts, which name the Go type (package.type), read exactly as
// containers/image's do ("signature.sigstoreJSONRepresentation").
package signature
