package rekor

import (
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/sigpolicy/sigpolicy/internal/limits"
)

// Limits on signed notes (checkpoints), which are untrusted input.
const (
	// MaxNoteSize is the largest signed note, in bytes, that is parsed. Real checkpoints are a
	// few hundred bytes.
	MaxNoteSize = limits.MaxNoteSize
	// MaxNoteSignatures is the largest number of signature lines parsed in one note (the log's
	// own signature plus witness cosignatures).
	MaxNoteSignatures = limits.MaxNoteSignatures
)

// noteSigPrefix starts every signature line of a signed note: U+2014 EM DASH and a space.
const noteSigPrefix = "\u2014 "

// NoteSignature is one signature line of a signed note: "— <name> <base64(hint ‖ signature)>".
type NoteSignature struct {
	// Name is the key name (for Rekor v1 the log's host name, for Rekor v2 the log's origin).
	Name string
	// KeyHint is the first four bytes (big-endian) of the signer's key ID.
	KeyHint uint32
	// Signature is the signature bytes, after the key hint.
	Signature []byte
}

// untrustedNote is a parsed signed note (C2SP signed-note) whose signatures are not verified.
type untrustedNote struct {
	text       []byte // the signed text, ending with one newline
	signatures []NoteSignature
}

// parseNote splits a signed note into its text and signature lines, following the C2SP
// signed-note format: the text is valid UTF-8 without control characters other than newline,
// ends with a newline and is followed by a blank line; then one or more signature lines, each
// ending with a newline.
func parseNote(untrusted []byte) (*untrustedNote, error) {
	if len(untrusted) > MaxNoteSize {
		return nil, newErr(ErrNoteFormat, nil, "signed note is %d bytes, more than %d", len(untrusted), MaxNoteSize)
	}
	if !utf8.Valid(untrusted) {
		return nil, newErr(ErrNoteFormat, nil, "signed note is not valid UTF-8")
	}
	for _, r := range string(untrusted) {
		if r != '\n' && (r < 0x20 || r == 0x7f) {
			return nil, newErr(ErrNoteFormat, nil, "signed note contains control character %U", r)
		}
	}
	sep := bytes.LastIndex(untrusted, []byte("\n\n"))
	if sep < 0 {
		return nil, newErr(ErrNoteFormat, nil, "signed note has no blank line before its signatures")
	}
	n := &untrustedNote{text: untrusted[:sep+1]}
	sigBlock := untrusted[sep+2:]
	if len(sigBlock) == 0 || sigBlock[len(sigBlock)-1] != '\n' {
		return nil, newErr(ErrNoteFormat, nil, "signed note has no signature lines or lacks a final newline")
	}
	lines := strings.Split(string(sigBlock[:len(sigBlock)-1]), "\n")
	if len(lines) > MaxNoteSignatures {
		return nil, newErr(ErrNoteFormat, nil, "signed note has %d signature lines, more than %d", len(lines), MaxNoteSignatures)
	}
	for i, line := range lines {
		sig, err := parseNoteSignature(line)
		if err != nil {
			return nil, newErr(ErrNoteFormat, err, "signature line %d: %v", i+1, err)
		}
		n.signatures = append(n.signatures, sig)
	}
	return n, nil
}

// parseNoteSignature parses "— <name> <base64>".
func parseNoteSignature(line string) (NoteSignature, error) {
	rest, ok := strings.CutPrefix(line, noteSigPrefix)
	if !ok {
		return NoteSignature{}, newErr(ErrNoteFormat, nil, "does not start with %q", noteSigPrefix)
	}
	name, b64, ok := strings.Cut(rest, " ")
	if !ok || !validKeyName(name) {
		return NoteSignature{}, newErr(ErrNoteFormat, nil, "invalid key name")
	}
	raw, err := base64.StdEncoding.Strict().DecodeString(b64)
	if err != nil {
		return NoteSignature{}, newErr(ErrNoteFormat, err, "invalid base64 signature: %v", err)
	}
	if len(raw) <= 4 {
		return NoteSignature{}, newErr(ErrNoteFormat, nil, "signature too short")
	}
	return NoteSignature{Name: name, KeyHint: binary.BigEndian.Uint32(raw[:4]), Signature: raw[4:]}, nil
}

// validKeyName reports whether name is a valid signed-note key name: non-empty, no white space,
// no "+".
func validKeyName(name string) bool {
	return name != "" && strings.IndexFunc(name, unicode.IsSpace) < 0 && !strings.Contains(name, "+")
}
