package policy

import (
	"github.com/containers/image/v5/docker/reference"
)

// identity parses a signedIdentity (or baseLayerIdentity) value at the current position.
func (d *decoder) identity() (SignedIdentity, error) {
	switch d.ws() {
	case '{':
	case 'n':
		return nil, d.errAt(d.pos, ErrUnknownIdentityType, `unknown signedIdentity type "" (null)`)
	default:
		return nil, d.typeErr("signedIdentity object")
	}
	typ, typPos, err := d.lenientType()
	if err != nil {
		return nil, err
	}
	// The keys each identity type allows besides "type".
	var extra []string
	switch IdentityType(typ) {
	case TypeMatchExact, TypeMatchRepoDigestOrExact, TypeMatchRepository:
	case TypeExactReference:
		extra = []string{"dockerReference"}
	case TypeExactRepository:
		extra = []string{"dockerRepository"}
	case TypeRemapIdentity:
		extra = []string{"prefix", "signedPrefix"}
	default:
		return nil, d.fieldErr("type", typPos, ErrUnknownIdentityType, "unknown signedIdentity type "+quote(typ))
	}

	objPos := d.pos
	var gotType bool
	var gotTyp string
	values := make([]string, len(extra))
	valuePos := []int{-1, -1}
	n := len(d.errs)
	err = d.object(func(key string, keyPos, valPos int) error {
		if key == "type" {
			d.pushField(key)
			defer d.pop()
			gotType = true
			var err error
			gotTyp, err = d.str()
			return err
		}
		for i, k := range extra {
			if key == k {
				d.pushField(key)
				defer d.pop()
				valuePos[i] = valPos
				var err error
				values[i], err = d.str()
				return err
			}
		}
		return d.unknownKey(key, keyPos)
	})
	if err != nil || len(d.errs) > n {
		return nil, err
	}
	for i, k := range extra {
		if valuePos[i] < 0 {
			return nil, d.errAt(objPos, ErrMissingKey, "key "+quote(k)+" is missing")
		}
	}
	if err := d.checkType(objPos, gotType, gotTyp, typ); err != nil {
		return nil, err
	}

	switch IdentityType(typ) {
	case TypeMatchExact:
		return MatchExact{}, nil
	case TypeMatchRepoDigestOrExact:
		return MatchRepoDigestOrExact{}, nil
	case TypeMatchRepository:
		return MatchRepository{}, nil
	case TypeExactReference:
		ref, err := reference.ParseNormalizedNamed(values[0])
		if err != nil {
			return nil, d.fieldErr(extra[0], valuePos[0], ErrInvalidValue, "invalid dockerReference "+quote(values[0])+": "+err.Error())
		}
		if reference.IsNameOnly(ref) {
			return nil, d.fieldErr(extra[0], valuePos[0], ErrInvalidValue, "dockerReference "+quote(values[0])+" contains neither a tag nor a digest")
		}
		return ExactReference{DockerReference: values[0]}, nil
	case TypeExactRepository:
		if _, err := reference.ParseNormalizedNamed(values[0]); err != nil {
			return nil, d.fieldErr(extra[0], valuePos[0], ErrInvalidValue, "invalid dockerRepository "+quote(values[0])+": "+err.Error())
		}
		return ExactRepository{DockerRepository: values[0]}, nil
	default: // TypeRemapIdentity
		for i, k := range extra {
			if !validRemapPrefix(values[i]) {
				return nil, d.fieldErr(k, valuePos[i], ErrInvalidValue, k+" "+quote(values[i])+" is not valid: want host[:port] or host[:port]/repository")
			}
		}
		return RemapIdentity{Prefix: values[0], SignedPrefix: values[1]}, nil
	}
}
