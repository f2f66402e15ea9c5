package plainjson

import "testing"

func TestScannerSubset(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want bool
	}{
		{`{"a":"x","b":12,"c":null,"d":true,"e":false}`, true},
		{` { "a" : "x" } `, true},
		{`{}`, true},
		{`{"a":"x","a":"y"}`, false},      // duplicate key
		{`{"a":"\u0078"}`, false},         // escape
		{`{"a":"é"}`, false},              // non-ASCII
		{`{"a":1.5}`, false},              // fraction
		{`{"a":1e3}`, false},              // exponent
		{`{"a":012}`, false},              // leading zero
		{`{"a":1234567890123456}`, false}, // 16 digits
		{`{"a":[1]}`, false},              // array
		{`{"a":"x",}`, false},             // trailing comma
		{`{"a":"x"} x`, false},            // trailing data
	} {
		s := New([]byte(tc.in))
		ok := s.Object(func(string) bool {
			if _, ok := s.String(); ok {
				return true
			}
			if _, ok := s.Integer(); ok {
				return true
			}
			return s.Literal("null") || s.Literal("true") || s.Literal("false")
		}) && s.End()
		if ok != tc.want {
			t.Errorf("%s: got %v, want %v", tc.in, ok, tc.want)
		}
	}
}

func TestFields(t *testing.T) {
	var a string
	var b int64
	read := func(in string) bool {
		s := New([]byte(in))
		return s.Fields(map[string]func() bool{
			"a": func() bool { var ok bool; a, ok = s.String(); return ok },
			"b": func() bool { var ok bool; b, ok = s.Integer(); return ok },
		}) && s.End()
	}
	if !read(`{"b":-7,"a":"q"}`) || a != "q" || b != -7 {
		t.Fatalf("got %q %d", a, b)
	}
	for _, in := range []string{`{"a":"q"}`, `{"a":"q","b":1,"c":2}`, `{"a":"q","b":"1"}`} {
		if read(in) {
			t.Errorf("%s accepted", in)
		}
	}
}
