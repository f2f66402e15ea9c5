package policy

import (
	"strings"
)

// lenientType reads the "type" discriminator the way containers/image first does, with plain
// encoding/json into struct{ Type string `json:"type"` }: keys match case-insensitively, the last
// one wins, null is ignored and any other non-string is a type error. It does not move the cursor.
// The strict parse that follows refuses every key that is not exactly "type", so this leniency
// never makes a document acceptable; it only decides which error is reported first.
func (d *decoder) lenientType() (typ string, typPos int, err error) {
	start := d.pos
	defer func() { d.pos = start }()
	typPos = start
	d.pos++ // '{'
	for first := true; ; first = false {
		c := d.ws()
		if c == '}' {
			return typ, typPos, err
		}
		if !first && c == ',' {
			d.pos++
			d.ws()
		}
		key := d.readString()
		d.ws()
		d.pos++ // ':'
		if !strings.EqualFold(key, "type") {
			d.skipValue()
			continue
		}
		switch d.ws() {
		case '"':
			typPos = d.pos
			typ = d.readString()
		case 'n':
			d.readLiteral()
		default:
			if err == nil {
				d.pushField(key)
				err = d.typeErr("string")
				d.pop()
			}
			d.skipValue()
		}
	}
}

// fieldErr reports a problem with the field key whose value starts at pos.
func (d *decoder) fieldErr(key string, pos int, sentinel error, msg string) error {
	d.pushField(key)
	defer d.pop()
	return d.errAt(pos, sentinel, msg)
}

// requirement parses one element of a requirement list.
func (d *decoder) requirement() (Requirement, error) {
	switch d.ws() {
	case '{':
	case 'n':
		return nil, d.errAt(d.pos, ErrUnknownRequirementType, `unknown policy requirement type "" (null)`)
	default:
		return nil, d.typeErr("requirement object")
	}
	typ, typPos, err := d.lenientType()
	if err != nil {
		return nil, err
	}
	switch RequirementType(typ) {
	case TypeInsecureAcceptAnything:
		if err := d.typeOnly(typ); err != nil {
			return nil, err
		}
		return &InsecureAcceptAnything{}, nil
	case TypeReject:
		if err := d.typeOnly(typ); err != nil {
			return nil, err
		}
		return &Reject{}, nil
	case TypeSignedBy:
		return d.signedBy()
	case TypeSignedBaseLayer:
		return d.signedBaseLayer()
	case TypeSigstoreSigned:
		return d.sigstoreSigned()
	}
	return nil, d.fieldErr("type", typPos, ErrUnknownRequirementType, "unknown policy requirement type "+quote(typ))
}

// typeOnly parses an object whose only (and required) key is "type", with value want.
func (d *decoder) typeOnly(want string) error {
	objPos := d.pos
	var typ string
	gotType := false
	n := len(d.errs)
	err := d.object(func(key string, keyPos, _ int) error {
		if key != "type" {
			return d.unknownKey(key, keyPos)
		}
		d.pushField(key)
		defer d.pop()
		gotType = true
		var err error
		typ, err = d.str()
		return err
	})
	if err != nil || len(d.errs) > n {
		return err
	}
	return d.checkType(objPos, gotType, typ, want)
}

// checkType is the check containers/image runs after the strict walk: "type" present and equal to
// the type that selected the parser. Given lenientType, a mismatch implies an unknown key was
// already reported, so this is defence in depth.
func (d *decoder) checkType(objPos int, got bool, typ, want string) error {
	if !got {
		return d.errAt(objPos, ErrMissingKey, `key "type" is missing`)
	}
	if typ != want {
		return d.errAt(objPos, ErrInvalidValue, "unexpected type "+quote(typ)+", want "+quote(want))
	}
	return nil
}

