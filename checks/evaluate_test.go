package checks

import (
	"context"
	"errors"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/perfctl/perfctl/internal/usererr"
)

// fixed is an evaluator that returns a fixed result, after calling hook.
type fixed struct {
	r    Result
	hook func()
}

func (f *fixed) Evaluate(context.Context, *Workspace) Result {
	if f.hook != nil {
		f.hook()
	}
	return f.r
}

func check(id string, level Level, kind string, s Status) *Check {
	return &Check{ID: id, Level: level, Kind: kind, Title: id, eval: &fixed{r: Result{Status: s, Message: string(s)}}}
}

func TestVerdict(t *testing.T) {
	tests := []struct {
		name   string
		checks []*Check
		strict bool
		want   Verdict
		line   string
	}{
		{"all pass", []*Check{check("a", Must, "coverage", Pass), check("b", Should, "coverage", Fail), check("c", May, "coverage", Error)},
			false, VerdictPass, "MUST 1/1 · SHOULD 0/1 · MAY 0/1 · verdict PASS"},
		{"must fails", []*Check{check("a", Must, "coverage", Fail), check("b", Must, "coverage", Pass)},
			false, VerdictFail, "MUST 1/2 · verdict FAIL"},
		{"must error wins over fail", []*Check{check("a", Must, "coverage", Fail), check("b", Must, "coverage", Error)},
			false, VerdictError, "MUST 0/2 · verdict ERROR"},
		{"skipped musts are not counted", []*Check{check("a", Must, "coverage", Pass), check("b", Must, "regression", Skip)},
			false, VerdictPass, "MUST 1/1 (1 skipped) · verdict PASS"},
		{"should fails strictly", []*Check{check("a", Must, "coverage", Pass), check("b", Should, "coverage", Fail)},
			true, VerdictFail, "MUST 1/1 · SHOULD 0/1 · verdict FAIL"},
		{"should error strictly", []*Check{check("b", Should, "coverage", Error)},
			true, VerdictError, "SHOULD 0/1 · verdict ERROR"},
		{"a regression fails at any level", []*Check{check("a", Must, "coverage", Pass), check("r", May, "regression", Fail)},
			false, VerdictFail, "MUST 1/1 · MAY 0/1 · verdict FAIL"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := &Policy{Source: "test", Checks: tt.checks}
			r, err := Evaluate(context.Background(), p, &Workspace{}, &Options{Strict: tt.strict})
			if err != nil {
				t.Fatal(err)
			}
			if r.Verdict != tt.want || r.SummaryLine() != tt.line {
				t.Errorf("verdict %s, %q; want %s, %q", r.Verdict, r.SummaryLine(), tt.want, tt.line)
			}
			if (r.Verdict == VerdictPass) != (len(r.Reasons) == 0) {
				t.Errorf("reasons %q with verdict %s", r.Reasons, r.Verdict)
			}
		})
	}
}

func TestEvaluateSelection(t *testing.T) {
	p := &Policy{Source: "test", Checks: []*Check{check("a", Must, "coverage", Fail), check("b", Must, "coverage", Pass), check("c", May, "coverage", Pass)}}
	r, err := Evaluate(context.Background(), p, &Workspace{}, &Options{Only: []string{"b", "c"}, Skip: []string{"c"}})
	if err != nil {
		t.Fatal(err)
	}
	got := []Status{r.Outcomes[0].Status, r.Outcomes[1].Status, r.Outcomes[2].Status}
	if got[0] != Skip || got[1] != Pass || got[2] != Skip || r.Verdict != VerdictPass {
		t.Errorf("statuses %v, verdict %s", got, r.Verdict)
	}
	if !strings.Contains(r.Outcomes[0].Message, "--only") || !strings.Contains(r.Outcomes[2].Message, "--skip") {
		t.Errorf("messages %q, %q", r.Outcomes[0].Message, r.Outcomes[2].Message)
	}
	_, err = Evaluate(context.Background(), p, &Workspace{}, &Options{Only: []string{"nope"}})
	var ie *usererr.Error
	if !errors.As(err, &ie) || !strings.Contains(ie.Hint, "a, b, c") {
		t.Errorf("unknown id: %v", err)
	}
}

// TestEvaluateConcurrency proves that ordinary checks overlap (each waits
// for the other to start) and that measuring checks run alone, after them.
func TestEvaluateConcurrency(t *testing.T) {
	var started sync.WaitGroup
	started.Add(2)
	var running, maxRunning, concurrentDone atomic.Int32
	overlap := func() {
		started.Done()
		done := make(chan struct{})
		go func() { started.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			t.Error("two ordinary checks did not run at the same time")
		}
		concurrentDone.Add(1)
	}
	alone := func() {
		if n := running.Add(1); n > maxRunning.Load() {
			maxRunning.Store(n)
		}
		if concurrentDone.Load() != 2 {
			t.Error("a measuring check ran before the ordinary checks finished")
		}
		time.Sleep(time.Millisecond)
		running.Add(-1)
	}
	mk := func(id, kind string, hook func()) *Check {
		return &Check{ID: id, Level: Must, Kind: kind, eval: &fixed{r: Result{Status: Pass}, hook: hook}}
	}
	p := &Policy{Checks: []*Check{mk("m1", "budget", alone), mk("a", "coverage", overlap), mk("m2", "regression", alone), mk("b", "lint", overlap)}}
	r, err := Evaluate(context.Background(), p, &Workspace{}, &Options{})
	if err != nil {
		t.Fatal(err)
	}
	if r.Verdict != VerdictPass || maxRunning.Load() != 1 {
		t.Errorf("verdict %s, measuring checks at once %d", r.Verdict, maxRunning.Load())
	}
}

func TestEvaluateCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	c := &Check{ID: "a", Level: Must, Kind: "coverage", eval: &fixed{r: Result{Status: Error}, hook: cancel}}
	if _, err := Evaluate(ctx, &Policy{Checks: []*Check{c}}, &Workspace{}, &Options{}); !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
}
