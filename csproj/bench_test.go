package csproj

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/funcmigrate/funcmigrate/internal/corpus"
	"github.com/funcmigrate/funcmigrate/rewrite/edit"
)

// BenchmarkMigrate is project-file editing on its own: parse, plan the
// edits and apply them, for the project files of 100 generated apps (every
// kind, central package management among them).
//
//	go test ./csproj -run '^$' -bench Migrate -benchmem
func BenchmarkMigrate(b *testing.B) {
	dir := b.TempDir()
	if _, err := corpus.Generate(dir, corpus.Config{Repos: 100, Seed: 1}); err != nil {
		b.Fatal(err)
	}
	var files [][]byte
	var size int64
	filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err == nil && strings.HasSuffix(path, ".csproj") {
			src, err := os.ReadFile(path)
			if err != nil {
				b.Fatal(err)
			}
			files = append(files, src)
			size += int64(len(src))
		}
		return nil
	})
	if len(files) < 50 {
		b.Fatalf("only %d project files", len(files))
	}
	b.SetBytes(size)
	migrated := 0
	for b.Loop() {
		migrated = 0
		for _, src := range files {
			doc, err := Parse("App.csproj", src)
			if err != nil {
				continue // the broken-project kind
			}
			res, err := Migrate(doc, nil, Options{TargetFramework: "net10.0", HTTP: true})
			if errors.Is(err, ErrNotInProcess) {
				continue
			}
			if err != nil {
				b.Fatal(err)
			}
			if _, err := edit.Apply(src, res.Project); err != nil {
				b.Fatal(err)
			}
			migrated++
		}
	}
	if migrated == 0 {
		b.Fatal("no project file migrated")
	}
	b.ReportMetric(float64(len(files)*b.N)/b.Elapsed().Seconds(), "files/s")
}
