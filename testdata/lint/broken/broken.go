// Package broken does not compile on purpose: golangci-lint must report
// typecheck errors for it instead of linter findings.
package broken

import "strconv"

// Port parses a port number.
func Port(s string) int {
	var port int
	port = strconv.Quote(s)   // type error: string assigned to int
	return port + defaultPort // undefined name
}
