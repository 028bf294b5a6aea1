#!/bin/sh
# Load test: wordfreq on a 200 MB generated corpus, 10 runs, with hyperfine.
# Run before each release; compare the mean and max with the last release's.
set -eu
corpus=$(mktemp)
trap 'rm -f "$corpus"' EXIT
yes "the quick brown fox jumps over the lazy dog" | head -c 200000000 > "$corpus"
go build -trimpath -o /tmp/wordfreq ./cmd/wordfreq
hyperfine --warmup 1 --runs 10 "/tmp/wordfreq -n 10 < $corpus"
