package checks

import (
	"context"
	"errors"
	"fmt"
	"path"
	"path/filepath"
	"strings"
	"sync"

	"github.com/perfctl/perfctl/bench"
	"github.com/perfctl/perfctl/internal/english"
	"github.com/perfctl/perfctl/internal/gomod"
)

// moduleSpaces returns a workspace for each of ws.Modules, made once: the
// kinds that work on packages (Kind.PerModule) run in each, and share its
// listing of ./... as they share ws's.
func (ws *Workspace) moduleSpaces() []*Workspace {
	ws.modulesOnce.Do(func() {
		for _, m := range ws.Modules {
			ws.modules = append(ws.modules, &Workspace{Dir: m.Dir, Exec: ws.Exec, Version: ws.Version, Tags: ws.Tags,
				GolangciLint: ws.GolangciLint, TrustCommands: ws.TrustCommands, Progress: ws.Progress,
				RunCompare: ws.RunCompare, modulesOf: modulesOf{parent: ws}})
		}
	})
	return ws.modules
}

// evaluateModules evaluates c in each module of ws.Modules, concurrently,
// and joins the results into one (joinModules). A module without Go
// packages (only assets, or tools behind a build tag) has nothing for
// the check to look at.
func evaluateModules(ctx context.Context, c *Check, ws *Workspace) Result {
	spaces := ws.moduleSpaces()
	results := make([]Result, len(spaces))
	one := func(i int) {
		if _, err := spaces[i].Packages(ctx, nil); errors.Is(err, bench.ErrNoPackages) {
			results[i] = Result{Status: Skip, Message: "no Go packages", empty: true}
			return
		}
		results[i] = c.eval.Evaluate(ctx, spaces[i])
	}
	if KindNamed(c.Kind).Measures {
		for i := range spaces { // timed: one at a time
			one(i)
		}
	} else {
		var wg sync.WaitGroup
		for i := range spaces {
			wg.Go(func() { one(i) })
		}
		wg.Wait()
	}
	return joinModules(ws, ws.Modules, results)
}

// joinModules is one result for a check evaluated in several modules: the
// worst status (error, then fail, then pass; skip when every module
// skipped). A module with nothing for the check to look at (no
// benchmarks: Result.empty) does not fail it unless no module has
// anything. The message is the deciding module's, naming it, with a count
// of the others; the details give every module's status and message, then
// its details; findings are made relative to ws.Dir.
func joinModules(ws *Workspace, ms []gomod.Module, rs []Result) Result {
	allEmpty := true
	for i := range rs {
		allEmpty = allEmpty && rs[i].empty
	}
	status := Skip
	rank := map[Status]int{Skip: 0, Pass: 1, Fail: 2, Error: 3}
	decider := -1
	for i := range rs {
		s := rs[i].Status
		if rs[i].empty && !allEmpty {
			s = Skip
		}
		if decider < 0 || rank[s] > rank[status] {
			status, decider = s, i
		}
	}
	out := Result{Status: status}
	name := ms[decider].Path
	if name == "" {
		name = ms[decider].Label()
	}
	out.Message = name + ": " + rs[decider].Message
	if len(rs) > 1 {
		counts := map[Status]int{}
		nothing := 0
		for i := range rs {
			switch {
			case i == decider:
			case rs[i].empty && !allEmpty:
				nothing++
			default:
				counts[rs[i].Status]++
			}
		}
		var parts []string
		for _, s := range []Status{Error, Fail, Pass, Skip} {
			if counts[s] > 0 {
				parts = append(parts, fmt.Sprintf("%d %s", counts[s], s))
			}
		}
		if nothing > 0 {
			parts = append(parts, fmt.Sprintf("%d with nothing to check", nothing))
		}
		out.Message += fmt.Sprintf(" (%s: %s)", english.Plural(len(rs)-1, "other module", "other modules"), strings.Join(parts, ", "))
	}
	for i := range rs {
		r := &rs[i]
		note := ""
		if r.empty && !allEmpty {
			note = " (nothing to check in this module)"
		}
		out.Details = append(out.Details, fmt.Sprintf("module %s: %s: %s%s", ms[i].Name(), r.Status, r.Message, note))
		for _, d := range r.Details {
			out.Details = append(out.Details, "    "+d)
		}
		prefix := ""
		if rel, err := filepath.Rel(ws.Dir, ms[i].Dir); err == nil && rel != "." {
			prefix = filepath.ToSlash(rel)
		}
		for _, f := range r.Findings {
			if prefix != "" && !filepath.IsAbs(f.File) {
				f.File = path.Join(prefix, f.File)
			}
			out.Findings = append(out.Findings, f)
		}
		if out.Comparison == nil {
			out.Comparison = r.Comparison
		}
	}
	return out
}

// evaluateCheck runs c in ws: in each of ws.Modules when its kind works on
// packages and the run covers several modules, else once.
func evaluateCheck(ctx context.Context, c *Check, ws *Workspace) Result {
	if len(ws.Modules) > 0 && KindNamed(c.Kind).PerModule {
		return evaluateModules(ctx, c, ws)
	}
	return c.eval.Evaluate(ctx, ws)
}

// modulesOf keeps the per-module state of a Workspace.
type modulesOf struct {
	modulesOnce sync.Once
	modules     []*Workspace
	// parent is the workspace a module's workspace belongs to: what CI
	// runs is read from its files.
	parent *Workspace
}
