// Package progress shows what a long benchmark run is doing on stderr: on a
// terminal one status line redrawn in place, elsewhere (CI logs) plain log
// lines, one per package and round.
package progress

import (
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/perfctl/perfctl/internal/english"
	"github.com/perfctl/perfctl/internal/termsafe"
)

// A Printer implements bench.Progress.
type Printer struct {
	w    io.Writer
	tty  bool
	mu   sync.Mutex
	line string // the status line on a terminal, without the benchmark
	last string // last line written in log mode, to avoid repeats
	drew bool
}

// New returns a Printer writing to w; tty selects redrawing.
func New(w io.Writer, tty bool) *Printer { return &Printer{w: w, tty: tty} }

// Building implements bench.Progress.
func (p *Printer) Building(n int) {
	p.show(fmt.Sprintf("building %d test %s", n, english.Noun(n, "binary", "binaries")), true)
}

// Running implements bench.Progress.
func (p *Printer) Running(round, rounds int, pkg string, elapsed, remaining time.Duration) {
	eta := "estimating time left"
	if remaining >= 0 {
		eta = "about " + short(remaining) + " left"
	}
	p.show(fmt.Sprintf("round %d/%d · %s · %s elapsed, %s", round, rounds, termsafe.String(pkg, false), short(elapsed), eta), true)
}

// Benchmark implements bench.Progress. Only a terminal shows it: in a log a
// line per benchmark and round would drown everything else.
func (p *Printer) Benchmark(name string) {
	if p.tty {
		p.mu.Lock()
		defer p.mu.Unlock()
		p.redraw(p.line + " · " + termsafe.String(name, false))
	}
}

// Plan implements bench.Progress: the estimate before the rounds start,
// always as a line of its own (it is worth keeping on a terminal too).
func (p *Printer) Plan(packages, identical, rounds int, estimate, budget time.Duration) {
	msg := fmt.Sprintf("%s to run, up to %d rounds: about %s if every benchmark runs every round",
		english.Plural(packages, "package", "packages"), rounds, short(estimate))
	if estimate <= 0 {
		msg = fmt.Sprintf("%s to run, up to %d rounds (the time of a round is known after the first)",
			english.Plural(packages, "package", "packages"), rounds)
	}
	if packages == 0 {
		msg = "nothing to run"
	}
	if identical > 0 {
		msg += fmt.Sprintf("; %s not run (identical test binaries and inputs)", english.Plural(identical, "package", "packages"))
	}
	if budget > 0 && estimate > 0 && packages > 0 {
		per := estimate / time.Duration(max(rounds, 1))
		allows := rounds
		if per > 0 && budget < estimate {
			allows = int(budget / per)
		}
		msg += fmt.Sprintf("; the budget (--max-time %s) allows about %d rounds", short(budget), allows)
	}
	p.println(msg)
}

// Skipped implements bench.Progress.
func (p *Printer) Skipped(pkg, reason string) {
	p.println(fmt.Sprintf("%s not run: %s", termsafe.String(pkg, false), reason))
}

// Settled implements bench.Progress.
func (p *Printer) Settled(settled, running int) {
	if settled == 0 {
		return
	}
	p.println(fmt.Sprintf("%s settled, %d still running", english.Plural(settled, "package", "packages"), running))
}

// println writes s as a line of its own, in both modes.
func (p *Printer) println(s string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.tty && p.drew {
		fmt.Fprint(p.w, "\r\033[K")
		p.drew = false
	}
	fmt.Fprintf(p.w, "perfctl: %s\n", s)
	p.last = s
}

// Done implements bench.Progress: it clears the status line.
func (p *Printer) Done() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.tty && p.drew {
		fmt.Fprint(p.w, "\r\033[K")
		p.drew = false
	}
}

func (p *Printer) show(s string, keep bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if keep {
		p.line = s
	}
	if p.tty {
		p.redraw(s)
		return
	}
	if s != p.last {
		fmt.Fprintf(p.w, "perfctl: %s\n", s)
		p.last = s
	}
}

func (p *Printer) redraw(s string) {
	const width = 120
	if r := []rune(s); len(r) > width {
		s = string(r[:width-1]) + "…"
	}
	fmt.Fprint(p.w, "\r\033[K"+s)
	p.drew = true
}

// short formats d as 45s, 2m10s, 3m or 1h5m.
func short(d time.Duration) string {
	secs := int(d.Round(time.Second).Seconds())
	h, m, s := secs/3600, secs/60%60, secs%60
	switch {
	case h > 0:
		return fmt.Sprintf("%dh%dm", h, m)
	case m > 0 && s == 0:
		return fmt.Sprintf("%dm", m)
	case m > 0:
		return fmt.Sprintf("%dm%ds", m, s)
	}
	return fmt.Sprintf("%ds", s)
}
