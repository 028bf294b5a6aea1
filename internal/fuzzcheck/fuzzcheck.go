// Package fuzzcheck holds what the fuzz targets of several packages need
// to state their properties: a deadline for one input and the lines of a
// YAML document. It is for tests only; nothing outside a _test.go file
// imports it.
package fuzzcheck

import (
	"encoding/binary"
	"fmt"
	"strings"
	"time"
	"unicode/utf16"
)

// Deadline bounds the time one input may take; fuzzed inputs are small.
const Deadline = 10 * time.Second

// Watchdog panics when the function it returns has not been called within
// Deadline: Go's fuzzer does not notice an input that never finishes, and
// a panic keeps the input under testdata/fuzz. Use it as
//
//	defer fuzzcheck.Watchdog("reading a Makefile", data)()
func Watchdog(what string, data []byte) func() {
	done := make(chan struct{})
	timer := time.AfterFunc(Deadline, func() {
		select {
		case <-done:
		default:
			panic(fmt.Sprintf("%s did not finish within %v on this %d-byte input:\n%q", what, Deadline, len(data), data))
		}
	})
	return func() { close(done); timer.Stop() }
}

// YAMLLines is the number of lines of data as YAML counts them: \r, \n
// and \r\n end a line, and so do NEL, LS and PS; UTF-16 input is decoded
// first.
func YAMLLines(data []byte) int {
	if len(data) >= 2 && (data[0] == 0xff && data[1] == 0xfe || data[0] == 0xfe && data[1] == 0xff) {
		var order binary.ByteOrder = binary.LittleEndian
		if data[0] == 0xfe {
			order = binary.BigEndian
		}
		units := make([]uint16, 0, len(data)/2)
		for i := 2; i+1 < len(data); i += 2 {
			units = append(units, order.Uint16(data[i:]))
		}
		data = []byte(string(utf16.Decode(units)))
	}
	s := strings.ReplaceAll(string(data), "\r\n", "\n")
	n := 1
	for _, sep := range []string{"\r", "\n", "\u0085", "\u2028", "\u2029"} {
		n += strings.Count(s, sep)
	}
	return n
}
