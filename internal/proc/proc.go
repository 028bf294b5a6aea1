// Package proc answers questions about other processes of this machine
// (Alive) and runs a program in a process group of its own (StartGroup),
// so that stopping it stops everything it started: a service that
// benchmarks need, such as a database.
package proc
