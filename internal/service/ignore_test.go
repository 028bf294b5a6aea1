//go:build unix

package service

import (
	"os/signal"
	"syscall"
)

func signalNotifyIgnore(sig syscall.Signal) { signal.Ignore(sig) }
