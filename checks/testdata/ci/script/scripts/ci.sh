#!/bin/sh
set -eu
go vet ./...
perfctl check --merge-base origin/main --format markdown >> "$GITHUB_STEP_SUMMARY"
