package rules_test

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/funcmigrate/funcmigrate/internal/corpus"
	"github.com/funcmigrate/funcmigrate/rewrite"
	"github.com/funcmigrate/funcmigrate/rewrite/cs"
	"github.com/funcmigrate/funcmigrate/rewrite/rules"
)

// largeFile returns the biggest C# file of a one-repository corpus of kind k
// with n functions (Durable: n workflows of four) in one file.
func largeFile(b *testing.B, k corpus.Kind, n int) (string, []byte) {
	b.Helper()
	dir := b.TempDir()
	if _, err := corpus.Generate(dir, corpus.Config{Repos: 1, Seed: 1, Kinds: []corpus.Kind{k}, FilesPerProject: 1, FunctionsPerFile: n}); err != nil {
		b.Fatal(err)
	}
	var path string
	var src []byte
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".cs") {
			return err
		}
		data, err := os.ReadFile(p)
		if err == nil && len(data) > len(src) {
			path, src = p, data
		}
		return err
	})
	if err != nil {
		b.Fatal(err)
	}
	return path, src
}

// BenchmarkRulesLargeFile migrates one big file at sizes 4x apart (Durable
// 2000 is about 1 MB): time per byte must stay flat as the file grows, so no
// rule may scan the file once per function. Migrate is the whole file
// (parse, analysis, rules, merge); Parse is the floor, a bare parse of the
// same file.
func BenchmarkRulesLargeFile(b *testing.B) {
	for _, c := range []struct {
		kind corpus.Kind
		n    int
	}{
		{corpus.Durable, 125}, {corpus.Durable, 500}, {corpus.Durable, 2000},
		{corpus.HTTP, 250}, {corpus.HTTP, 1000},
		{corpus.Queue, 250}, {corpus.Queue, 1000},
	} {
		path, src := largeFile(b, c.kind, c.n)
		name := fmt.Sprintf("%s-%d", c.kind, c.n)
		b.Run(name+"/Migrate", func(b *testing.B) {
			b.SetBytes(int64(len(src)))
			for b.Loop() {
				if _, _, err := rewrite.MigrateSource(path, src, rewrite.Facts{TargetFramework: "net10.0", HTTP: true},
					rewrite.Options{TargetFramework: "net10.0", TODOComments: true, Rules: rules.All}); err != nil {
					b.Fatal(err)
				}
			}
		})
		// Rules is the rules' own work: analysis and every rule, without
		// the parse before them or the merge after them.
		b.Run(name+"/Rules", func(b *testing.B) {
			f, err := cs.Parse(path, src)
			if err != nil {
				b.Fatal(err)
			}
			defer f.Close()
			facts := &rewrite.Facts{TargetFramework: "net10.0", HTTP: true}
			b.SetBytes(int64(len(src)))
			for b.Loop() {
				m := cs.Analyze(f)
				for _, r := range rules.All {
					r.Run(&rewrite.Pass{Rule: r, File: f, Model: m, Facts: facts})
				}
			}
		})
		b.Run(name+"/Parse", func(b *testing.B) {
			b.SetBytes(int64(len(src)))
			for b.Loop() {
				f, err := cs.Parse(path, src)
				if err != nil {
					b.Fatal(err)
				}
				f.Close()
			}
		})
	}
}
