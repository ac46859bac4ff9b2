package main

import (
	"os"
	"runtime/debug"
)

// providerGCPercent is the garbage collector's target when GOGC is unset.
// The provider is a short-lived plugin process whose live heap is small
// (schemas, one SDK client per service) and whose allocations are almost
// all per-request garbage: decoded ARM responses and the plugin framework's
// conversions of every attribute. Go's default (100) collects at twice the
// live heap, so a refresh of a few hundred replicated VMs spent about a
// fifth of the provider's CPU in the collector; at 400 it is under a tenth,
// for some 50 MB more at peak (profiled with perf on `make bench`'s 200-VM
// plan: peak RSS 64 MB at 100, 110 MB at 400).
const providerGCPercent = 400

// relaxGC sets the collector's target unless the user chose one with GOGC.
func relaxGC(getenv func(string) string, setGCPercent func(int) int) {
	if getenv("GOGC") == "" {
		setGCPercent(providerGCPercent)
	}
}

func relaxGCFromEnv() { relaxGC(os.Getenv, debug.SetGCPercent) }
