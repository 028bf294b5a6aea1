//go:build unix

package service

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/perfctl/perfctl/internal/proc"
)

// TestMain makes the test binary a service when SERVICE_TEST_MODE says so:
// "serve" listens on SERVICE_TEST_ADDR after starting a child that sleeps
// (so the group has two processes); "exit" prints and exits 3; "hang"
// prints and never listens; "stubborn" ignores SIGTERM.
func TestMain(m *testing.M) {
	switch os.Getenv("SERVICE_TEST_MODE") {
	case "":
		os.Exit(m.Run())
	case "exit":
		fmt.Println("starting")
		fmt.Fprintln(os.Stderr, "fatal: no database")
		os.Exit(3)
	case "hang":
		fmt.Println("waiting for nothing")
		time.Sleep(time.Hour)
	case "serve", "stubborn":
		child := exec.CommandContext(context.Background(), "sleep", "300")
		if err := child.Start(); err != nil {
			panic(err)
		}
		if err := os.WriteFile(os.Getenv("SERVICE_TEST_PIDS"), fmt.Appendf(nil, "%d %d", os.Getpid(), child.Process.Pid), 0o600); err != nil {
			panic(err)
		}
		if os.Getenv("SERVICE_TEST_MODE") == "stubborn" {
			signalIgnore()
		}
		http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { fmt.Fprintln(w, "ok") })
		panic(http.ListenAndServe(os.Getenv("SERVICE_TEST_ADDR"), nil))
	}
}

func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := (&net.ListenConfig{}).Listen(t.Context(), "tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

func spec(t *testing.T, mode string) (*Spec, string) {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	addr := freeAddr(t)
	pids := t.TempDir() + "/pids"
	return &Spec{
		Args:         []string{exe},
		Env:          []string{"SERVICE_TEST_MODE=" + mode, "SERVICE_TEST_ADDR=" + addr, "SERVICE_TEST_PIDS=" + pids},
		Ready:        "http://" + addr + "/",
		ReadyTimeout: 10 * time.Second,
		Grace:        500 * time.Millisecond,
	}, pids
}

// readPids reads the leader's and the child's pid.
func readPids(t *testing.T, file string) []int {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var pids []int
	for f := range strings.FieldsSeq(string(b)) {
		n, err := strconv.Atoi(f)
		if err != nil {
			t.Fatal(err)
		}
		pids = append(pids, n)
	}
	return pids
}

// assertGone checks that no live process of the group nor either pid is
// left.
func assertGone(t *testing.T, pgid int, pids []int) {
	t.Helper()
	if GroupAlive(pgid) {
		t.Errorf("processes of group %d are left", pgid)
	}
	for _, pid := range pids {
		if state, _, ok := stat(pid); ok && state != 'Z' {
			t.Errorf("process %d is left (state %c)", pid, state)
		}
	}
}

func TestStartStop(t *testing.T) {
	for _, mode := range []string{"serve", "stubborn"} {
		t.Run(mode, func(t *testing.T) {
			s, pidFile := spec(t, mode)
			p, err := Start(t.Context(), s)
			if err != nil {
				t.Fatal(err)
			}
			pids := readPids(t, pidFile)
			if pids[0] != p.Pid() {
				t.Errorf("leader pid %d, service wrote %d", p.Pid(), pids[0])
			}
			if rss, ok := p.RSS(); ok && rss <= 0 {
				t.Errorf("RSS of a running service is %d", rss)
			}
			if !GroupAlive(p.Pid()) {
				t.Fatal("the group of a running service is not alive")
			}
			if err := p.Stop(); err != nil {
				t.Fatal(err)
			}
			assertGone(t, p.Pid(), pids)
			if err := p.Stop(); err != nil {
				t.Errorf("second Stop: %v", err)
			}
		})
	}
}

func TestCancelKillsGroup(t *testing.T) {
	s, pidFile := spec(t, "stubborn")
	ctx, cancel := context.WithCancel(t.Context())
	p, err := Start(ctx, s)
	if err != nil {
		t.Fatal(err)
	}
	pids := readPids(t, pidFile)
	cancel()
	select {
	case <-p.Exited():
	case <-time.After(5 * time.Second):
		t.Fatal("the leader did not exit after the context was cancelled")
	}
	deadline := time.Now().Add(5 * time.Second)
	for GroupAlive(p.Pid()) && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	assertGone(t, p.Pid(), pids)
}

func TestStartErrors(t *testing.T) {
	t.Run("exits early", func(t *testing.T) {
		s, _ := spec(t, "exit")
		_, err := Start(t.Context(), s)
		var se *StartError
		if !errors.As(err, &se) {
			t.Fatalf("error %v is not a *StartError", err)
		}
		if !strings.Contains(se.Msg, "exited before it was ready") || !strings.Contains(se.Msg, "exit status 3") {
			t.Errorf("message %q", se.Msg)
		}
		if got := strings.Join(se.Tail, "|"); !strings.Contains(got, "starting") || !strings.Contains(got, "fatal: no database") {
			t.Errorf("tail %q lacks the output", got)
		}
	})
	t.Run("never ready", func(t *testing.T) {
		s, _ := spec(t, "hang")
		s.ReadyTimeout = 300 * time.Millisecond
		_, err := Start(t.Context(), s)
		var se *StartError
		if !errors.As(err, &se) || !strings.Contains(se.Msg, "not ready after 300ms") {
			t.Fatalf("error %v", err)
		}
		if len(se.Tail) != 1 || se.Tail[0] != "waiting for nothing" {
			t.Errorf("tail %q", se.Tail)
		}
	})
	t.Run("no such program", func(t *testing.T) {
		_, err := Start(t.Context(), &Spec{Args: []string{"/nonexistent/perfctl-svc"}})
		var se *StartError
		if !errors.As(err, &se) || !strings.Contains(se.Msg, "could not start") {
			t.Fatalf("error %v", err)
		}
	})
	t.Run("port taken", func(t *testing.T) {
		srv := &http.Server{Handler: http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}), ReadHeaderTimeout: time.Second}
		l, err := (&net.ListenConfig{}).Listen(t.Context(), "tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		go func() { _ = srv.Serve(l) }()
		defer srv.Close()
		s, _ := spec(t, "serve")
		s.Ready = "http://" + l.Addr().String() + "/"
		_, err = Start(t.Context(), s)
		var se *StartError
		if !errors.As(err, &se) || !strings.Contains(se.Msg, "already answers") {
			t.Fatalf("error %v", err)
		}
	})
}

// TestTail checks the tail a service keeps of its output (proc.Tail, with
// the service's TailLines and maxLine).
func TestTail(t *testing.T) {
	tl := proc.NewTail(TailLines, maxLine)
	for i := range 30 {
		fmt.Fprintf(tl, "line %d\n", i)
	}
	fmt.Fprint(tl, strings.Repeat("x", 2*maxLine))
	got := tl.Lines()
	if len(got) != TailLines || got[0] != "line 11" || len(got[TailLines-1]) != maxLine {
		t.Errorf("tail: %d lines, first %q, last %d bytes", len(got), got[0], len(got[len(got)-1]))
	}
}

func signalIgnore() { signalNotifyIgnore(syscall.SIGTERM) }
