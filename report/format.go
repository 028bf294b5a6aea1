package report

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/perfctl/perfctl/baseline"
	"github.com/perfctl/perfctl/bench"
	"github.com/perfctl/perfctl/checks"
	"github.com/perfctl/perfctl/compare"
	"github.com/perfctl/perfctl/history"
	"github.com/perfctl/perfctl/history/trend"
	"github.com/perfctl/perfctl/lint"
	"github.com/perfctl/perfctl/shard"
)

// Format is an output format.
type Format string

// The output formats.
const (
	Text     Format = "text"
	JSON     Format = "json"
	Markdown Format = "markdown"
	SARIF    Format = "sarif"
	JUnit    Format = "junit"
	// CodeQuality is GitLab's Code Quality report (a Code Climate subset).
	CodeQuality Format = "codequality"
)

// Options say how to render.
type Options struct {
	// Color enables ANSI colour in text output.
	Color bool
	// Version is perfctl's version, for the formats that name the tool
	// that wrote them (SARIF).
	Version string
	// Paths place the module in its repository, for the formats that want
	// paths relative to the repository root (SARIF, Code Quality).
	Paths RepoPaths
	// Request is the comparison request that made the comparison (perfctl
	// compare), or of the regression checks (perfctl check), for the
	// commands that reproduce it (Markdown); nil when not known.
	Request *compare.Request
}

// Document is a kind of result that formats render.
type Document int

// The documents.
const (
	DocCheck          Document = iota // a policy's checks (perfctl check)
	DocCompare                        // a comparison (perfctl compare)
	DocLint                           // lint findings (perfctl lint)
	DocBaselineList                   // the stored baselines (perfctl baseline list)
	DocBaselineShow                   // one baseline (perfctl baseline show)
	DocHistoryLog                     // the records of the history store (perfctl history log)
	DocHistoryChanges                 // the change points along the history (perfctl history changes)
	DocProfile                        // profiles written and their top functions (perfctl profile)
	DocLoad                           // a load test's results and budgets (perfctl load); its renderers are in load.go
	DocShardPlan                      // the shards of a plan (perfctl shard plan)
)

// renderers are how one format renders each document; nil for a document
// it does not render.
type renderers struct {
	Check        func(w io.Writer, r *checks.Report, opts Options) error
	Compare      func(w io.Writer, c *bench.Comparison, opts Options) error
	Lint         func(w io.Writer, res *lint.Result, linters []string, opts Options) error
	BaselineList func(w io.Writer, infos []baseline.Info, opts Options) error
	BaselineShow func(w io.Writer, info *baseline.Info, rows []bench.SummaryRow, opts Options) error
	HistoryLog   func(w io.Writer, log *history.Log, opts Options) error
	Changes      func(w io.Writer, a *trend.Analysis, opts Options) error
	Profile      func(w io.Writer, r *ProfileReport, opts Options) error
	ShardPlan    func(w io.Writer, p *shard.Plan) error
}

// A formatEntry is a format of the registry: its name, other names it
// answers to, whether it places problems at paths relative to the
// repository root (Options.Paths), and its renderers.
type formatEntry struct {
	name    Format
	aliases []string
	paths   bool
	renderers
}

// registry is every output format, in the order help and errors list
// them. A new format is a file with its renderers and a line here.
var registry = []formatEntry{
	{Text, nil, false, renderers{Check: CheckText, Compare: CompareText, Lint: lintText, BaselineList: BaselineListText, BaselineShow: BaselineShowText, HistoryLog: noOptions(HistoryLogText), Changes: noOptions(ChangesText), Profile: noOptions(ProfileText), ShardPlan: shardPlanText}},
	{JSON, nil, false, renderers{Check: noOptions(CheckJSON), Compare: noOptions(CompareJSON), Lint: lintJSON, BaselineList: noOptions(BaselineListJSON), BaselineShow: baselineShowJSON, HistoryLog: noOptions(HistoryLogJSON), Changes: noOptions(ChangesJSON), Profile: noOptions(ProfileJSON), ShardPlan: shardPlanJSONWrite}},
	{Markdown, []string{"md"}, false, renderers{Check: checkMarkdown, Compare: compareMarkdown, Changes: changesMarkdown}},
	{JUnit, nil, false, renderers{Check: noOptions(CheckJUnit), Compare: noOptions(CompareJUnit)}},
	{SARIF, nil, true, renderers{Check: checkSARIF, Compare: compareSARIF, Lint: lintSARIF}},
	{CodeQuality, nil, true, renderers{Check: checkCodeQuality}},
	{HTML, nil, false, renderers{Compare: compareHTML}},
}

// NeedsRepoPaths reports whether f places problems at paths relative to
// the repository root, for which the caller must give Options.Paths.
func (f Format) NeedsRepoPaths() bool {
	e := lookup(f)
	return e != nil && e.paths
}

// Formats lists the formats that render d, in the registry's order.
func Formats(d Document) []Format {
	var out []Format
	for i := range registry {
		if registry[i].renders(d) {
			out = append(out, registry[i].name)
		}
	}
	return out
}

