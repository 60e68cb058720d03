#!/usr/bin/env bash
# Go through cgo: the binding in bindings/go (`#cgo pkg-config: rssignal`,
# callback exported from Go), standard library only.
source "$(dirname "$0")/../lib.sh"
need go
need pkg-config
need cc
export GOTOOLCHAIN=local GOPROXY=off GOFLAGS=-mod=mod CGO_ENABLED=1
# A fresh build cache: cmd/go does not key its cache on pkg-config's output, so
# a cache from another install prefix would link with that prefix's -L flags.
export GOCACHE="$WORK/go-cache"
echo "  $(go version)"
(cd "$here" && go build -o "$WORK/consumer" .) || fail "go build"
readelf -d "$WORK/consumer" | grep 'NEEDED.*\[librssignal\.so\.0\]' >/dev/null ||
    fail "the program does not load librssignal.so.0"
drive "$WORK/consumer" || fail "run"
