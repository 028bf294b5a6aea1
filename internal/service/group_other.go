//go:build !unix

package service

import (
	"os"
	"syscall"
)

func groupAttr() *syscall.SysProcAttr { return nil }

// signalGroup kills the leader: without process groups, its children are
// not reached.
func signalGroup(pgid int, _ bool) {
	if p, err := os.FindProcess(pgid); err == nil {
		_ = p.Kill()
	}
}

// GroupAlive is false: the leader's exit is all that can be told here.
func GroupAlive(int) bool { return false }

// RSS is not measured on this system.
func (p *Process) RSS() (int64, bool) { return 0, false }
