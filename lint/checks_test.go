package lint

import (
	"slices"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// settingsOf returns the linters.settings of p's configuration.
func settingsOf(t *testing.T, p *Profile) map[string]map[string]any {
	t.Helper()
	cfg, err := p.Config()
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Linters struct {
			Settings map[string]map[string]any
		}
	}
	if err := yaml.Unmarshal(cfg, &doc); err != nil {
		t.Fatal(err)
	}
	return doc.Linters.Settings
}

func list(v any) []string {
	s, _ := stringList(v)
	return s
}

func TestDefaultGocriticChecks(t *testing.T) {
	p := DefaultProfile()
	gc := settingsOf(t, &p)["gocritic"]
	if gc["disable-all"] != true {
		t.Errorf("gocritic settings %v, want disable-all", gc)
	}
	for _, key := range []string{"enabled-tags", "disabled-tags", "disabled-checks"} {
		if _, ok := gc[key]; ok {
			t.Errorf("gocritic settings keep %s: %v", key, gc)
		}
	}
	got := list(gc["enabled-checks"])
	var want []string
	for name, tags := range gocriticChecks {
		if slices.Contains(strings.Fields(tags), "performance") && !slices.Contains(defaultDisabledChecks, name) {
			want = append(want, name)
		}
	}
	slices.Sort(want)
	if slices.Contains(got, "preferStringWriter") {
		t.Errorf("enabled-checks %v: preferStringWriter is left out", got)
	}
	thresholds, _ := gc["settings"].(map[string]any)
	if h, _ := thresholds["hugeParam"].(map[string]any); h["sizeThreshold"] != 1024 {
		t.Errorf("hugeParam settings %v", thresholds)
	}
	if r, _ := thresholds["rangeValCopy"].(map[string]any); r["sizeThreshold"] != 512 {
		t.Errorf("rangeValCopy settings %v", thresholds)
	}
	if !slices.Equal(got, want) || !slices.Contains(got, "hugeParam") || !slices.Contains(got, "rangeValCopy") {
		t.Errorf("enabled-checks %v, want the performance tag's %v", got, want)
	}
}

func TestDisableAndEnableChecks(t *testing.T) {
	p := DefaultProfile()
	if err := p.DisableChecks("hugeParam", "SA6002"); err != nil {
		t.Fatal(err)
	}
	if err := p.EnableChecks("sloppyLen", "SA4006"); err != nil {
		t.Fatal(err)
	}
	s := settingsOf(t, &p)
	gc := list(s["gocritic"]["enabled-checks"])
	if slices.Contains(gc, "hugeParam") || !slices.Contains(gc, "rangeValCopy") || !slices.Contains(gc, "sloppyLen") {
		t.Errorf("gocritic enabled-checks %v: want hugeParam off, rangeValCopy and sloppyLen on", gc)
	}
	if _, ok := s["gocritic"]["disabled-checks"]; ok {
		t.Errorf("disabled-checks next to disable-all: golangci-lint refuses that: %v", s["gocritic"])
	}
	sc := list(s["staticcheck"]["checks"])
	if !slices.Equal(sc, []string{"SA6000", "SA6001", "SA6003", "SA6005", "SA6006", "SA4006", "-SA6002"}) {
		t.Errorf("staticcheck checks %v", sc)
	}
	// Turning a check back on undoes turning it off.
	if err := p.EnableChecks("SA6002"); err != nil {
		t.Fatal(err)
	}
	if sc := list(settingsOf(t, &p)["staticcheck"]["checks"]); !slices.Contains(sc, "SA6002") || slices.Contains(sc, "-SA6002") {
		t.Errorf("staticcheck checks %v after enabling SA6002 again", sc)
	}
}

func TestEnableCheckEnablesItsLinter(t *testing.T) {
	p := DefaultProfile()
	p.Disable("staticcheck", "gocritic")
	if err := p.EnableChecks("SA6002"); err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(p.Linters, "staticcheck") || slices.Contains(p.Linters, "gocritic") {
		t.Errorf("linters %v, want staticcheck back and gocritic still off", p.Linters)
	}
	sc := list(settingsOf(t, &p)["staticcheck"]["checks"])
	if !slices.Contains(sc, "SA6002") {
		t.Errorf("staticcheck checks %v", sc)
	}
	// A disabled check of a disabled linter: nothing to write.
	p = DefaultProfile()
	p.Disable("gocritic")
	if err := p.DisableChecks("hugeParam"); err != nil {
		t.Fatal(err)
	}
	if _, ok := settingsOf(t, &p)["gocritic"]; ok {
		t.Error("settings of a disabled linter written")
	}
}

