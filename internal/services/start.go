package services

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/perfctl/perfctl/internal/proc"
	"github.com/perfctl/perfctl/internal/usererr"
)

// Options are how Start runs the services.
type Options struct {
	Root string    // the module root: Spec.Dir is relative to it
	Log  io.Writer // a line per service started and stopped (stderr)
	// Environ is the environment the services start from (os.Environ()
	// when nil).
	Environ []string
	// Grace is how long a service has to stop after SIGTERM before it is
	// killed (5s when 0).
	Grace time.Duration
}

// A Set is the services Start started, ready.
type Set struct {
	opts    Options
	running []*running
	env     []string
}

type running struct {
	spec  *Spec
	group *proc.Group
	dir   string // the data directory, removed by Stop
}

// pollInterval is how often a probe is tried while a service starts.
const pollInterval = 100 * time.Millisecond

// Start starts the services in order, each once the one before it is
// ready, and returns when all are ready. A service gets the environment of
// perfctl, what the services before it export, and its own env. When one
// fails to start, exits before it is ready or is not ready within its
// timeout, every service started is stopped and the error (a
// *usererr.Error) has its last lines of output. When ctx is done, they
// are stopped too.
func Start(ctx context.Context, specs []Spec, opts Options) (*Set, error) {
	if opts.Environ == nil {
		opts.Environ = os.Environ()
	}
	if opts.Log == nil {
		opts.Log = io.Discard
	}
	if opts.Grace <= 0 {
		opts.Grace = 5 * time.Second
	}
	s := &Set{opts: opts}
	for i := range specs {
		if err := s.start(ctx, &specs[i]); err != nil {
			s.Stop()
			return nil, err
		}
	}
	return s, nil
}

// Env is what the services export, KEY=VALUE, for the benchmarks'
// environment.
func (s *Set) Env() []string {
	if s == nil {
		return nil
	}
	return slices.Clone(s.env)
}

// Stop stops the services, the last started first, each with its process
// group, and removes their data directories. A service that had exited
// before it was stopped gets a line in the log with its last output: the
// benchmarks that needed it may have failed for that reason.
func (s *Set) Stop() {
	if s == nil {
		return
	}
	for i := len(s.running) - 1; i >= 0; i-- {
		r := s.running[i]
		select {
		case <-r.group.Exited():
			fmt.Fprintf(s.opts.Log, "perfctl: service %s exited while it was needed (%v)%s\n", r.spec.Name, exitDescription(r.group.ExitErr()), indented(r.group.Tail()))
		default:
		}
		r.group.Stop(s.opts.Grace)
		if err := os.RemoveAll(r.dir); err != nil {
			fmt.Fprintf(s.opts.Log, "perfctl: service %s: removing its directory: %v\n", r.spec.Name, err)
		}
	}
	s.running = nil
}

func (s *Set) start(ctx context.Context, spec *Spec) error {
	dir, err := os.MkdirTemp("", "perfctl-service-"+spec.Name+"-")
	if err != nil {
		return fmt.Errorf("service %s: %w", spec.Name, err)
	}
	port, err := freePort()
	if err != nil {
		os.RemoveAll(dir)
		return fmt.Errorf("service %s: finding a free port: %w", spec.Name, err)
	}
	v := Values{Dir: dir, Port: port}
	env := slices.Concat(s.opts.Environ, s.env, expandMap(v, spec.Env))
	wd := s.opts.Root
	if spec.Dir != "" {
		wd = filepath.Join(s.opts.Root, filepath.FromSlash(spec.Dir))
	}
	args := expandAll(v, spec.Command)
	begun := time.Now()
	g, err := proc.StartGroup(ctx, &proc.GroupSpec{Args: args, Dir: wd, Env: env, Grace: s.opts.Grace})
	if err != nil {
		os.RemoveAll(dir)
		return &usererr.Error{Msg: fmt.Sprintf("service %s: cannot start %s: %v", spec.Name, args[0], unwrapExec(err)),
			Hint: "install the program, or correct the service's command in the policy's services: section (docs/services.md)", Err: err}
	}
	r := &running{spec: spec, group: g, dir: dir}
	s.running = append(s.running, r)
	if err := s.waitReady(ctx, r, v, env, wd); err != nil {
		return err
	}
	s.env = append(s.env, expandMap(v, spec.Export)...)
	fmt.Fprintf(s.opts.Log, "perfctl: service %s ready in %.1fs (pid %d, port %d)\n", spec.Name, time.Since(begun).Seconds(), g.Pid(), port)
	return nil
}

