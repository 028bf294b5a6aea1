// Package pool runs jobs.
//
// # Load testing
//
// The pool is load tested with k6 scripts under loadtest/:
//
//	k6 run loadtest/feeds.js
package pool
