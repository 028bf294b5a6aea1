package load

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/perfctl/perfctl/internal/run"
	"github.com/perfctl/perfctl/internal/service"
	"github.com/perfctl/perfctl/internal/usererr"
)

// A Request is one load test to run.
type Request struct {
	Spec Spec
	Root string // the module root: where build runs, what Service.Dir is relative to
	// Runner runs `go build`; nil is run.Exec{}.
	Runner run.Runner
	// Resolver looks up target hosts; nil is net.DefaultResolver.
	Resolver Resolver
	// AllowRemote lets targets be other than loopback. Only the operator
	// sets it (a flag), never a policy file.
	AllowRemote bool
	// Progress, when set, gets a line per phase.
	Progress io.Writer
}

// Run builds and starts the service, attacks each target in turn
// (warm-up, then the measured phase), stops the service and holds the
// results to the budgets. An error is no verdict: a usage or policy
// problem, a service that did not start, exited during the attack or
// left processes behind, or a cancelled context.
func Run(ctx context.Context, req *Request) (*Report, error) {
	spec := &req.Spec
	if err := spec.Validate(); err != nil {
		return nil, &usererr.Error{Msg: "invalid load test", Details: strings.Split(err.Error(), "\n"),
			Hint: "docs/load.md describes the load: section and the flags of perfctl load"}
	}
	resolver := req.Resolver
	if resolver == nil {
		resolver = net.DefaultResolver
	}
	if !req.AllowRemote {
		if err := checkLocal(ctx, resolver, spec); err != nil {
			return nil, err
		}
	}
	svc, cleanup, err := startService(ctx, req)
	defer cleanup()
	if err != nil {
		return nil, err
	}
	rep := &Report{Spec: spec}
	atk := newAttack(spec, resolver, req.AllowRemote)
	defer atk.client.CloseIdleConnections()
	if rep.Targets, err = measure(ctx, req, atk, svc); err != nil {
		return nil, err
	}
	if svc != nil {
		if err := svc.Stop(); err != nil {
			return nil, err
		}
	}
	rep.evaluate()
	return rep, nil
}

func (req *Request) progress(format string, args ...any) {
	if req.Progress != nil {
		fmt.Fprintf(req.Progress, "perfctl load: "+format+"\n", args...)
	}
}

func rateText(spec *Spec) string {
	if spec.RampTo > 0 {
		return fmt.Sprintf("%g/s ramping to %g/s", spec.Rate, spec.RampTo)
	}
	return fmt.Sprintf("%g/s", spec.Rate)
}

// measure attacks each target in turn, warm-up then measured phase, and
// returns the measured results. svc, when not nil, is the service under
// load: its RSS is sampled, and its exit during the attack is an error.
func measure(ctx context.Context, req *Request, atk *attack, svc *service.Process) ([]*TargetResult, error) {
	spec := &req.Spec
	var out []*TargetResult
	for i := range spec.Targets {
		t := &spec.Targets[i]
		if spec.Warmup > 0 {
			req.progress("warming up %s for %s", t.Name(), spec.Warmup)
			atk.run(ctx, t, pacer(spec, spec.Warmup, false), spec.Warmup)
		}
		req.progress("measuring %s: %s for %s", t.Name(), rateText(spec), spec.Duration)
		var sampler *rssSampler
		if svc != nil {
			sampler = sampleRSS(svc, 100*time.Millisecond)
		}
		m := atk.run(ctx, t, pacer(spec, spec.Duration, true), spec.Duration)
		tr := newTargetResult(t, m)
		if sampler != nil {
			tr.RSS, tr.HasRSS = sampler.stop()
		}
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if svc != nil {
			select {
			case <-svc.Exited():
				return nil, &usererr.Error{Msg: fmt.Sprintf("the service exited while %s was under load", t.Name()),
					Details: svc.Tail(), Hint: "the lines above are the service's last output"}
			default:
			}
		}
		out = append(out, tr)
	}
	return out, nil
}

// checkLocal refuses targets and a readiness probe that are not loopback.
func checkLocal(ctx context.Context, r Resolver, spec *Spec) error {
	urls := make([]Target, 0, len(spec.Targets)+1)
	urls = append(urls, spec.Targets...)
	if spec.Service.Ready != "" {
		urls = append(urls, Target{Method: "GET", URL: spec.Service.Ready})
	}
	for i := range urls {
		if err := urls[i].CheckLoopback(ctx, r); err != nil {
			return &usererr.Error{Line: urls[i].Line, Msg: fmt.Sprintf("target %s refused: %v", urls[i].URL, err),
				Hint: "perfctl load sends requests to loopback addresses only; if you mean to load another host, pass --allow-remote (a flag only: a policy file cannot allow it)", Err: err}
		}
	}
	return nil
}

