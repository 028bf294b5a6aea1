//go:build unix

package proc

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// running reports whether pid is a process that has not ended. A zombie
// (ended, not yet reaped: orphans of a container whose init does not reap
// them) has ended.
func running(t *testing.T, pid int) bool {
	t.Helper()
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return Alive(pid) // no /proc: the best there is
	}
	// pid (comm) STATE ...: comm may hold spaces and parentheses.
	s := string(data)
	i := strings.LastIndexByte(s, ')')
	return i >= 0 && i+2 < len(s) && s[i+2] != 'Z'
}

// readPid waits for the file at path to hold a pid.
func readPid(t *testing.T, path string) int {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if data, err := os.ReadFile(path); err == nil && bytes.HasSuffix(data, []byte("\n")) {
			pid, err := strconv.Atoi(strings.TrimSpace(string(data)))
			if err != nil {
				t.Fatal(err)
			}
			return pid
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("no pid in %s", path)
	return 0
}

func TestGroupStopEndsChildren(t *testing.T) {
	pidFile := filepath.Join(t.TempDir(), "child.pid")
	// The child ignores nothing; the leader waits for it.
	g, err := StartGroup(t.Context(), &GroupSpec{Args: []string{"sh", "-c", `sleep 300 & echo $! > "$0"; echo started; wait`, pidFile}, Grace: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	child := readPid(t, pidFile)
	if !running(t, child) || !running(t, g.Pid()) {
		t.Fatal("the program or its child is not running")
	}
	g.Stop(2 * time.Second)
	select {
	case <-g.Exited():
	default:
		t.Fatal("Stop returned before the program exited")
	}
	if running(t, child) {
		t.Errorf("the child %d outlived Stop", child)
	}
	if got := g.Tail(); len(got) != 1 || got[0] != "started" {
		t.Errorf("Tail = %q, want [started]", got)
	}
	g.Stop(time.Second) // a second Stop returns at once
}

func TestGroupStopKillsAfterGrace(t *testing.T) {
	pidFile := filepath.Join(t.TempDir(), "child.pid")
	// Both the leader and its child ignore SIGTERM.
	script := `trap '' TERM; sh -c 'trap "" TERM; echo $$ > "$0"; while :; do sleep 1; done' "$0" & while :; do sleep 1; done`
	g, err := StartGroup(t.Context(), &GroupSpec{Args: []string{"sh", "-c", script, pidFile}})
	if err != nil {
		t.Fatal(err)
	}
	child := readPid(t, pidFile)
	start := time.Now()
	g.Stop(300 * time.Millisecond)
	if d := time.Since(start); d < 300*time.Millisecond || d > 10*time.Second {
		t.Errorf("Stop took %v: want the grace of 300ms, then SIGKILL", d)
	}
	if running(t, child) || running(t, g.Pid()) {
		t.Error("a process that ignores SIGTERM outlived Stop")
	}
}

func TestGroupContextStops(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	g, err := StartGroup(ctx, &GroupSpec{Args: []string{"sleep", "300"}})
	if err != nil {
		t.Fatal(err)
	}
	cancel()
	select {
	case <-g.Exited():
	case <-time.After(10 * time.Second):
		t.Fatal("the program outlived its context")
	}
	g.Stop(time.Second)
	if g.ExitErr() == nil {
		t.Error("a program ended by a signal has no exit error")
	}
}

func TestGroupEarlyExit(t *testing.T) {
	var out bytes.Buffer
	g, err := StartGroup(t.Context(), &GroupSpec{Args: []string{"sh", "-c", "echo one; echo two >&2; printf three; exit 3"}, Output: &out})
	if err != nil {
		t.Fatal(err)
	}
	select {
	case <-g.Exited():
	case <-time.After(10 * time.Second):
		t.Fatal("the program did not exit")
	}
	if g.ExitErr() == nil || !strings.Contains(g.ExitErr().Error(), "exit status 3") {
		t.Errorf("ExitErr = %v, want exit status 3", g.ExitErr())
	}
	if got := strings.Join(g.Tail(), "|"); got != "one|two|three" {
		t.Errorf("Tail = %q", got)
	}
	if out.String() != "one\ntwo\nthree" {
		t.Errorf("Output got %q", out.String())
	}
	g.Stop(time.Second)
}

// TestGroupExitWithChildHoldingOutput: the program exits while a child
// it started keeps its output open; Exited does not wait for the child,
// and Stop ends the child.
func TestGroupExitWithChildHoldingOutput(t *testing.T) {
	pidFile := filepath.Join(t.TempDir(), "child.pid")
	g, err := StartGroup(t.Context(), &GroupSpec{Args: []string{"sh", "-c", `sleep 300 & echo $! > "$0"; echo bye; exit 3`, pidFile}})
	if err != nil {
		t.Fatal(err)
	}
	select {
	case <-g.Exited():
	case <-time.After(10 * time.Second):
		t.Fatal("Exited waits for the child that holds the output")
	}
	if g.ExitErr() == nil || !strings.Contains(g.ExitErr().Error(), "exit status 3") {
		t.Errorf("ExitErr = %v, want exit status 3", g.ExitErr())
	}
	child := readPid(t, pidFile)
	if !running(t, child) {
		t.Fatal("the child is not running")
	}
	g.Stop(time.Second)
	if running(t, child) {
		t.Errorf("the child %d outlived Stop", child)
	}
	if got := strings.Join(g.Tail(), "|"); got != "bye" {
		t.Errorf("Tail = %q", got)
	}
}

func TestStartGroupErrors(t *testing.T) {
	if _, err := StartGroup(t.Context(), &GroupSpec{}); err == nil {
		t.Error("an empty command started")
	}
	if _, err := StartGroup(t.Context(), &GroupSpec{Args: []string{"perfctl-no-such-program"}}); err == nil {
		t.Error("a missing program started")
	}
}

func TestTail(t *testing.T) {
	tl := NewTail(3, 5)
	fmt.Fprint(tl, "a\nbb\r\n")
	fmt.Fprint(tl, "0123456789\nc")
	fmt.Fprint(tl, "d\ne\n")
	if got := strings.Join(tl.Lines(), "|"); got != "01234|cd|e" {
		t.Errorf("Lines = %q, want the last 3 lines cut to 5 bytes", got)
	}
	fmt.Fprint(tl, "unfinished")
	if got := strings.Join(tl.Lines(), "|"); got != "cd|e|unfin" {
		t.Errorf("Lines = %q, want the unfinished line last", got)
	}
	big := NewTail(2, 10)
	for range 10000 {
		fmt.Fprint(big, strings.Repeat("x", 100)+"\n")
	}
	if got := big.Lines(); len(got) != 2 || len(got[0]) != 10 {
		t.Errorf("Lines = %q: not bounded", got)
	}
}
