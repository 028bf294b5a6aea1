package lint

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/perfctl/perfctl/internal/english"
)

// Single checks of gocritic and staticcheck are turned on and off by name
// (EnableChecks, DisableChecks, or --set gocritic.disabled-checks=[…]).
// perfctl knows the names of the pinned golangci-lint's checks, so that a
// misspelt name is an error with a suggestion instead of a setting
// golangci-lint ignores (staticcheck ignores unknown names silently).
//
// gocritic refuses disabled-checks next to disable-all, and the profile
// needs disable-all (gocritic's default checks are style, not speed): so
// perfctl works out the checks itself, from the tags and names the profile
// gives, and hands gocritic one explicit enabled-checks list.

var errRuleguard = errors.New("gocritic's ruleguard loads rule files, which perfctl does not let a profile name")

// checkLinter says which linter a check belongs to: "gocritic" or
// "staticcheck". An unknown name is an error that suggests a known one.
func checkLinter(name string) (string, error) {
	if name == "ruleguard" {
		return "", errRuleguard
	}
	if _, ok := gocriticChecks[name]; ok {
		return "gocritic", nil
	}
	if slices.Contains(staticcheckChecks, name) {
		return "staticcheck", nil
	}
	return "", fmt.Errorf("%q is not a check of gocritic or staticcheck (golangci-lint %s)%s", name, PinnedVersion, suggest(name, allCheckNames()))
}

func allCheckNames() []string {
	return append(slices.Sorted(maps.Keys(gocriticChecks)), staticcheckChecks...)
}

// suggest returns " (did you mean "x"?)" for the known name closest to
// name, when one is close, else "".
func suggest(name string, known []string) string {
	best, bestD := "", 3
	for _, k := range known {
		if strings.EqualFold(k, name) {
			return fmt.Sprintf(" (did you mean %q?)", k)
		}
		if d := english.EditDistance(strings.ToLower(name), strings.ToLower(k)); d < bestD {
			best, bestD = k, d
		}
	}
	if best == "" {
		return ""
	}
	return fmt.Sprintf(" (did you mean %q?)", best)
}

// EnableChecks turns on single checks of gocritic or staticcheck, e.g.
// "sliceClear" or "SA6002", and the linter they belong to. An unknown name
// is an error.
func (p *Profile) EnableChecks(names ...string) error {
	for _, n := range names {
		linter, err := checkLinter(n)
		if err != nil {
			return fmt.Errorf("enable check: %w", err)
		}
		if err := p.Enable(linter); err != nil {
			return err
		}
		p.DisabledChecks = slices.DeleteFunc(p.DisabledChecks, func(c string) bool { return c == n })
		if !slices.Contains(p.EnabledChecks, n) {
			p.EnabledChecks = append(p.EnabledChecks, n)
		}
	}
	return nil
}

// DisableChecks turns off single checks of gocritic or staticcheck, e.g.
// "hugeParam" or "SA6002"; their linters keep running their other checks.
// An unknown name is an error.
func (p *Profile) DisableChecks(names ...string) error {
	for _, n := range names {
		if _, err := checkLinter(n); err != nil {
			return fmt.Errorf("disable check: %w", err)
		}
		p.EnabledChecks = slices.DeleteFunc(p.EnabledChecks, func(c string) bool { return c == n })
		if !slices.Contains(p.DisabledChecks, n) {
			p.DisabledChecks = append(p.DisabledChecks, n)
		}
	}
	return nil
}

// checksOf returns the names of names that belong to linter.
func checksOf(linter string, names []string) []string {
	var out []string
	for _, n := range names {
		if l, err := checkLinter(n); err == nil && l == linter {
			out = append(out, n)
		}
	}
	return out
}

// validateCheckSetting refuses unknown check names in the settings that
// name checks: gocritic's enabled-checks and disabled-checks, and
// staticcheck's checks (where "all", globs such as "SA6*" and a leading
// "-" are staticcheck's own syntax).
func validateCheckSetting(linter, key string, v any) error {
	switch {
	case linter == "gocritic" && (key == "enabled-checks" || key == "disabled-checks"):
		names, ok := stringList(v)
		if !ok {
			return fmt.Errorf("gocritic.%s is a list of check names, e.g. [hugeParam]", key)
		}
		for _, n := range names {
			if n == "ruleguard" {
				return errRuleguard
			}
			if _, known := gocriticChecks[n]; !known {
				return fmt.Errorf("%q is not a gocritic check%s", n, suggest(n, slices.Sorted(maps.Keys(gocriticChecks))))
			}
		}
	case linter == "gocritic" && (key == "enabled-tags" || key == "disabled-tags"):
		names, ok := stringList(v)
		if !ok {
			return fmt.Errorf("gocritic.%s is a list of tags, e.g. [performance]", key)
		}
		for _, n := range names {
			if !slices.Contains(gocriticTags, n) {
				return fmt.Errorf("%q is not a gocritic tag (the tags are %s)%s", n, strings.Join(gocriticTags, ", "), suggest(n, gocriticTags))
			}
		}
	case linter == "staticcheck" && key == "checks":
		names, ok := stringList(v)
		if !ok {
			return errors.New("staticcheck.checks is a list of check names, e.g. [SA6000, SA6002]")
		}
		for _, n := range names {
			n = strings.TrimPrefix(n, "-")
			if n == "all" || n == "*" || strings.HasSuffix(n, "*") {
				continue
			}
			if !slices.Contains(staticcheckChecks, n) {
				return fmt.Errorf("%q is not a staticcheck check%s", n, suggest(n, staticcheckChecks))
			}
		}
	}
	return nil
}

