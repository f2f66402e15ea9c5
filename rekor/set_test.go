package rekor

import (
	"bytes"
	"encoding/json"
	"encoding/pem"
	"errors"
	"strings"
	"testing"
	"time"
)

func TestVerifySETFixtures(t *testing.T) {
	fulcio := readSigstoreSig(t, "dir-img-cosign-fulcio-rekor-valid/signature-1")
	keyRekor := readSigstoreSig(t, "dir-img-cosign-key-rekor-valid/signature-1")
	tests := []struct {
		name      string
		keys      []string
		set       []byte
		keyOrCert []byte
		sig       string
		payload   []byte
		wantTime  int64
		wantIndex int64
		wantKey   int
	}{
		{"standalone SET (internal/testdata)", []string{"rekor.pub"}, readFixture(t, "rekor-set"), readFixture(t, "fulcio-cert"),
			string(readFixture(t, "rekor-sig")), readFixture(t, "rekor-payload"), 1670870899, 8949589, 0},
		{"fulcio-rekor-valid", []string{"rekor.pub"}, []byte(fulcio.Annotations[annBundle]), []byte(fulcio.Annotations[annCertificate]),
			fulcio.Annotations[annSignature], fulcio.Payload, 1674247893, 11605770, 0},
		{"key-rekor-valid with cosign2.pub", []string{"rekor.pub"}, []byte(keyRekor.Annotations[annBundle]), readFixture(t, "cosign2.pub"),
			keyRekor.Annotations[annSignature], keyRekor.Payload, 1674251859, 11608800, 0},
		{"second of several Rekor keys", []string{"cosign.pub", "rekor.pub"}, []byte(keyRekor.Annotations[annBundle]), readFixture(t, "cosign2.pub"),
			keyRekor.Annotations[annSignature], keyRekor.Payload, 1674251859, 11608800, 1},
		{"certificate with leading garbage", []string{"rekor.pub"}, []byte(fulcio.Annotations[annBundle]), append([]byte("garbage\n"), fulcio.Annotations[annCertificate]...),
			fulcio.Annotations[annSignature], fulcio.Payload, 1674247893, 11605770, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, err := mustKeys(t, tt.keys...).VerifySET(tt.set, tt.keyOrCert, tt.sig, tt.payload)
			if err != nil {
				t.Fatalf("VerifySET: %v", err)
			}
			if !e.IntegratedTime.Equal(time.Unix(tt.wantTime, 0)) || e.LogIndex != tt.wantIndex || e.KeyIndex != tt.wantKey {
				t.Errorf("got %+v, want time %d index %d key %d", e, tt.wantTime, tt.wantIndex, tt.wantKey)
			}
			if !e.LogIDMatchesKey || e.LogID != "c0d23d6ad406973f9559f3ba2d1ca01f84147d8ffc5b8445c224f98b9591801d" {
				t.Errorf("log ID %q, matches key %v", e.LogID, e.LogIDMatchesKey)
			}
		})
	}
}

