package batch

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash/fnv"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// An entry is one repository of the list, in list order.
type entry struct {
	index  int    // 1-based position in the list
	line   int    // line of the LIST file (0 when the list is a folder)
	listed string // as the list names it: the LIST line, or the folder's child name
	path   string // absolute, cleaned
	canon  string // path with symbolic links resolved; path when it does not resolve
	name   string // stem of this repository's output files, unique in the list
	dupOf  int    // index of the entry that names the same repository first; 0 if none
}

// key matches Row.key of the entry's row.
func (e *entry) key() string { return e.path + "\x00" + e.name }

// A Shard is the i-th (1-based) of n disjoint slices of the list. The zero
// Shard is the whole list.
type Shard struct{ I, N int }

// ParseShard reads "i/n".
func ParseShard(s string) (Shard, error) {
	a, b, ok := strings.Cut(s, "/")
	i, err1 := strconv.Atoi(a)
	n, err2 := strconv.Atoi(b)
	if !ok || err1 != nil || err2 != nil || n < 1 || i < 1 || i > n {
		return Shard{}, fmt.Errorf("--shard %q: want i/n with 1 <= i <= n, e.g. 2/5", s)
	}
	return Shard{i, n}, nil
}

func (s Shard) String() string {
	if s.N == 0 {
		return ""
	}
	return fmt.Sprintf("%d/%d", s.I, s.N)
}

// has reports whether the entry belongs to the shard. The slice is decided
// by a hash of the repository as listed, so a repository keeps its shard
// when others are added to or removed from the list, and every machine of a
// matrix agrees without talking to the others.
func (s Shard) has(e *entry) bool {
	if s.N <= 1 {
		return true
	}
	h := fnv.New64a()
	h.Write([]byte(filepath.ToSlash(filepath.Clean(e.listed))))
	return int(h.Sum64()%uint64(s.N)) == s.I-1
}

// readList reads the repositories to migrate: the lines of a LIST file
// (blank lines and # comments skipped; relative paths are relative to the
// file's folder, like go.work), or the direct child folders of a DIR
// (hidden ones and skipOut, the output folder, left out).
func readList(repos, skipOut string) ([]*entry, error) {
	fi, err := os.Stat(repos)
	if err != nil {
		return nil, fmt.Errorf("--repos: %v", err)
	}
	var es []*entry
	if fi.IsDir() {
		dir, err := filepath.Abs(repos)
		if err != nil {
			return nil, err
		}
		children, err := os.ReadDir(dir)
		if err != nil {
			return nil, fmt.Errorf("--repos: %v", err)
		}
		for _, c := range children {
			p := filepath.Join(dir, c.Name())
			if strings.HasPrefix(c.Name(), ".") || sameFile(p, skipOut) {
				continue
			}
			if st, err := os.Stat(p); err != nil || !st.IsDir() {
				continue // a file beside the repositories, or a dangling link
			}
			es = append(es, &entry{listed: c.Name(), path: p})
		}
	} else {
		f, err := os.Open(repos)
		if err != nil {
			return nil, fmt.Errorf("--repos: %v", err)
		}
		defer f.Close()
		abs, err := filepath.Abs(repos)
		if err != nil {
			return nil, err
		}
		dir := filepath.Dir(abs)
		sc := bufio.NewScanner(f)
		sc.Buffer(make([]byte, 64*1024), 1024*1024)
		for n := 1; sc.Scan(); n++ {
			line := strings.TrimSpace(strings.TrimPrefix(sc.Text(), "\ufeff"))
			if line == "" || strings.HasPrefix(line, "#") {
				continue
			}
			p := line
			if !filepath.IsAbs(p) {
				p = filepath.Join(dir, p)
			}
			es = append(es, &entry{line: n, listed: line, path: filepath.Clean(p)})
		}
		if err := sc.Err(); err != nil {
			return nil, fmt.Errorf("%s: %v", repos, err)
		}
	}
	first := map[string]int{}
	for i, e := range es {
		e.index = i + 1
		e.canon = e.path
		if c, err := filepath.EvalSymlinks(e.path); err == nil {
			e.canon = c
		}
		if j, ok := first[e.canon]; ok {
			e.dupOf = j
		} else {
			first[e.canon] = e.index
		}
	}
	nameEntries(es)
	return es, nil
}

func sameFile(a, b string) bool {
	if b == "" {
		return false
	}
	fa, err1 := os.Stat(a)
	fb, err2 := os.Stat(b)
	return err1 == nil && err2 == nil && os.SameFile(fa, fb)
}

// nameEntries gives each repository a file-name stem: its folder name made
// safe, with a hash of its path added when two repositories of the list share
// a name (compared without case, for file systems that ignore it). The hash
// is of the path as listed, so every machine of a sharded run agrees.
func nameEntries(es []*entry) {
	stem := func(e *entry) string {
		var b strings.Builder
		for _, r := range filepath.Base(e.path) {
			if r < 0x80 && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '-' || r == '_') {
				b.WriteRune(r)
			} else {
				b.WriteByte('_')
			}
		}
		s := strings.TrimLeft(b.String(), ".")
		if s == "" {
			s = "repo"
		}
		return s
	}
	count := map[string]int{}
	for _, e := range es {
		if e.dupOf == 0 {
			count[strings.ToLower(stem(e))]++
		}
	}
	for _, e := range es {
		s := stem(e)
		if count[strings.ToLower(s)] > 1 {
			sum := sha256.Sum256([]byte(filepath.ToSlash(filepath.Clean(e.listed))))
			s += "-" + hex.EncodeToString(sum[:4])
		}
		e.name = s
	}
}
