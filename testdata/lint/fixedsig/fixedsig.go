// Package fixedsig has a huge parameter in every kind of signature:
// each function's comment says whether perfctl reports its hugeParam
// finding (report) or filters it out, and why (blank, interface,
// exported).
package fixedsig

import "io"

// Big is 1 KiB: any hugeParam threshold finds it.
type Big struct{ A [128]int64 }

// Handler is implemented by handler below.
type Handler interface{ Handle(b Big) int }

type handler struct{ n int }

// Handle implements Handler. want: interface
func (h handler) Handle(b Big) int { return h.n + int(b.A[0]) }

// sink's value receiver is huge; Write implements io.Writer. want: interface
type sink struct{ buf [128]int64 }

func (s sink) Write(p []byte) (int, error) { return len(p) + int(s.buf[0]), nil }

// Error implements error. want: interface
func (b Big) Error() string { return "big" }

// ignore's parameter is named _. want: blank
func ignore(_ Big) int { return 1 }

// Process is exported API. want: exported
func Process(b Big) int { return int(b.A[1]) }

// Exported is an exported type.
type Exported struct{}

// Take is an exported method of an exported type. want: exported
func (Exported) Take(b Big) int { return int(b.A[2]) }

// take is unexported. want: report
func (Exported) take(b Big) int { return int(b.A[3]) }

// process is unexported. want: report
func process(b Big) int { return int(b.A[4]) }

// Run is exported, but its handler implements nothing. want: report
func (handler) Run(b Big) int { return int(b.A[5]) }

var _ = []any{ignore, process, Exported.take, sink.Write, handler.Run, Process}

var _ io.Writer = sink{}
