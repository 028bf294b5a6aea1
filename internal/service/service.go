package service

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"sync"
	"time"

	"github.com/perfctl/perfctl/internal/proc"
)

// Defaults and bounds of a Spec.
const (
	DefaultReadyTimeout = 30 * time.Second
	DefaultGrace        = 5 * time.Second
	// TailLines is how many of the service's last output lines a
	// StartError (and Tail) keeps.
	TailLines = 20
	// maxLine bounds one kept line of output.
	maxLine = 512
	// killWait bounds how long Stop waits for the group to vanish after
	// SIGKILL.
	killWait = 5 * time.Second
)

// A Spec says how to run a service.
type Spec struct {
	Args []string // Args[0] is the program (looked up in PATH); no shell
	Env  []string // K=V added to perfctl's own environment
	Dir  string   // working directory; "" is the current one
	// Ready is the URL of the readiness probe; "" starts without waiting.
	Ready        string
	ReadyTimeout time.Duration // 0 is DefaultReadyTimeout
	Grace        time.Duration // between SIGTERM and SIGKILL; 0 is DefaultGrace
}

// A StartError is a service that could not start, exited early or never got
// ready. Tail holds its last lines of output.
type StartError struct {
	Cmd  string
	Msg  string
	Tail []string
	Err  error
}

func (e *StartError) Error() string { return e.Cmd + ": " + e.Msg }
func (e *StartError) Unwrap() error { return e.Err }

// A Process is a running service.
type Process struct {
	cmd   *exec.Cmd
	pgid  int
	grace time.Duration
	out   *proc.Tail
	done  chan struct{} // closed when the leader has exited and been waited for
	err   error         // the leader's exit, valid after done
	stop  func() bool   // releases the context watch
	once  sync.Once
}

// Start starts the service and waits until it is ready. When ctx is
// cancelled, at any time until Stop, the whole process group is killed.
func Start(ctx context.Context, spec *Spec) (*Process, error) {
	if len(spec.Args) == 0 || spec.Args[0] == "" {
		return nil, errors.New("service: empty command")
	}
	name := strings.Join(spec.Args, " ")
	if spec.Ready != "" && probe(ctx, spec.Ready, time.Second) == nil {
		return nil, &StartError{Cmd: name, Msg: spec.Ready + " already answers before the service started: another server listens there"}
	}
	cmd := exec.Command(spec.Args[0], spec.Args[1:]...) //nolint:noctx // the group is killed on ctx's cancellation below, not just the leader
	cmd.Dir = spec.Dir
	cmd.Env = append(os.Environ(), spec.Env...)
	out := proc.NewTail(TailLines, maxLine)
	cmd.Stdout, cmd.Stderr = out, out
	cmd.SysProcAttr = groupAttr()
	if err := cmd.Start(); err != nil {
		return nil, &StartError{Cmd: name, Msg: "could not start " + spec.Args[0] + ": " + unwrapExec(err), Err: err}
	}
	p := &Process{cmd: cmd, pgid: cmd.Process.Pid, out: out, done: make(chan struct{}), grace: spec.Grace}
	if p.grace <= 0 {
		p.grace = DefaultGrace
	}
	go func() {
		p.err = cmd.Wait()
		close(p.done)
	}()
	p.stop = context.AfterFunc(ctx, func() { p.kill() })
	if spec.Ready == "" {
		return p, nil
	}
	timeout := spec.ReadyTimeout
	if timeout <= 0 {
		timeout = DefaultReadyTimeout
	}
	if err := p.waitReady(ctx, spec.Ready, timeout); err != nil {
		_ = p.Stop()
		return nil, &StartError{Cmd: name, Msg: err.Error(), Tail: out.Lines(), Err: err}
	}
	return p, nil
}

// waitReady polls url until it answers 2xx/3xx, the leader exits, ctx ends
// or timeout passes.
func (p *Process) waitReady(ctx context.Context, url string, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	var last error
	for {
		select {
		case <-p.done:
			return fmt.Errorf("exited before it was ready (%v)", exitText(p.err))
		case <-ctx.Done():
			return ctx.Err()
		default:
		}
		if last = probe(ctx, url, time.Second); last == nil {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("not ready after %s: %s: %w", timeout, url, last)
		}
		select {
		case <-p.done:
		case <-ctx.Done():
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// probe GETs url once: nil when it answers 2xx or 3xx.
func probe(ctx context.Context, url string, timeout time.Duration) error {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, http.NoBody)
	if err != nil {
		return err
	}
	client := http.Client{
		Transport:     &http.Transport{Proxy: nil, DisableKeepAlives: true},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode >= 400 {
		return fmt.Errorf("status %s", resp.Status)
	}
	return nil
}

// Pid is the leader's pid, which is also the process group's id.
func (p *Process) Pid() int { return p.pgid }

// Exited is closed when the service's leader process has exited.
func (p *Process) Exited() <-chan struct{} { return p.done }

// Tail returns the service's last lines of output.
func (p *Process) Tail() []string { return p.out.Lines() }

// Stop ends the service: SIGTERM to its process group, SIGKILL after the
// grace period, and waits until no process of the group is left (bounded).
// It is safe to call more than once. The error says that processes were
// left, which should not happen.
func (p *Process) Stop() error {
	var err error
	p.once.Do(func() {
		p.stop()
		signalGroup(p.pgid, false)
		if !p.waitGone(p.grace) {
			signalGroup(p.pgid, true)
			if !p.waitGone(killWait) {
				err = fmt.Errorf("service: processes of group %d are left after SIGKILL", p.pgid)
			}
		}
	})
	return err
}

// kill kills the group at once (ctx was cancelled).
func (p *Process) kill() {
	signalGroup(p.pgid, true)
}

// waitGone waits up to d for the leader to exit and the group to empty.
func (p *Process) waitGone(d time.Duration) bool {
	deadline := time.Now().Add(d)
	for {
		leaderDone := false
		select {
		case <-p.done:
			leaderDone = true
		default:
		}
		if leaderDone && !GroupAlive(p.pgid) {
			return true
		}
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func exitText(err error) string {
	if err == nil {
		return "exit status 0"
	}
	return err.Error()
}

func unwrapExec(err error) string {
	var ee *exec.Error
	if errors.As(err, &ee) {
		return ee.Err.Error()
	}
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}
