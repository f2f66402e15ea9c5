package policy

import (
	"encoding/base64"
	"strconv"
)

// The readers below decode one value at the current position with exactly encoding/json's
// acceptance rules for the Go type containers/image decodes that field into.

// str decodes a Go string field: a JSON string, or null (which leaves the field "" in
// containers/image). Anything else is a type error.
func (d *decoder) str() (string, error) {
	switch d.ws() {
	case '"':
		return d.readString(), nil
	case 'n':
		d.readLiteral()
		return "", nil
	}
	return "", d.typeErr("string")
}

// strList decodes a []string field: null gives nil, [] a non-nil empty slice, and elements are
// strings or null (""), like encoding/json.
func (d *decoder) strList() ([]string, error) {
	switch d.ws() {
	case 'n':
		d.readLiteral()
		return nil, nil
	case '[':
	default:
		return nil, d.typeErr("array of strings")
	}
	res := []string{}
	err := d.array(func(i, _ int) error {
		d.pushIndex(i)
		defer d.pop()
		s, err := d.str()
		res = append(res, s)
		return err
	})
	return res, err
}

// bytes decodes a []byte field. encoding/json accepts null (nil), a standard base64 string with
// padding (\r and \n ignored; "" gives a non-nil empty slice) and also an array of integers 0–255.
func (d *decoder) bytes() ([]byte, error) {
	switch d.ws() {
	case 'n':
		d.readLiteral()
		return nil, nil
	case '"':
		start := d.pos
		s := d.readString()
		b := make([]byte, base64.StdEncoding.DecodedLen(len(s)))
		n, err := base64.StdEncoding.Decode(b, []byte(s))
		if err != nil {
			return nil, d.errAt(start, ErrInvalidValue, "invalid base64 data: "+err.Error())
		}
		return b[:n], nil
	case '[':
	default:
		return nil, d.typeErr("base64 string")
	}
	res := []byte{}
	err := d.array(func(i, _ int) error {
		d.pushIndex(i)
		defer d.pop()
		switch d.ws() {
		case 'n':
			d.readLiteral()
			res = append(res, 0)
			return nil
		case '"', '{', '[', 't', 'f':
			return d.typeErr("byte value")
		}
		start := d.pos
		lit := d.readLiteral()
		v, err := strconv.ParseUint(string(lit), 10, 8)
		if err != nil {
			return d.errAt(start, ErrType, "byte value expected, got number "+string(lit))
		}
		res = append(res, byte(v))
		return nil
	})
	return res, err
}

// bytesList decodes a [][]byte field: null gives nil, and elements follow bytes.
func (d *decoder) bytesList() ([][]byte, error) {
	switch d.ws() {
	case 'n':
		d.readLiteral()
		return nil, nil
	case '[':
	default:
		return nil, d.typeErr("array of base64 strings")
	}
	res := [][]byte{}
	err := d.array(func(i, _ int) error {
		d.pushIndex(i)
		defer d.pop()
		b, err := d.bytes()
		res = append(res, b)
		return err
	})
	return res, err
}
