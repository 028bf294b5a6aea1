package lint

import (
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"
)

// A Profile is the set of linters perfctl runs and their settings.
type Profile struct {
	// Linters are the enabled golangci-lint linters.
	Linters []string
	// Settings are golangci-lint's linters.settings, per linter.
	Settings map[string]map[string]any
	// ExcludePaths are regular expressions of paths whose findings are
	// dropped (golangci-lint's linters.exclusions.paths).
	ExcludePaths []string
	// Tests includes _test.go files. Off by default: the gate is about the
	// code that ships.
	Tests bool
	// EnabledChecks and DisabledChecks are single checks of gocritic and
	// staticcheck turned on or off (see EnableChecks).
	EnabledChecks, DisabledChecks []string
	// ReportExportedAPI keeps hugeParam findings on exported API, which
	// are filtered out by default (see Filter).
	ReportExportedAPI bool

	// sets are the settings given with Set, to name the one to blame when
	// golangci-lint rejects the configuration.
	sets []string
}

// Why each default linter is in the profile, and why some candidates are
// not. This is the documentation of the default profile (also shown by
// `perfctl lint --list`).
var (
	defaultReasons = map[string]string{
		"prealloc":      "slices appended to in a loop of known length should be preallocated",
		"perfsprint":    "fmt.Sprintf where strconv or a concatenation is several times faster",
		"gocritic":      "only its performance checks: hugeParam, rangeValCopy, appendCombine, equalFold, indexAlloc, preferStringWriter, …",
		"staticcheck":   "only SA6000–SA6006: regexp compiled in a loop, map lookups by []byte, sync.Pool of values, []rune ranging, strings.ToLower comparisons, io.WriteString of []byte",
		"makezero":      "make([]T, n) followed by append: n zero values nobody wanted",
		"bodyclose":     "an unclosed HTTP response body leaks the connection, so the pool cannot reuse it",
		"noctx":         "requests and queries without a context cannot be cancelled and pile up under load",
		"sqlclosecheck": "unclosed sql.Rows/sql.Stmt hold pool connections",
		"rowserrcheck":  "rows.Err unchecked hides truncated result sets",
		"mirror":        "bytes/strings mirror functions avoid a conversion and its allocation",
		"fatcontext":    "contexts nested in loops grow without bound",
		"unqueryvet":    "SELECT * reads columns nobody uses (the seed's database guidance)",
	}
	// LeftOut are candidates deliberately not in the default profile.
	LeftOut = map[string]string{
		"govet fieldalignment": "struct layout suggestions churn code for savings that rarely matter; enable it for hot, numerous structs",
		"modernize":            "simplifications with newer language features; most are style, not speed",
		"intrange":             "for range n is style; it compiles to the same loop",
		"copyloopvar":          "Go 1.22 loop variables made the copies harmless; style only",
		"unconvert":            "a conversion to the type a value already has compiles to nothing: style, not speed (measured: docs/lint.md)",
	}
)

var defaultLinters = []string{"prealloc", "perfsprint", "gocritic", "staticcheck", "makezero", "bodyclose",
	"noctx", "sqlclosecheck", "rowserrcheck", "mirror", "fatcontext", "unqueryvet"}

// The gocritic thresholds and the checks left out, from the measurements
// in docs/lint.md: no hugeParam finding under 1 KiB and no rangeValCopy
// finding under 512 bytes was worth a change on the modules measured (a
// pointer can move the value to the heap, trading a copy of a few cache
// lines for an allocation), and preferStringWriter saves one type
// assertion (io.WriteString already calls WriteString).
const (
	hugeParamThreshold    = 1024
	rangeValCopyThreshold = 512
)

var defaultDisabledChecks = []string{"preferStringWriter"}

// DefaultProfile returns perfctl's performance profile.
func DefaultProfile() Profile {
	return Profile{
		Linters: slices.Clone(defaultLinters),
		Settings: map[string]map[string]any{
			"gocritic": {"disable-all": true, "enabled-tags": []string{"performance"},
				"settings": map[string]any{
					"hugeParam":    map[string]any{"sizeThreshold": hugeParamThreshold},
					"rangeValCopy": map[string]any{"sizeThreshold": rangeValCopyThreshold},
				}},
			"staticcheck": {"checks": []string{"SA6000", "SA6001", "SA6002", "SA6003", "SA6005", "SA6006"}},
		},
		DisabledChecks: slices.Clone(defaultDisabledChecks),
	}
}