// TestVerifySETFixtureMutations covers research §6 (rows 27, 29, 38 and the mutation table) and
// corruption probes of the real fixture.
func TestVerifySETFixtureMutations(t *testing.T) {
	sig := readSigstoreSig(t, "dir-img-cosign-fulcio-rekor-valid/signature-1")
	set := sig.Annotations[annBundle]
	cert := sig.Annotations[annCertificate]
	b64 := sig.Annotations[annSignature]

	var bundle struct {
		SignedEntryTimestamp string
		Payload              map[string]any
	}
	if err := json.Unmarshal([]byte(set), &bundle); err != nil {
		t.Fatal(err)
	}
	rawPayload, _ := json.Marshal(bundle.Payload)
	reformatted := `{"Payload": {"logIndex": 11605770, "logID": "` + bundle.Payload["logID"].(string) + `", "integratedTime": 1.674247893e9,` +
		"\n\t" + `"body": "` + bundle.Payload["body"].(string) + `"}, "SignedEntryTimestamp": "` + bundle.SignedEntryTimestamp + `"}`

	tests := []struct {
		name      string
		keys      []string
		set       string
		keyOrCert string
		sig       string
		payload   []byte
		wantErr   error  // nil: accepted
		wantMsg   string // exact message, if not ""
	}{
		{"reformatted payload (JCS)", []string{"rekor.pub"}, reformatted, cert, b64, sig.Payload, nil, ""},
		{"re-marshalled payload", []string{"rekor.pub"}, `{"SignedEntryTimestamp":"` + bundle.SignedEntryTimestamp + `","Payload":` + string(rawPayload) + `}`, cert, b64, sig.Payload, nil, ""},
		{"certificate + extra newline", []string{"rekor.pub"}, set, cert + "\n", b64, sig.Payload, ErrInput,
			"public key or cert to be matched against publicKey in Rekor SET has trailing data"},
		{"certificate not PEM", []string{"rekor.pub"}, set, "garbage", b64, sig.Payload, ErrInput,
			"public key or cert to be matched against publicKey in Rekor SET is not in PEM format"},
		{"extra bundle key", []string{"rekor.pub"}, strings.Replace(set, `{`, `{"Extra":1,`, 1), cert, b64, sig.Payload, ErrSETFormat, `Unknown key "Extra"`},
		{"duplicate bundle key", []string{"rekor.pub"}, strings.Replace(set, `{`, `{"Payload":{},`, 1), cert, b64, sig.Payload, ErrSETFormat, `Duplicate key "Payload"`},
		{"missing Payload", []string{"rekor.pub"}, `{"SignedEntryTimestamp":"` + bundle.SignedEntryTimestamp + `"}`, cert, b64, sig.Payload, ErrSETFormat, `Key "Payload" missing in a JSON object`},
		{"trailing data after bundle", []string{"rekor.pub"}, set + "x", cert, b64, sig.Payload, ErrSETFormat, ""},
		{"bundle is an array", []string{"rekor.pub"}, "[]", cert, b64, sig.Payload, ErrSETFormat, ""},
		{"empty bundle", []string{"rekor.pub"}, "", cert, b64, sig.Payload, ErrSETFormat, ""},
		{"SET not base64", []string{"rekor.pub"}, strings.Replace(set, bundle.SignedEntryTimestamp, "!!", 1), cert, b64, sig.Payload, ErrSETFormat, ""},
		{"wrong Rekor key (row 38)", []string{"cosign.pub"}, set, cert, b64, sig.Payload, ErrSETSignature, "cryptographic signature verification of Rekor SET failed"},
		{"signature without padding", []string{"rekor.pub"}, set, cert, strings.TrimRight(b64, "="), sig.Payload, ErrInput, "decoding signature base64: illegal base64 data at input byte 92"},
		{"signature with CRLF is fine", []string{"rekor.pub"}, set, cert, b64[:40] + "\r\n" + b64[40:], sig.Payload, nil, ""},
		{"other signature", []string{"rekor.pub"}, set, cert, string(readFixture(t, "rekor-sig")), sig.Payload, ErrBodyMismatch, "signature in Rekor SET does not match"},
		{"other payload", []string{"rekor.pub"}, set, cert, b64, append(bytes.Clone(sig.Payload), ' '), ErrBodyMismatch, "payload in Rekor SET does not match"},
		{"other certificate", []string{"rekor.pub"}, set, string(readFixture(t, "fulcio-cert")), b64, sig.Payload, ErrBodyMismatch, "publicKey in Rekor SET does not match"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := mustKeys(t, tt.keys...).VerifySET([]byte(tt.set), []byte(tt.keyOrCert), tt.sig, tt.payload)
			checkErr(t, err, tt.wantErr, tt.wantMsg)
		})
	}

	t.Run("key-rekor with cosign.pub (row 27)", func(t *testing.T) {
		s := readSigstoreSig(t, "dir-img-cosign-key-rekor-valid/signature-1")
		_, err := mustKeys(t, "rekor.pub").VerifySET([]byte(s.Annotations[annBundle]), readFixture(t, "cosign.pub"), s.Annotations[annSignature], s.Payload)
		checkErr(t, err, ErrBodyMismatch, "publicKey in Rekor SET does not match")
		var m *BodyMismatchError
		if !errors.As(err, &m) || m.Field != FieldPublicKey || m.Expected == m.Actual {
			t.Errorf("want *BodyMismatchError on publicKey with both values, got %#v", err)
		}
	})
}

