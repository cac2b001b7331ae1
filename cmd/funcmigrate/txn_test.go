package main

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/funcmigrate/funcmigrate/internal/apply"
)

// childEnv makes the test binary run funcmigrate itself (see TestMain), so
// a test can kill a real apply process. faultEnv names the step to fail at:
// "kill:STEP" kills the process there with SIGKILL, "fail:STEP" fails it.
const (
	childEnv = "FUNCMIGRATE_TEST_CHILD"
	faultEnv = "FUNCMIGRATE_TEST_FAULT"
)

func TestMain(m *testing.M) {
	if os.Getenv(childEnv) == "1" {
		if f := os.Getenv(faultEnv); f != "" {
			how, step, _ := strings.Cut(f, ":")
			apply.Fault = func(s string) error {
				if s != step {
					return nil
				}
				if how == "kill" {
					p, _ := os.FindProcess(os.Getpid())
					p.Kill() // SIGKILL: no deferred code, no cleanup
					select {}
				}
				return errors.New("injected failure")
			}
		}
		os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}

// child runs funcmigrate as a separate process in dir.
func child(t *testing.T, dir, fault string, args ...string) (code int, killed bool, stderr string) {
	t.Helper()
	cmd := exec.Command(os.Args[0], args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), childEnv+"=1", faultEnv+"="+fault)
	var e bytes.Buffer
	cmd.Stderr = &e
	err := cmd.Run()
	var exit *exec.ExitError
	switch {
	case err == nil:
		return 0, false, e.String()
	case errors.As(err, &exit):
		if exit.ExitCode() == -1 { // ended by a signal
			return -1, true, e.String()
		}
		return exit.ExitCode(), false, e.String()
	}
	t.Fatalf("%v: %v", args, err)
	return
}

// snapshot is every file under a folder with its mode, by slash path.
type snapshot map[string]snapFile

type snapFile struct {
	data []byte
	mode fs.FileMode
}

func takeSnapshot(t *testing.T, dir string) snapshot {
	t.Helper()
	s := snapshot{}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return filepath.SkipDir // unreadable: bad-input tests make some
		}
		if d.IsDir() {
			return nil
		}
		rel, _ := filepath.Rel(dir, path)
		fi, err := d.Info()
		if err != nil {
			return err
		}
		var data []byte
		if d.Type()&fs.ModeSymlink != 0 {
			target, err := os.Readlink(path)
			if err != nil {
				return err
			}
			data = []byte("symlink to " + target)
		} else if data, err = os.ReadFile(path); err != nil {
			data = []byte("unreadable")
		}
		s[filepath.ToSlash(rel)] = snapFile{data, fi.Mode()}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// diffSnapshots describes how got differs from want, or "".
func diffSnapshots(got, want snapshot) string {
	var b strings.Builder
	for p, w := range want {
		g, ok := got[p]
		switch {
		case !ok:
			fmt.Fprintf(&b, "%s: missing\n", p)
		case !bytes.Equal(g.data, w.data):
			fmt.Fprintf(&b, "%s: content differs\n", p)
		case g.mode != w.mode:
			fmt.Fprintf(&b, "%s: mode %v, want %v\n", p, g.mode, w.mode)
		}
	}
	for p := range got {
		if _, ok := want[p]; !ok {
			fmt.Fprintf(&b, "%s: unexpected\n", p)
		}
	}
	return b.String()
}

