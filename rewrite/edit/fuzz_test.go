package edit

import (
	"bytes"
	"slices"
	"testing"
)

// decodeEdits turns fuzz bytes into edits against a file of n bytes. Each
// edit takes three bytes and then its text: start in [-1, n+1], a length in
// [-1, 6] (so a few ranges are reversed or out of bounds), and a text of
// 0 to 7 bytes. Small ranges and texts make duplicates, shared offsets and
// overlaps common.
func decodeEdits(n int, b []byte) []Edit {
	var edits []Edit
	for len(b) >= 3 {
		start := int(b[0])%(n+3) - 1
		end := start + int(b[1])%8 - 1
		k := min(int(b[2])%8, len(b)-3)
		edits = append(edits, Edit{start, end, string(b[3 : 3+k])})
		b = b[3+k:]
	}
	return edits
}

// referenceApply is the documented behaviour of Apply written the slow,
// obvious way, without Sort or Validate:
//   - every edit must satisfy 0 <= Start <= End <= len(src);
//   - an edit identical to an earlier one is dropped (so the same insertion
//     at one offset goes in once, whatever lies between the copies);
//   - two non-empty ranges may not share a byte, and an insertion may not
//     lie strictly inside a non-empty range (at either end it is fine);
//   - insertions at one offset go in the order given, before a range that
//     starts there and after one that ends there.
//
// It applies the edits one at a time from the end of the file, so that
// every offset still refers to the original bytes when it is used.
func referenceApply(src []byte, edits []Edit) ([]byte, []Edit, bool) {
	var kept []Edit
	for _, e := range edits {
		if e.Start < 0 || e.End < e.Start || e.End > len(src) {
			return nil, nil, false
		}
		if !slices.Contains(kept, e) {
			kept = append(kept, e)
		}
	}
	for i, a := range kept {
		for _, b := range kept[i+1:] {
			switch {
			case a.Start < a.End && b.Start < b.End:
				if a.Start < b.End && b.Start < a.End {
					return nil, nil, false
				}
			case a.Start < a.End: // b is an insertion
				if a.Start < b.Start && b.Start < a.End {
					return nil, nil, false
				}
			case b.Start < b.End: // a is an insertion
				if b.Start < a.Start && a.Start < b.End {
					return nil, nil, false
				}
			}
		}
	}
	out := slices.Clone(src)
	left := slices.Clone(kept)
	for len(left) > 0 {
		// Pick the edit that comes last: the highest Start; at one offset a
		// range before any insertion, and of insertions the one given last.
		last := 0
		for i, e := range left {
			l := left[last]
			if e.Start > l.Start || e.Start == l.Start && (e.End > e.Start || l.End == l.Start) {
				last = i
			}
		}
		e := left[last]
		out = append(out[:e.Start:e.Start], append([]byte(e.New), out[e.End:]...)...)
		left = slices.Delete(left, last, last+1)
	}
	return out, kept, true
}

// FuzzApply checks Apply and Validate against referenceApply on a source
// and a list of edits decoded from the input: Apply never panics, it fails
// exactly when the reference (and Validate) rejects the edits, and when it
// succeeds its output is the reference's, of the size the kept edits imply,
// with every byte before the first and after the last edit unchanged.
// Apply may not change its arguments (Validate, which sorts the slice it is
// given, must get a copy), and Validate's result is sorted, free of
// duplicates and accepted unchanged by a second Validate. The seeds in
// testdata/fuzz/FuzzApply are TestApply's cases and a few more, encoded as
// decodeEdits reads them.
func FuzzApply(f *testing.F) {
	f.Fuzz(func(t *testing.T, src, code []byte) {
		edits := decodeEdits(len(src), code)
		srcCopy, editsCopy := slices.Clone(src), slices.Clone(edits)

		want, kept, ok := referenceApply(src, edits)
		got, err := Apply(src, edits)
		if !bytes.Equal(src, srcCopy) || !slices.Equal(edits, editsCopy) {
			t.Fatalf("Apply changed its arguments")
		}
		vs, verr := Validate(len(src), slices.Clone(edits))
		if (err == nil) != (verr == nil) {
			t.Fatalf("Apply error %v but Validate error %v for %v", err, verr, edits)
		}
		if (err == nil) != ok {
			t.Fatalf("Apply error %v but the reference accepts=%v for %q %v", err, ok, src, edits)
		}
		if err != nil {
			return
		}
		if !bytes.Equal(got, want) {
			t.Fatalf("Apply(%q, %v) = %q, reference gives %q", src, edits, got, want)
		}

		// Validate's result: sorted, no duplicates, the reference's edits
		// and a fixed point of Validate.
		if len(vs) != len(kept) {
			t.Fatalf("Validate kept %v, reference kept %v", vs, kept)
		}
		for _, e := range kept {
			if !slices.Contains(vs, e) {
				t.Fatalf("Validate dropped %v: %v", e, vs)
			}
		}
		for i := 1; i < len(vs); i++ {
			if vs[i-1].Start > vs[i].Start || vs[i-1].Start == vs[i].Start && vs[i-1].End > vs[i].End {
				t.Fatalf("Validate result not sorted: %v", vs)
			}
		}
		vs2, err := Validate(len(src), slices.Clone(vs))
		if err != nil || !slices.Equal(vs, vs2) {
			t.Fatalf("Validate(Validate(edits)) = %v, %v; want %v", vs2, err, vs)
		}

		// Bytes outside the edits are unchanged, and the size adds up.
		size, lo, hi := len(src), len(src), 0
		for _, e := range kept {
			size += len(e.New) - (e.End - e.Start)
			lo, hi = min(lo, e.Start), max(hi, e.End)
		}
		if len(kept) == 0 {
			lo, hi = len(src), len(src)
		}
		if len(got) != size {
			t.Fatalf("output is %d bytes, want %d", len(got), size)
		}
		if !bytes.HasPrefix(got, src[:lo]) || !bytes.HasSuffix(got, src[hi:]) {
			t.Fatalf("bytes outside [%d,%d) changed: %q -> %q", lo, hi, src, got)
		}
	})
}
