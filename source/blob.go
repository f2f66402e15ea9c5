package source

import (
	"bytes"
	"fmt"

	"github.com/sigpolicy/sigpolicy/source/internal/signature"
)

// Signature blob format names, as written after the leading 0x00 byte.
const (
	formatSimpleSigning = "simple-signing"
	formatSigstore      = "sigstore-json"
)

// ParseSignatureBlob decodes one stored signature blob, as containers/image v5.36.2's
// internal/signature.FromBlob does:
//   - a blob whose first byte is an OpenPGP packet tag for a compressed-data, one-pass-signature
//     or signature packet is a SimpleSigning signature (the byte list is containers/image's,
//     including its 0x3d entry);
//   - a blob starting with 0x00 is followed by a printable-ASCII format name and a newline;
//     "simple-signing" yields a SimpleSigning of the rest, "sigstore-json" a Sigstore decoded
//     from the rest with plain json.Unmarshal;
//   - anything else, including an empty blob, is an error matching ErrInvalidSignatureBlob.
//
// The returned signature does not share memory with untrustedBlob.
func ParseSignatureBlob(untrustedBlob []byte) (Signature, error) {
	if len(untrustedBlob) == 0 {
		return nil, &BlobFormatError{Reason: "empty signature blob"}
	}
	switch untrustedBlob[0] {
	case 0xA0, 0xA1, 0xA2, 0xA3, 0xC8, // compressed data packet (old format, any length type; new format)
		0x90, 0x91, 0x92, 0x3d, 0xC4, // one-pass signature packet (0x3d instead of 0x93 is containers/image's)
		0x88, 0x89, 0x8A, 0x8B, 0xC2: // signature packet
		return SimpleSigning{UntrustedBlob: bytes.Clone(untrustedBlob)}, nil
	case 0x00:
		format, chunk, found := bytes.Cut(untrustedBlob[1:], []byte{'\n'})
		if !found {
			return nil, &BlobFormatError{Reason: "invalid signature format, missing newline"}
		}
		for _, b := range format {
			if b < 32 || b >= 0x7F {
				return nil, &BlobFormatError{Reason: fmt.Sprintf("invalid signature format, non-ASCII byte %#x", b)}
			}
		}
		switch string(format) {
		case formatSimpleSigning:
			return SimpleSigning{UntrustedBlob: bytes.Clone(chunk)}, nil
		case formatSigstore:
			return parseSigstoreChunk(chunk)
		default:
			return nil, &BlobFormatError{Reason: fmt.Sprintf("unrecognized signature format %q", string(format))}
		}
	default:
		return nil, &BlobFormatError{Reason: fmt.Sprintf("unrecognized signature format, starting with binary %#x", untrustedBlob[0])}
	}
}

// parseSigstoreChunk decodes the JSON part of a "sigstore-json" blob. Like containers/image, it
// accepts a JSON null (giving an empty attachment, which later counts as a non-signature
// attachment).
func parseSigstoreChunk(untrustedChunk []byte) (Signature, error) {
	mimeType, payload, annotations, err := signature.DecodeSigstore(untrustedChunk)
	if err != nil {
		return nil, &BlobFormatError{Err: err}
	}
	return Sigstore{
		UntrustedMIMEType:    mimeType,
		UntrustedPayload:     payload,
		UntrustedAnnotations: annotations,
	}.Clone(), nil
}

// EncodeSigstore returns the stored form of s, byte-identical to what containers/image
// (signature.Blob) and skopeo write into a dir: layout: 0x00, "sigstore-json", a newline, then
// json.Marshal of {"mimeType","payload","annotations"} (a nil annotations map is written as null).
func EncodeSigstore(s Sigstore) []byte {
	chunk := signature.EncodeSigstore(s.UntrustedMIMEType, s.UntrustedPayload, s.UntrustedAnnotations)
	out := make([]byte, 0, 2+len(formatSigstore)+len(chunk))
	out = append(out, 0)
	out = append(out, formatSigstore...)
	out = append(out, '\n')
	return append(out, chunk...)
}

// EncodeSignature returns the stored form of sig: EncodeSigstore for a Sigstore, and the OpenPGP
// blob unchanged for a SimpleSigning (the historical format containers/image still writes).
func EncodeSignature(sig Signature) ([]byte, error) {
	switch s := sig.(type) {
	case Sigstore:
		return EncodeSigstore(s), nil
	case SimpleSigning:
		return bytes.Clone(s.UntrustedBlob), nil
	default:
		return nil, fmt.Errorf("source: unsupported signature type %T", sig)
	}
}
