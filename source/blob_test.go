package source

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

func TestParseSignatureBlob(t *testing.T) {
	sigstoreBlob := func(json string) []byte { return append([]byte("\x00sigstore-json\n"), json...) }
	tests := []struct {
		name      string
		blob      []byte
		wantErr   string // "" for success
		wantType  string // "sigstore" or "simple"
		wantMIME  string
		wantPayld string
	}{
		{name: "empty", blob: nil, wantErr: "empty signature blob"},
		{name: "openpgp signature packet old format", blob: []byte{0x89, 1, 2}, wantType: "simple"},
		{name: "openpgp signature packet new format", blob: []byte{0xC2, 1}, wantType: "simple"},
		{name: "openpgp compressed data", blob: []byte{0xA3, 1}, wantType: "simple"},
		{name: "openpgp one-pass 0x90", blob: []byte{0x90}, wantType: "simple"},
		{name: "containers/image's 0x3d entry", blob: []byte("=abc"), wantType: "simple"},
		{name: "0x93 is not in containers/image's list", blob: []byte{0x93, 0}, wantErr: "unrecognized signature format, starting with binary 0x93"},
		{name: "text", blob: []byte("{}"), wantErr: "unrecognized signature format, starting with binary 0x7b"},
		{name: "binary format without newline", blob: []byte("\x00sigstore-json"), wantErr: "invalid signature format, missing newline"},
		{name: "non-ASCII format name", blob: []byte("\x00sig\x01\n{}"), wantErr: "invalid signature format, non-ASCII byte 0x1"},
		{name: "DEL in format name", blob: []byte("\x00sig\x7f\n{}"), wantErr: "invalid signature format, non-ASCII byte 0x7f"},
		{name: "unknown format", blob: []byte("\x00cosign\n{}"), wantErr: `unrecognized signature format "cosign"`},
		{name: "binary simple-signing", blob: []byte("\x00simple-signing\n\x89abc"), wantType: "simple"},
		{name: "sigstore", blob: sigstoreBlob(`{"mimeType":"m","payload":"cGF5","annotations":{"k":"v"}}`),
			wantType: "sigstore", wantMIME: "m", wantPayld: "pay"},
		{name: "sigstore keys case-insensitive", blob: sigstoreBlob(`{"MIMETYPE":"m","Payload":"cGF5"}`),
			wantType: "sigstore", wantMIME: "m", wantPayld: "pay"},
		{name: "sigstore unknown keys ignored, last duplicate wins", blob: sigstoreBlob(`{"x":1,"mimeType":"a","mimeType":"b"}`),
			wantType: "sigstore", wantMIME: "b"},
		{name: "sigstore base64 with newline", blob: sigstoreBlob(`{"payload":"cG\nF5"}`), wantType: "sigstore", wantPayld: "pay"},
		{name: "sigstore null", blob: sigstoreBlob(`null`), wantType: "sigstore"},
		{name: "sigstore invalid JSON", blob: sigstoreBlob(`{`), wantErr: "unexpected end of JSON input"},
		{name: "sigstore trailing data", blob: sigstoreBlob(`{} x`), wantErr: "invalid character 'x' after top-level value"},
		{name: "sigstore unpadded base64", blob: sigstoreBlob(`{"payload":"cGF"}`), wantErr: "illegal base64 data at input byte 0"},
		{name: "sigstore wrong type", blob: sigstoreBlob(`{"mimeType":1}`),
			wantErr: "json: cannot unmarshal number into Go struct field sigstoreJSONRepresentation.mimeType of type string"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sig, err := ParseSignatureBlob(tt.blob)
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr {
					t.Fatalf("error = %v, want %q", err, tt.wantErr)
				}
				if !errors.Is(err, ErrInvalidSignatureBlob) {
					t.Errorf("error does not match ErrInvalidSignatureBlob")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			switch s := sig.(type) {
			case SimpleSigning:
				if tt.wantType != "simple" {
					t.Fatalf("got SimpleSigning, want %s", tt.wantType)
				}
				if len(s.UntrustedBlob) == 0 {
					t.Error("empty SimpleSigning blob")
				}
			case Sigstore:
				if tt.wantType != "sigstore" {
					t.Fatalf("got Sigstore, want %s", tt.wantType)
				}
				if s.UntrustedMIMEType != tt.wantMIME || string(s.UntrustedPayload) != tt.wantPayld {
					t.Errorf("got %q %q, want %q %q", s.UntrustedMIMEType, s.UntrustedPayload, tt.wantMIME, tt.wantPayld)
				}
			}
		})
	}
}

