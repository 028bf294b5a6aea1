package bench

import (
	"fmt"
	"strings"
)

// EnvironmentKeys are the configuration keys that describe the machine and
// toolchain a result was measured on. Results measured on different ones
// are not comparable, and Compare warns about it.
var EnvironmentKeys = []string{"goos", "goarch", "cpu", "go", "gomaxprocs"}

// runKeys are the recorded run settings that change what a number means:
// results run with a different -benchtime or build tags are not comparable.
var runKeys = map[string]string{"perfctl-benchtime": "--benchtime", "perfctl-tags": "--tags"}

func environmentWarnings(base, head *ResultSet) []string {
	var warnings []string
	for _, key := range []string{"perfctl-benchtime", "perfctl-tags"} {
		b, h := base.ConfigValue(key), head.ConfigValue(key)
		if b != h && (len(base.Config[key]) > 0 || len(head.Config[key]) > 0) {
			warnings = append(warnings, fmt.Sprintf("the runs used different %s: base %q, head %q: the results may not be comparable", runKeys[key], b, h))
		}
	}
	for _, key := range EnvironmentKeys {
		b, h := base.Config[key], head.Config[key]
		switch {
		case len(b) > 1:
			warnings = append(warnings, fmt.Sprintf("%s mixes results of several %s values (%s): its numbers may not be comparable", base.Source, key, quoteAll(b)))
		case len(h) > 1:
			warnings = append(warnings, fmt.Sprintf("%s mixes results of several %s values (%s): its numbers may not be comparable", head.Source, key, quoteAll(h)))
		case len(b) == 1 && len(h) == 1 && b[0] != h[0]:
			warnings = append(warnings, fmt.Sprintf("%s differs: base %q, head %q: the results were measured in different environments and may not be comparable", key, b[0], h[0]))
		}
	}
	return warnings
}

// environmentDiffers reports whether base and head were measured in
// different environments: a key of EnvironmentKeys with different values.
func environmentDiffers(base, head *ResultSet) bool {
	for _, key := range EnvironmentKeys {
		b, h := base.Config[key], head.Config[key]
		if len(b) > 1 || len(h) > 1 || len(b) == 1 && len(h) == 1 && b[0] != h[0] {
			return true
		}
	}
	return false
}

func quoteAll(vals []string) string {
	q := make([]string, len(vals))
	for i, v := range vals {
		q[i] = fmt.Sprintf("%q", v)
	}
	return strings.Join(q, ", ")
}