// TestVerifySETCorruption flips every byte of the SET signature and of the payload JSON in turn;
// each corruption must be denied.
func TestVerifySETCorruption(t *testing.T) {
	sig := readSigstoreSig(t, "dir-img-cosign-fulcio-rekor-valid/signature-1")
	keys := mustKeys(t, "rekor.pub")
	var bundle struct {
		SignedEntryTimestamp []byte
		Payload              json.RawMessage
	}
	if err := json.Unmarshal([]byte(sig.Annotations[annBundle]), &bundle); err != nil {
		t.Fatal(err)
	}
	verify := func(setSig []byte, payload json.RawMessage) error {
		b, err := json.Marshal(map[string]any{"SignedEntryTimestamp": setSig, "Payload": payload})
		if err != nil {
			return err
		}
		_, err = keys.VerifySET(b, []byte(sig.Annotations[annCertificate]), sig.Annotations[annSignature], sig.Payload)
		return err
	}
	if err := verify(bundle.SignedEntryTimestamp, bundle.Payload); err != nil {
		t.Fatalf("unmodified: %v", err)
	}
	t.Run("SET signature bytes", func(t *testing.T) {
		for i := range bundle.SignedEntryTimestamp {
			s := bytes.Clone(bundle.SignedEntryTimestamp)
			s[i] ^= 0x01
			if err := verify(s, bundle.Payload); err == nil {
				t.Errorf("flipping SET byte %d accepted", i)
			}
		}
	})
	t.Run("SET payload bytes", func(t *testing.T) {
		accepted := 0
		for i := range bundle.Payload {
			p := bytes.Clone(bundle.Payload)
			p[i] ^= 0x01
			if !json.Valid(p) {
				continue // also denied, but not interesting
			}
			if err := verify(bundle.SignedEntryTimestamp, p); err == nil {
				// A flip that changes only insignificant whitespace is not a change of content.
				if canon(t, p) != canon(t, bundle.Payload) {
					t.Errorf("flipping payload byte %d accepted", i)
				}
				accepted++
			}
		}
		t.Logf("%d whitespace-only flips accepted", accepted)
	})
	t.Run("certificate bytes", func(t *testing.T) {
		certPEM := []byte(sig.Annotations[annCertificate])
		for i := range certPEM {
			c := bytes.Clone(certPEM)
			c[i] ^= 0x01
			_, err := keys.VerifySET([]byte(sig.Annotations[annBundle]), c, sig.Annotations[annSignature], sig.Payload)
			if err == nil {
				// Base64 flips that decode to the same DER (e.g. case of the PEM type) are benign only
				// if the DER is unchanged.
				t.Errorf("flipping certificate byte %d (%q) accepted", i, certPEM[i])
			}
		}
	})
}

func canon(t *testing.T, raw []byte) string {
	t.Helper()
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(v)
	return string(b)
}

func checkErr(t *testing.T, err, want error, wantMsg string) {
	t.Helper()
	switch {
	case want == nil && err != nil:
		t.Fatalf("unexpected error: %v", err)
	case want == nil:
		return
	case err == nil:
		t.Fatalf("accepted, want %v", want)
	case !errors.Is(err, want):
		t.Fatalf("error %q (%T) is not %v", err, err, want)
	case wantMsg != "" && err.Error() != wantMsg:
		t.Fatalf("message %q, want %q", err.Error(), wantMsg)
	}
}

func TestNewKeys(t *testing.T) {
	tests := []struct {
		name    string
		pems    [][]byte
		wantErr error
		wantMsg string
	}{
		{"rekor.pub", [][]byte{readFixture(t, "rekor.pub")}, nil, ""},
		{"two ECDSA keys", [][]byte{readFixture(t, "rekor.pub"), readFixture(t, "cosign.pub")}, nil, ""},
		{"RSA key (row 30)", [][]byte{readFixture(t, "some-rsa-key.pub")}, ErrKeys, "Rekor public key 1 is not using ECDSA"},
		{"RSA second", [][]byte{readFixture(t, "rekor.pub"), readFixture(t, "some-rsa-key.pub")}, ErrKeys, "Rekor public key 2 is not using ECDSA"},
		{"empty PEM", [][]byte{nil}, ErrKeys, "parsing Rekor public key 1: PEM decoding failed"},
		{"certificate PEM", [][]byte{readFixture(t, "fulcio_v1.crt.pem")}, ErrKeys, ""},
		{"no keys", nil, ErrKeys, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			k, err := NewKeys(tt.pems)
			checkErr(t, err, tt.wantErr, tt.wantMsg)
			if err == nil && k.Len() != len(tt.pems) {
				t.Errorf("Len %d, want %d", k.Len(), len(tt.pems))
			}
		})
	}
}

