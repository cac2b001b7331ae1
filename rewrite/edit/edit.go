// Package edit holds the one representation of a change that every rule
// produces: a byte range of the original file and the text that replaces it.
//
// Offsets always refer to the original bytes, never to a partially edited
// buffer, so edits from independent rules can be checked and merged against
// the same baseline (the go/analysis TextEdit model).
package edit

import (
	"fmt"
	"sort"
)

// An Edit replaces the bytes [Start, End) of the original content with New.
// Start == End is an insertion; New == "" is a deletion.
type Edit struct {
	Start, End int
	New        string
}

// Sort orders edits by Start, then End, keeping the relative order of edits
// at the same position (insertions at one point stay in the order given).
func Sort(edits []Edit) {
	sort.SliceStable(edits, func(i, j int) bool {
		if edits[i].Start != edits[j].Start {
			return edits[i].Start < edits[j].Start
		}
		return edits[i].End < edits[j].End
	})
}

// Validate sorts edits and checks that they lie within a file of size n and
// do not overlap. Identical duplicate edits are removed. Two insertions at the
// same offset are allowed and applied in order.
func Validate(n int, edits []Edit) ([]Edit, error) {
	Sort(edits)
	out := edits[:0:0]
	for i, e := range edits {
		if e.Start < 0 || e.End < e.Start || e.End > n {
			return nil, fmt.Errorf("edit %d [%d,%d) is out of bounds for %d bytes", i, e.Start, e.End, n)
		}
		if len(out) > 0 {
			prev := out[len(out)-1]
			if prev == e || (e.Start == e.End && insertedAlready(out, e)) {
				continue
			}
			// A non-empty range may not start before the previous one ended.
			if e.Start < prev.End || (e.Start == prev.Start && prev.Start != prev.End && e.Start != e.End) {
				return nil, fmt.Errorf("overlapping edits [%d,%d) and [%d,%d)", prev.Start, prev.End, e.Start, e.End)
			}
		}
		out = append(out, e)
	}
	return out, nil
}

// Apply returns src with edits applied. It does not modify src. Edits are
// validated first; the error says which ranges overlap.
func Apply(src []byte, edits []Edit) ([]byte, error) {
	es, err := Validate(len(src), append([]Edit(nil), edits...))
	if err != nil {
		return nil, err
	}
	size := len(src)
	for _, e := range es {
		size += len(e.New) - (e.End - e.Start)
	}
	out := make([]byte, 0, size)
	last := 0
	for _, e := range es {
		out = append(out, src[last:e.Start]...)
		out = append(out, e.New...)
		last = e.End
	}
	out = append(out, src[last:]...)
	if len(out) != size {
		panic(fmt.Sprintf("edit.Apply: wrong size %d, want %d", len(out), size))
	}
	return out, nil
}

// insertedAlready reports whether the same insertion is among the edits at
// its offset already kept: two rules that each add the same using line
// insert it once even when another insertion lies between them.
func insertedAlready(kept []Edit, e Edit) bool {
	for i := len(kept) - 1; i >= 0 && kept[i].Start == e.Start; i-- {
		if kept[i] == e {
			return true
		}
	}
	return false
}
