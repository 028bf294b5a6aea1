//go:build unix

package service

import (
	"bytes"
	"errors"
	"os"
	"strconv"
	"syscall"
)

func groupAttr() *syscall.SysProcAttr { return &syscall.SysProcAttr{Setpgid: true} }

// signalGroup sends SIGTERM (or SIGKILL) to every process of group pgid.
func signalGroup(pgid int, kill bool) {
	sig := syscall.SIGTERM
	if kill {
		sig = syscall.SIGKILL
	}
	_ = syscall.Kill(-pgid, sig)
}

// GroupAlive reports whether a process of group pgid is left. Zombies (which
// the system reaps, not perfctl) do not count where /proc tells them apart.
func GroupAlive(pgid int) bool {
	if pgid <= 0 {
		return false
	}
	err := syscall.Kill(-pgid, 0)
	if errors.Is(err, syscall.ESRCH) {
		return false
	}
	if pids, ok := groupPids(pgid, true); ok {
		return len(pids) > 0
	}
	return true
}

// groupPids lists the processes of group pgid from /proc (Linux); ok is
// false where there is no /proc. Zombies are left out when live is set.
func groupPids(pgid int, live bool) (pids []int, ok bool) {
	dir, err := os.Open("/proc")
	if err != nil {
		return nil, false
	}
	defer dir.Close()
	names, err := dir.Readdirnames(-1)
	if err != nil {
		return nil, false
	}
	for _, name := range names {
		pid, err := strconv.Atoi(name)
		if err != nil {
			continue
		}
		state, grp, ok := stat(pid)
		if !ok || grp != pgid || (live && state == 'Z') {
			continue
		}
		pids = append(pids, pid)
	}
	return pids, true
}

// stat reads a process's state and process group from /proc/PID/stat.
func stat(pid int) (state byte, pgrp int, ok bool) {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return 0, 0, false
	}
	// pid (comm) state ppid pgrp …; comm may hold spaces and parentheses.
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return 0, 0, false
	}
	f := bytes.Fields(b[i+1:])
	if len(f) < 3 || len(f[0]) != 1 {
		return 0, 0, false
	}
	g, err := strconv.Atoi(string(f[2]))
	if err != nil {
		return 0, 0, false
	}
	return f[0][0], g, true
}

// RSS is the resident memory in bytes of every live process of the
// service's group, from /proc/PID/statm. ok is false where there is no
// /proc.
func (p *Process) RSS() (rss int64, ok bool) {
	pids, ok := groupPids(p.pgid, true)
	if !ok {
		return 0, false
	}
	page := int64(os.Getpagesize())
	for _, pid := range pids {
		b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/statm")
		if err != nil {
			continue
		}
		f := bytes.Fields(b)
		if len(f) < 2 {
			continue
		}
		if n, err := strconv.ParseInt(string(f[1]), 10, 64); err == nil {
			rss += n * page
		}
	}
	return rss, true
}
