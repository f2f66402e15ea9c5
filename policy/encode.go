package policy

import (
	"bytes"
	"encoding/json"
	"sort"
)

// MarshalJSON encodes p in a canonical form: keys in a fixed order (map keys sorted), absent
// fields omitted, present-but-empty values kept ("keyData":"", "keyPaths":[]), so that Parse of
// the output yields a policy equal (reflect.DeepEqual) to a parsed p. "transports" is omitted when
// p.Transports is nil and written as {} when it is empty.
func (p *Policy) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteString(`{"default":`)
	if err := writeRequirements(&b, p.Default); err != nil {
		return nil, err
	}
	if p.Transports != nil {
		b.WriteString(`,"transports":{`)
		for i, name := range sortedKeys(p.Transports) {
			if i > 0 {
				b.WriteByte(',')
			}
			writeJSON(&b, name)
			b.WriteString(":{")
			scopes := p.Transports[name]
			for j, scope := range sortedKeys(scopes) {
				if j > 0 {
					b.WriteByte(',')
				}
				writeJSON(&b, scope)
				b.WriteByte(':')
				if err := writeRequirements(&b, scopes[scope]); err != nil {
					return nil, err
				}
			}
			b.WriteByte('}')
		}
		b.WriteByte('}')
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func writeRequirements(b *bytes.Buffer, reqs Requirements) error {
	b.WriteByte('[')
	for i, r := range reqs {
		if i > 0 {
			b.WriteByte(',')
		}
		data, err := json.Marshal(r)
		if err != nil {
			return err
		}
		b.Write(data)
	}
	b.WriteByte(']')
	return nil
}

// writeJSON appends the encoding/json encoding of a value that cannot fail to encode.
func writeJSON(b *bytes.Buffer, v any) {
	data, err := json.Marshal(v)
	if err != nil {
		panic("policy: internal error: " + err.Error())
	}
	b.Write(data)
}

// object builds a JSON object with keys in insertion order.
type object struct{ b bytes.Buffer }

func newObject(typ string) *object {
	o := &object{}
	o.b.WriteString(`{"type":`)
	writeJSON(&o.b, typ)
	return o
}

func (o *object) field(key string, v any) *object {
	o.b.WriteByte(',')
	writeJSON(&o.b, key)
	o.b.WriteByte(':')
	writeJSON(&o.b, v)
	return o
}

func (o *object) str(key, v string) *object {
	if v != "" {
		o.field(key, v)
	}
	return o
}

func (o *object) bytes(key string, v []byte) *object {
	if v != nil {
		o.field(key, v)
	}
	return o
}

func (o *object) list(key string, v any, present bool) *object {
	if present {
		o.field(key, v)
	}
	return o
}

func (o *object) identity(key string, id SignedIdentity) *object {
	if id != nil {
		o.field(key, id)
	}
	return o
}

func (o *object) done() ([]byte, error) {
	o.b.WriteByte('}')
	return o.b.Bytes(), nil
}

// MarshalJSON implements json.Marshaler.
func (*InsecureAcceptAnything) MarshalJSON() ([]byte, error) {
	return newObject(string(TypeInsecureAcceptAnything)).done()
}

// MarshalJSON implements json.Marshaler.
func (*Reject) MarshalJSON() ([]byte, error) { return newObject(string(TypeReject)).done() }

// MarshalJSON implements json.Marshaler.
func (r *SignedBy) MarshalJSON() ([]byte, error) {
	return newObject(string(TypeSignedBy)).
		field("keyType", string(r.KeyType)).
		str("keyPath", r.KeyPath).
		list("keyPaths", r.KeyPaths, r.KeyPaths != nil).
		bytes("keyData", r.KeyData).
		identity("signedIdentity", r.SignedIdentity).
		done()
}

// MarshalJSON implements json.Marshaler.
func (r *SignedBaseLayer) MarshalJSON() ([]byte, error) {
	return newObject(string(TypeSignedBaseLayer)).identity("baseLayerIdentity", r.BaseLayerIdentity).done()
}

// MarshalJSON implements json.Marshaler.
func (r *SigstoreSigned) MarshalJSON() ([]byte, error) {
	o := newObject(string(TypeSigstoreSigned)).
		str("keyPath", r.KeyPath).
		list("keyPaths", r.KeyPaths, r.KeyPaths != nil).
		bytes("keyData", r.KeyData).
		list("keyDatas", r.KeyDatas, r.KeyDatas != nil)
	if r.Fulcio != nil {
		o.field("fulcio", r.Fulcio)
	}
	if r.PKI != nil {
		o.field("pki", r.PKI)
	}
	return o.str("rekorPublicKeyPath", r.RekorPublicKeyPath).
		list("rekorPublicKeyPaths", r.RekorPublicKeyPaths, r.RekorPublicKeyPaths != nil).
		bytes("rekorPublicKeyData", r.RekorPublicKeyData).
		list("rekorPublicKeyDatas", r.RekorPublicKeyDatas, r.RekorPublicKeyDatas != nil).
		identity("signedIdentity", r.SignedIdentity).
		done()
}

// MarshalJSON implements json.Marshaler.
func (f *Fulcio) MarshalJSON() ([]byte, error) {
	var o object
	o.b.WriteByte('{')
	o.str("caPath", f.CAPath).bytes("caData", f.CAData).str("oidcIssuer", f.OIDCIssuer).str("subjectEmail", f.SubjectEmail).
		str(FieldOIDCIssuerPattern, f.OIDCIssuerPattern).str(FieldSubjectURI, f.SubjectURI).str(FieldSubjectPattern, f.SubjectPattern)
	if f.CertificateExtensions != nil {
		o.field(FieldCertificateExtensions, f.CertificateExtensions) // map keys sorted by encoding/json
	}
	return trimObject(&o)
}

// MarshalJSON implements json.Marshaler.
func (p *PKI) MarshalJSON() ([]byte, error) {
	var o object
	o.b.WriteByte('{')
	o.str("caRootsPath", p.CARootsPath).bytes("caRootsData", p.CARootsData).
		str("caIntermediatesPath", p.CAIntermediatesPath).bytes("caIntermediatesData", p.CAIntermediatesData).
		str("subjectEmail", p.SubjectEmail).str("subjectHostname", p.SubjectHostname)
	return trimObject(&o)
}

// trimObject closes an object built without a leading "type" (dropping the first comma).
func trimObject(o *object) ([]byte, error) {
	o.b.WriteByte('}')
	out := o.b.Bytes()
	if len(out) > 2 && out[1] == ',' {
		out = append(out[:1], out[2:]...)
	}
	return out, nil
}

// MarshalJSON implements json.Marshaler.
func (MatchExact) MarshalJSON() ([]byte, error) { return newObject(string(TypeMatchExact)).done() }

// MarshalJSON implements json.Marshaler.
func (MatchRepoDigestOrExact) MarshalJSON() ([]byte, error) {
	return newObject(string(TypeMatchRepoDigestOrExact)).done()
}

// MarshalJSON implements json.Marshaler.
func (MatchRepository) MarshalJSON() ([]byte, error) {
	return newObject(string(TypeMatchRepository)).done()
}

// MarshalJSON implements json.Marshaler.
func (e ExactReference) MarshalJSON() ([]byte, error) {
	return newObject(string(TypeExactReference)).field("dockerReference", e.DockerReference).done()
}

// MarshalJSON implements json.Marshaler.
func (e ExactRepository) MarshalJSON() ([]byte, error) {
	return newObject(string(TypeExactRepository)).field("dockerRepository", e.DockerRepository).done()
}

// MarshalJSON implements json.Marshaler.
func (r RemapIdentity) MarshalJSON() ([]byte, error) {
	return newObject(string(TypeRemapIdentity)).field("prefix", r.Prefix).field("signedPrefix", r.SignedPrefix).done()
}
