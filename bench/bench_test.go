// Package bench times funcmigrate's whole diff pipeline against the floor
// it cannot beat: a bare tree-sitter parse of the same C# files, on the same
// cores, in the same run (BENCHMARKS.md).
//
//	go test ./bench -run '^$' -bench . -benchmem
//	go test ./bench -run '^$' -bench . -benchmem -args -corpus /path/to/apps
//
// Without -corpus the files come from internal/corpus (-repos, -seed,
// -services).
package bench

import (
	"flag"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/funcmigrate/funcmigrate/internal/corpus"
	"github.com/funcmigrate/funcmigrate/internal/gcset"
	"github.com/funcmigrate/funcmigrate/rewrite"
	"github.com/funcmigrate/funcmigrate/rewrite/cs"
	"github.com/funcmigrate/funcmigrate/rewrite/report"
	"github.com/funcmigrate/funcmigrate/rewrite/rules"
)

var (
	corpusFlag   = flag.String("corpus", "", "benchmark this folder of apps instead of a generated corpus")
	reposFlag    = flag.Int("repos", 60, "repositories to generate when -corpus is not given")
	seedFlag     = flag.Int64("seed", 1, "seed of the generated corpus")
	servicesFlag = flag.Int("services", 3, "ordinary (non-function) C# files per generated app")
)

var (
	corpusOnce sync.Once
	corpusRoot string
	corpusErr  error
	tempDir    string
)

func TestMain(m *testing.M) {
	flag.Parse()
	gcset.ForRun() // as funcmigrate's main does

	code := m.Run()
	if tempDir != "" {
		os.RemoveAll(tempDir)
	}
	os.Exit(code)
}

// root returns the folder the benchmarks work on, generating it once.
func root(b *testing.B) string {
	corpusOnce.Do(func() {
		if *corpusFlag != "" {
			corpusRoot, corpusErr = filepath.Abs(*corpusFlag)
			return
		}
		if tempDir, corpusErr = os.MkdirTemp("", "funcmigrate-bench-"); corpusErr != nil {
			return
		}
		corpusRoot = filepath.Join(tempDir, "corpus")
		// Apps of realistic shape: functions of every kind, CRLF and BOM
		// files, Startup, Durable, service code and a test project.
		_, corpusErr = corpus.Generate(corpusRoot, corpus.Config{Repos: *reposFlag, Seed: *seedFlag, TestProjects: true, ServiceFiles: *servicesFlag})
	})
	if corpusErr != nil {
		b.Fatal(corpusErr)
	}
	return corpusRoot
}

// csharpFiles lists every .cs file under dir outside the folders funcmigrate
// never enters (bin, obj, .git, node_modules), with their total size.
func csharpFiles(b *testing.B, dir string) ([]string, int64) {
	var files []string
	var total int64
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && path != dir && rewrite.SkipDir(d.Name()) {
			return filepath.SkipDir
		}
		if d.Type().IsRegular() && strings.HasSuffix(path, ".cs") {
			fi, err := d.Info()
			if err != nil {
				return err
			}
			files = append(files, path)
			total += fi.Size()
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	if len(files) == 0 {
		b.Fatalf("no C# files under %s", dir)
	}
	return files, total
}

// bareParse reads and parses every file once, on GOMAXPROCS goroutines, and
// closes each tree: the work no migration can skip.
func bareParse(files []string) error {
	var next atomic.Int64
	var wg sync.WaitGroup
	errs := make(chan error, runtime.GOMAXPROCS(0))
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1)) - 1
				if i >= len(files) {
					return
				}
				src, err := os.ReadFile(files[i])
				if err != nil {
					errs <- err
					return
				}
				f, err := cs.Parse(files[i], src)
				if err != nil {
					errs <- err
					return
				}
				f.Close()
			}
		}()
	}
	wg.Wait()
	close(errs)
	return <-errs
}

// pipeline is `funcmigrate diff DIR`: discover and migrate every app, render
// the patch and the text report.
func pipeline(dir string) (changes int, err error) {
	tree, err := rewrite.MigrateTree([]string{dir}, rewrite.Options{TargetFramework: "net10.0", TODOComments: true, Base: dir, Rules: rules.All})
	if err != nil {
		return 0, err
	}
	if _, err := io.Discard.Write(tree.Patch()); err != nil {
		return 0, err
	}
	if err := report.WriteText(io.Discard, tree.Findings); err != nil {
		return 0, err
	}
	return len(tree.Changes()), nil
}

func reportRates(b *testing.B, files int, bytes int64, runs int, elapsed time.Duration) {
	b.SetBytes(bytes)
	b.ReportMetric(float64(files*runs)/elapsed.Seconds(), "files/s")
}

// BenchmarkParse is the baseline: a bare parse of every C# file.
func BenchmarkParse(b *testing.B) {
	files, size := csharpFiles(b, root(b))
	runs := 0
	for b.Loop() {
		if err := bareParse(files); err != nil {
			b.Fatal(err)
		}
		runs++
	}
	reportRates(b, len(files), size, runs, b.Elapsed())
}

// BenchmarkPipeline is the whole diff over the same folder. MB/s and
// files/s count the same C# files as BenchmarkParse, so the two compare.
func BenchmarkPipeline(b *testing.B) {
	dir := root(b)
	files, size := csharpFiles(b, dir)
	runs := 0
	for b.Loop() {
		n, err := pipeline(dir)
		if err != nil {
			b.Fatal(err)
		}
		if n == 0 && *corpusFlag == "" {
			b.Fatal("the generated corpus gave no change")
		}
		runs++
	}
	reportRates(b, len(files), size, runs, b.Elapsed())
}

// BenchmarkRatio times a bare parse and the diff pipeline back to back in
// every iteration and reports pipeline time / parse time: the number the
// performance target is about (≤ 2.0 on two cores).
func BenchmarkRatio(b *testing.B) {
	dir := root(b)
	files, size := csharpFiles(b, dir)
	var parse, pipe time.Duration
	for b.Loop() {
		t0 := time.Now()
		if err := bareParse(files); err != nil {
			b.Fatal(err)
		}
		t1 := time.Now()
		if _, err := pipeline(dir); err != nil {
			b.Fatal(err)
		}
		parse += t1.Sub(t0)
		pipe += time.Since(t1)
	}
	b.ReportMetric(pipe.Seconds()/parse.Seconds(), "pipeline/parse")
	b.ReportMetric(float64(size)/1e6/parse.Seconds()*float64(b.N), "parse-MB/s")
	b.ReportMetric(float64(size)/1e6/pipe.Seconds()*float64(b.N), "pipeline-MB/s")
	b.Logf("%d C# files, %.1f MB, GOMAXPROCS=%d", len(files), float64(size)/1e6, runtime.GOMAXPROCS(0))
}
