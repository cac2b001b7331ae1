package startup

import (
	"bytes"
	"maps"
	"regexp"
	"slices"

	"github.com/funcmigrate/funcmigrate/rewrite/cs"
)

// Build reads few of a project's files: those with a Startup attribute, a
// Startup class or base type, an extension method on a builder type, and
// the other parts of a class an attribute names. A large project keeps the
// trees of only those open while the plan is made (rewrite's memory
// bound), so these two functions say which, from the bytes alone. They may
// say yes too often, never too rarely.

// startupMarkers are the words every file Build finds something in
// contains, apart from the parts of a named class (see Named).
var startupMarkers = [][]byte{
	[]byte("Startup"), // FunctionsStartup, WebJobsStartup, IWebJobsStartup[2] and their attributes
	[]byte("IFunctionsHostBuilder"), []byte("IWebJobsBuilder"), []byte("IFunctionsConfigurationBuilder"),
	[]byte("FunctionsHostBuilderContext"), []byte("WebJobsBuilderContext"),
}

// Mentions reports whether Build may find a Startup attribute, class or
// builder extension method in src.
func Mentions(src []byte) bool {
	for _, m := range startupMarkers {
		if bytes.Contains(src, m) {
			return true
		}
	}
	return false
}

var typeofPattern = regexp.MustCompile(`typeof\s*\(\s*([^()]*?)\s*\)`)

// Named returns the simple names of the classes src's typeof(...)
// expressions name: a superset of the Startup classes its attributes name,
// whose partial declarations may lie in files that Mention nothing.
func Named(src []byte) []string {
	var out []string
	for _, m := range typeofPattern.FindAllSubmatch(src, -1) {
		out = append(out, lastName(string(m[1])))
	}
	return out
}

// IndentOf is the indentation unit most of the sources use (cs.IndentUnit);
// the templates' own on a tie or without sources. Build sets Plan.Indent
// from the sources it is given; a caller that gives it only some files
// sets it from all of them with this.
func IndentOf(srcs [][]byte) string {
	count := map[string]int{}
	for _, src := range srcs {
		count[cs.IndentUnit(src)]++
	}
	best := templateIndent
	for _, u := range slices.Sorted(maps.Keys(count)) {
		if count[u] > count[best] {
			best = u
		}
	}
	return best
}