// FormatList says formats as a sentence does: "text, json or markdown".
func FormatList(formats []Format) string {
	names := make([]string, len(formats))
	for i, f := range formats {
		names[i] = string(f)
	}
	if len(names) < 2 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
}

// ParseFormat checks name, a format's name or another name it answers to
// ("md"), against the formats a command supports.
func ParseFormat(name string, supported ...Format) (Format, error) {
	for _, f := range supported {
		if e := lookup(f); e != nil && (e.name == Format(name) || slices.Contains(e.aliases, name)) {
			return f, nil
		}
	}
	names := make([]string, len(supported))
	for i, f := range supported {
		names[i] = string(f)
	}
	return "", fmt.Errorf("unknown format %q: use one of %s", name, strings.Join(names, ", "))
}

// RenderCheck writes r in format f.
func RenderCheck(w io.Writer, f Format, r *checks.Report, opts Options) error {
	rs, err := renderersFor(f, DocCheck)
	if err != nil {
		return err
	}
	return rs.Check(w, r, opts)
}

// RenderShardPlan writes the plan p in format f.
func RenderShardPlan(w io.Writer, f Format, p *shard.Plan) error {
	rs, err := renderersFor(f, DocShardPlan)
	if err != nil {
		return err
	}
	return rs.ShardPlan(w, p)
}

// RenderCompare writes c in format f.
func RenderCompare(w io.Writer, f Format, c *bench.Comparison, opts Options) error {
	rs, err := renderersFor(f, DocCompare)
	if err != nil {
		return err
	}
	return rs.Compare(w, c, opts)
}

// RenderLint writes the lint findings of res, found by linters, in format
// f.
func RenderLint(w io.Writer, f Format, res *lint.Result, linters []string, opts Options) error {
	rs, err := renderersFor(f, DocLint)
	if err != nil {
		return err
	}
	return rs.Lint(w, res, linters, opts)
}

// RenderBaselineList writes the stored baselines in format f.
func RenderBaselineList(w io.Writer, f Format, infos []baseline.Info, opts Options) error {
	rs, err := renderersFor(f, DocBaselineList)
	if err != nil {
		return err
	}
	return rs.BaselineList(w, infos, opts)
}

// RenderBaselineShow writes a baseline and the summary of its benchmarks
// in format f.
func RenderBaselineShow(w io.Writer, f Format, info *baseline.Info, rows []bench.SummaryRow, opts Options) error {
	rs, err := renderersFor(f, DocBaselineShow)
	if err != nil {
		return err
	}
	return rs.BaselineShow(w, info, rows, opts)
}

// RenderHistoryLog writes the records of the history store in format f.
func RenderHistoryLog(w io.Writer, f Format, log *history.Log, opts Options) error {
	rs, err := renderersFor(f, DocHistoryLog)
	if err != nil {
		return err
	}
	return rs.HistoryLog(w, log, opts)
}

// RenderChanges writes the change points of a in format f.
func RenderChanges(w io.Writer, f Format, a *trend.Analysis, opts Options) error {
	rs, err := renderersFor(f, DocHistoryChanges)
	if err != nil {
		return err
	}
	return rs.Changes(w, a, opts)
}

// RenderProfile writes what perfctl profile wrote and found in format f.
func RenderProfile(w io.Writer, f Format, r *ProfileReport, opts Options) error {
	rs, err := renderersFor(f, DocProfile)
	if err != nil {
		return err
	}
	return rs.Profile(w, r, opts)
}

func lookup(f Format) *formatEntry {
	for i := range registry {
		if registry[i].name == f {
			return &registry[i]
		}
	}
	return nil
}

// renderersFor returns the renderers of f, or an error when f does not
// render d.
func renderersFor(f Format, d Document) (*renderers, error) {
	e := lookup(f)
	if e == nil || !e.renders(d) {
		return nil, fmt.Errorf("the %s format does not render this report", f)
	}
	return &e.renderers, nil
}

// renders reports whether rs render d.
func (rs *renderers) renders(d Document) bool {
	switch d {
	case DocCheck:
		return rs.Check != nil
	case DocCompare:
		return rs.Compare != nil
	case DocLint:
		return rs.Lint != nil
	case DocBaselineList:
		return rs.BaselineList != nil
	case DocBaselineShow:
		return rs.BaselineShow != nil
	case DocHistoryLog:
		return rs.HistoryLog != nil
	case DocHistoryChanges:
		return rs.Changes != nil
	case DocShardPlan:
		return rs.ShardPlan != nil
	case DocProfile:
		return rs.Profile != nil
	case DocLoad:
		return rs.loadRenderer() != nil
	}
	return false
}

// noOptions adapts a renderer that takes no Options to the registry.
func noOptions[D any](render func(io.Writer, D) error) func(io.Writer, D, Options) error {
	return func(w io.Writer, d D, _ Options) error { return render(w, d) }
}
