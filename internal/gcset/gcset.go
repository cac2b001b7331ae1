// Package gcset tunes the Go garbage collector for funcmigrate's runs.
//
// A run allocates much and keeps little on the Go heap: syntax trees live
// in C memory, and what stays is the changes and findings. With the
// default GOGC=100 the collector ran every few megabytes and cost about a
// tenth of a diff (BENCHMARKS.md). Collecting less often while a soft limit
// keeps the heap bounded buys that back; a bigger tree simply meets the
// limit and collects as before.
package gcset

import (
	"os"
	"runtime/debug"
)

const (
	percent = 400       // collect when the heap has grown 4x since the last collection
	limit   = 256 << 20 // but collect harder as the Go heap nears 256 MiB
)

// ForRun applies the settings unless GOGC or GOMEMLIMIT say otherwise.
func ForRun() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(percent)
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(limit)
	}
}