func TestSetDisabledChecksWorks(t *testing.T) {
	// The user trial's command: --set 'gocritic.disabled-checks=[hugeParam]'.
	p := DefaultProfile()
	if err := p.Set("gocritic.disabled-checks=[hugeParam]"); err != nil {
		t.Fatal(err)
	}
	gc := settingsOf(t, &p)["gocritic"]
	if slices.Contains(list(gc["enabled-checks"]), "hugeParam") || gc["disabled-checks"] != nil || len(list(gc["enabled-checks"])) == 0 {
		t.Errorf("gocritic settings %v", gc)
	}
	// Tags resolve too.
	p = DefaultProfile()
	if err := p.Set("gocritic.enabled-tags=[performance,diagnostic]"); err != nil {
		t.Fatal(err)
	}
	if err := p.Set("gocritic.disabled-tags=[experimental]"); err != nil {
		t.Fatal(err)
	}
	got := list(settingsOf(t, &p)["gocritic"]["enabled-checks"])
	if !slices.Contains(got, "appendAssign") || !slices.Contains(got, "hugeParam") {
		t.Errorf("enabled-checks %v: want diagnostic's appendAssign and performance's hugeParam", got)
	}
	for _, c := range got {
		if hasTag(c, []string{"experimental"}) {
			t.Errorf("experimental %s enabled", c)
		}
	}
	// Without disable-all, golangci-lint takes the lists as they are.
	p = DefaultProfile()
	if err := p.Set("gocritic.disable-all=false"); err != nil {
		t.Fatal(err)
	}
	if err := p.DisableChecks("hugeParam"); err != nil {
		t.Fatal(err)
	}
	if gc := settingsOf(t, &p)["gocritic"]; !slices.Equal(list(gc["disabled-checks"]), []string{"hugeParam", "preferStringWriter"}) {
		t.Errorf("gocritic settings %v", gc)
	}
}

func TestEnablePreferStringWriterAgain(t *testing.T) {
	p := DefaultProfile()
	if err := p.EnableChecks("preferStringWriter"); err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(list(settingsOf(t, &p)["gocritic"]["enabled-checks"]), "preferStringWriter") {
		t.Error("preferStringWriter still off")
	}
}

func TestUnknownChecks(t *testing.T) {
	cases := []struct {
		do   func(p *Profile) error
		want string
	}{
		{func(p *Profile) error { return p.DisableChecks("hugeparam") }, `"hugeparam" is not a check of gocritic or staticcheck (golangci-lint v2.15.0) (did you mean "hugeParam"?)`},
		{func(p *Profile) error { return p.DisableChecks("hugeParm") }, `did you mean "hugeParam"?`},
		{func(p *Profile) error { return p.EnableChecks("SA6009") }, `(did you mean "SA`},
		{func(p *Profile) error { return p.EnableChecks("nosuchthing") }, `"nosuchthing" is not a check`},
		{func(p *Profile) error { return p.Set("gocritic.disabled-checks=[hugeParm]") }, `"hugeParm" is not a gocritic check (did you mean "hugeParam"?)`},
		{func(p *Profile) error { return p.Set("gocritic.disabled-checks=hugeParam") }, `a list of check names`},
		{func(p *Profile) error { return p.Set("gocritic.enabled-tags=[performanc]") }, `(did you mean "performance"?)`},
		{func(p *Profile) error { return p.Set("staticcheck.checks=[SA6000, SA6020]") }, `"SA6020" is not a staticcheck check`},
		{func(p *Profile) error { return p.Set("gocritic.Enabled-Checks=[ruleguard]") }, `ruleguard loads rule files`},
		{func(p *Profile) error { return p.Set("gocritic.disabled-tags=[performance]") }, `leaves gocritic no check to run`},
	}
	for _, c := range cases {
		p := DefaultProfile()
		err := c.do(&p)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("error %v, want one with %q", err, c.want)
		}
	}
	p := DefaultProfile()
	for _, ok := range []string{"staticcheck.checks=[all, -SA1019, SA6*, -ST1000]", "gocritic.enabled-checks=[sliceClear]"} {
		if err := p.Set(ok); err != nil {
			t.Errorf("%s: %v", ok, err)
		}
	}
}

func TestDisablingEveryGocriticCheck(t *testing.T) {
	p := DefaultProfile()
	for name, tags := range gocriticChecks {
		if strings.Contains(tags, "performance") {
			if err := p.DisableChecks(name); err != nil {
				t.Fatal(err)
			}
		}
	}
	_, err := p.Config()
	if err == nil || !strings.Contains(err.Error(), "--disable gocritic") {
		t.Errorf("error %v, want the advice to disable the linter", err)
	}
}

func TestConfigRejection(t *testing.T) {
	// What golangci-lint v2.15.0 prints (see the testscript lint_checks).
	cases := map[string]string{
		"level=error msg=\"[linters_context] gocritic: invalid settings: enable-all and disable-all options must not be combined\"\n":                                                  "gocritic: invalid settings: enable-all and disable-all options must not be combined",
		"Error: can't load config: unsupported version of the configuration\nThe command is terminated due to an error: can't load config: unsupported version of the configuration\n": "unsupported version of the configuration",
	}
	for stderr, want := range cases {
		got, ok := configRejection(stderr)
		if !ok || got != want {
			t.Errorf("configRejection(%q) = %q, %v; want %q", stderr, got, ok, want)
		}
	}
	if _, ok := configRejection("level=error msg=\"[runner] can't run linter goanalysis_metalinter: buildir: panic\"\n"); ok {
		t.Error("a failure on the code read as a configuration problem")
	}
	p := DefaultProfile()
	for _, s := range []string{"prealloc.simple=false", "gocritic.enable-all=true"} {
		if err := p.Set(s); err != nil {
			t.Fatal(err)
		}
	}
	e := p.rejected("gocritic: invalid settings: enable-all and disable-all options must not be combined", "")
	if !slices.Equal(e.Blame, []string{"gocritic.enable-all=true"}) {
		t.Errorf("blame %v", e.Blame)
	}
	d := e.Describe()
	if !strings.HasPrefix(d.Msg, "perfctl's generated golangci-lint configuration was rejected: gocritic: invalid settings") ||
		!strings.Contains(d.Hint, "this is a perfctl setting problem: gocritic.enable-all=true") {
		t.Errorf("described as %+v", d)
	}
}