// Reason says why linter is in the default profile ("" for others).
func Reason(linter string) string { return defaultReasons[linter] }

// Tuning says how the default profile narrows the linters' checks, from
// the measurements in docs/lint.md (shown by perfctl lint --list).
//
// (gocritic's Reason above still names preferStringWriter: it is the rule
// description of SARIF reports, whose golden files live in package
// report.)
func Tuning() []string {
	return []string{
		fmt.Sprintf("gocritic hugeParam from %d bytes, rangeValCopy from %d bytes; preferStringWriter off (it saves one type assertion)", hugeParamThreshold, rangeValCopyThreshold),
		"hugeParam is not reported on a parameter named _, a method that implements an interface, or exported API (--report-exported-api keeps those)",
		"noctx is not reported on os/exec.Command, net.Listen and net.ListenPacket: not requests or queries",
		"filtered findings are counted under the report; --enable-check/--disable-check turn single gocritic and staticcheck checks on and off",
	}
}

// linterName is what golangci-lint's linters are called.
var linterName = regexp.MustCompile(`^[a-z][a-z0-9-]*$`)

// settableLinters are the linters whose settings a profile may change:
// the default profile's and govet. A setting reaches golangci-lint's
// configuration as written, and some linters' settings name files to load
// or plugins to run (custom linters are Go plugins, gocritic's ruleguard
// loads rule files, goheader reads a template): a policy comes with the
// repository, so those stay out of reach.
var settableLinters = append(slices.Clone(defaultLinters), "govet", "unconvert")

// Enable adds linters; Disable removes them. A name that is not a linter's
// (custom linters need settings no profile can give) is an error.
func (p *Profile) Enable(names ...string) error {
	for _, n := range names {
		if !linterName.MatchString(n) || n == "custom" {
			return fmt.Errorf("enable: %q is not the name of a golangci-lint linter (golangci-lint help linters lists them)", n)
		}
		if !slices.Contains(p.Linters, n) {
			p.Linters = append(p.Linters, n)
		}
	}
	return nil
}

// Disable removes linters from the profile.
func (p *Profile) Disable(names ...string) {
	p.Linters = slices.DeleteFunc(p.Linters, func(l string) bool { return slices.Contains(names, l) })
}

// Set applies one setting given as LINTER.KEY=VALUE, the value in YAML
// (e.g. gocritic.enabled-tags=[performance,diagnostic] or
// prealloc.simple=false).
func (p *Profile) Set(spec string) error {
	key, value, ok := strings.Cut(spec, "=")
	linter, name, ok2 := strings.Cut(key, ".")
	if !ok || !ok2 || linter == "" || name == "" {
		return fmt.Errorf("setting %q: write LINTER.KEY=VALUE, e.g. prealloc.simple=false", spec)
	}
	if !slices.Contains(settableLinters, linter) {
		return fmt.Errorf("setting %q: perfctl sets only the settings of %s; for other linters keep a .golangci.yml and run golangci-lint yourself", spec, strings.Join(settableLinters, ", "))
	}
	var v any
	if err := yaml.Unmarshal([]byte(value), &v); err != nil {
		return fmt.Errorf("setting %q: the value is not YAML: %w", spec, err)
	}
	if linter == "gocritic" && (keyMentions(name, "ruleguard") || mentions(v, "ruleguard")) {
		return fmt.Errorf("setting %q: gocritic's ruleguard loads rule files, which perfctl does not let a profile name", spec)
	}
	name = resolvedKey(linter, name)
	if err := validateCheckSetting(linter, name, v); err != nil {
		return fmt.Errorf("setting %q: %w", spec, err)
	}
	if !writesFaithfully(linter, name, v) {
		return fmt.Errorf("setting %q: the setting would not reach golangci-lint as written (YAML does not write line breaks in keys and strings back faithfully): write it without line breaks", spec)
	}
	if p.Settings == nil {
		p.Settings = make(map[string]map[string]any)
	}
	if p.Settings[linter] == nil {
		p.Settings[linter] = make(map[string]any)
	}
	old, had := p.Settings[linter][name]
	p.Settings[linter][name] = v
	if linter == "gocritic" {
		if _, err := p.gocriticSettings(p.Settings[linter]); err != nil {
			if had {
				p.Settings[linter][name] = old
			} else {
				delete(p.Settings[linter], name)
			}
			return fmt.Errorf("setting %q: %w", spec, err)
		}
	}
	p.sets = append(p.sets, spec)
	return nil
}