// TestVerifySETSynthesised covers the body rules with a private Rekor key.
func TestVerifySETSynthesised(t *testing.T) {
	tests := []struct {
		name    string
		mutate  func(t *testing.T, s *synth) (set []byte, keyOrCert []byte)
		wantErr error
		wantMsg string
	}{
		{"valid", nil, nil, ""},
		{"arbitrary logID is not checked", func(t *testing.T, s *synth) ([]byte, []byte) {
			s.setPayload["logID"] = "x"
			return s.bundle(t), s.keyPEM
		}, nil, ""},
		{"uppercase hash hex", func(t *testing.T, s *synth) ([]byte, []byte) {
			h := s.spec()["data"].(map[string]any)["hash"].(map[string]any)
			h["value"] = strings.ToUpper(h["value"].(string))
			return s.bundle(t), s.keyPEM
		}, nil, ""},
		{"body keys in other case, unknown keys (lenient)", func(t *testing.T, s *synth) ([]byte, []byte) {
			s.body["KIND"] = s.body["kind"]
			delete(s.body, "kind")
			s.body["extra"] = true
			s.spec()["Signature"] = s.spec()["signature"]
			delete(s.spec(), "signature")
			return s.bundle(t), s.keyPEM
		}, nil, ""},
		{"key PEM type and headers not compared", func(t *testing.T, s *synth) ([]byte, []byte) {
			block, _ := pem.Decode(s.keyPEM)
			return s.bundle(t), pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Headers: map[string]string{"X-Header": "y"}, Bytes: block.Bytes})
		}, nil, ""},
		{"kind rekord", func(t *testing.T, s *synth) ([]byte, []byte) {
			s.body["kind"] = "rekord"
			return s.bundle(t), s.keyPEM
		}, ErrBodyFormat, `decoding the body of a Rekor SET payload: invalid kind value: "rekord"`},
		{"kind differs in case", func(t *testing.T, s *synth) ([]byte, []byte) {
			s.body["kind"] = "HashedRekord"
			return s.bundle(t), s.keyPEM
		}, ErrBodyFormat, ""},
		{"apiVersion 0.0.2", func(t *testing.T, s *synth) ([]byte, []byte) {
			s.body["apiVersion"] = "0.0.2"
			return s.bundle(t), s.keyPEM
		}, ErrBodyFormat, ""},
		{"apiVersion missing", func(t *testing.T, s *synth) ([]byte, []byte) {
			delete(s.body, "apiVersion")
			return s.bundle(t), s.keyPEM
		}, ErrBodyFormat, "missing Rekor SET Payload API version"},
		{"spec missing", func(t *testing.T, s *synth) ([]byte, []byte) {
			delete(s.body, "spec")
			return s.bundle(t), s.keyPEM
		}, ErrBodyFormat, ""},
		{"signature missing", func(t *testing.T, s *synth) ([]byte, []byte) {
			delete(s.spec(), "signature")
			return s.bundle(t), s.keyPEM
		}, ErrBodyFormat, `Missing "signature" field in hashedrekord`},
		{"publicKey missing", func(t *testing.T, s *synth) ([]byte, []byte) {
			delete(s.spec()["signature"].(map[string]any), "publicKey")
			return s.bundle(t), s.keyPEM
		}, ErrBodyFormat, `Missing "signature.publicKey" field in hashedrekord`},
		{"logged key with trailing data", func(t *testing.T, s *synth) ([]byte, []byte) {
			s.spec()["signature"].(map[string]any)["publicKey"] = map[string]any{"content": append(bytes.Clone(s.keyPEM), '\n')}
			return s.bundle(t), s.keyPEM
		}, ErrBodyFormat, "publicKey in Rekor SET has trailing data"},
		{"logged key not PEM", func(t *testing.T, s *synth) ([]byte, []byte) {
			s.spec()["signature"].(map[string]any)["publicKey"] = map[string]any{"content": []byte("nope")}
			return s.bundle(t), s.keyPEM
		}, ErrBodyFormat, "publicKey in Rekor SET is not in PEM format"},
		{"other signing key", func(t *testing.T, s *synth) ([]byte, []byte) {
			return s.bundle(t), publicPEM(t, s.rekorKey)
		}, ErrBodyMismatch, "publicKey in Rekor SET does not match"},
		{"signature content differs", func(t *testing.T, s *synth) ([]byte, []byte) {
			s.spec()["signature"].(map[string]any)["content"] = []byte("other")
			return s.bundle(t), s.keyPEM
		}, ErrBodyMismatch, "signature in Rekor SET does not match"},
		{"data missing", func(t *testing.T, s *synth) ([]byte, []byte) {
			delete(s.spec(), "data")
			return s.bundle(t), s.keyPEM
		}, ErrBodyFormat, `Missing "data" field in hashedrekord`},
		{"sha512 algorithm", func(t *testing.T, s *synth) ([]byte, []byte) {
			s.spec()["data"].(map[string]any)["hash"].(map[string]any)["algorithm"] = "sha512"
			return s.bundle(t), s.keyPEM
		}, ErrBodyFormat, `Unexpected "data.hash.algorithm" value "sha512"`},
		{"hash not hex", func(t *testing.T, s *synth) ([]byte, []byte) {
			s.spec()["data"].(map[string]any)["hash"].(map[string]any)["value"] = "xyz"
			return s.bundle(t), s.keyPEM
		}, ErrBodyFormat, ""},
		{"hash value missing", func(t *testing.T, s *synth) ([]byte, []byte) {
			delete(s.spec()["data"].(map[string]any)["hash"].(map[string]any), "value")
			return s.bundle(t), s.keyPEM
		}, ErrBodyFormat, `Missing "data.hash.value" field in hashedrekord`},
		{"hash of other payload", func(t *testing.T, s *synth) ([]byte, []byte) {
			s.spec()["data"].(map[string]any)["hash"].(map[string]any)["value"] = strings.Repeat("ab", 32)
			return s.bundle(t), s.keyPEM
		}, ErrBodyMismatch, "payload in Rekor SET does not match"},
		{"extra SET payload key", func(t *testing.T, s *synth) ([]byte, []byte) {
			s.setPayload["extra"] = 1
			return s.bundle(t), s.keyPEM
		}, ErrSETFormat, `parsing Rekor SET payload: Unknown key "extra"`},
		{"SET payload without logID", func(t *testing.T, s *synth) ([]byte, []byte) {
			delete(s.setPayload, "logID")
			return s.bundle(t), s.keyPEM
		}, ErrSETFormat, `parsing Rekor SET payload: Key "logID" missing in a JSON object`},
		{"non-integral integratedTime", func(t *testing.T, s *synth) ([]byte, []byte) {
			s.setPayload["integratedTime"] = 1.5
			return s.bundle(t), s.keyPEM
		}, ErrSETFormat, ""},
		{"body not base64 string", func(t *testing.T, s *synth) ([]byte, []byte) {
			s.setPayload["body"] = 7
			return s.bundle(t), s.keyPEM
		}, ErrSETFormat, ""},
		{"body not JSON", func(t *testing.T, s *synth) ([]byte, []byte) {
			s.setPayload["body"] = []byte("not json")
			return s.bundle(t), s.keyPEM
		}, ErrBodyFormat, ""},
		{"duplicate key in SET payload", func(t *testing.T, s *synth) ([]byte, []byte) {
			return s.bundleFromRaw(t, []byte(`{"body":"e30=","integratedTime":1,"logID":"x","logID":"y","logIndex":1}`)), s.keyPEM
		}, ErrSETFormat, ""},
		{"P1363 SET signature (ASN.1 only)", func(t *testing.T, s *synth) ([]byte, []byte) {
			b := s.bundle(t)
			var m map[string]json.RawMessage
			_ = json.Unmarshal(b, &m)
			var der []byte
			_ = json.Unmarshal(m["SignedEntryTimestamp"], &der)
			raw := p1363(t, der)
			m["SignedEntryTimestamp"], _ = json.Marshal(raw)
			b, _ = json.Marshal(m)
			return b, s.keyPEM
		}, ErrSETSignature, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newSynth(t)
			set, keyOrCert := s.bundle(t), s.keyPEM
			if tt.mutate != nil {
				set, keyOrCert = tt.mutate(t, s)
			}
			e, err := s.keys(t).VerifySET(set, keyOrCert, s.b64Sig, s.payload)
			checkErr(t, err, tt.wantErr, tt.wantMsg)
			if err == nil && e.IntegratedTime.Unix() != 1577836800 {
				t.Errorf("integrated time %v", e.IntegratedTime)
			}
		})
	}
}

// p1363 converts an ASN.1 ECDSA P-256 signature to raw r||s.
func p1363(t *testing.T, der []byte) []byte {
	t.Helper()
	var v struct{ R, S []byte }
	// Parse by hand: SEQUENCE { INTEGER r, INTEGER s }.
	rest := der[2:]
	rl := int(rest[1])
	v.R, rest = rest[2:2+rl], rest[2+rl:]
	sl := int(rest[1])
	v.S = rest[2 : 2+sl]
	out := make([]byte, 64)
	copy(out[32-len(bytes.TrimLeft(v.R, "\x00")):32], bytes.TrimLeft(v.R, "\x00"))
	copy(out[64-len(bytes.TrimLeft(v.S, "\x00")):], bytes.TrimLeft(v.S, "\x00"))
	return out
}

func TestVerifySETNilKeys(t *testing.T) {
	var k *Keys
	s := newSynth(t)
	_, err := k.VerifySET(s.bundle(t), s.keyPEM, s.b64Sig, s.payload)
	checkErr(t, err, ErrSETSignature, "")
}