// sampleCopy copies the sample apps into a fresh folder (not a git
// repository, so apply has no uncommitted-work check to pass), with one
// project file group-writable to show that modes survive.
func sampleCopy(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	copyTree(t, sampleDir, dir)
	if err := os.Chmod(filepath.Join(dir, "InventoryApp", "InventoryApp.csproj"), 0o664); err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestApplyKilled kills a real apply process at every step of its
// transaction, then checks that each file is entirely old or entirely new,
// that the next apply finishes the job (or --rollback undoes it), and that
// the end state is exactly what an uninterrupted apply gives.
func TestApplyKilled(t *testing.T) {
	before := takeSnapshot(t, sampleCopy(t))
	clean := sampleCopy(t)
	if code, _, stderr := child(t, clean, "", "apply", "."); code != 1 {
		t.Fatalf("uninterrupted apply: exit %d\n%s", code, stderr)
	}
	after := takeSnapshot(t, clean)
	if after["InventoryApp/InventoryApp.csproj"].mode.Perm() != 0o664 {
		t.Fatalf("apply lost the project file's mode: %v", after["InventoryApp/InventoryApp.csproj"].mode)
	}
	files := 0
	for p, a := range after {
		if b, ok := before[p]; !ok || !bytes.Equal(a.data, b.data) {
			files++
		}
	}
	for p := range before {
		if _, ok := after[p]; !ok {
			files++
		}
	}
	if files < 10 {
		t.Fatalf("the sample changes only %d files; the test needs a bigger transaction", files)
	}

	steps := []string{"journal prepare", "staged 0", fmt.Sprintf("staged %d", files/2), fmt.Sprintf("staged %d", files-1),
		"journal commit", "renamed 0", fmt.Sprintf("renamed %d", files/2), fmt.Sprintf("renamed %d", files-2), fmt.Sprintf("renamed %d", files-1), "committed"}
	for _, step := range steps {
		for _, recovery := range []string{"finish", "rollback"} {
			t.Run(step+"/"+recovery, func(t *testing.T) {
				dir := sampleCopy(t)
				code, killed, stderr := child(t, dir, "kill:"+step, "apply", ".")
				if !killed {
					t.Fatalf("apply was not killed at %q: exit %d\n%s", step, code, stderr)
				}
				mid := takeSnapshot(t, dir)
				for p, f := range mid {
					b, inBefore := before[p]
					a, inAfter := after[p]
					switch {
					case inBefore && bytes.Equal(f.data, b.data), inAfter && bytes.Equal(f.data, a.data):
					case isTxnFile(p):
					default:
						t.Errorf("%s: neither its old nor its new content after a kill at %q", p, step)
					}
				}

				// diff refuses to describe a half-written tree.
				code, _, stderr = child(t, dir, "", "diff", ".")
				if _, journal := mid[apply.JournalName]; journal && (code != 2 || !strings.Contains(stderr, "was interrupted")) {
					t.Errorf("diff after the kill: exit %d, want 2 naming the interrupted apply\n%s", code, stderr)
				}

				want := after
				if recovery == "rollback" {
					want = before
					code, _, stderr = child(t, dir, "", "apply", "--rollback", ".")
					if code != 0 {
						t.Fatalf("apply --rollback: exit %d\n%s", code, stderr)
					}
				} else {
					code, _, stderr = child(t, dir, "", "apply", ".")
					if code != 0 && code != 1 { // 0 when nothing is left to migrate
						t.Fatalf("apply after the kill: exit %d\n%s", code, stderr)
					}
				}
				if d := diffSnapshots(takeSnapshot(t, dir), want); d != "" {
					t.Errorf("after %s the tree is not what an uninterrupted run gives:\n%s%s", recovery, d, stderr)
				}
				if _, journal := mid[apply.JournalName]; journal && !strings.Contains(stderr, "was interrupted") {
					t.Errorf("the recovering run did not say what it recovered:\n%s", stderr)
				}
			})
		}
	}
}

func isTxnFile(p string) bool {
	base := filepath.Base(p)
	return base == apply.JournalName || base == apply.JournalName+".tmp" ||
		strings.HasSuffix(base, ".funcmigrate-new") || strings.HasSuffix(base, ".funcmigrate-old")
}

// TestApplyFailureChangesNothing fails a step of apply's transaction with
// an error (a full disk, a permission error) and checks that nothing
// changed and the message names the file.
func TestApplyFailureChangesNothing(t *testing.T) {
	before := takeSnapshot(t, sampleCopy(t))
	for _, c := range []struct{ step, want string }{
		{"journal prepare", "injected failure; nothing was written"},
		{"staged 3", ": injected failure; nothing was written"},
		{"journal commit", "injected failure; nothing was written"},
		{"renamed 0", ": injected failure; the 0 file(s) already written were restored, nothing changed"},
		{"renamed 5", ": injected failure; the 5 file(s) already written were restored, nothing changed"},
	} {
		t.Run(c.step, func(t *testing.T) {
			dir := sampleCopy(t)
			code, _, stderr := child(t, dir, "fail:"+c.step, "apply", ".")
			if code != 2 || !strings.Contains(stderr, c.want) || !strings.Contains(stderr, dir) && c.step != "journal prepare" && c.step != "journal commit" {
				t.Errorf("exit %d, want 2 and a message with %q naming the file:\n%s", code, c.want, stderr)
			}
			if d := diffSnapshots(takeSnapshot(t, dir), before); d != "" {
				t.Errorf("a failed apply changed the tree:\n%s", d)
			}
		})
	}
}

// TestApplyRefusals checks the conditions under which apply writes
// nothing at all: a read-only file, a file saved by someone else while
// apply ran, and an interrupted apply whose files were edited since.
func TestApplyRefusals(t *testing.T) {
	t.Run("read-only file", func(t *testing.T) {
		// The mode bits decide, so this holds for root too.
		dir := t.TempDir()
		writeApp(t, filepath.Join(dir, "Good"), "Good")
		hello := filepath.Join(dir, "Good", "Hello.cs")
		os.Chmod(hello, 0o444)
		before := takeSnapshot(t, dir)
		code, _, stderr := runIn(t, dir, "apply", ".")
		if want := hello + ": is read-only; make it writable (or check it out) and run again; nothing was written"; code != 2 || !strings.Contains(stderr, want) {
			t.Errorf("exit %d, want 2 and %q:\n%s", code, want, stderr)
		}
		if d := diffSnapshots(takeSnapshot(t, dir), before); d != "" {
			t.Errorf("the tree changed:\n%s", d)
		}
	})
	t.Run("file saved during apply", func(t *testing.T) {
		dir := t.TempDir()
		writeApp(t, filepath.Join(dir, "Good"), "Good")
		hello := filepath.Join(dir, "Good", "Hello.cs")
		apply.Fault = func(step string) error {
			if step == "staged 1" {
				f, _ := os.OpenFile(hello, os.O_APPEND|os.O_WRONLY, 0)
				f.WriteString("// saved in the editor\n")
				f.Close()
			}
			return nil
		}
		defer func() { apply.Fault = nil }()
		before := takeSnapshot(t, dir)
		code, _, stderr := runIn(t, dir, "apply", ".")
		if want := hello + ": changed on disk while funcmigrate was running; nothing was written, run again"; code != 2 || !strings.Contains(stderr, want) {
			t.Errorf("exit %d, want 2 and %q:\n%s", code, want, stderr)
		}
		after := takeSnapshot(t, dir)
		if !strings.HasSuffix(string(after["Good/Hello.cs"].data), "// saved in the editor\n") {
			t.Errorf("the edit made during apply was lost")
		}
		delete(after, "Good/Hello.cs")
		delete(before, "Good/Hello.cs")
		if d := diffSnapshots(after, before); d != "" {
			t.Errorf("the tree changed:\n%s", d)
		}
	})
	t.Run("interrupted apply edited since", func(t *testing.T) {
		dir := t.TempDir()
		writeApp(t, filepath.Join(dir, "Good"), "Good")
		// Fail after every rename: the journal stays, every file is new.
		if code, _, stderr := child(t, dir, "fail:committed", "apply", "."); code != 2 {
			t.Fatalf("exit %d\n%s", code, stderr)
		}
		hello := filepath.Join(dir, "Good", "Hello.cs")
		os.WriteFile(hello, []byte("// rewritten by hand\n"), 0o644)
		code, _, stderr := child(t, dir, "", "apply", ".")
		if want := "changed since the interrupted apply, so funcmigrate cannot tell which content is right"; code != 2 || !strings.Contains(stderr, want) || !strings.Contains(stderr, hello) {
			t.Errorf("exit %d, want 2 naming %s and %q:\n%s", code, hello, want, stderr)
		}
		if data, _ := os.ReadFile(hello); string(data) != "// rewritten by hand\n" {
			t.Errorf("recovery overwrote a file edited since: %q", data)
		}
		if _, err := os.Stat(filepath.Join(dir, apply.JournalName)); err != nil {
			t.Errorf("the journal is gone: %v", err)
		}
	})
}
