package checks

import (
	"strings"
	"testing"
)

func TestParsePreset(t *testing.T) {
	for in, want := range map[string]Preset{"": PresetAuto, "auto": PresetAuto, "Library": PresetLibrary, " cli ": PresetCLI, "service": PresetService} {
		if got, err := ParsePreset(in); err != nil || got != want {
			t.Errorf("ParsePreset(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	if _, err := ParsePreset("daemon"); err == nil || !strings.Contains(err.Error(), "use library, service, cli or auto") {
		t.Errorf("ParsePreset(daemon) = %v", err)
	}
}

func TestAuxiliaryDirs(t *testing.T) {
	for dir, aux := range map[string]bool{
		".": false, "cmd/app": false, "examples/demo": true, "_example/x": true, "example": true,
		"internal/tools": true, "tools/gen": true, "hack": true, "benchmarks/cmd": true, "cmd/contest": false,
		"testdata/x": true, "internal/test": true, "e2e": true, "cmd/examplesrv": false,
	} {
		if got := auxiliaryDir.MatchString(dir); got != aux {
			t.Errorf("auxiliaryDir(%q) = %v, want %v", dir, got, aux)
		}
	}
}

func TestInternalMains(t *testing.T) {
	for dir, internal := range map[string]bool{"internal/readme": true, "x/internal": true, "cmd/app": false, "internals": false} {
		if got := internalDir.MatchString(dir); got != internal {
			t.Errorf("internalDir(%q) = %v, want %v", dir, got, internal)
		}
	}
}

func TestServerCall(t *testing.T) {
	for src, serves := range map[string]bool{
		`http.ListenAndServe(":8080", nil)`:        true,
		`srv.ListenAndServeTLS(cert, key)`:         true,
		`s := &http.Server{Addr: addr}`:            true,
		`g := grpc.NewServer()`:                    true,
		`srv.Serve(ln)`:                            true,
		`resp, err := http.Get(url)`:               false,
		`client := &http.Client{Timeout: 5}`:       false,
		`// ServeHTTP serves`:                      false,
		`mux.HandleFunc("/", h); h.ServeHTTP(w,r)`: false,
	} {
		if got := serverCall.MatchString(src); got != serves {
			t.Errorf("serverCall(%q) = %v, want %v", src, got, serves)
		}
	}
}

func TestDefaultPolicyPresets(t *testing.T) {
	p := Default()
	if !p.UsesPresets() {
		t.Fatal("the default policy uses presets")
	}
	applies := func(preset Preset) (ids []string) {
		for _, c := range p.Checks {
			if c.Level == Must && c.appliesTo(preset) {
				ids = append(ids, c.ID)
			}
		}
		return ids
	}
	lib := strings.Join(applies(PresetLibrary), " ")
	for _, id := range []string{"perf-lints-denied", "benchmarks-compile", "no-regression", "benchmarking-documented", "library-benchmarks"} {
		if !strings.Contains(lib, id) {
			t.Errorf("a library's MUST checks %s lack %s", lib, id)
		}
	}
	for _, id := range []string{"release-build-optimized", "db-pool-configured", "load-testing-documented", "concurrency-documented"} {
		if strings.Contains(lib, id) {
			t.Errorf("a library's MUST checks %s include %s", lib, id)
		}
	}
	svc := applies(PresetService)
	if len(svc) != len(applies(""))-1 { // all but library-benchmarks
		t.Errorf("a service's MUST checks are %v", svc)
	}
}

func TestExtendsDefault(t *testing.T) {
	p, err := Parse([]byte(`version: 1
extends: default
preset: cli
checks:
  - id: test-coverage
    params: {min: 12}
  - id: db-pool-configured
    skip: no pools
  - id: mine
    level: MAY
    kind: file
    title: A file
    params: {paths: [x]}
`), "p.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if p.Preset != PresetCLI || len(p.Checks) != len(Default().Checks)+1 {
		t.Fatalf("preset %q, %d checks", p.Preset, len(p.Checks))
	}
	cov := p.check("test-coverage")
	if cov.eval.(*coverageCheck).min() != 12 || cov.Level != Should || cov.Title == "" {
		t.Errorf("test-coverage: %+v", cov)
	}
	if db := p.check("db-pool-configured"); db.Skip != "no pools" || db.Level != Must {
		t.Errorf("db-pool-configured: %+v", db)
	}
	if last := p.Checks[len(p.Checks)-1]; last.ID != "mine" {
		t.Errorf("the new check comes last, got %s", last.ID)
	}
	// The effective policy reads back as itself.
	out, err := p.YAML()
	if err != nil {
		t.Fatal(err)
	}
	back, err := Parse(out, "back")
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if len(back.Checks) != len(p.Checks) || back.Preset != PresetCLI || back.check("db-pool-configured").Skip != "no pools" ||
		len(back.check("release-build-optimized").Presets) != 2 {
		t.Errorf("read back: %d checks, preset %q", len(back.Checks), back.Preset)
	}
}
