package signature

import (
	"bytes"
	"testing"
)

func TestSigstoreRoundTrip(t *testing.T) {
	tests := []struct {
		name        string
		mimeType    string
		payload     []byte
		annotations map[string]string
		want        string
	}{
		{"empty", "", nil, nil, `{"mimeType":"","payload":null,"annotations":null}`},
		{"full", "m", []byte("p"), map[string]string{"k": "v"}, `{"mimeType":"m","payload":"cA==","annotations":{"k":"v"}}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := EncodeSigstore(tt.mimeType, tt.payload, tt.annotations)
			if string(got) != tt.want {
				t.Fatalf("EncodeSigstore = %s, want %s", got, tt.want)
			}
			m, p, a, err := DecodeSigstore(got)
			if err != nil || m != tt.mimeType || !bytes.Equal(p, tt.payload) || len(a) != len(tt.annotations) {
				t.Errorf("DecodeSigstore = %q %q %v %v", m, p, a, err)
			}
		})
	}
	if _, _, _, err := DecodeSigstore([]byte(`"x"`)); err == nil || err.Error() != "json: cannot unmarshal string into Go value of type signature.sigstoreJSONRepresentation" {
		t.Errorf("type error text = %v", err)
	}
}
