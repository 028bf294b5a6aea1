#!/bin/sh
export GOCACHE=off
export GOFLAGS="-a -mod=mod"
