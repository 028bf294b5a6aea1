package checks

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/perfctl/perfctl/bench"
)

// A Preset is the kind of module a policy is applied to. The seed's
// checklist is a service's: a library ships no binary and runs no
// database pool, so some of its items do not apply to one. A check lists
// the presets it applies to (presets: in the policy); under another
// preset it is skipped, with the reason.
type Preset string

// The presets.
const (
	PresetAuto    Preset = "auto" // detect it (DetectPreset)
	PresetLibrary Preset = "library"
	PresetService Preset = "service"
	PresetCLI     Preset = "cli"
)

// Presets are the presets a module can be.
var Presets = []Preset{PresetLibrary, PresetService, PresetCLI}

// presetWords names a preset in messages ("not for a library").
var presetWords = map[Preset]string{PresetLibrary: "a library", PresetService: "a service", PresetCLI: "a command-line tool"}

// ParsePreset reads a preset's name; "" and "auto" are PresetAuto.
func ParsePreset(s string) (Preset, error) {
	switch p := Preset(strings.ToLower(strings.TrimSpace(s))); p {
	case "", PresetAuto:
		return PresetAuto, nil
	case PresetLibrary, PresetService, PresetCLI:
		return p, nil
	}
	return "", fmt.Errorf("unknown preset %q: use library, service, cli or auto", s)
}

// A PresetChoice is the preset a run applies, and why.
type PresetChoice struct {
	Preset Preset
	// Source says where it came from: "detected", "policy" (preset: in
	// the policy file) or "flag" (--preset).
	Source string
	// Reason says why, for a detected preset: what perfctl found.
	Reason string
}

// String is how reports say it: "library (detected: no main package)".
func (c PresetChoice) String() string {
	switch {
	case c.Preset == "":
		return ""
	case c.Reason != "":
		return fmt.Sprintf("%s (%s: %s)", c.Preset, c.Source, c.Reason)
	}
	return fmt.Sprintf("%s (%s)", c.Preset, c.Source)
}

// appliesTo reports whether c applies under preset p.
func (c *Check) appliesTo(p Preset) bool {
	return p == "" || len(c.Presets) == 0 || slices.Contains(c.Presets, p)
}

// notForReason is the skip reason of a check that does not apply under
// preset choice.
func (c *Check) notForReason(choice PresetChoice) string {
	names := make([]string, len(c.Presets))
	for i, p := range c.Presets {
		names[i] = string(p)
	}
	return fmt.Sprintf("not for %s (preset %s); applies to: %s", presetWords[choice.Preset], choice, strings.Join(names, ", "))
}

// UsesPresets reports whether the preset matters to p: it names one, or a
// check applies to some presets only.
func (p *Policy) UsesPresets() bool {
	if p.Preset != "" && p.Preset != PresetAuto {
		return true
	}
	return slices.ContainsFunc(p.Checks, func(c *Check) bool { return len(c.Presets) > 0 })
}

// ChoosePreset decides the preset of a run: flag (--preset) when given,
// else the policy's preset:, else what the module looks like. It returns
// the zero PresetChoice when the policy does not use presets.
func (ws *Workspace) ChoosePreset(ctx context.Context, p *Policy, flag Preset) (PresetChoice, error) {
	switch {
	case flag != "" && flag != PresetAuto:
		return PresetChoice{Preset: flag, Source: "flag"}, nil
	case !p.UsesPresets():
		return PresetChoice{}, nil
	case p.Preset != "" && p.Preset != PresetAuto:
		return PresetChoice{Preset: p.Preset, Source: "policy"}, nil
	}
	return ws.DetectPreset(ctx)
}

// Directories whose main packages are examples, tools or scaffolding of
// the module, not what it ships.
var auxiliaryDir = regexp.MustCompile(`(^|/)(_?examples?|tools|hack|scripts|benchmarks?|internal/tools|testdata|test|tests|e2e)(/|$)`)

// internalDir holds packages only the module itself uses: a main package
// there is one of its tools (go.uber.org/zap's internal/readme generates
// its README), not what it ships.
var internalDir = regexp.MustCompile(`(^|/)internal(/|$)`)

// serverCall matches code that serves network requests (the non-test
// files of packages that import net/http or gRPC).
var serverCall = regexp.MustCompile(`\b(ListenAndServe|ListenAndServeTLS)\(|\bhttp\.Server\{|\bgrpc\.NewServer\(|\.Serve\([a-zA-Z_][a-zA-Z0-9_]*\)`)

// servesImports are the imports a server's code uses; databaseImport
// makes a module with a main package a service by itself.
var (
	servesImports  = []string{"net/http", "google.golang.org/grpc"}
	databaseImport = "database/sql"
)

// DetectPreset says what the module looks like: a library when it has no
// main package (outside examples, tools, tests and internal/); a service when a main
// package is there and the module serves network requests (net/http's
// ListenAndServe or an http.Server, a gRPC server) or uses database/sql;
// otherwise a command-line tool. When the packages cannot be listed it
// says service: every check of the seed's checklist applies.
func (ws *Workspace) DetectPreset(ctx context.Context) (PresetChoice, error) {
	listed, err := ws.Packages(ctx, nil)
	if err != nil {
		if ctx.Err() != nil {
			return PresetChoice{}, ctx.Err()
		}
		// The checks that build the code say what is wrong with it; the
		// preset falls back to the whole checklist, the seed's.
		return PresetChoice{Preset: PresetService, Source: "detected",
			Reason: "the packages could not be listed, so every check applies"}, nil
	}
	var mains []string
	for i := range listed {
		if listed[i].Name == "main" {
			rel := ws.rel(listed[i].Dir)
			if !auxiliaryDir.MatchString(rel) && !internalDir.MatchString(rel) {
				mains = append(mains, dirName(rel))
			}
		}
	}
	if len(mains) == 0 {
		return PresetChoice{Preset: PresetLibrary, Source: "detected", Reason: "no main package outside examples, tools and internal/"}, nil
	}
	slices.Sort(mains)
	mainWord := "main package " + mains[0]
	if len(mains) > 1 {
		mainWord = fmt.Sprintf("%d main packages (%s, …)", len(mains), mains[0])
	}
	if where := ws.serverCode(listed); where != "" {
		return PresetChoice{Preset: PresetService, Source: "detected", Reason: mainWord + "; " + where}, nil
	}
	return PresetChoice{Preset: PresetCLI, Source: "detected", Reason: mainWord + "; no network server or database/sql"}, nil
}

// serverCode says where the module serves requests or uses a database,
// or "" when it does not.
func (ws *Workspace) serverCode(listed []bench.ListedPackage) string {
	for i := range listed {
		pkg := &listed[i]
		if auxiliaryDir.MatchString(ws.rel(pkg.Dir)) {
			continue
		}
		if slices.Contains(pkg.Imports, databaseImport) {
			return "database/sql in " + dirName(ws.rel(pkg.Dir))
		}
		if !slices.ContainsFunc(servesImports, func(s string) bool { return slices.Contains(pkg.Imports, s) }) {
			continue
		}
		for _, f := range pkg.GoFiles {
			rel := ws.rel(f)
			data, err := ws.ReadFile(rel)
			if err != nil {
				continue
			}
			if loc := serverCall.FindIndex(data); loc != nil {
				line := 1 + strings.Count(string(data[:loc[0]]), "\n")
				return fmt.Sprintf("a network server at %s:%d", rel, line)
			}
		}
	}
	return ""
}

// dirName writes a module-relative directory as go commands take it.
func dirName(rel string) string {
	if rel == "." || rel == "" {
		return "."
	}
	return "./" + rel
}