// startService builds (when asked) and starts the service; cleanup stops
// it and removes what the build made, whatever happened.
func startService(ctx context.Context, req *Request) (*service.Process, func(), error) {
	s := &req.Spec.Service
	var tmp string
	var p *service.Process
	cleanup := func() {
		if p != nil {
			_ = p.Stop()
		}
		if tmp != "" {
			_ = os.RemoveAll(tmp)
		}
	}
	if s.IsZero() {
		return nil, cleanup, nil
	}
	argv := s.Command
	if s.Build != "" {
		var err error
		tmp, err = os.MkdirTemp("", "perfctl-load-")
		if err != nil {
			return nil, cleanup, err
		}
		bin := filepath.Join(tmp, "service")
		req.progress("building %s", s.Build)
		if err := build(ctx, req.Runner, req.Root, s.Build, bin); err != nil {
			return nil, cleanup, err
		}
		argv = append([]string{bin}, s.Args...)
	}
	var err error
	p, err = startOne(ctx, req, argv, req.Root, "")
	return p, cleanup, err
}

// startOne starts the service from argv in root (the module root of its
// side: head's, or base's worktree); label names the side in progress.
func startOne(ctx context.Context, req *Request, argv []string, root, label string) (*service.Process, error) {
	s := &req.Spec.Service
	dir := root
	if s.Dir != "" {
		dir = filepath.Join(root, s.Dir)
	}
	shown := append([]string(nil), argv...)
	if s.Build != "" {
		shown[0] = s.Build + " (built" + label + ")"
	}
	req.progress("starting %s", strings.Join(shown, " "))
	p, err := service.Start(ctx, &service.Spec{Args: argv, Env: s.Env, Dir: dir, Ready: s.Ready,
		ReadyTimeout: s.ReadyTimeout, Grace: s.Grace})
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		var se *service.StartError
		if errors.As(err, &se) {
			return nil, &usererr.Error{Msg: "the service did not start: " + se.Msg, Details: tailDetails(se.Tail),
				Hint: "check the service's command and its readiness URL (--ready / ready:); its last output is above", Err: err}
		}
		return nil, err
	}
	return p, nil
}

func tailDetails(tail []string) []string {
	if len(tail) == 0 {
		return []string{"(the service printed nothing)"}
	}
	out := make([]string, 0, len(tail)+1)
	out = append(out, "its last output:")
	for _, l := range tail {
		out = append(out, "  "+l)
	}
	return out
}

// build runs `go build -o bin pkg` in root: fixed arguments, no shell,
// none of the policy's environment.
func build(ctx context.Context, r run.Runner, root, pkg, bin string) error {
	if r == nil {
		r = run.Exec{}
	}
	var out strings.Builder
	w := &limitWriter{w: &out, n: 64 << 10}
	err := r.Run(ctx, &run.Cmd{Args: []string{"go", "build", "-o", bin, pkg}, Dir: root, Stdout: w, Stderr: w})
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return &usererr.Error{Msg: fmt.Sprintf("building the service (go build %s) failed", pkg),
			Details: strings.Split(strings.TrimSpace(out.String()), "\n"), Hint: "fix the build, or the service's build: package", Err: err}
	}
	return nil
}

// limitWriter keeps the first n bytes written to it.
type limitWriter struct {
	w io.Writer
	n int
}

func (l *limitWriter) Write(b []byte) (int, error) {
	if l.n > 0 {
		k := min(len(b), l.n)
		l.n -= k
		_, _ = l.w.Write(b[:k])
	}
	return len(b), nil
}

// An rssSampler reads the service's RSS every interval and keeps the
// largest.
type rssSampler struct {
	done chan struct{}
	wg   sync.WaitGroup
	max  int64
	ok   bool
}

func sampleRSS(p *service.Process, every time.Duration) *rssSampler {
	s := &rssSampler{done: make(chan struct{})}
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			if rss, ok := p.RSS(); ok {
				s.ok = true
				s.max = max(s.max, rss)
			}
			select {
			case <-s.done:
				return
			case <-t.C:
			}
		}
	}()
	return s
}

func (s *rssSampler) stop() (int64, bool) {
	close(s.done)
	s.wg.Wait()
	return s.max, s.ok && s.max > 0
}
