#!/bin/sh
go build -msan -o bin/app ./cmd/app