// waitReady tries r's probe until it passes, the service exits, its
// timeout passes or ctx is done.
func (s *Set) waitReady(ctx context.Context, r *running, v Values, env []string, wd string) error {
	timeout := r.spec.ReadyTimeout
	if timeout == 0 {
		timeout = DefaultReadyTimeout
	}
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	p := &r.spec.Ready
	what := p.describe(v)
	var last error
	for {
		attempt, cancel := context.WithTimeout(ctx, min(5*time.Second, timeout))
		last = p.try(attempt, v, env, wd)
		cancel()
		if last == nil {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-r.group.Exited():
			return &usererr.Error{
				Msg:     fmt.Sprintf("service %s exited before it was ready (%s): %s", r.spec.Name, what, exitDescription(r.group.ExitErr())),
				Details: tailDetails(r.group.Tail()),
				Hint:    "its last lines of output are above; run its command by hand to see more ('perfctl services check' starts it alone)"}
		case <-deadline.C:
			return &usererr.Error{
				Msg:     fmt.Sprintf("service %s was not ready within %v (%s: %v)", r.spec.Name, timeout, what, last),
				Details: tailDetails(r.group.Tail()),
				Hint:    "check its ready: probe against the address it listens on (${port} is the port perfctl chose), or raise ready_timeout"}
		case <-time.After(pollInterval):
		}
	}
}

func (p *Probe) describe(v Values) string {
	switch {
	case p.TCP != "":
		return "tcp " + v.Expand(p.TCP)
	case p.HTTP != "":
		return "http " + v.Expand(p.HTTP)
	}
	return "command " + strings.Join(expandAll(v, p.Command), " ")
}

// try runs the probe once.
func (p *Probe) try(ctx context.Context, v Values, env []string, wd string) error {
	switch {
	case p.TCP != "":
		var d net.Dialer
		c, err := d.DialContext(ctx, "tcp", v.Expand(p.TCP))
		if err != nil {
			return err
		}
		return c.Close()
	case p.HTTP != "":
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, v.Expand(p.HTTP), http.NoBody)
		if err != nil {
			return err
		}
		client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		resp, err := client.Do(req)
		if err != nil {
			return err
		}
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
		resp.Body.Close()
		if resp.StatusCode < 200 || resp.StatusCode > 299 {
			return fmt.Errorf("status %s", resp.Status)
		}
		return nil
	}
	g, err := proc.StartGroup(ctx, &proc.GroupSpec{Args: expandAll(v, p.Command), Dir: wd, Env: env, Grace: time.Second})
	if err != nil {
		return unwrapExec(err)
	}
	select {
	case <-g.Exited():
	case <-ctx.Done():
	}
	g.Stop(time.Second)
	if err := g.ExitErr(); err != nil {
		if tail := g.Tail(); len(tail) > 0 {
			return fmt.Errorf("%w: %s", err, tail[len(tail)-1])
		}
		return err
	}
	return nil
}

// freePort returns a TCP port on 127.0.0.1 that nothing listens on now.
// Another program could take it before the service does; the service then
// fails to start, and says so.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0") //nolint:noctx // a moment's listen to be given a free port
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

func expandAll(v Values, list []string) []string {
	out := make([]string, len(list))
	for i, s := range list {
		out[i] = v.Expand(s)
	}
	return out
}

// expandMap is m as KEY=VALUE with the placeholders expanded, sorted by
// key.
func expandMap(v Values, m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k, val := range m {
		out = append(out, k+"="+v.Expand(val))
	}
	sort.Strings(out)
	return out
}

func exitDescription(err error) string {
	if err == nil {
		return "exit status 0"
	}
	return err.Error()
}

func unwrapExec(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

func tailDetails(lines []string) []string {
	if len(lines) == 0 {
		return []string{"(it printed nothing)"}
	}
	return append([]string{fmt.Sprintf("its last %d lines:", len(lines))}, lines...)
}

func indented(lines []string) string {
	if len(lines) == 0 {
		return ""
	}
	return "\n    " + strings.Join(lines, "\n    ")
}
