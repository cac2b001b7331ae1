package batch

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime/metrics"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/funcmigrate/funcmigrate/internal/gcset"
)

// BenchmarkBatch runs a batch over generated repositories of every kind
// (see internal/corpus) and reports repositories, files and megabytes (of
// C#) per second, the peak live heap and the peak resident set. Time should
// grow linearly with the number of repositories and the peaks not at all:
// only the jobs in flight hold a migration.
//
//	go test ./batch -run '^$' -bench Batch -benchtime 1x
func BenchmarkBatch(b *testing.B) {
	gcset.ForRun() // as funcmigrate's main does
	for _, n := range []int{250, 1000} {
		b.Run(fmt.Sprintf("repos=%d", n), func(b *testing.B) {
			dir, list := generated(b, n)
			files, size := csharpFiles(b, filepath.Join(dir, "repos"))
			b.SetBytes(size)
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
			b.ReportMetric(float64(files*runs)/b.Elapsed().Seconds(), "files/s")
			b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MiB")
			if peakRSS > 0 {
				b.ReportMetric(float64(peakRSS)/(1<<20), "peak-RSS-MiB")
			}
		})
	}
}

// csharpFiles counts the C# files under dir and their bytes (the repository
// listed twice is migrated twice but counted once).
func csharpFiles(b *testing.B, dir string) (n int, size int64) {
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.Type().IsRegular() && strings.HasSuffix(path, ".cs") {
			fi, err := d.Info()
			if err != nil {
				return err
			}
			n++
			size += fi.Size()
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	return n, size
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
