package batch

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/funcmigrate/funcmigrate/rewrite/report"
)

// Merge combines the output folders of the shards of one batch into out:
// every row once, in list order, their files, and one summary, the same as
// an unsharded run would have written. It refuses shards of different lists
// or options, a shard given twice, a repository in two shards, and an
// incomplete set (a missing shard, or a shard that did not finish).
func Merge(out string, shardDirs []string, rules []report.RuleInfo) (*Outcome, error) {
	if len(shardDirs) == 0 {
		return nil, errors.New("no shard folders given")
	}
	var first *Manifest
	seenShard := map[string]string{}
	byIndex := map[int]*Row{}
	from := map[int]string{}
	for _, dir := range shardDirs {
		m, err := readManifest(dir)
		if err != nil {
			return nil, fmt.Errorf("%s: not a batch output folder: %v", dir, err)
		}
		if first == nil {
			first = m
		} else if m.List != first.List || m.Options != first.Options || m.Version != first.Version {
			return nil, fmt.Errorf("%s: another list, options or funcmigrate version than %s; merge only the shards of one run", dir, shardDirs[0])
		}
		key := m.Shard
		if key == "" {
			key = "all"
		}
		if prev, ok := seenShard[key]; ok {
			return nil, fmt.Errorf("%s and %s are both shard %s", prev, dir, key)
		}
		seenShard[key] = dir
		rows, err := ReadResults(filepath.Join(dir, resultsFile))
		if err != nil {
			return nil, fmt.Errorf("%s: %v", dir, err)
		}
		for _, r := range rows {
			if prev, ok := from[r.Index]; ok {
				return nil, fmt.Errorf("repository %d (%s) is in both %s and %s", r.Index, r.Repo, prev, dir)
			}
			from[r.Index], byIndex[r.Index] = dir, r
		}
	}
	if len(byIndex) != first.Total {
		var missing []string
		for i := 1; i <= first.Total && len(missing) < 10; i++ {
			if byIndex[i] == nil {
				missing = append(missing, fmt.Sprint(i))
			}
		}
		if first.Total-len(byIndex) > len(missing) {
			missing = append(missing, "…")
		}
		return nil, fmt.Errorf("the shards hold %d of %d repositories (missing entries %s): merge every shard, after each has finished",
			len(byIndex), first.Total, strings.Join(missing, ", "))
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return nil, err
	}
	o := &Outcome{Total: first.Total}
	for _, r := range byIndex {
		o.Rows = append(o.Rows, r)
	}
	sort.Slice(o.Rows, func(i, j int) bool { return o.Rows[i].Index < o.Rows[j].Index })
	for _, r := range o.Rows {
		names := []string{r.Patch, r.Report}
		if r.Status == Failed {
			names = append(names, r.Name+".crash.txt")
		}
		for _, name := range names {
			if name == "" {
				continue
			}
			data, err := os.ReadFile(filepath.Join(from[r.Index], name))
			if os.IsNotExist(err) && strings.HasSuffix(name, ".crash.txt") {
				continue
			}
			if err != nil {
				return nil, err
			}
			if err := writeFileAtomic(filepath.Join(out, name), data); err != nil {
				return nil, err
			}
		}
	}
	merged := *first
	merged.Shard = ""
	if err := writeManifest(out, &merged); err != nil {
		return nil, err
	}
	if err := writeRows(filepath.Join(out, resultsFile), o.Rows); err != nil {
		return nil, err
	}
	if err := writeFileAtomic(filepath.Join(out, summaryFile), Summary(o.Rows, &merged, len(o.Rows), rules)); err != nil {
		return nil, err
	}
	return o, nil
}
