package hook

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/perfctl/perfctl/internal/run"
)

func TestParseUnifiedZero(t *testing.T) {
	diff := `diff --git a/a.go b/a.go
index 1..2 100644
--- a/a.go
+++ b/a.go
@@ -3 +3 @@ func A() {
-	x := 1
+	x := 2
@@ -10,0 +11,3 @@ func B() {
+	y := 1
+	z := 2
+	w := 3
@@ -20,2 +22,0 @@ func C() {
-	gone
-	gone
diff --git a/new.go b/new.go
new file mode 100644
--- /dev/null
+++ b/new.go
@@ -0,0 +1,2 @@
+package x
+
diff --git a/old.go b/old.go
deleted file mode 100644
--- a/old.go
+++ /dev/null
@@ -1 +0,0 @@
-package x
`
	got := parseUnifiedZero([]byte(diff))
	want := map[string][]lineRange{"a.go": {{3, 3}, {11, 13}}, "new.go": {{1, 2}}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
	if !inRanges(got["a.go"], 12) || inRanges(got["a.go"], 10) || inRanges(got["a.go"], 22) {
		t.Error("inRanges")
	}
}

func TestIgnoredDir(t *testing.T) {
	for name, want := range map[string]bool{"a.go": false, "pkg/a.go": false, "testdata/a.go": true, "x/vendor/y/a.go": true,
		".hidden/a.go": true, "_tools/a.go": true, "go.mod": false} {
		if got := ignoredDir(name); got != want {
			t.Errorf("ignoredDir(%q) = %v", name, got)
		}
	}
}

func gitRepo(t testing.TB) string {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Fatal("these tests run the real git:", err)
	}
	dir := t.TempDir()
	for _, args := range [][]string{{"init", "-q", "-b", "main"}, {"config", "user.email", "t@example.invalid"}, {"config", "user.name", "t"}} {
		if out, err := exec.CommandContext(t.Context(), "git", append([]string{"-C", dir}, args...)...).CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	return dir
}

// TestInstallUninstall installs over an existing hook and checks that
// uninstall restores it byte for byte, mode included.
func TestInstallUninstall(t *testing.T) {
	ctx := context.Background()
	dir := gitRepo(t)
	hooks := filepath.Join(dir, ".git", "hooks")
	old := []byte("#!/bin/sh\n# mine\nexit 0\n")
	if err := os.WriteFile(filepath.Join(hooks, "pre-commit"), old, 0o750); err != nil {
		t.Fatal(err)
	}
	res, err := Install(ctx, run.Exec{}, dir, "/opt/my perfctl's/perfctl")
	if err != nil {
		t.Fatal(err)
	}
	if res.Chained != filepath.Join(hooks, "pre-commit"+BackupSuffix) || res.Updated {
		t.Errorf("Install = %+v", res)
	}
	script, err := os.ReadFile(res.Path)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(script), `perfctl='/opt/my perfctl'\''s/perfctl'`) {
		t.Errorf("the script does not quote the path:\n%s", script)
	}
	// sh parses it.
	if out, err := exec.CommandContext(ctx, "sh", "-n", res.Path).CombinedOutput(); err != nil {
		t.Errorf("sh -n: %v\n%s", err, out)
	}
	if res, err := Install(ctx, run.Exec{}, dir, "perfctl"); err != nil || !res.Updated {
		t.Errorf("second Install = %+v, %v", res, err)
	}
	restored, err := Uninstall(ctx, run.Exec{}, dir)
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(restored)
	if err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(restored)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != string(old) || fi.Mode().Perm() != 0o750 {
		t.Errorf("restored %q with mode %v, want the old hook with 0750", got, fi.Mode().Perm())
	}
	if _, err := Uninstall(ctx, run.Exec{}, dir); err == nil {
		t.Error("Uninstall of someone else's hook: no error")
	}
}

// TestPreCommitManifest checks .pre-commit-hooks.yaml against the keys the
// pre-commit framework knows and the command perfctl has.
func TestPreCommitManifest(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", ".pre-commit-hooks.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var hooks []map[string]any
	dec := yaml.NewDecoder(strings.NewReader(string(data)))
	if err := dec.Decode(&hooks); err != nil {
		t.Fatal(err)
	}
	// pre-commit's MANIFEST_HOOK_DICT (clientlib.py).
	known := map[string]bool{"id": true, "name": true, "entry": true, "language": true, "alias": true, "files": true,
		"exclude": true, "types": true, "types_or": true, "exclude_types": true, "additional_dependencies": true,
		"args": true, "always_run": true, "fail_fast": true, "pass_filenames": true, "description": true,
		"language_version": true, "log_file": true, "require_serial": true, "stages": true, "verbose": true,
		"minimum_pre_commit_version": true}
	if len(hooks) != 1 {
		t.Fatalf("%d hooks", len(hooks))
	}
	h := hooks[0]
	for k := range h {
		if !known[k] {
			t.Errorf("unknown key %q", k)
		}
	}
	for _, k := range []string{"id", "name", "entry", "language"} {
		if h[k] == nil {
			t.Errorf("missing %q", k)
		}
	}
	if h["entry"] != "perfctl hook run" || h["language"] != "golang" || h["pass_filenames"] != false {
		t.Errorf("hook %v", h)
	}
}

// TestSnapshotRecovers checks that a snapshot left locked by an interrupted
// run is rebuilt, and that it holds the index, not the working tree.
func TestSnapshotRecovers(t *testing.T) {
	ctx := context.Background()
	dir := gitRepo(t)
	write := func(name, text string) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	git := func(args ...string) {
		t.Helper()
		if out, err := exec.CommandContext(ctx, "git", append([]string{"-C", dir}, args...)...).CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	write("a.go", "package a // staged\n")
	write("gone.go", "package a\n")
	git("add", "a.go", "gone.go")
	snap, release, err := snapshot(ctx, run.Exec{}, dir)
	if err != nil {
		t.Fatal(err)
	}
	release()
	// An interrupted run left the snapshot's index locked.
	if err := os.WriteFile(filepath.Join(filepath.Dir(snap), "staged.index.lock"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	git("rm", "-q", "--cached", "gone.go")
	write("a.go", "package a // not staged\n")
	if snap, release, err = snapshot(ctx, run.Exec{}, dir); err != nil {
		t.Fatal(err)
	}
	release()
	got, err := os.ReadFile(filepath.Join(snap, "a.go"))
	if err != nil || string(got) != "package a // staged\n" {
		t.Errorf("snapshot a.go = %q, %v; want the staged content", got, err)
	}
	if _, err := os.Stat(filepath.Join(snap, "gone.go")); !os.IsNotExist(err) {
		t.Errorf("a file removed from the index is still in the snapshot (%v)", err)
	}
}
