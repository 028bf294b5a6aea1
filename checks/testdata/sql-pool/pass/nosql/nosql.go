// Package nosql does not open pools.
package nosql

func Hello() string { return "hello" }
