// Package service starts a program that serves (an HTTP server, a
// database) for the length of a measurement, and makes sure that it and
// every process it started are gone afterwards.
//
// A service runs in a process group of its own, started from an argv (never
// through a shell). Start waits for its readiness probe (an HTTP GET that
// answers 2xx or 3xx) and refuses a probe URL that already answers before the
// service starts, so a stale server is never measured in its place. Stop
// sends SIGTERM to the group, waits a grace period and then sends SIGKILL;
// a cancelled context kills the group at once. A service that exits early
// or never gets ready is a *StartError carrying its last lines of output.
//
// RSS sums the resident memory of the group's processes from /proc.
//
// Package service is not for programs that end by themselves (internal/run
// runs those) and it decides nothing about what it measures.
package service
