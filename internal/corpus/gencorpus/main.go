// Command gencorpus writes synthetic in-process function-app repositories
// (internal/corpus) for benchmarks and trials, deterministically from a seed:
//
//	go run ./internal/corpus/gencorpus -repos 1000 -seed 1 /tmp/corpus
//	go run ./internal/corpus/gencorpus -repos 1 -kinds http -files 10000 /tmp/big
//	go run ./internal/corpus/gencorpus -repos 1 -kinds durable -functions 2000 -files 1 /tmp/huge
//	go run ./internal/corpus/gencorpus -repos 60 -tests -services 3 /tmp/realistic
package main

import (
	"flag"
	"fmt"
	"os"
	"strings"

	"github.com/funcmigrate/funcmigrate/internal/corpus"
)

func main() {
	repos := flag.Int("repos", 100, "number of repositories")
	seed := flag.Int64("seed", 1, "seed: the same seed writes the same bytes")
	kinds := flag.String("kinds", "", "comma-separated rotation of kinds (default: a realistic mix): "+kindNames())
	files := flag.Int("files", 0, "function files per app (0: 1-3, drawn from the seed)")
	functions := flag.Int("functions", 0, "functions per file (0: 1-4, drawn from the seed)")
	git := flag.Bool("git", false, "make each repository a git repository with one commit")
	tests := flag.Bool("tests", false, "give each app the tool migrates (and each manual-work app) an xUnit test project that calls its functions")
	services := flag.Int("services", 0, "extra non-function C# files per app (services, repositories, validators...), 100-400 lines each")
	flag.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: gencorpus [flags] DIR")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() != 1 {
		flag.Usage()
		os.Exit(2)
	}
	cfg := corpus.Config{Repos: *repos, Seed: *seed, Git: *git, FilesPerProject: *files, FunctionsPerFile: *functions,
		TestProjects: *tests, ServiceFiles: *services}
	if *kinds != "" {
		for _, k := range strings.Split(*kinds, ",") {
			cfg.Kinds = append(cfg.Kinds, corpus.Kind(strings.TrimSpace(k)))
		}
	}
	out, err := corpus.Generate(flag.Arg(0), cfg)
	if err != nil {
		fmt.Fprintln(os.Stderr, "gencorpus:", err)
		os.Exit(1)
	}
	n := 0
	for _, r := range out {
		n += r.Files
	}
	fmt.Printf("%d repositories, %d files in %s\n", len(out), n, flag.Arg(0))
}

func kindNames() string {
	var names []string
	for _, k := range corpus.Kinds {
		names = append(names, string(k))
	}
	return strings.Join(names, ", ")
}
