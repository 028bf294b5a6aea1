package proc

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"strings"
	"sync"
	"time"
)

// A Group is a program started in a process group of its own, with the
// last lines of its output kept for messages. Stop ends the whole group:
// the program and every process it started that stayed in its group.
type Group struct {
	cmd  *exec.Cmd
	tail *Tail
	done chan struct{} // closed when the program has exited
	err  error         // its exit status, once done is closed

	stopOnce sync.Once
	stopped  chan struct{} // closed when Stop has finished
}

// A GroupSpec says what to start.
type GroupSpec struct {
	Args []string // Args[0] is the program, looked up in PATH
	Dir  string   // working directory; "" is the current one
	Env  []string // the whole environment; nil inherits perfctl's
	// Grace is how long Stop waits after SIGTERM before SIGKILL (5s when 0).
	Grace time.Duration
	// Output, when set, also receives everything the program writes.
	Output io.Writer
}

// StartGroup starts spec's program in a process group of its own. Its
// standard output and error are kept (the last lines, Tail); standard
// input is empty. When ctx is done the group is stopped as by Stop.
func StartGroup(ctx context.Context, spec *GroupSpec) (*Group, error) {
	if len(spec.Args) == 0 {
		return nil, errors.New("proc: empty command")
	}
	cmd := exec.Command(spec.Args[0], spec.Args[1:]...) //nolint:noctx // the context stops the whole group below, not only the leader
	cmd.Dir, cmd.Env = spec.Dir, spec.Env
	g := &Group{cmd: cmd, tail: NewTail(TailLines, TailLineLen), done: make(chan struct{}), stopped: make(chan struct{})}
	var out io.Writer = g.tail
	if spec.Output != nil {
		out = io.MultiWriter(g.tail, spec.Output)
	}
	cmd.Stdout, cmd.Stderr = out, out
	// A child that outlives the program holds its output open: Wait
	// would wait for the child. Its output after that is not needed.
	cmd.WaitDelay = outputDelay
	setGroup(cmd)
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	go func() {
		err := cmd.Wait()
		if errors.Is(err, exec.ErrWaitDelay) {
			err = nil // it exited 0; a child of it kept the output open
		}
		g.err = err
		close(g.done)
	}()
	grace := spec.Grace
	if grace <= 0 {
		grace = 5 * time.Second
	}
	go func() {
		select {
		case <-ctx.Done():
			g.Stop(grace)
		case <-g.stopped:
		}
	}()
	return g, nil
}

// Pid is the program's process id, which is also its group's id.
func (g *Group) Pid() int { return g.cmd.Process.Pid }

// Exited is closed when the program (the group's leader) has exited.
func (g *Group) Exited() <-chan struct{} { return g.done }

// ExitErr is how the program ended (nil: exit status 0); call it after
// Exited is closed.
func (g *Group) ExitErr() error { return g.err }

// Tail returns the last lines the program wrote (TailLines at most).
func (g *Group) Tail() []string { return g.tail.Lines() }

// Stop ends the group: SIGTERM to every process in it; once the program
// and every other process of the group have exited, or grace has passed,
// SIGKILL to what is left, so that no child it started stays behind. It
// returns when the program has exited and no process of the group runs
// any more (or, if one survives SIGKILL, after killWait). Calling it
// again waits for the first call.
func (g *Group) Stop(grace time.Duration) {
	g.stopOnce.Do(func() {
		defer close(g.stopped)
		pgid := g.Pid()
		deadline := time.Now().Add(grace)
		signalGroup(pgid, sigTerm)
		g.waitGone(pgid, deadline)
		signalGroup(pgid, sigKill)
		g.waitGone(pgid, time.Now().Add(killWait))
		<-g.done
	})
	<-g.stopped
}

// killWait bounds the wait for a group to be gone after SIGKILL.
const killWait = 5 * time.Second

// waitGone waits until the program has exited and group pgid has no
// running process, or until deadline.
func (g *Group) waitGone(pgid int, deadline time.Time) {
	for {
		select {
		case <-g.done:
			if !groupRunning(pgid) {
				return
			}
		default:
		}
		if !time.Now().Before(deadline) {
			return
		}
		select {
		case <-g.done:
			time.Sleep(10 * time.Millisecond) // the leader is gone: poll the rest
		case <-time.After(10 * time.Millisecond):
		}
	}
}

// outputDelay is how long after the program exits its output is still
// read (from children that kept it open).
const outputDelay = 500 * time.Millisecond

// TailLines and TailLineLen bound what a Tail keeps: the last 20 lines of
// at most 500 bytes each.
const (
	TailLines   = 20
	TailLineLen = 500
)

// A Tail is an io.Writer that keeps the last lines written to it, each cut
// to a length: a program's output for an error message, bounded however
// much it writes.
type Tail struct {
	mu      sync.Mutex
	max     int
	lineLen int
	lines   []string // a ring of the complete lines
	next    int      // where the next line goes once lines is full
	partial []byte   // the line being written, cut to lineLen
}

// NewTail returns a Tail that keeps n lines of at most lineLen bytes.
func NewTail(n, lineLen int) *Tail { return &Tail{max: n, lineLen: lineLen} }

// Write implements io.Writer; it never fails.
func (t *Tail) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	n := len(p)
	for len(p) > 0 {
		i := bytes.IndexByte(p, '\n')
		chunk := p
		if i >= 0 {
			chunk = p[:i]
		}
		if room := t.lineLen - len(t.partial); room > 0 {
			t.partial = append(t.partial, chunk[:min(room, len(chunk))]...)
		}
		if i < 0 {
			break
		}
		t.push(string(t.partial))
		t.partial = t.partial[:0]
		p = p[i+1:]
	}
	return n, nil
}

func (t *Tail) push(line string) {
	line = strings.TrimRight(line, "\r")
	if len(t.lines) < t.max {
		t.lines = append(t.lines, line)
		return
	}
	t.lines[t.next] = line
	t.next = (t.next + 1) % t.max
}

// Lines returns the lines kept, oldest first, with the unfinished last
// line if there is one.
func (t *Tail) Lines() []string {
	t.mu.Lock()
	defer t.mu.Unlock()
	out := make([]string, 0, len(t.lines)+1)
	out = append(out, t.lines[t.next:]...)
	out = append(out, t.lines[:t.next]...)
	if len(t.partial) > 0 {
		out = append(out, string(t.partial))
		if len(out) > t.max {
			out = out[1:]
		}
	}
	return out
}

// String describes the group for messages.
func (g *Group) String() string {
	return fmt.Sprintf("%s (pid %d)", strings.Join(g.cmd.Args, " "), g.Pid())
}
