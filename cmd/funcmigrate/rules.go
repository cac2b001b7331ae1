package main

import (
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/funcmigrate/funcmigrate/rewrite/catalog"
)

// cmdRules lists every rule, or prints one rule's whole doc.
func cmdRules(args []string, stdout io.Writer) (int, error) {
	switch len(args) {
	case 0:
		tw := tabwriter.NewWriter(stdout, 0, 8, 2, ' ', 0)
		for _, r := range catalog.All() {
			fmt.Fprintf(tw, "%s\t%s\t%s\n", r.ID, r.Title, r.Ref)
		}
		return 0, tw.Flush()
	case 1:
		r, ok := catalog.Lookup(args[0])
		if !ok {
			return 2, usageError{fmt.Sprintf("no rule %q: run 'funcmigrate rules' for the list", args[0])}
		}
		fmt.Fprintf(stdout, "%s: %s\n\n%s\n\nreference: %s\n", r.ID, r.Title, r.Doc, r.Ref)
		if r.URL != "" {
			fmt.Fprintf(stdout, "see: %s\n", r.URL)
		}
		return 0, nil
	}
	return 2, usageError{"rules takes at most one rule id"}
}
