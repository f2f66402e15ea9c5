package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/containers/image/v5/docker/reference"
	"go.yaml.in/yaml/v3"

	"github.com/sigpolicy/sigpolicy/namespace"
	"github.com/sigpolicy/sigpolicy/source"
	"github.com/sigpolicy/sigpolicy/verify"

	"github.com/sigpolicy/sigpolicy/internal/limits"
)

// maxTableSize bounds a fixture table file.
const maxTableSize = limits.MaxFixtureTableSize

// testCaseTimeout bounds the registry access of one case.
const testCaseTimeout = time.Minute

// testTable is a policy fixture table, the YAML document `sigpolicy test` runs. Paths are relative
// to the table file.
type testTable struct {
	Policy    string     `yaml:"policy"`     // the global policy file (required)
	PolicyDir string     `yaml:"policy-dir"` // per-namespace policies, <dir>/<namespace>.json
	PlainHTTP bool       `yaml:"plain-http"` // allow plain HTTP for from-registry cases
	Cases     []testCase `yaml:"cases"`
}

// testCase is one expectation: image, run in namespace, must be allowed or denied.
type testCase struct {
	Name         string `yaml:"name"`
	Image        string `yaml:"image"`         // docker reference (required)
	Namespace    string `yaml:"namespace"`     // "" means the global policy
	FromDir      string `yaml:"from-dir"`      // a containers dir: layout holding the image
	FromRegistry bool   `yaml:"from-registry"` // read the image from its registry instead
	Expect       string `yaml:"expect"`        // "allow" or "deny" (required)
	Reason       string `yaml:"reason"`        // a substring the explanation must contain

	line int // where the case starts in the table file
}

// tableError is a problem of the table itself (not of a case's outcome), with its position.
type tableError struct {
	file string
	line int
	msg  string
}

func (e *tableError) Error() string {
	if e.line > 0 {
		return fmt.Sprintf("%s:%d: %s", e.file, e.line, e.msg)
	}
	return fmt.Sprintf("%s: %s", e.file, e.msg)
}

// loadTable reads and strictly decodes a fixture table: unknown fields, duplicate keys, wrong
// types and more than one document are errors carrying the line.
func loadTable(path string) (*testTable, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxTableSize+1))
	if err != nil {
		return nil, err
	}
	if len(data) > maxTableSize {
		return nil, &tableError{file: path, msg: fmt.Sprintf("larger than %d bytes", maxTableSize)}
	}
	var t testTable
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&t); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, &tableError{file: path, msg: "empty document"}
		}
		return nil, &tableError{file: path, msg: strings.TrimPrefix(err.Error(), "yaml: ")}
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); !errors.Is(err, io.EOF) {
		return nil, &tableError{file: path, line: extra.Line, msg: "more than one YAML document"}
	}
	// A second pass over the node tree gives each case its line.
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, &tableError{file: path, msg: err.Error()}
	}
	if lines := caseLines(&root); len(lines) == len(t.Cases) {
		for i := range t.Cases {
			t.Cases[i].line = lines[i]
		}
	}
	if err := t.validate(path); err != nil {
		return nil, err
	}
	return &t, nil
}

// caseLines returns the line of each element of the top-level "cases" sequence.
func caseLines(root *yaml.Node) []int {
	if root.Kind != yaml.DocumentNode || len(root.Content) != 1 || root.Content[0].Kind != yaml.MappingNode {
		return nil
	}
	m := root.Content[0].Content
	for i := 0; i+1 < len(m); i += 2 {
		if m[i].Value == "cases" {
			var lines []int
			for _, c := range m[i+1].Content {
				lines = append(lines, c.Line)
			}
			return lines
		}
	}
	return nil
}

// validate checks what decoding cannot: required fields, allowed values, exclusive fields.
func (t *testTable) validate(path string) error {
	if t.Policy == "" {
		return &tableError{file: path, msg: `"policy" is required`}
	}
	if len(t.Cases) == 0 {
		return &tableError{file: path, msg: `"cases" is empty`}
	}
	for i := range t.Cases {
		c := &t.Cases[i]
		bad := func(format string, args ...any) error {
			return &tableError{file: path, line: c.line, msg: fmt.Sprintf("case %d: ", i+1) + fmt.Sprintf(format, args...)}
		}
		switch {
		case c.Image == "":
			return bad(`"image" is required`)
		case c.Expect != "allow" && c.Expect != "deny":
			return bad(`"expect" must be "allow" or "deny", not %q`, c.Expect)
		case (c.FromDir == "") == !c.FromRegistry:
			return bad(`exactly one of "from-dir" and "from-registry: true" is required`)
		}
		if _, err := reference.ParseNormalizedNamed(c.Image); err != nil {
			return bad("invalid image reference %q: %v", c.Image, err)
		}
		if c.Name == "" {
			c.Name = fmt.Sprintf("%s in namespace %q", c.Image, c.Namespace)
		}
	}
	return nil
}

// caseOutcome is what a case produced.
type caseOutcome struct {
	allowed     bool
	explanation string // the decision's explanation, or the error that denied
}

