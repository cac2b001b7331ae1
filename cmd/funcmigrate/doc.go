// Funcmigrate moves Azure Functions .NET apps from the in-process model to
// the isolated worker model, and shows every change as a patch.
//
// Usage:
//
//	funcmigrate diff [flags] PATH...    print the migration as a unified diff; writes nothing
//	funcmigrate apply [flags] PATH...   write the migration in place, one project at a time
//	funcmigrate batch --repos LIST|DIR --out DIR [flags]
//	                                    migrate many repositories in parallel (package batch)
//	funcmigrate report merge --out DIR SHARD_OUT...
//	                                    merge the output folders of a sharded batch
//	funcmigrate rules [RULE]            list the rules, or print one rule's doc
//	funcmigrate version
//
// PATH is a function app folder, a .csproj, a .sln or a repository root:
// every in-process function app below it is migrated. bin/, obj/ and
// dot-folders are not searched. Already-isolated and Logic Apps projects are
// skipped with a reason.
//
// Flags of diff and apply:
//
//	--target-framework net10.0|net8.0|net9.0|net48   (default net10.0)
//	--format text|json|sarif|markdown   how findings are written (default text)
//	--report FILE             write the findings to FILE
//	--no-todo-comments        do not mark code left in place with TODO(funcmigrate) comments
//	--host-builder            generate Program.cs with new HostBuilder() instead of FunctionsApplication
//
// diff only:
//
//	--check      exit 1 when changes are pending
//	-o FILE      write the patch to FILE instead of standard output
//
// apply only:
//
//	--allow-dirty   write even when git reports uncommitted changes in the files to be written
//	--rollback      undo an apply that was killed half-way, and do nothing else
//
// apply writes all files or none: a journal (.funcmigrate-journal.json)
// lets the next apply finish a run that was killed half-way, or --rollback
// undo it; diff and batch refuse a half-written tree until then.
//
// The patch paths are relative to the top of the git work tree that holds
// the migrated app (outside git, to the current folder), so `git apply` run
// anywhere in that work tree takes the patch as it is.
//
// Findings (what the tool could not migrate safely) go to standard error
// when the patch goes to standard output, otherwise to standard output.
//
// Flags of batch: --jobs N, --shard i/n, --force, --apply, --git-branch NAME,
// --allow-dirty (with --apply), --quiet, and --target-framework, --format,
// --no-todo-comments, --host-builder as above. See the README for the output
// folder, the statuses, resuming and sharding.
//
// Exit codes: 0 nothing to do or everything migrated; 1 changes pending
// (--check) or findings that need a person (batch: a repository that needs
// manual work or failed); 2 usage, input or I/O error, or an interrupted batch.
package main
