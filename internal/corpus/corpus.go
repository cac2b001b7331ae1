// Package corpus generates synthetic repositories of Azure Functions .NET
// apps, deterministically from a seed: in-process apps of several shapes
// (HTTP, queue/blob/Service Bus, timer, FunctionsStartup DI, Durable 2.x),
// apps with code a person must migrate, and repositories the tool must leave
// alone or cannot read (already isolated, no Functions at all, a malformed
// project file, a C# syntax error). Batch-mode tests and benchmarks run
// funcmigrate over them; larger Config values make big C# files for
// performance work, and Config.TestProjects and Config.ServiceFiles make
// the apps look more like real ones (unit tests beside them, application
// code that is not functions) without changing anything else.
//
// The same Config always gives the same bytes: every repository draws from
// its own PCG generator seeded with Config.Seed and its index, so repository
// i does not change when Config.Repos grows.
package corpus

import (
	"bytes"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
)

// A Kind is the shape of a generated repository.
type Kind string

// The kinds of repository Generate writes.
const (
	HTTP            Kind = "http"           // in-process HTTP functions (HttpRequest/IActionResult, HttpRequestMessage), ILogger
	Queue           Kind = "queue"          // queue/blob/Service Bus triggers with input and output bindings, [return: Queue], IAsyncCollector
	Timer           Kind = "timer"          // timer triggers, ExecutionContext
	Startup         Kind = "startup"        // FunctionsStartup with DI registrations + functions using injected services
	Durable         Kind = "durable"        // Durable Functions 2.x: HTTP starter, orchestrator, activities
	ManualWork      Kind = "manual-work"    // code the tool must report for a person: IBinder, Twilio, ClaimsPrincipal
	AlreadyIsolated Kind = "isolated"       // already on Microsoft.Azure.Functions.Worker (the tool skips it)
	NotFunctions    Kind = "not-functions"  // a plain .NET console/web/library repo, no Functions at all
	BrokenProject   Kind = "broken-project" // malformed .csproj XML
	BrokenSource    Kind = "broken-source"  // an in-process app one of whose C# files has a syntax error
)

// Kinds lists every kind, in declaration order.
var Kinds = []Kind{HTTP, Queue, Timer, Startup, Durable, ManualWork, AlreadyIsolated, NotFunctions, BrokenProject, BrokenSource}

// Migratable reports whether repositories of kind k hold an in-process app
// whose code the tool migrates on its own (findings about the usual
// follow-up steps aside): not ManualWork, nor the kinds it skips or cannot
// read.
func (k Kind) Migratable() bool {
	switch k {
	case HTTP, Queue, Timer, Startup, Durable:
		return true
	}
	return false
}

// DefaultKinds is a realistic mix for batch runs: mostly migratable apps,
// one of each of the others per rotation of 20.
var DefaultKinds = []Kind{
	HTTP, Queue, Timer, Startup, HTTP,
	Durable, Queue, ManualWork, HTTP, Startup,
	AlreadyIsolated, Queue, Timer, NotFunctions, HTTP,
	BrokenProject, Startup, Durable, BrokenSource, Queue,
}

// Config says what to generate.
type Config struct {
	Repos int    // how many repositories
	Seed  int64  // same seed, same bytes
	Kinds []Kind // rotation of kinds; nil means DefaultKinds
	// Git makes each repository a git repository with one commit. It needs
	// git on PATH; author, committer and dates are set through the
	// environment, and global and system git configuration is ignored.
	Git bool
	// FunctionsPerFile is the number of functions in each function file; 0
	// means a small seed-dependent number (1-4). Durable repositories count
	// workflows of four functions (starter, orchestrator, two activities).
	// Larger values make big files for performance tests.
	FunctionsPerFile int
	// FilesPerProject is the number of function files per app; 0 means
	// seed-dependent 1-3. Models, services and Startup come on top, and a
	// ManualWork app has one more file with one to three functions that
	// need a person, whatever FunctionsPerFile says.
	FilesPerProject int
	// TestProjects gives each in-process app of the kinds the tool
	// migrates, and each ManualWork app, an xUnit test project beside it
	// (tests/<App>.Tests) that references the app and unit-tests one to
	// three of its function classes the way in-process tests do: they
	// construct the class or call its static methods with DefaultHttpContext
	// requests, loggers, ExecutionContext, TimerInfo, queue messages and Moq
	// mocks, and assert on the results. Repo.TestProject names it.
	TestProjects bool
	// ServiceFiles is the number of extra C# files of ordinary application
	// code in each app (services, repositories, validators, mappers,
	// extension methods, domain types, API clients) of 100-400 lines each,
	// in folders such as Services/ and Infrastructure/. They hold no
	// Functions attributes or WebJobs types, so a migration leaves them as
	// they are. NotFunctions repositories get none. Repo.Services names them.
	ServiceFiles int
}