// resolvedKeys are the settings perfctl works out itself before writing
// them (see gocriticSettings and staticcheckSettings).
var resolvedKeys = map[string][]string{
	"gocritic":    {"enabled-tags", "disabled-tags", "enabled-checks", "disabled-checks", "disable-all"},
	"staticcheck": {"checks"},
}

// resolvedKey returns the key perfctl reads for linter's setting name:
// golangci-lint ignores the case of keys, so Disabled-Checks is
// disabled-checks.
func resolvedKey(linter, name string) string {
	for _, k := range resolvedKeys[linter] {
		if strings.EqualFold(k, name) {
			return k
		}
	}
	return name
}

// stringList reads a decoded YAML list of strings.
func stringList(v any) ([]string, bool) {
	switch v := v.(type) {
	case nil:
		return nil, true
	case []string:
		return v, true
	case []any:
		out := make([]string, 0, len(v))
		for _, x := range v {
			s, ok := x.(string)
			if !ok {
				return nil, false
			}
			out = append(out, s)
		}
		return out, true
	}
	return nil, false
}

// gocriticSettings returns the gocritic settings to write: s with the
// profile's enabled and disabled checks applied. With disable-all (the
// profile's default), the checks are worked out here into one
// enabled-checks list, which is the one form gocritic accepts next to
// disable-all.
func (p *Profile) gocriticSettings(s map[string]any) (map[string]any, error) {
	out := maps.Clone(s)
	if out == nil {
		out = map[string]any{}
	}
	enabled, ok1 := stringList(out["enabled-checks"])
	disabled, ok2 := stringList(out["disabled-checks"])
	if !ok1 || !ok2 {
		return s, nil // not lists: golangci-lint says what is wrong
	}
	enabled = append(slices.Clone(enabled), checksOf("gocritic", p.EnabledChecks)...)
	disabled = append(slices.Clone(disabled), checksOf("gocritic", p.DisabledChecks)...)
	if out["disable-all"] != true {
		enabled = slices.DeleteFunc(enabled, func(c string) bool { return slices.Contains(disabled, c) })
		setList(out, "enabled-checks", enabled)
		setList(out, "disabled-checks", disabled)
		return out, nil
	}
	enabledTags, ok1 := stringList(out["enabled-tags"])
	disabledTags, ok2 := stringList(out["disabled-tags"])
	if !ok1 || !ok2 {
		return s, nil
	}
	on := map[string]bool{}
	for _, c := range slices.Sorted(maps.Keys(gocriticChecks)) {
		if hasTag(c, enabledTags) {
			on[c] = true
		}
	}
	for _, c := range enabled {
		on[c] = true
	}
	for c := range on {
		if hasTag(c, disabledTags) || slices.Contains(disabled, c) {
			delete(on, c)
		}
	}
	if len(on) == 0 {
		return nil, fmt.Errorf("the profile leaves gocritic no check to run (disabled: %s): disable the linter instead (--disable gocritic, or disable: [gocritic])",
			strings.Join(disabled, ", "))
	}
	delete(out, "enabled-tags")
	delete(out, "disabled-tags")
	delete(out, "disabled-checks")
	out["enabled-checks"] = slices.Sorted(maps.Keys(on))
	return out, nil
}

func hasTag(check string, tags []string) bool {
	for t := range strings.FieldsSeq(gocriticChecks[check]) {
		if slices.Contains(tags, t) {
			return true
		}
	}
	return false
}

func setList(m map[string]any, key string, v []string) {
	if len(v) == 0 {
		delete(m, key)
		return
	}
	m[key] = slices.Compact(slices.Sorted(slices.Values(v)))
}

// golangciStaticcheckDefault is the checks golangci-lint's staticcheck
// runs when its settings name none.
var golangciStaticcheckDefault = []string{"all", "-ST1000", "-ST1003", "-ST1016", "-ST1020", "-ST1021", "-ST1022"}

// staticcheckSettings returns the staticcheck settings to write: s with
// the profile's enabled and disabled checks appended to its checks list
// ("SA6002" turns a check on, "-SA6002" off; later entries win).
func (p *Profile) staticcheckSettings(s map[string]any) map[string]any {
	enable, disable := checksOf("staticcheck", p.EnabledChecks), checksOf("staticcheck", p.DisabledChecks)
	if len(enable) == 0 && len(disable) == 0 {
		return s
	}
	out := maps.Clone(s)
	if out == nil {
		out = map[string]any{}
	}
	checks, ok := stringList(out["checks"])
	if !ok {
		return s
	}
	if _, set := out["checks"]; !set {
		checks = golangciStaticcheckDefault
	}
	checks = slices.Clone(checks)
	for _, c := range enable {
		checks = slices.DeleteFunc(checks, func(x string) bool { return x == "-"+c })
		if !slices.Contains(checks, c) {
			checks = append(checks, c)
		}
	}
	for _, c := range disable {
		checks = slices.DeleteFunc(checks, func(x string) bool { return x == c })
		checks = append(checks, "-"+c)
	}
	out["checks"] = checks
	return out
}

// KnownChecks returns the names of the checks of linter ("gocritic" or
// "staticcheck") that EnableChecks and DisableChecks take, sorted.
func KnownChecks(linter string) []string {
	switch linter {
	case "gocritic":
		return slices.DeleteFunc(slices.Sorted(maps.Keys(gocriticChecks)), func(c string) bool { return c == "ruleguard" })
	case "staticcheck":
		return slices.Clone(staticcheckChecks)
	}
	return nil
}
