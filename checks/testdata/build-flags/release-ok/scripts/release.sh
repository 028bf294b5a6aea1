#!/bin/sh
go install golang.org/x/perf/cmd/benchstat@latest
go build \
  -trimpath \
  -o dist/app ./cmd/app
