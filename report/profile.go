package report

import (
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/perfctl/perfctl/internal/termsafe"
	"github.com/perfctl/perfctl/profile"
)

// ProfileSchema names the JSON document of perfctl profile.
const ProfileSchema = "perfctl/profile/v1"

// A ProfileReport is what perfctl profile wrote and found.
type ProfileReport struct {
	Result *profile.Result
	// Dir is Result.Dir as the user types it: relative to where perfctl
	// runs when it is below it.
	Dir string
	// Flame is the flame graph page's file name in Dir; "" when none.
	Flame string
}

// ProfileFlames are the flame graphs of perfctl profile's page: per
// package, its CPU time and its bytes allocated, titled with the package
// and its benchmarks.
func ProfileFlames(r *profile.Result) []Flame {
	var flames []Flame
	for i := range r.Packages {
		p := &r.Packages[i]
		title := p.ImportPath
		if len(p.Benchmarks) > 0 {
			title += " (" + strings.Join(p.Benchmarks, ", ") + ")"
		}
		if p.CPUTree != nil {
			flames = append(flames, Flame{Title: title + ": CPU time", Tree: p.CPUTree})
		}
		if p.AllocTree != nil {
			flames = append(flames, Flame{Title: title + ": bytes allocated", Tree: p.AllocTree})
		}
	}
	return flames
}

// ProfileCommands are the go tool pprof commands that open the profiles
// of p, with its test binary for source and disassembly.
func (r *ProfileReport) ProfileCommands(p *profile.Package) []string {
	var cmds []string
	in := func(name string) string { return shellWord(filepath.Join(r.Dir, name)) }
	bin := in(filepath.Base(p.Binary))
	if p.Files.CPU != "" {
		cmds = append(cmds, "go tool pprof -http=: "+bin+" "+in(p.Files.CPU))
	}
	if p.Files.Alloc != "" {
		cmds = append(cmds, "go tool pprof -http=: -sample_index=alloc_space "+bin+" "+in(p.Files.Alloc))
	}
	for _, f := range []string{p.Files.Block, p.Files.Mutex} {
		if f != "" {
			cmds = append(cmds, "go tool pprof -http=: "+bin+" "+in(f))
		}
	}
	return cmds
}

// shellWord quotes s for a POSIX shell when it needs it.
func shellWord(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-/:=+,@") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// ProfileText writes r for a terminal: per package, the functions that
// cost the most CPU time and allocated the most, then the files and the
// commands that open them.
func ProfileText(w io.Writer, r *ProfileReport) error {
	var b strings.Builder
	for i := range r.Result.Packages {
		p := &r.Result.Packages[i]
		fmt.Fprintf(&b, "%s", p.ImportPath)
		if len(p.Benchmarks) > 0 {
			fmt.Fprintf(&b, " (%s)", strings.Join(p.Benchmarks, ", "))
		}
		b.WriteString("\n")
		if p.Err != nil {
			fmt.Fprintf(&b, "  no profiles: %v\n\n", p.Err)
			continue
		}
		for _, t := range []struct {
			what string
			top  *profile.Top
		}{{"CPU time", p.CPU}, {"bytes allocated", p.AllocSpace}, {"objects allocated", p.AllocObjects}, {"time blocked", p.Block}, {"time waiting for mutexes", p.Mutex}} {
			if t.top != nil {
				topText(&b, t.what, t.top)
			}
		}
		b.WriteString("  open:\n")
		for _, c := range r.ProfileCommands(p) {
			b.WriteString("    " + c + "\n")
		}
		b.WriteString("\n")
	}
	fmt.Fprintf(&b, "Profiles and test binaries are in %s", r.Dir)
	if r.Flame != "" {
		fmt.Fprintf(&b, "; flame graphs in %s", filepath.Join(r.Dir, r.Flame))
	}
	b.WriteString(".\n")
	_, err := io.WriteString(w, termsafe.String(b.String(), false))
	return err
}

func topText(b *strings.Builder, what string, t *profile.Top) {
	fmt.Fprintf(b, "  %s: %s in total\n", what, FormatValue(t.Total, t.Unit))
	if len(t.Flat) == 0 {
		b.WriteString("    no samples\n")
		return
	}
	rows := [][]string{{"flat", "flat%", "cum", "cum%", "function", "at"}}
	for _, f := range t.Flat {
		at := ""
		if f.File != "" {
			at = fmt.Sprintf("%s:%d", f.File, f.Line)
		}
		rows = append(rows, []string{FormatValue(f.Flat, t.Unit), fmt.Sprintf("%.1f%%", f.FlatPct),
			FormatValue(f.Cum, t.Unit), fmt.Sprintf("%.1f%%", f.CumPct), f.Name, at})
	}
	widths := make([]int, len(rows[0]))
	for _, r := range rows {
		for i, c := range r {
			widths[i] = max(widths[i], len([]rune(c)))
		}
	}
	for _, r := range rows {
		b.WriteString("   ")
		for i, c := range r {
			pad := strings.Repeat(" ", widths[i]-len([]rune(c)))
			switch {
			case i < 4: // numbers, right-aligned
				b.WriteString(" " + pad + c)
			case i == len(r)-1:
				b.WriteString("  " + c)
			default:
				b.WriteString("  " + c + pad)
			}
		}
		b.WriteString("\n")
	}
}

type profileDoc struct {
	Schema   string           `json:"schema"`
	Dir      string           `json:"dir"`
	Flame    string           `json:"flame,omitempty"`
	Packages []profilePkgJSON `json:"packages"`
}

type profilePkgJSON struct {
	*profile.Package
	Error    string   `json:"error,omitempty"`
	Commands []string `json:"commands"`
}

// ProfileJSON writes r as the perfctl/profile/v1 document: per package
// the files (names in dir), the top functions of each profile by flat and
// by cumulative value, and the commands that open them.
func ProfileJSON(w io.Writer, r *ProfileReport) error {
	doc := profileDoc{Schema: ProfileSchema, Dir: r.Dir, Flame: r.Flame, Packages: []profilePkgJSON{}}
	for i := range r.Result.Packages {
		p := &r.Result.Packages[i]
		pj := profilePkgJSON{Package: p, Commands: r.ProfileCommands(p)}
		if pj.Commands == nil {
			pj.Commands = []string{}
		}
		if p.Err != nil {
			pj.Error = p.Err.Error()
		}
		doc.Packages = append(doc.Packages, pj)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(doc)
}