// A Repo is one generated repository.
type Repo struct {
	Dir  string // absolute path
	Name string // folder name, e.g. "repo-0007-queue"
	Kind Kind
	// Projects are the .csproj files, slash-separated and relative to Dir,
	// sorted.
	Projects []string
	// Broken is the file that was broken on purpose (the .csproj of a
	// BrokenProject repository, the C# file of a BrokenSource one),
	// relative to Dir; "" otherwise.
	Broken string
	// Manual is the C# file of a ManualWork repository that holds the code
	// a person must migrate (IBinder, Twilio, ClaimsPrincipal), relative to
	// Dir; "" otherwise.
	Manual string
	// CRLF says the C# files have CRLF line endings and a UTF-8 BOM (some
	// Timer repositories); every other file uses LF without a BOM.
	CRLF bool
	// Deploy lists the deployment files that set
	// FUNCTIONS_WORKER_RUNTIME=dotnet (a GitHub Actions workflow, a Bicep
	// file), relative to Dir, sorted.
	Deploy []string
	// TestProject is the test project's .csproj (Config.TestProjects),
	// relative to Dir; "" when there is none. Projects lists it too.
	TestProject string
	// Services are the service files (Config.ServiceFiles), relative to
	// Dir, sorted.
	Services []string
	// Files is the number of files written (not counting .git).
	Files int
}

// Generate writes cfg.Repos repositories as direct children of dir, which
// must be empty or not exist, and returns them in order. Repository i has
// kind Kinds[i%len(Kinds)].
func Generate(dir string, cfg Config) ([]Repo, error) {
	kinds := cfg.Kinds
	if kinds == nil {
		kinds = DefaultKinds
	}
	switch {
	case cfg.Repos < 0:
		return nil, fmt.Errorf("corpus: Repos is %d", cfg.Repos)
	case cfg.FunctionsPerFile < 0:
		return nil, fmt.Errorf("corpus: FunctionsPerFile is %d", cfg.FunctionsPerFile)
	case cfg.FilesPerProject < 0:
		return nil, fmt.Errorf("corpus: FilesPerProject is %d", cfg.FilesPerProject)
	case cfg.ServiceFiles < 0:
		return nil, fmt.Errorf("corpus: ServiceFiles is %d", cfg.ServiceFiles)
	case len(kinds) == 0 && cfg.Repos > 0:
		return nil, errors.New("corpus: Kinds is empty")
	}
	for _, k := range kinds {
		if !knownKind(k) {
			return nil, fmt.Errorf("corpus: unknown kind %q", k)
		}
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("corpus: %v", err)
	}
	entries, err := os.ReadDir(abs)
	switch {
	case errors.Is(err, os.ErrNotExist):
		if err := os.MkdirAll(abs, 0o755); err != nil {
			return nil, fmt.Errorf("corpus: %v", err)
		}
	case err != nil:
		return nil, fmt.Errorf("corpus: %v", err)
	case len(entries) > 0:
		return nil, fmt.Errorf("corpus: %s is not empty", abs)
	}
	var git string
	if cfg.Git {
		if git, err = exec.LookPath("git"); err != nil {
			return nil, fmt.Errorf("corpus: Config.Git needs git: %v", err)
		}
	}

	repos := make([]Repo, cfg.Repos)
	for i := range repos {
		kind := kinds[i%len(kinds)]
		name := fmt.Sprintf("repo-%04d-%s", i, kind)
		g := newRepoGen(cfg, i, kind)
		g.generate()
		repo := Repo{Dir: filepath.Join(abs, name), Name: name, Kind: kind, Broken: g.broken, Manual: g.manual, CRLF: g.crlf,
			TestProject: g.testProj, Services: slices.Sorted(slices.Values(g.services)), Files: len(g.files)}
		for _, f := range g.files {
			switch {
			case strings.HasSuffix(f.path, ".csproj"):
				repo.Projects = append(repo.Projects, f.path)
			case f.deploy:
				repo.Deploy = append(repo.Deploy, f.path)
			}
		}
		sortStrings(repo.Projects)
		sortStrings(repo.Deploy)
		if err := writeFiles(repo.Dir, g.files); err != nil {
			return nil, err
		}
		repos[i] = repo
	}
	if cfg.Git {
		if err := commitAll(git, repos, cfg.Seed); err != nil {
			return nil, err
		}
	}
	return repos, nil
}

