package rewrite

import (
	"os"
	"path/filepath"
	"sort"

	"github.com/funcmigrate/funcmigrate/deploy"
)

// MigrateDeployment scans the roots for deployment and tooling files
// (infrastructure as code, pipelines, Dockerfiles, VS Code settings,
// publish profiles, sample settings) that still select the in-process
// runtime, edits the values package deploy can change safely and reports
// the rest (MAPPING.md §1.6, §6.3). Its Result has no Project. A file under
// two roots is handled once.
func MigrateDeployment(roots []string, opt Options) (*Result, error) {
	res := &Result{}
	seen := map[string]bool{}
	dirs := map[string]bool{}
	for _, root := range roots {
		abs, err := filepath.Abs(root)
		if err != nil {
			return nil, err
		}
		if fi, err := os.Stat(abs); err == nil && !fi.IsDir() {
			abs = filepath.Dir(abs) // a .csproj or .sln: its folder
		}
		if dirs[abs] {
			continue
		}
		dirs[abs] = true
		files, err := deploy.Scan(abs, deploy.Options{TargetFramework: opt.TargetFramework})
		if err != nil {
			return nil, err
		}
		for _, fr := range files {
			if seen[fr.Abs] {
				continue
			}
			seen[fr.Abs] = true
			path := DisplayPath(opt.Base, fr.Abs)
			var fixes []Fix
			if len(fr.Edits) > 0 {
				fixes = []Fix{{Rule: "deploy", Message: "select the isolated worker in " + filepath.Base(fr.Abs), Edits: fr.Edits}}
			}
			fm := &fileMerge{path: path, src: fr.Src, fixes: fixes, findings: fr.Findings}
			out, fs, err := fm.merge()
			if err != nil {
				return nil, err
			}
			res.Findings = append(res.Findings, fs...)
			res.addChange(fr.Abs, path, fr.Src, out)
		}
	}
	sort.Slice(res.Changes, func(i, j int) bool { return res.Changes[i].Path < res.Changes[j].Path })
	sortFindings(res.Findings)
	return res, nil
}

// DisplayPath is abs relative to base, slash-separated, as patches show it.
func DisplayPath(base, abs string) string {
	if base != "" {
		if rel, err := filepath.Rel(base, abs); err == nil {
			return filepath.ToSlash(rel)
		}
	}
	return filepath.ToSlash(abs)
}
