#!/bin/sh
go test -race ./... && go build -race -trimpath -o dist/app ./cmd/app
