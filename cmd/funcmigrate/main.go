package main

import (
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/funcmigrate/funcmigrate/internal/gcset"
)

const version = "0.1.0"

func main() {
	gcset.ForRun()
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// usageError is an error in the command line: exit 2 with usage help.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	var err error
	code := 0
	switch args[0] {
	case "diff":
		code, err = cmdMigrate(args[1:], false, stdout, stderr)
	case "apply":
		code, err = cmdMigrate(args[1:], true, stdout, stderr)
	case "batch":
		code, err = cmdBatch(args[1:], stdout, stderr)
	case "report":
		code, err = cmdReport(args[1:], stdout)
	case "rules":
		code, err = cmdRules(args[1:], stdout)
	case "version", "--version":
		fmt.Fprintln(stdout, "funcmigrate", version)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
	default:
		err = usageError{fmt.Sprintf("unknown command %q", args[0])}
	}
	if err != nil {
		fmt.Fprintf(stderr, "funcmigrate: %v\n", err)
		var ue usageError
		if errors.As(err, &ue) {
			fmt.Fprint(stderr, usage)
		}
		return 2
	}
	return code
}

const usage = `usage:
  funcmigrate diff [flags] PATH...    print the migration as a patch (writes nothing)
  funcmigrate apply [flags] PATH...   migrate in place
  funcmigrate batch --repos LIST|DIR --out DIR [flags]
                                      migrate many repositories: a patch, findings and a
                                      result row per repository, results.jsonl, summary.md
  funcmigrate report merge --out DIR SHARD_OUT...
                                      merge the output folders of a sharded batch
  funcmigrate rules [RULE]            list the rules, or print one rule's doc
  funcmigrate version

flags of diff, apply and batch:
  --target-framework net10.0|net8.0|net9.0|net48  (default net10.0)
  --format text|json|sarif|markdown  how findings are written (default text)
  --no-todo-comments      do not add TODO(funcmigrate) markers above code left in place
  --host-builder          generate Program.cs in the new HostBuilder() shape

diff and apply:
  --report FILE           write the findings to FILE
  --check                 diff: exit 1 when changes are pending
  -o FILE                 diff: write the patch to FILE
  --allow-dirty           apply: write even over uncommitted changes
  --rollback              apply: undo an apply that was killed half-way

batch:
  --jobs N                repositories in parallel (default: one per CPU)
  --shard i/n             only the i-th of n disjoint slices of the list
  --force                 redo repositories an earlier run with the same --out finished
  --apply                 also write the changes into each repository
  --git-branch NAME       with --apply: commit them on a new branch NAME (never pushed)
  --allow-dirty           with --apply: write even over uncommitted changes
  --quiet                 no progress on standard error
`
