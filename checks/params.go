package checks

import (
	"fmt"
	"reflect"
	"slices"
	"strings"
)

// Parameters that reach a program's command line are checked here, when
// the policy is parsed: a policy comes with the repository, and on a pull
// request it is written by whoever opened it. Nothing in it may become an
// option of go, git or golangci-lint that perfctl did not choose.

// validatePackages refuses package patterns that go would read as flags
// (go test takes flags after the packages too) or that are empty.
func validatePackages(patterns []string) error {
	for _, p := range patterns {
		switch {
		case strings.TrimSpace(p) == "":
			return fmt.Errorf("packages: an empty pattern in %q", patterns)
		case strings.HasPrefix(p, "-"):
			return fmt.Errorf("packages: %q is not a package pattern (it starts with -): flags cannot be given here", p)
		case strings.ContainsAny(p, "\x00\n\r"):
			return fmt.Errorf("packages: %q has a control character", p)
		}
	}
	return nil
}

// packagesOf returns the Packages parameter of a kind's evaluator, if it
// has one.
func packagesOf(e Evaluator) ([]string, bool) {
	v := reflect.ValueOf(e)
	if v.Kind() != reflect.Pointer || v.Elem().Kind() != reflect.Struct {
		return nil, false
	}
	f := v.Elem().FieldByName("Packages")
	if !f.IsValid() || f.Type() != reflect.TypeFor[[]string]() {
		return nil, false
	}
	return f.Interface().([]string), true
}

// goTestFlag describes a go test flag a policy may pass.
type goTestFlag struct {
	value  bool     // takes a value
	values []string // the values allowed, when only some are
}

// goTestFlags are the go test flags a coverage check's args may hold: they
// select and pace the tests. Flags that run programs (-exec, -toolexec,
// -ldflags=-extld=…), write files (-o, -cpuprofile, -outputdir, …), read
// other sources (-overlay, -modfile) or change go.mod (-mod=mod) are not
// among them.
var goTestFlags = map[string]goTestFlag{
	"short": {}, "v": {}, "failfast": {}, "race": {}, "trimpath": {}, "fullpath": {},
	"run": {value: true}, "skip": {value: true}, "count": {value: true}, "timeout": {value: true},
	"p": {value: true}, "parallel": {value: true}, "cpu": {value: true}, "shuffle": {value: true},
	"vet": {value: true}, "tags": {value: true},
	"bench": {value: true}, "benchtime": {value: true}, "benchmem": {},
	"covermode": {value: true, values: []string{"set", "count", "atomic"}},
	"mod":       {value: true, values: []string{"readonly", "vendor"}},
}

// validateGoTestArgs checks the extra go test flags of a policy against
// goTestFlags.
func validateGoTestArgs(args []string) error {
	allowed := make([]string, 0, len(goTestFlags))
	for name := range goTestFlags {
		allowed = append(allowed, "-"+name)
	}
	slices.Sort(allowed)
	for _, a := range args {
		if !strings.HasPrefix(a, "-") {
			return fmt.Errorf("args: %q is not a go test flag; give packages in packages", a)
		}
		name, value, hasValue := strings.Cut(strings.TrimPrefix(strings.TrimPrefix(a, "-"), "-"), "=")
		f, ok := goTestFlags[name]
		if !ok {
			return fmt.Errorf("args: %s is not a go test flag a policy may set (it could run programs or write files); the allowed ones are %s — for anything else use a command check, allowed from a trusted place (docs/policy.md#commands-and-trust)",
				a, strings.Join(allowed, " "))
		}
		if f.value && !hasValue {
			// One item per flag, so that every item is a flag.
			return fmt.Errorf("args: %s needs a value in the same item: %s=VALUE", a, a)
		}
		if !f.value && hasValue && value != "true" && value != "false" {
			return fmt.Errorf("args: %s takes no value (or =true, =false)", a)
		}
		if len(f.values) > 0 && !slices.Contains(f.values, value) {
			return fmt.Errorf("args: -%s=%s: use one of %s", name, value, strings.Join(f.values, ", "))
		}
		if strings.ContainsAny(value, "\x00\n\r") {
			return fmt.Errorf("args: the value of -%s has a control character", name)
		}
	}
	return nil
}
