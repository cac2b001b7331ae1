package batch

import (
	"fmt"
	"os"
	"os/exec"
	"sort"
	"strings"

	"github.com/funcmigrate/funcmigrate/rewrite"
)

// gitCmd runs git in dir, with env added to the environment.
func gitCmd(dir string, env []string, args ...string) (string, error) {
	cmd := exec.Command("git", append([]string{"-C", dir}, args...)...)
	cmd.Env = append(os.Environ(), env...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("git %s in %s: %v: %s", args[0], dir, err, strings.TrimSpace(string(out)))
	}
	return strings.TrimSpace(string(out)), nil
}

// startBranch creates branch at HEAD and checks it out. An existing branch
// is an error: it may hold someone's work, and a rerun must not stack a
// second migration on it.
func startBranch(dir, branch string) error {
	if _, err := gitCmd(dir, nil, "check-ref-format", "--branch", branch); err != nil {
		return fmt.Errorf("--git-branch %q is not a valid branch name", branch)
	}
	if _, err := gitCmd(dir, nil, "rev-parse", "--verify", "--quiet", "refs/heads/"+branch); err == nil {
		return fmt.Errorf("branch %s already exists in %s; nothing was written (delete the branch or choose another --git-branch)", branch, dir)
	}
	_, err := gitCmd(dir, nil, "checkout", "-q", "-b", branch)
	return err
}

// commitMigration commits exactly the files the migration wrote: anything
// the person had staged before stays out of the commit. When the repository
// has no identity configured (a fresh CI machine), the commit is made as
// funcmigrate rather than failing.
func commitMigration(dir string, tree *rewrite.Tree, msg string) (string, error) {
	var paths []string
	for _, c := range tree.Changes() {
		paths = append(paths, c.Path)
	}
	if _, err := gitCmd(dir, nil, append([]string{"add", "-A", "--"}, paths...)...); err != nil {
		return "", err
	}
	f, err := os.CreateTemp("", "funcmigrate-commit-*")
	if err != nil {
		return "", err
	}
	defer os.Remove(f.Name())
	f.WriteString(msg)
	f.Close()
	var identity []string
	if email, _ := gitCmd(dir, nil, "config", "user.email"); email == "" {
		identity = []string{"GIT_AUTHOR_NAME=funcmigrate", "GIT_AUTHOR_EMAIL=funcmigrate@localhost",
			"GIT_COMMITTER_NAME=funcmigrate", "GIT_COMMITTER_EMAIL=funcmigrate@localhost"}
	}
	if _, err := gitCmd(dir, identity, append([]string{"commit", "-q", "--no-verify", "-F", f.Name(), "--"}, paths...)...); err != nil {
		return "", err
	}
	return gitCmd(dir, nil, "rev-parse", "HEAD")
}

// maxListed caps the findings a commit message lists one by one; the
// findings file has them all.
const maxListed = 30

// commitMessage says what was migrated and what is left for a person.
func commitMessage(tree *rewrite.Tree, base, version, target string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Migrate Azure Functions to the isolated worker model (%s)\n\n", target)
	fmt.Fprintf(&b, "funcmigrate %s migrated:\n", version)
	for _, r := range tree.Results {
		if len(r.Changes) == 0 {
			continue
		}
		what := "deployment and tooling files"
		if r.Project != nil {
			what = rewrite.DisplayPath(base, r.Project.File)
		}
		fmt.Fprintf(&b, "- %s (%d file(s))\n", what, len(r.Changes))
	}
	need := tree.NeedsPerson()
	if need == 0 {
		b.WriteString("\nNothing is left for a person.\n")
		return b.String()
	}
	byRule := map[string]int{}
	for _, f := range tree.Findings {
		if f.NeedsPerson() {
			byRule[f.Rule]++
		}
	}
	rules := make([]string, 0, len(byRule))
	for r := range byRule {
		rules = append(rules, r)
	}
	sort.Strings(rules)
	fmt.Fprintf(&b, "\nLeft for a person: %d finding(s); search for TODO(funcmigrate).\n", need)
	for _, r := range rules {
		fmt.Fprintf(&b, "- %s: %d\n", r, byRule[r])
	}
	b.WriteString("\n")
	n := 0
	for _, f := range tree.Findings {
		if !f.NeedsPerson() {
			continue
		}
		if n == maxListed {
			fmt.Fprintf(&b, "... and %d more (see the findings report)\n", need-n)
			break
		}
		loc := f.Path
		if f.Line > 0 {
			loc = fmt.Sprintf("%s:%d", f.Path, f.Line)
		}
		fmt.Fprintf(&b, "%s: %s [%s]\n", loc, oneLine(f.Message), f.Rule)
		n++
	}
	return b.String()
}

func oneLine(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > 200 {
		s = string(r[:197]) + "..."
	}
	return s
}