// writesFaithfully reports whether the setting name: v of linter, written
// where Config writes it, reads back as itself. yaml.v3 writes a string
// with a line break as a block scalar, and some of those ("\n", "\t\n",
// "\n 0") read back as another string or do not parse: the settings of
// the linters perfctl runs need no line breaks, so none is let through.
func writesFaithfully(linter, name string, v any) bool {
	if hasLineBreak(name) || hasLineBreak(v) {
		return false
	}
	wrap := func(v any) any {
		return map[string]any{"linters": map[string]any{"settings": map[string]any{linter: map[string]any{name: v}}}}
	}
	out, err := yaml.Marshal(wrap(v))
	if err != nil {
		return false
	}
	var back any
	if err := yaml.Unmarshal(out, &back); err != nil {
		return false
	}
	again, err := yaml.Marshal(back)
	return err == nil && bytes.Equal(out, again)
}

// hasLineBreak reports whether a string, or a key or string of a decoded
// YAML value at any depth, holds a line break.
func hasLineBreak(v any) bool {
	switch v := v.(type) {
	case string:
		return strings.ContainsAny(v, "\n\r\u0085\u2028\u2029")
	case map[string]any:
		for k, x := range v {
			if hasLineBreak(k) || hasLineBreak(x) {
				return true
			}
		}
	case map[any]any:
		for k, x := range v {
			if hasLineBreak(fmt.Sprint(k)) || hasLineBreak(x) {
				return true
			}
		}
	case []any:
		return slices.ContainsFunc(v, hasLineBreak)
	}
	return false
}

// mentions reports whether a decoded YAML value has, at any depth, a
// mapping key that golangci-lint may read as key (see keyMentions). A key
// of another YAML type than a string (0, !!binary) is read as its text.
func mentions(v any, key string) bool {
	switch v := v.(type) {
	case map[string]any:
		for k, x := range v {
			if keyMentions(k, key) || mentions(x, key) {
				return true
			}
		}
	case map[any]any:
		for k, x := range v {
			if keyMentions(fmt.Sprint(k), key) || mentions(x, key) {
				return true
			}
		}
	case []any:
		for _, x := range v {
			if mentions(x, key) {
				return true
			}
		}
	}
	return false
}

// keyMentions reports whether golangci-lint may read the key k as key, or
// as a path through it: its configuration loader ignores the case of keys
// and reads a dot in a key as a separator (settings.ruleguard is settings:
// {ruleguard: …}).
func keyMentions(k, key string) bool {
	for part := range strings.SplitSeq(k, ".") {
		if strings.EqualFold(strings.TrimSpace(part), key) {
			return true
		}
	}
	return false
}

// Config returns the golangci-lint v2 configuration of the profile.
func (p *Profile) Config() ([]byte, error) {
	if len(p.Linters) == 0 {
		return nil, errors.New("the lint profile enables no linter: keep at least one (see perfctl lint --list)")
	}
	linters := slices.Clone(p.Linters)
	sort.Strings(linters)
	settings := map[string]any{}
	for l, s := range p.Settings {
		if slices.Contains(linters, l) {
			settings[l] = s
		}
	}
	if slices.Contains(linters, "gocritic") {
		s, err := p.gocriticSettings(p.Settings["gocritic"])
		if err != nil {
			return nil, err
		}
		if len(s) > 0 {
			settings["gocritic"] = s
		}
	}
	if slices.Contains(linters, "staticcheck") {
		if s := p.staticcheckSettings(p.Settings["staticcheck"]); len(s) > 0 {
			settings["staticcheck"] = s
		}
	}
	cfg := map[string]any{
		"version": "2",
		"run": map[string]any{
			"tests":              p.Tests,
			"relative-path-mode": "wd",
		},
		"linters": map[string]any{
			"default":  "none",
			"enable":   linters,
			"settings": settings,
			"exclusions": map[string]any{
				"paths": append([]string{}, p.ExcludePaths...),
			},
		},
		"issues": map[string]any{"max-issues-per-linter": 0, "max-same-issues": 0},
	}
	return yaml.Marshal(cfg)
}
