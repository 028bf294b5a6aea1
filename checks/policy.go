package checks

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/perfctl/perfctl/internal/english"
	"github.com/perfctl/perfctl/internal/services"
	"github.com/perfctl/perfctl/internal/usererr"
	"github.com/perfctl/perfctl/load"
)

// Version is the policy format version perfctl reads.
const Version = 1

// A Level says how much a check matters.
type Level string

// The levels of RFC 2119, as the seed's checklist uses them.
const (
	Must   Level = "MUST"   // a failure fails the verdict
	Should Level = "SHOULD" // a failure is a warning (fails with --strict)
	May    Level = "MAY"    // informational
)

// Levels lists the levels from the most to the least binding.
var Levels = []Level{Must, Should, May}

// A Policy is a parsed policy document.
type Policy struct {
	Source string // the file it was read from, or "embedded default policy"
	// AllowCommands permits checks of kind command (allow_commands: true).
	AllowCommands bool
	// Extends is the policy this one adjusts ("default": the embedded
	// default policy), or "".
	Extends string
	// Preset is the preset the policy names (preset:), or "" (detect it).
	Preset Preset
	Checks []*Check
	// Load is the load test of the load: section (perfctl load and the
	// load kind), or nil.
	Load *load.Spec
	// Services are the programs started beside the benchmarks (services:,
	// docs/services.md); they run only when the operator trusts the
	// policy, as command checks do.
	Services []services.Spec

	servicesNode *yaml.Node // services: as written, for YAML
}

// A Check is one entry of a policy.
type Check struct {
	ID        string
	Level     Level
	Kind      string
	Title     string
	Rationale string
	Fix       string
	Line      int // where the check starts in its policy file
	// Params are the kind's parameters as written (nil when none).
	Params *yaml.Node
	// Presets are the presets the check applies to (all when empty).
	Presets []Preset
	// Skip, when set, turns the check off, with the policy's reason.
	Skip string

	eval Evaluator
}

// document is the YAML shape of a policy file.
type document struct {
	Version       int         `yaml:"version"`
	AllowCommands bool        `yaml:"allow_commands"`
	Extends       string      `yaml:"extends"`
	Preset        string      `yaml:"preset"`
	Checks        []yaml.Node `yaml:"checks"`
	Load          yaml.Node   `yaml:"load"`
	Services      yaml.Node   `yaml:"services"`
}

type checkDoc struct {
	ID        string    `yaml:"id"`
	Level     string    `yaml:"level"`
	Kind      string    `yaml:"kind"`
	Title     string    `yaml:"title"`
	Rationale string    `yaml:"rationale"`
	Fix       string    `yaml:"fix"`
	Presets   []string  `yaml:"presets"`
	Skip      string    `yaml:"skip"`
	Params    yaml.Node `yaml:"params"`
}

// ExtendsDefault is the value of extends: that starts from the embedded
// default policy.
const ExtendsDefault = "default"

var idPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9-]*$`)

// policyHint is the hint of every policy error.
const policyHint = "'perfctl policy kinds' lists the kinds, 'perfctl policy show' prints a valid policy to start from, and https://github.com/perfctl/perfctl/blob/main/docs/policy.md describes every key"

// MaxPolicySize is the largest policy file perfctl reads. The default
// policy, with its comments, is about 12 KiB.
const MaxPolicySize = 1 << 20

// ParseFile reads and parses the policy file at path; name is how
// messages call it (the path as the user gave it).
func ParseFile(path, name string) (*Policy, error) {
	f, err := os.Open(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, &usererr.Error{File: name, Msg: "no such policy file",
				Hint: "check the path, or run 'perfctl init' to write perfctl.yaml with the default policy", Err: err}
		}
		return nil, &usererr.Error{File: name, Msg: unwrapPathError(err), Err: err}
	}
	defer f.Close()
	if st, err := f.Stat(); err == nil && !st.Mode().IsRegular() {
		return nil, &usererr.Error{File: name, Msg: "is not a regular file", Hint: "give the path of a YAML policy file"}
	}
	data, err := io.ReadAll(io.LimitReader(f, MaxPolicySize+1))
	if err != nil {
		return nil, &usererr.Error{File: name, Msg: unwrapPathError(err), Err: err}
	}
	return Parse(data, name)
}

// unwrapPathError is err without the operation and path os adds.
func unwrapPathError(err error) string {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

// tooLarge is the error of a policy over MaxPolicySize.
func tooLarge(name string) error {
	return &usererr.Error{File: name, Msg: fmt.Sprintf("the policy is larger than %d KiB", MaxPolicySize>>10),
		Hint: "a policy lists checks and their parameters; it is a few KiB (perfctl policy show prints the default)"}
}

// problems collects policy errors with their lines.
type problems struct {
	file string
	list []problem
}

type problem struct {
	line int
	msg  string
}

func (p *problems) add(line int, format string, args ...any) {
	p.list = append(p.list, problem{line, fmt.Sprintf(format, args...)})
}

func (p *problems) err() error {
	if len(p.list) == 0 {
		return nil
	}
	slices.SortStableFunc(p.list, func(a, b problem) int { return a.line - b.line })
	first := p.list[0]
	e := &usererr.Error{File: p.file, Line: first.line, Msg: first.msg, Hint: policyHint}
	for _, more := range p.list[1:min(len(p.list), 10)] {
		e.Details = append(e.Details, fmt.Sprintf("%s:%d: %s", p.file, more.line, more.msg))
	}
	if len(p.list) > 10 {
		e.Details = append(e.Details, fmt.Sprintf("… and %d more", len(p.list)-10))
	}
	return e
}

// Parse parses a policy document; name is used in error messages. Every
// problem is reported with its line: unknown keys, unknown kinds, missing
// fields, duplicate ids and bad parameters.
func Parse(data []byte, name string) (*Policy, error) {
	if len(data) > MaxPolicySize {
		return nil, tooLarge(name)
	}
	ps := &problems{file: name}
	var root yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&root); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, &usererr.Error{File: name, Msg: "the policy file is empty", Hint: policyHint}
		}
		line, msg := yamlErrorLine(err)
		if strings.Contains(msg, "found character that cannot start any token") {
			msg += " (a tab? YAML indents with spaces only)"
		}
		ps.add(line, "%s", msg)
		return nil, ps.err()
	}
	var doc document
	body := root.Content[0]
	if body.Kind != yaml.MappingNode {
		ps.add(body.Line, "a policy is a mapping with version and checks, not a %s", nodeKind(body))
		return nil, ps.err()
	}
	if !strictKeys(body, reflect.TypeFor[document](), ps) {
		return nil, ps.err()
	}
	if err := body.Decode(&doc); err != nil {
		addDecodeError(ps, body, err)
		return nil, ps.err()
	}
	switch {
	case doc.Version == 0:
		ps.add(body.Line, "the policy has no version: add 'version: %d' at the top", Version)
	case doc.Version != Version:
		ps.add(valueLine(body, "version"), "policy version %d is not one this perfctl reads (it reads version %d)", doc.Version, Version)
	}
	p := &Policy{Source: name, AllowCommands: doc.AllowCommands, Extends: doc.Extends}
	if doc.Load.Kind != 0 {
		spec, errs := load.ParseYAML(&doc.Load)
		for _, e := range errs {
			ps.add(e.Line, "%s", e.Msg)
		}
		p.Load = spec
	}
	parseServices(&doc.Services, p, ps)
	if doc.Preset != "" {
		preset, err := ParsePreset(doc.Preset)
		if err != nil {
			ps.add(valueLine(body, "preset"), "%v", err)
		}
		p.Preset = preset
	}
	var base map[string]*yaml.Node // the extended policy's checks by id
	var order []string
	switch doc.Extends {
	case "":
		if len(doc.Checks) == 0 {
			ps.add(body.Line, "the policy has no checks: add a 'checks:' list, or 'extends: default' to adjust the default policy")
		}
	case ExtendsDefault:
		base, order = defaultCheckNodes()
	default:
		ps.add(valueLine(body, "extends"), "extends: %q is not a policy perfctl knows: the only one is %q (the embedded default policy)", doc.Extends, ExtendsDefault)
	}
	seen := map[string]int{}
	merged := map[string]*yaml.Node{}
	for i := range doc.Checks {
		n := &doc.Checks[i]
		if id := nodeID(n); id != "" && base[id] != nil {
			if first, dup := seen[id]; dup {
				ps.add(n.Line, "check id %q is used twice (first on line %d): ids must be unique", id, first)
				continue
			}
			seen[id] = n.Line
			merged[id] = overlay(base[id], n, ps)
			continue
		}
		if c := parseCheck(n, ps, p.AllowCommands); c != nil {
			if first, dup := seen[c.ID]; dup {
				ps.add(c.Line, "check id %q is used twice (first on line %d): ids must be unique", c.ID, first)
				continue
			}
			seen[c.ID] = c.Line
			p.Checks = append(p.Checks, c)
		}
	}
	if base != nil {
		// The extended checks first, in their order, each with what this
		// file changed; then the checks this file adds.
		var extended []*Check
		for _, id := range order {
			n, changed := merged[id]
			if !changed {
				n = base[id]
			}
			if c := parseCheck(n, ps, p.AllowCommands); c != nil {
				if !changed {
					c.Line = 0 // not written in this file: no line of it to point at
				}
				extended = append(extended, c)
			}
		}
		p.Checks = append(extended, p.Checks...)
	}
	if err := ps.err(); err != nil {
		return nil, err
	}
	p.attachLoad()
	return p, nil
}

func parseCheck(n *yaml.Node, ps *problems, allowCommands bool) *Check {
	if n.Kind != yaml.MappingNode {
		ps.add(n.Line, "a check is a mapping with id, level, kind, title, rationale and fix, not a %s", nodeKind(n))
		return nil
	}
	before := len(ps.list)
	if !strictKeys(n, reflect.TypeFor[checkDoc](), ps) {
		return nil
	}
	var cd checkDoc
	if err := n.Decode(&cd); err != nil {
		addDecodeError(ps, n, err)
		return nil
	}
	c := &Check{ID: cd.ID, Level: Level(cd.Level), Kind: cd.Kind, Title: cd.Title,
		Rationale: strings.TrimSpace(cd.Rationale), Fix: strings.TrimSpace(cd.Fix), Line: n.Line,
		Skip: strings.TrimSpace(cd.Skip)}
	for _, name := range cd.Presets {
		preset, err := ParsePreset(name)
		if err != nil || preset == PresetAuto {
			ps.add(valueLine(n, "presets"), "presets: %q is not a preset: use library, service or cli", name)
			continue
		}
		if !slices.Contains(c.Presets, preset) {
			c.Presets = append(c.Presets, preset)
		}
	}
	if hasKey(n, "skip") && c.Skip == "" {
		ps.add(valueLine(n, "skip"), "skip needs a reason: write why the check does not apply (skip: the caller configures the pool)")
	}
	if cd.Params.Kind != 0 {
		c.Params = &cd.Params
	}
	for _, f := range []struct{ key, val string }{{"id", cd.ID}, {"level", cd.Level}, {"kind", cd.Kind}, {"title", cd.Title}} {
		if f.val == "" {
			ps.add(n.Line, "the check has no %s", f.key)
		}
	}
	if c.ID != "" && !idPattern.MatchString(c.ID) {
		ps.add(valueLine(n, "id"), "check id %q: use lower-case letters, digits and dashes", c.ID)
	}
	if cd.Level != "" && !slices.Contains(Levels, c.Level) {
		ps.add(valueLine(n, "level"), "level %q: use MUST, SHOULD or MAY", cd.Level)
	}
	if cd.Kind != "" {
		k := KindNamed(cd.Kind)
		switch {
		case k == nil:
			ps.add(valueLine(n, "kind"), "unknown kind %q: the kinds are %s", cd.Kind, strings.Join(KindNames(), ", "))
		case k.Name == "command" && !allowCommands:
			ps.add(valueLine(n, "kind"), "a check of kind command runs a program: allow it with 'allow_commands: true' at the top of the policy")
		default:
			c.eval = k.New()
			params := &cd.Params
			if params.Kind == 0 { // no params: decode an empty mapping
				params = &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Line: n.Line}
			}
			decodeParams(params, c.eval, ps)
			if pkgs, ok := packagesOf(c.eval); ok && len(ps.list) == before {
				if err := validatePackages(pkgs); err != nil {
					ps.add(paramsLine(n, &cd.Params), "check %s: %v", c.ID, err)
				}
			}
			if v, ok := c.eval.(interface{ validate() error }); ok && len(ps.list) == before {
				if err := v.validate(); err != nil {
					ps.add(paramsLine(n, &cd.Params), "check %s: %v", c.ID, err)
				}
			}
		}
	}
	if len(ps.list) > before {
		return nil
	}
	return c
}

// decodeParams decodes a check's params into its evaluator, rejecting
// unknown keys.
func decodeParams(n *yaml.Node, into Evaluator, ps *problems) {
	if n.Kind != yaml.MappingNode {
		ps.add(n.Line, "params must be a mapping, not a %s", nodeKind(n))
		return
	}
	if !strictKeys(n, reflect.TypeOf(into).Elem(), ps) {
		return
	}
	if err := n.Decode(into); err != nil {
		addDecodeError(ps, n, err)
	}
}

// strictKeys reports keys of the mapping n that t (a struct) does not
// declare, recursing into nested structs, slices and maps of structs. It
// returns false when it found one.
func strictKeys(n *yaml.Node, t reflect.Type, ps *problems) bool {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == reflect.TypeFor[yaml.Node]() {
		return true // checked where it is decoded
	}
	ok := true
	switch {
	case t.Kind() == reflect.Struct && n.Kind == yaml.MappingNode:
		if custom(t) {
			return true
		}
		fields := yamlFields(t)
		for i := 0; i+1 < len(n.Content); i += 2 {
			key, val := n.Content[i], n.Content[i+1]
			ft, known := fields[key.Value]
			if !known {
				ps.add(key.Line, "unknown key %q%s", key.Value, didYouMean(key.Value, fields))
				ok = false
				continue
			}
			ok = strictKeys(val, ft, ps) && ok
		}
	case t.Kind() == reflect.Slice && t.Elem().Kind() == reflect.String && n.Kind == yaml.ScalarNode && n.Tag != "!!null" && !custom(t):
		// One value where a list is wanted: a list of that one value.
		item := *n
		*n = yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq", Line: n.Line, Column: n.Column, Content: []*yaml.Node{&item}}
	case (t.Kind() == reflect.Slice) && n.Kind == yaml.SequenceNode:
		for _, item := range n.Content {
			ok = strictKeys(item, t.Elem(), ps) && ok
		}
	case t.Kind() == reflect.Map && n.Kind == yaml.MappingNode:
		for i := 1; i < len(n.Content); i += 2 {
			ok = strictKeys(n.Content[i], t.Elem(), ps) && ok
		}
	}
	return ok
}

// custom reports whether t decodes itself from YAML.
func custom(t reflect.Type) bool {
	_, ok := reflect.PointerTo(t).MethodByName("UnmarshalYAML")
	return ok
}

// yamlFields maps the yaml keys of struct t to their types.
func yamlFields(t reflect.Type) map[string]reflect.Type {
	out := map[string]reflect.Type{}
	for f := range t.Fields() {
		if !f.IsExported() {
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		if name == "-" {
			continue
		}
		if name == "" {
			name = strings.ToLower(f.Name)
		}
		out[name] = f.Type
	}
	return out
}

func didYouMean(key string, fields map[string]reflect.Type) string {
	names := make([]string, 0, len(fields))
	for name := range fields {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		if english.EditDistance(strings.ToLower(key), name) <= 2 {
			return fmt.Sprintf(" (did you mean %q?)", name)
		}
	}
	return ": the keys here are " + strings.Join(names, ", ")
}

var yamlLine = regexp.MustCompile(`line (\d+): `)

// yamlErrorLine pulls the line out of a yaml.v3 error.
func yamlErrorLine(err error) (int, string) {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	if m := yamlLine.FindStringSubmatchIndex(msg); m != nil {
		line, _ := strconv.Atoi(msg[m[2]:m[3]]) // the regexp matched digits
		return line, msg[:m[0]] + msg[m[1]:]
	}
	return 1, msg
}

var yamlTypeError = regexp.MustCompile("^cannot unmarshal !!(\\w+)(?: (`.*`))? into (.+)$")

// goTypeWords says what a value of a Go type looks like in YAML.
var goTypeWords = map[string]string{
	"float64": "a number", "*float64": "a number", "int": "a whole number", "bool": "true or false",
	"*bool": "true or false", "string": "text", "[]string": "a list, e.g. [a, b]",
}

// addDecodeError adds each of yaml.v3's type errors with its own line,
// naming the key whose value it is and what the value should look like.
func addDecodeError(ps *problems, n *yaml.Node, err error) {
	var te *yaml.TypeError
	if errors.As(err, &te) {
		for _, e := range te.Errors {
			l, msg := yamlErrorLine(fmt.Errorf("%s", e))
			if m := yamlTypeError.FindStringSubmatch(msg); m != nil {
				want := goTypeWords[m[3]]
				if want == "" {
					want = "a " + strings.TrimPrefix(m[3], "checks.")
				}
				got := m[2]
				if got == "" {
					got = map[string]string{"map": "a mapping", "seq": "a list"}[m[1]]
				}
				msg = strings.TrimSpace(got + " is not " + want)
				kind := map[string]yaml.Kind{"map": yaml.MappingNode, "seq": yaml.SequenceNode}[m[1]]
				if kind == 0 {
					kind = yaml.ScalarNode
				}
				if key := keyAtLine(n, l, kind, strings.Trim(m[2], "`")); key != "" {
					msg = key + ": " + msg
				}
			}
			ps.add(l, "%s", strings.ReplaceAll(msg, "checks.", ""))
		}
		return
	}
	line := n.Line
	l, msg := yamlErrorLine(err)
	if l == 1 {
		l = line
	}
	ps.add(l, "%s", msg)
}

// keyAtLine returns the key, in mapping n or below, whose value of kind
// (and, for a scalar, text) starts on line (the innermost one), or "".
func keyAtLine(n *yaml.Node, line int, kind yaml.Kind, value string) string {
	for _, c := range n.Content {
		if k := keyAtLine(c, line, kind, value); k != "" {
			return k
		}
	}
	if n.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(n.Content); i += 2 {
			if v := n.Content[i+1]; v.Line == line && v.Kind == kind && (kind != yaml.ScalarNode || v.Value == value) {
				return n.Content[i].Value
			}
		}
	}
	return ""
}

// valueLine is the line of the value of key in mapping n.
func valueLine(n *yaml.Node, key string) int {
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i+1].Line
		}
	}
	return n.Line
}

func paramsLine(check, params *yaml.Node) int {
	if params.Kind != 0 {
		return params.Line
	}
	return check.Line
}

func nodeKind(n *yaml.Node) string {
	switch n.Kind {
	case yaml.SequenceNode:
		return "list"
	case yaml.ScalarNode:
		return "single value"
	case yaml.MappingNode:
		return "mapping"
	}
	return "document"
}