// TestParseSignatureBlobMatchesContainersImage writes each blob as a dir: signature and compares
// the whole read, including the error text, with containers/image's.
func TestParseSignatureBlobMatchesContainersImage(t *testing.T) {
	blobs := map[string][]byte{
		"empty":         {},
		"openpgp":       {0x89, 1, 2, 3},
		"0x3d":          []byte("=x"),
		"0x93":          {0x93},
		"no newline":    []byte("\x00sigstore-json"),
		"bad format":    []byte("\x00x\x02y\n"),
		"unknown":       []byte("\x00other\n"),
		"binary simple": []byte("\x00simple-signing\nabc"),
		"null":          []byte("\x00sigstore-json\nnull"),
		"bad json":      []byte("\x00sigstore-json\n{"),
		"bad base64":    []byte("\x00sigstore-json\n{\"payload\":\"!\"}"),
	}
	for name, blob := range blobs {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, "signature-1"), blob, 0o644); err != nil {
				t.Fatal(err)
			}
			compareWithContainersImage(t, dir)
		})
	}
}

// compareWithContainersImage reads dir's signatures with both implementations and fails on any
// difference visible through containers/image's public API.
func compareWithContainersImage(t testing.TB, dir string) {
	t.Helper()
	_, _, wantSimple, wantErr := cimageRead(t, dir, nil)
	sigs, err := NewDir(dir).Signatures(context.Background())
	if errText(err) != errText(wantErr) {
		t.Fatalf("error = %v, containers/image: %v", err, wantErr)
	}
	var simple [][]byte
	for _, s := range sigs {
		if ss, ok := s.(SimpleSigning); ok {
			simple = append(simple, ss.UntrustedBlob)
		}
	}
	if len(simple) != len(wantSimple) {
		t.Fatalf("%d simple-signing signatures, containers/image %d", len(simple), len(wantSimple))
	}
	for i := range simple {
		if !bytes.Equal(simple[i], wantSimple[i]) {
			t.Fatalf("simple-signing signature %d differs", i)
		}
	}
}

func TestEncodeSigstoreRoundTrip(t *testing.T) {
	tests := []struct {
		name string
		s    Sigstore
		want string
	}{
		{"nil annotations", Sigstore{UntrustedMIMEType: "m", UntrustedPayload: []byte("p")},
			"\x00sigstore-json\n{\"mimeType\":\"m\",\"payload\":\"cA==\",\"annotations\":null}"},
		{"html characters escaped like encoding/json", Sigstore{UntrustedAnnotations: map[string]string{"b": "<", "a": "&"}},
			"\x00sigstore-json\n{\"mimeType\":\"\",\"payload\":null,\"annotations\":{\"a\":\"\\u0026\",\"b\":\"\\u003c\"}}"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := EncodeSigstore(tt.s)
			if string(got) != tt.want {
				t.Fatalf("EncodeSigstore = %q, want %q", got, tt.want)
			}
			back, err := ParseSignatureBlob(got)
			if err != nil {
				t.Fatal(err)
			}
			if again := EncodeSigstore(back.(Sigstore)); !bytes.Equal(again, got) {
				t.Errorf("round trip changed the blob: %q", again)
			}
		})
	}
}

func TestEncodeSignatureSimpleSigning(t *testing.T) {
	blob := []byte{0x89, 9, 8}
	got, err := EncodeSignature(SimpleSigning{UntrustedBlob: blob})
	if err != nil || !bytes.Equal(got, blob) {
		t.Fatalf("EncodeSignature = %x, %v", got, err)
	}
	if _, err := EncodeSignature(nil); err == nil {
		t.Error("EncodeSignature(nil) succeeded")
	}
}
