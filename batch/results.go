package batch

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
)

// A Status says where one repository stands after the batch.
type Status string

const (
	// Migrated: the code migration is complete; the patch (or, with
	// --apply, the work tree) holds it and only the rollout steps are left.
	Migrated Status = "migrated"
	// NeedsManualWork: findings need a person, with or without a patch.
	NeedsManualWork Status = "needs-manual-work"
	// NothingToDo: no in-process function app (none at all, or already isolated).
	NothingToDo Status = "nothing-to-do"
	// Failed: the repository could not be migrated; Error says why.
	Failed Status = "failed"
	// Skipped: not processed; Reason says why (a repeat of an earlier line).
	Skipped Status = "skipped"
)

// Statuses in the order reports group them: what needs attention first.
var Statuses = []Status{Failed, NeedsManualWork, Migrated, NothingToDo, Skipped}

// A Row is one repository's line of results.jsonl.
type Row struct {
	Index       int            `json:"index"` // position in the list, 1-based
	Repo        string         `json:"repo"`  // as listed
	Path        string         `json:"path"`  // absolute
	Name        string         `json:"name"`  // stem of its output files
	Status      Status         `json:"status"`
	Reason      string         `json:"reason,omitempty"`
	Error       string         `json:"error,omitempty"`
	Projects    int            `json:"projects"`
	Changed     int            `json:"changed_files"`
	NeedsPerson int            `json:"needs_person"`
	Notes       int            `json:"notes"`
	ByRule      map[string]int `json:"findings_by_rule,omitempty"` // findings that need a person
	Patch       string         `json:"patch,omitempty"`            // file in the output folder
	Report      string         `json:"report,omitempty"`           // findings file in the output folder
	Applied     bool           `json:"applied,omitempty"`
	Branch      string         `json:"branch,omitempty"`
	Commit      string         `json:"commit,omitempty"`
	Millis      int64          `json:"duration_ms"`
	// Fingerprint covers the repository's files (paths and contents) and
	// the options: a rerun skips the repository while it is unchanged.
	Fingerprint string `json:"fingerprint,omitempty"`

	resumed bool // kept from an earlier run
}

// key identifies a row's repository across runs, whatever its position in
// the list.
func (r *Row) key() string { return r.Path + "\x00" + r.Name }

const (
	resultsFile  = "results.jsonl"
	summaryFile  = "summary.md"
	manifestFile = "batch.json"
)

// readRows reads the rows of results.jsonl in file order, and whether its
// last line is torn (the run was killed mid-write; that line is ignored).
// Rows are appended as repositories finish, so a file left by an
// interrupted run may hold an older row before a newer one for the same
// repository.
func readRows(path string) (rows []*Row, torn bool, err error) {
	data, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 64*1024), 16*1024*1024)
	for sc.Scan() {
		var r Row
		if json.Unmarshal(sc.Bytes(), &r) != nil || r.Path == "" {
			continue
		}
		rows = append(rows, &r)
	}
	return rows, len(data) > 0 && data[len(data)-1] != '\n', sc.Err()
}

// resumable indexes the rows an earlier run finished by repository, the
// latest winning. A repeated entry's row stands for no work of its own.
func resumable(rows []*Row) map[string]*Row {
	m := map[string]*Row{}
	for _, r := range rows {
		if r.Status != Skipped {
			m[r.key()] = r
		}
	}
	return m
}

// ReadResults reads the rows of a results.jsonl in list order, one per
// list entry (the latest when there are several).
func ReadResults(path string) ([]*Row, error) {
	all, _, err := readRows(path)
	if err != nil {
		return nil, err
	}
	byIndex := map[int]*Row{}
	for _, r := range all {
		byIndex[r.Index] = r
	}
	rows := make([]*Row, 0, len(byIndex))
	for _, r := range byIndex {
		rows = append(rows, r)
	}
	sort.Slice(rows, func(i, j int) bool { return rows[i].Index < rows[j].Index })
	return rows, nil
}

func marshalRow(r *Row) []byte {
	b, err := json.Marshal(r)
	if err != nil {
		panic(err) // a Row always marshals
	}
	return append(b, '\n')
}

// writeRows replaces results.jsonl with rows, in list order.
func writeRows(path string, rows []*Row) error {
	sort.Slice(rows, func(i, j int) bool { return rows[i].Index < rows[j].Index })
	var buf bytes.Buffer
	for _, r := range rows {
		buf.Write(marshalRow(r))
	}
	return writeFileAtomic(path, buf.Bytes())
}

// writeFileAtomic writes data to path through a temporary file in the same
// folder, so a reader (or a rerun after a kill) sees the old or the new
// content, never half of it.
func writeFileAtomic(path string, data []byte) error {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	_, werr := f.Write(data)
	cerr := f.Close()
	if werr != nil || cerr != nil {
		os.Remove(f.Name())
		return fmt.Errorf("%s: %v", path, errors.Join(werr, cerr))
	}
	if err := os.Chmod(f.Name(), 0o644); err != nil {
		os.Remove(f.Name())
		return err
	}
	if err := os.Rename(f.Name(), path); err != nil {
		os.Remove(f.Name())
		return err
	}
	return nil
}

// A Manifest records what a run covered, so shards can be merged safely.
type Manifest struct {
	Tool    string `json:"tool"`
	Version string `json:"version"`
	List    string `json:"list_sha256"` // of the repositories as listed, in order
	Total   int    `json:"total"`       // repositories in the whole list
	Shard   string `json:"shard,omitempty"`
	Options string `json:"options"` // the options that change output
}

func readManifest(dir string) (*Manifest, error) {
	data, err := os.ReadFile(filepath.Join(dir, manifestFile))
	if err != nil {
		return nil, err
	}
	var m Manifest
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("%s: %v", filepath.Join(dir, manifestFile), err)
	}
	return &m, nil
}

func writeManifest(dir string, m *Manifest) error {
	data, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	return writeFileAtomic(filepath.Join(dir, manifestFile), append(data, '\n'))
}
