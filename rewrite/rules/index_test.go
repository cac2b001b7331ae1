package rules

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/txtar"
	sitter "github.com/tree-sitter/go-tree-sitter"

	"github.com/funcmigrate/funcmigrate/rewrite/cs"
)

// The lookup tables must answer exactly what the scans they replace did:
// every fixture's C# is checked node by node against tree-sitter itself
// and against a scan of the whole file.
func TestIndexMatchesScans(t *testing.T) {
	files, _ := filepath.Glob("testdata/*/*.txtar")
	for _, file := range files {
		ar, err := txtar.ParseFile(file)
		if err != nil {
			t.Fatal(err)
		}
		for _, af := range ar.Files {
			if !strings.HasSuffix(af.Name, ".cs") {
				continue
			}
			f, err := cs.Parse(af.Name, af.Data)
			if err != nil {
				t.Fatal(err)
			}
			checkIndex(t, file+":"+af.Name, f, cs.Analyze(f))
			f.Close()
		}
	}
}

func checkIndex(t *testing.T, name string, f *cs.File, m *cs.Model) {
	var nodes []*sitter.Node
	var walk func(n *sitter.Node)
	walk = func(n *sitter.Node) {
		nodes = append(nodes, n)
		var kids []*sitter.Node
		for i := uint(0); i < n.NamedChildCount(); i++ {
			kids = append(kids, n.NamedChild(i))
		}
		if got := cs.NamedChildren(n); !sameNodes(got, kids) {
			t.Errorf("%s: NamedChildren(%s) differs from NamedChild(0…)", name, n.Kind())
		}
		for _, k := range kids {
			walk(k)
		}
	}
	walk(f.Root)
	for _, n := range nodes {
		if got, want := m.Parent(n), n.Parent(); !sameNode(got, want) {
			t.Errorf("%s: Parent of %s at %d differs from tree-sitter's", name, n.Kind(), n.StartByte())
		}
		if n.Kind() == "identifier" {
			continue
		}
		// Every name against every node is too slow; the names used in n do.
		for _, id := range m.IdentList() {
			if !within(id.Node, n) {
				continue
			}
			var want []*sitter.Node
			for _, x := range m.IdentList() {
				if x.Name == id.Name && within(x.Node, n) {
					want = append(want, x.Node)
				}
			}
			var got []*sitter.Node
			for _, x := range m.NamedWithin(id.Name, n) {
				got = append(got, x.Node)
			}
			if !sameNodes(got, want) {
				t.Errorf("%s: NamedWithin(%q, %s) = %d identifiers, want %d", name, id.Name, n.Kind(), len(got), len(want))
			}
			break
		}
	}
	for _, id := range m.IdentList() {
		var fns []*cs.Function
		var last *cs.Function
		var params []funcParam
		for i, fn := range m.Functions {
			if within(id.Node, fn.Node) {
				fns = append(fns, fn)
			}
			if fn.Body != nil && within(id.Node, fn.Body) {
				last = fn
			}
			for j, prm := range fn.Params {
				if within(id.Node, prm.Node) {
					params = append(params, funcParam{i, j})
				}
			}
		}
		if got := functionsAround(m, id.Node); !slices.Equal(got, fns) {
			t.Errorf("%s: functionsAround(%s) = %d functions, want %d", name, id.Name, len(got), len(fns))
		}
		if got := functionWithBodyAround(m, id.Node); got != last {
			t.Errorf("%s: functionWithBodyAround(%s) differs from a scan", name, id.Name)
		}
		if got := paramsAround(m, id.Node); !slices.Equal(got, params) {
			t.Errorf("%s: paramsAround(%s) = %v, want %v", name, id.Name, got, params)
		}
	}
}

func sameNode(a, b *sitter.Node) bool {
	return a == nil && b == nil || a != nil && b != nil && a.Id() == b.Id()
}

func sameNodes(a, b []*sitter.Node) bool {
	return slices.EqualFunc(a, b, sameNode)
}
