//go:build !unix

package proc

import (
	"os"
	"os/exec"
	"syscall"
)

const (
	sigTerm = syscall.Signal(0)
	sigKill = syscall.Signal(1)
)

// setGroup does nothing here: without process groups, Stop ends the
// program only.
func setGroup(*exec.Cmd) {}

func signalGroup(pid int, sig syscall.Signal) {
	if sig != sigKill {
		return
	}
	if p, err := os.FindProcess(pid); err == nil {
		_ = p.Kill()
	}
}

// groupRunning: without process groups, only the program counts, and
// Stop waits for it anyway.
func groupRunning(int) bool { return false }