// runCase evaluates one case. Errors (an unusable policy, a refused namespace name, an unreadable
// image) deny, as they would in a runtime; the explanation then is the error.
func runCase(ctx context.Context, r *namespace.Resolver, base string, plainHTTP bool, c testCase) caseOutcome {
	deny := func(err error) caseOutcome { return caseOutcome{explanation: "error: " + err.Error()} }
	res, err := r.Resolve(c.Namespace)
	if err != nil {
		return deny(err)
	}
	var img verify.Image
	if c.FromDir != "" {
		ref, err := reference.ParseNormalizedNamed(c.Image)
		if err != nil {
			return deny(err)
		}
		img = verify.Image{Reference: ref, Source: source.NewDir(relativeTo(base, c.FromDir))}
	} else {
		ctx, cancel := context.WithTimeout(ctx, testCaseTimeout)
		defer cancel()
		var opts []source.RegistryOption
		if plainHTTP {
			opts = append(opts, source.WithPlainHTTP())
		}
		reg, err := source.NewRegistry(ctx, c.Image, opts...)
		if err != nil {
			return deny(err)
		}
		img = verify.Image{Reference: reg.EvaluationReference(), Source: reg}
		d, err := res.Evaluator.Evaluate(ctx, img)
		return outcomeOf(d, err)
	}
	return outcomeOf(res.Evaluator.Evaluate(ctx, img))
}

func outcomeOf(d *verify.Decision, err error) caseOutcome {
	if err != nil {
		return caseOutcome{explanation: "error: " + err.Error()}
	}
	out := caseOutcome{allowed: d.Allowed, explanation: d.Explain()}
	if d.Err != nil {
		out.explanation += "  reason: " + d.Err.Error() + "\n"
	}
	return out
}

// relativeTo resolves p against the directory base, unless it is absolute.
func relativeTo(base, p string) string {
	if p == "" || filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(base, p)
}

// runTest implements `sigpolicy test FILE`: it runs every case of a fixture table and reports
// each failing one with what was expected, what happened and the decision's explanation.
// Exit status: 0 every expectation held, 1 some did not, 2 the table or the flags are invalid.
func runTest(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("test", flag.ContinueOnError)
	fs.SetOutput(stderr)
	verbose := fs.Bool("v", false, "print every case, not only the failing ones")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: sigpolicy test [-v] FILE")
		fmt.Fprintln(stderr, "\nFILE is a YAML policy fixture table:")
		fmt.Fprintln(stderr, "  policy: policy.json        # global policy (paths are relative to FILE)")
		fmt.Fprintln(stderr, "  policy-dir: namespaces     # optional: <dir>/<namespace>.json")
		fmt.Fprintln(stderr, "  plain-http: false          # optional: for from-registry cases")
		fmt.Fprintln(stderr, "  cases:")
		fmt.Fprintln(stderr, "    - name: signed image runs in team-a")
		fmt.Fprintln(stderr, "      image: registry.example.com/demo/hello:1.0")
		fmt.Fprintln(stderr, "      namespace: team-a")
		fmt.Fprintln(stderr, "      from-dir: images/hello  # or from-registry: true")
		fmt.Fprintln(stderr, "      expect: allow           # allow or deny")
		fmt.Fprintln(stderr, "      reason: \"...\"           # optional substring of the explanation")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return exitError
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return exitError
	}
	path := fs.Arg(0)
	table, err := loadTable(path)
	if err != nil {
		fmt.Fprintf(stderr, "sigpolicy test: %v\n", err)
		return exitError
	}
	base := filepath.Dir(path)
	resolver, err := namespace.New(relativeTo(base, table.Policy), relativeTo(base, table.PolicyDir))
	if err != nil {
		fmt.Fprintf(stderr, "sigpolicy test: %v\n", err)
		return exitError
	}
	failed := 0
	for _, c := range table.Cases {
		out := runCase(context.Background(), resolver, base, table.PlainHTTP, c)
		problems := checkCase(c, out)
		if len(problems) == 0 {
			if *verbose {
				fmt.Fprintf(stdout, "ok   %s\n", c.Name)
			}
			continue
		}
		failed++
		fmt.Fprintf(stdout, "FAIL %s (%s:%d)\n", c.Name, path, c.line)
		for _, p := range problems {
			fmt.Fprintf(stdout, "     %s\n", p)
		}
		fmt.Fprintln(stdout, "     explanation:")
		for _, l := range strings.Split(strings.TrimRight(out.explanation, "\n"), "\n") {
			fmt.Fprintf(stdout, "       %s\n", l)
		}
	}
	fmt.Fprintf(stdout, "%d cases, %d passed, %d failed\n", len(table.Cases), len(table.Cases)-failed, failed)
	if failed > 0 {
		return exitNo
	}
	return exitOK
}

// checkCase compares an outcome with the case's expectations, one line per unmet expectation.
func checkCase(c testCase, out caseOutcome) []string {
	var problems []string
	got := "deny"
	if out.allowed {
		got = "allow"
	}
	if got != c.Expect {
		problems = append(problems, fmt.Sprintf("expect: %s", c.Expect), fmt.Sprintf("got:    %s", got))
	}
	if c.Reason != "" && !strings.Contains(out.explanation, c.Reason) {
		problems = append(problems, fmt.Sprintf("reason: the explanation does not contain %q", c.Reason))
	}
	return problems
}