func knownKind(k Kind) bool {
	for _, kk := range Kinds {
		if k == kk {
			return true
		}
	}
	return false
}

// A file is one generated file; path is slash-separated and relative to the
// repository.
type file struct {
	path   string
	data   []byte
	deploy bool // sets FUNCTIONS_WORKER_RUNTIME=dotnet for deployment
}

func writeFiles(root string, files []file) error {
	for _, f := range files {
		p := filepath.Join(root, filepath.FromSlash(f.path))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return fmt.Errorf("corpus: %v", err)
		}
		if err := os.WriteFile(p, f.data, 0o644); err != nil {
			return fmt.Errorf("corpus: %v", err)
		}
	}
	return nil
}

// commitAll makes every repository a git repository with one commit, a few
// at a time. Dates and identities are fixed, so commit ids depend only on
// the content and the seed.
func commitAll(git string, repos []Repo, seed int64) error {
	env := []string{
		"GIT_AUTHOR_NAME=Corpus Generator", "GIT_AUTHOR_EMAIL=corpus@example.com",
		"GIT_COMMITTER_NAME=Corpus Generator", "GIT_COMMITTER_EMAIL=corpus@example.com",
		"GIT_AUTHOR_DATE=2024-05-06T07:08:09Z", "GIT_COMMITTER_DATE=2024-05-06T07:08:09Z",
		"GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL=" + os.DevNull, "GIT_TERMINAL_PROMPT=0",
	}
	for _, kv := range os.Environ() {
		// The caller's GIT_DIR, GIT_INDEX_FILE and the like would point
		// the commands elsewhere.
		if !strings.HasPrefix(kv, "GIT_") {
			env = append(env, kv)
		}
	}
	config := []string{"-c", "init.defaultBranch=main", "-c", "core.autocrlf=false", "-c", "core.safecrlf=false",
		"-c", "commit.gpgsign=false", "-c", "core.hooksPath=" + os.DevNull, "-c", "core.fsmonitor=false"}
	run := func(dir string, args ...string) error {
		cmd := exec.Command(git, append(append([]string{}, config...), args...)...)
		cmd.Dir = dir
		cmd.Env = env
		var out bytes.Buffer
		cmd.Stdout = &out
		cmd.Stderr = &out
		if err := cmd.Run(); err != nil {
			return fmt.Errorf("corpus: git %s in %s: %v\n%s", strings.Join(args, " "), dir, err, out.Bytes())
		}
		return nil
	}
	errs := make([]error, len(repos))
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	var wg sync.WaitGroup
	for i := range repos {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			dir := repos[i].Dir
			r := rand.New(rand.NewPCG(uint64(seed), uint64(i)^0xc0ffee))
			msg := pick(r, []string{"Initial commit", "Import function app", "First version", "Add " + string(repos[i].Kind) + " app"})
			for _, args := range [][]string{{"init", "-q"}, {"add", "-A"}, {"commit", "-q", "--no-verify", "-m", msg}} {
				if err := run(dir, args...); err != nil {
					errs[i] = err
					return
				}
			}
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}