// signedBy parses a {"type":"signedBy",…} object.
func (d *decoder) signedBy() (Requirement, error) {
	objPos := d.pos
	res := &SignedBy{}
	var typ string
	var gotType, gotKeyType, gotPath, gotPaths, gotData bool
	identityPos := -1
	n := len(d.errs)
	err := d.fields(func(key string, _, valPos int) error {
		var err error
		switch key {
		case "type":
			gotType = true
			typ, err = d.str()
		case "keyType":
			gotKeyType = true
			var s string
			if s, err = d.str(); err == nil {
				if res.KeyType = KeyType(s); !res.KeyType.Valid() {
					err = d.errAt(valPos, ErrInvalidValue, "unrecognized keyType value "+quote(s))
				}
			}
		case "keyPath":
			gotPath = true
			res.KeyPath, err = d.str()
		case "keyPaths":
			gotPaths = true
			res.KeyPaths, err = d.strList()
		case "keyData":
			gotData = true
			res.KeyData, err = d.bytes()
		case "signedIdentity":
			identityPos = valPos
			d.skipValue()
		default:
			err = errUnknownField
		}
		return err
	})
	if err != nil || len(d.errs) > n {
		return nil, err
	}
	if err := d.checkType(objPos, gotType, typ, string(TypeSignedBy)); err != nil {
		return nil, err
	}
	if res.SignedIdentity, err = d.identityAt("signedIdentity", identityPos); err != nil {
		return nil, err
	}
	switch count(gotPath, gotPaths, gotData) {
	case 0:
		return nil, d.errAt(objPos, ErrConflict, "exactly one of keyPath, keyPaths and keyData must be specified, none of them present")
	case 1:
	default:
		return nil, d.errAt(objPos, ErrConflict, "exactly one of keyPath, keyPaths and keyData must be specified, more than one present")
	}
	if !gotKeyType {
		return nil, d.errAt(objPos, ErrMissingKey, `"keyType" is missing`)
	}
	if count(res.KeyPath != "", res.KeyPaths != nil, res.KeyData != nil) != 1 {
		return nil, d.errAt(objPos, ErrInvalidValue, "exactly one of keyPath, keyPaths and keyData must be specified (an empty keyPath or a null value counts as absent)")
	}
	return res, nil
}

func count(bs ...bool) int {
	n := 0
	for _, b := range bs {
		if b {
			n++
		}
	}
	return n
}

// identityAt parses the signedIdentity-like value at pos (under field key), or returns the default
// MatchRepoDigestOrExact{} when pos < 0 (key absent). The cursor is restored afterwards.
func (d *decoder) identityAt(key string, pos int) (SignedIdentity, error) {
	if pos < 0 {
		return MatchRepoDigestOrExact{}, nil
	}
	saved := d.pos
	defer func() { d.pos = saved }()
	d.pos = pos
	d.pushField(key)
	defer d.pop()
	n := len(d.errs)
	id, err := d.identity()
	if err == nil && len(d.errs) > n {
		return nil, errLinted
	}
	return id, err
}

// errLinted signals, in lint mode only, that errors were recorded and the caller should stop
// checking the current object. It never escapes the package.
var errLinted = &Error{Msg: "errors recorded", Err: ErrInvalidPolicy}

// signedBaseLayer parses a {"type":"signedBaseLayer","baseLayerIdentity":…} object.
func (d *decoder) signedBaseLayer() (Requirement, error) {
	objPos := d.pos
	var typ string
	var gotType bool
	identityPos := -1
	n := len(d.errs)
	err := d.object(func(key string, keyPos, valPos int) error {
		switch key {
		case "type":
			d.pushField(key)
			defer d.pop()
			gotType = true
			var err error
			typ, err = d.str()
			return err
		case "baseLayerIdentity":
			identityPos = valPos
			d.skipValue()
			return nil
		}
		return d.unknownKey(key, keyPos)
	})
	if err != nil || len(d.errs) > n {
		return nil, err
	}
	if identityPos < 0 {
		return nil, d.errAt(objPos, ErrMissingKey, `key "baseLayerIdentity" is missing`)
	}
	if err := d.checkType(objPos, gotType, typ, string(TypeSignedBaseLayer)); err != nil {
		return nil, err
	}
	id, err := d.identityAt("baseLayerIdentity", identityPos)
	if err != nil {
		return nil, err
	}
	return &SignedBaseLayer{BaseLayerIdentity: id}, nil
}
