package batch

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime/metrics"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// BenchmarkBatch runs a batch over generated repositories of every kind
// (see internal/corpus) and reports repositories per second and the peak
// live heap. The peak should not grow with the number of repositories: only
// the jobs in flight hold a migration.
//
//	go test ./batch -run '^$' -bench Batch -benchtime 3x
func BenchmarkBatch(b *testing.B) {
	for _, n := range []int{100, 400} {
		b.Run(fmt.Sprintf("repos=%d", n), func(b *testing.B) {
			dir, list := generated(b, n)
			var peak, peakRSS uint64
			runs := 0
			for b.Loop() {
				out := filepath.Join(dir, fmt.Sprintf("out%d", runs))
				stop := samplePeak(&peak, &peakRSS)
				o, err := Run(context.Background(), config(list, out))
				stop()
				if err != nil || len(o.Rows) != n+1 {
					b.Fatalf("%v, %d rows", err, len(o.Rows))
				}
				runs++
			}
			b.ReportMetric(float64((n+1)*runs)/b.Elapsed().Seconds(), "repos/s")
			b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MiB")
			if peakRSS > 0 {
				b.ReportMetric(float64(peakRSS)/(1<<20), "peak-RSS-MiB")
			}
		})
	}
}

// samplePeak records, every millisecond until stop is called, the largest
// Go heap in use (live and not yet swept objects) and the largest resident
// set of the process (where /proc tells it), which also counts the parser's
// C memory.
func samplePeak(peak, peakRSS *uint64) (stop func()) {
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(time.Millisecond)
		defer t.Stop()
		for {
			metrics.Read(sample)
			if v := sample[0].Value.Uint64(); v > *peak {
				*peak = v
			}
			if v := residentBytes(); v > *peakRSS {
				*peakRSS = v
			}
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	}()
	return func() { close(done); wg.Wait() }
}

// residentBytes reads the process's resident set from /proc/self/statm; 0
// where there is no such file.
func residentBytes() uint64 {
	data, err := os.ReadFile("/proc/self/statm")
	if err != nil {
		return 0
	}
	f := strings.Fields(string(data))
	if len(f) < 2 {
		return 0
	}
	pages, _ := strconv.ParseUint(f[1], 10, 64)
	return pages * uint64(os.Getpagesize())
}
