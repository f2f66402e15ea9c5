package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"

	"github.com/sigpolicy/sigpolicy/source"
)

// allCases builds every case, in output order.
func allCases(e *env) ([]Case, error) {
	var out []Case
	for _, group := range []func() ([]Case, error){e.keyCases, e.rekorCases, e.fulcioCases, e.pkiCases, e.miscCases} {
		cs, err := group()
		if err != nil {
			return nil, err
		}
		out = append(out, cs...)
	}
	seen := map[string]bool{"keys": true}
	for _, c := range out {
		if seen[c.Name] {
			return nil, fmt.Errorf("duplicate case name %q", c.Name)
		}
		seen[c.Name] = true
	}
	return out, nil
}

// generate replaces dir with the complete fixture tree.
func generate(dir string) error {
	e, err := newEnv()
	if err != nil {
		return err
	}
	cases, err := allCases(e)
	if err != nil {
		return err
	}
	if err := os.RemoveAll(dir); err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Join(dir, "keys"), 0o755); err != nil {
		return err
	}
	keyFiles := e.keyFiles()
	names := make([]string, 0, len(keyFiles))
	for n := range keyFiles {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		if err := os.WriteFile(filepath.Join(dir, "keys", n), keyFiles[n], 0o644); err != nil {
			return err
		}
	}
	for _, c := range cases {
		if err := source.WriteDir(filepath.Join(dir, c.Dir), c.manifest, c.signatures); err != nil {
			return fmt.Errorf("%s: %w", c.Name, err)
		}
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(cases); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "cases.json"), buf.Bytes(), 0o644); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, "README.md"), readme(cases, names), 0o644)
}
