package hook

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"math"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/perfctl/perfctl/internal/filelock"
	"github.com/perfctl/perfctl/internal/run"
	"github.com/perfctl/perfctl/internal/usererr"
)

// git runs git in dir and returns its stdout. It takes no optional locks:
// git status and git diff would otherwise write the index back when they
// can, holding index.lock, and a concurrent hook's write-tree would fail
// on it.
func git(ctx context.Context, r run.Runner, dir string, args ...string) ([]byte, error) {
	out, err := run.Output(ctx, r, &run.Cmd{Args: append([]string{"git", "--no-optional-locks"}, args...), Dir: dir})
	if err != nil {
		return nil, fmt.Errorf("git %s: %w", strings.Join(args, " "), err)
	}
	return out, nil
}

// stagedFiles lists the files added, copied, modified or renamed in the
// index, relative to the top of the working tree.
func stagedFiles(ctx context.Context, r run.Runner, top string) ([]string, error) {
	// Paths are relative to the top of the working tree from anywhere in it
	// (no --relative), so this needs no rev-parse first.
	out, err := git(ctx, r, top, "diff", "--cached", "--name-only", "-z", "--no-renames", "--diff-filter=ACM")
	if err != nil {
		return nil, err
	}
	return splitNUL(out), nil
}

func splitNUL(b []byte) []string {
	var out []string
	for _, f := range bytes.Split(b, []byte{0}) {
		if len(f) > 0 {
			out = append(out, string(f))
		}
	}
	return out
}

// isGo reports whether a file matters to the Go build.
func isGo(name string) bool {
	base := path.Base(name)
	return strings.HasSuffix(base, ".go") || base == "go.mod" || base == "go.sum"
}

// unstagedGo reports whether the working tree differs from the index in a
// file of the Go build: a modified or deleted file, or an untracked one,
// which the commit would not contain.
func unstagedGo(ctx context.Context, r run.Runner, top string) (bool, error) {
	out, err := git(ctx, r, top, "status", "--porcelain=v1", "-z", "--untracked-files=all", "--no-renames",
		"--", "*.go", "*go.mod", "*go.sum")
	if err != nil {
		return false, err
	}
	for _, e := range splitNUL(out) {
		if len(e) < 4 {
			continue
		}
		xy, name := e[:2], e[3:]
		if isGo(name) && (xy == "??" || xy[1] != ' ') {
			return true, nil
		}
	}
	return false, nil
}

// A lineRange is lines [from, to] of a file, inclusive.
type lineRange struct{ from, to int }

// stagedLines returns, per repository-relative file, the lines that the
// staged change adds or modifies.
func stagedLines(ctx context.Context, r run.Runner, top string, files []string) (map[string][]lineRange, error) {
	// The prefixes and quoting are fixed here: diff.mnemonicPrefix,
	// diff.noprefix and core.quotePath would otherwise change the +++ lines
	// that name the files.
	args := append([]string{"-c", "core.quotePath=false", "diff", "--cached", "-U0", "--no-color", "--no-ext-diff",
		"--no-renames", "--src-prefix=a/", "--dst-prefix=b/", "--"}, files...)
	out, err := git(ctx, r, top, args...)
	if err != nil {
		return nil, err
	}
	return parseUnifiedZero(out), nil
}

// parseUnifiedZero reads the hunks of `git diff -U0` output.
func parseUnifiedZero(diff []byte) map[string][]lineRange {
	lines := map[string][]lineRange{}
	file := ""
	sc := bufio.NewScanner(bytes.NewReader(diff))
	sc.Buffer(make([]byte, 0, 64*1024), 16<<20)
	for sc.Scan() {
		t := sc.Text()
		switch {
		case strings.HasPrefix(t, "+++ "):
			file = diffName(strings.TrimPrefix(t, "+++ "))
		case strings.HasPrefix(t, "@@ ") && file != "":
			// @@ -a[,b] +c[,d] @@
			f := strings.Fields(t)
			if len(f) < 3 || !strings.HasPrefix(f[2], "+") {
				continue
			}
			startText, countText, hasCount := strings.Cut(f[2][1:], ",")
			start, err := strconv.Atoi(startText)
			if err != nil || start < 1 { // lines count from 1; +0,0 is a deletion
				continue
			}
			count := 1
			if hasCount {
				if count, err = strconv.Atoi(countText); err != nil {
					continue
				}
			}
			if count > 0 && count-1 <= math.MaxInt-start {
				lines[file] = append(lines[file], lineRange{start, start + count - 1})
			}
		}
	}
	return lines
}

// diffName is the file that the rest of a "+++ " line of git diff names,
// or "" for /dev/null. git quotes a name with special characters (", \,
// control characters) in C style, and ends the line with a tab when the
// name has a space.
func diffName(s string) string {
	s = strings.TrimSuffix(s, "\t")
	if u, ok := unquoteC(s); ok {
		s = u
	}
	if s == "/dev/null" {
		return ""
	}
	return strings.TrimPrefix(s, "b/")
}

// cEscapes are the escapes of git's quote_c_style, besides \ooo.
var cEscapes = map[byte]byte{'a': '\a', 'b': '\b', 't': '\t', 'n': '\n', 'v': '\v', 'f': '\f', 'r': '\r', '"': '"', '\\': '\\'}

// unquoteC undoes git's quote_c_style: s is "…" with the escapes of
// cEscapes and \ooo (a byte in octal); any other byte stands for itself,
// whether or not it is UTF-8 (strconv.Unquote would replace it). It
// reports false when s is not quoted so.
func unquoteC(s string) (string, bool) {
	if len(s) < 2 || s[0] != '"' || s[len(s)-1] != '"' {
		return "", false
	}
	s = s[1 : len(s)-1]
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"':
			return "", false
		case c != '\\':
			b = append(b, c)
			continue
		}
		i++
		if i == len(s) {
			return "", false
		}
		if e, ok := cEscapes[s[i]]; ok {
			b = append(b, e)
			continue
		}
		if i+3 > len(s) {
			return "", false
		}
		n, err := strconv.ParseUint(s[i:i+3], 8, 8)
		if err != nil {
			return "", false
		}
		b = append(b, byte(n))
		i += 2
	}
	return string(b), true
}

func inRanges(rs []lineRange, line int) bool {
	for _, r := range rs {
		if r.from <= line && line <= r.to {
			return true
		}
	}
	return false
}

// snapshot makes a directory under the git directory hold exactly what
// the index holds, and returns it with the function that releases it. The
// directory is kept between commits with an index of its own, so that git
// rewrites only the files that changed and the build caches, which key on
// paths too, stay warm. Concurrent hook runs take turns on it: the caller
// holds it, unchanged, until release.
func snapshot(ctx context.Context, r run.Runner, top string) (dir string, release func(), err error) {
	out, err := git(ctx, r, top, "rev-parse", "--absolute-git-dir")
	if err != nil {
		return "", nil, err
	}
	base := filepath.Join(strings.TrimSpace(string(out)), "perfctl")
	release, err = filelock.Acquire(ctx, filepath.Join(base, "staged.lock"))
	if err != nil {
		return "", nil, err
	}
	dir, err = buildSnapshot(ctx, r, top, base)
	if err != nil {
		release()
		return "", nil, err
	}
	return dir, release, nil
}

func buildSnapshot(ctx context.Context, r run.Runner, top, base string) (string, error) {
	dir, index := filepath.Join(base, "staged"), filepath.Join(base, "staged.index")
	if _, err := os.Stat(dir); err != nil {
		// Without its files, the snapshot's index says nothing true.
		if err := os.Remove(index); err != nil && !os.IsNotExist(err) {
			return "", err
		}
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	// The staged content as a tree (an object only: no ref changes).
	// write-tree locks the index; a git command of the user's may hold it
	// for a moment.
	var tree []byte
	var err error
	for try := 0; ; try++ {
		tree, err = git(ctx, r, top, "write-tree")
		if err == nil || try == 4 || !strings.Contains(err.Error(), "index.lock") || ctx.Err() != nil {
			break
		}
		time.Sleep(time.Duration(50<<try) * time.Millisecond)
	}
	if err != nil {
		return "", err
	}
	cmd := &run.Cmd{Args: []string{"git", "read-tree", "--reset", "-u", strings.TrimSpace(string(tree))}, Dir: top,
		Env: []string{"GIT_INDEX_FILE=" + index, "GIT_WORK_TREE=" + dir}}
	if _, err := run.Output(ctx, r, cmd); err != nil {
		if ctx.Err() != nil {
			return "", ctx.Err()
		}
		// An interrupted earlier run can leave the snapshot half written
		// (or its index locked): start it afresh, once.
		for _, p := range []string{dir, index, index + ".lock"} {
			if err := os.RemoveAll(p); err != nil {
				return "", err
			}
		}
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return "", err
		}
		if _, err := run.Output(ctx, r, cmd); err != nil {
			return "", fmt.Errorf("checking out the staged files: %w", err)
		}
	}
	return dir, nil
}

// checkSnapshot makes sure the snapshot holds every staged file: a
// snapshot that lost some must stop the hook, not pass files unchecked.
func checkSnapshot(dir string, staged []string) error {
	for _, f := range staged {
		if _, err := os.Stat(filepath.Join(dir, filepath.FromSlash(f))); err != nil {
			return &usererr.Error{Msg: fmt.Sprintf("the snapshot of the staged files in %s lacks %s", dir, f),
				Hint: "run the hook again; if it persists, delete " + filepath.Dir(dir) + " (perfctl rebuilds it)"}
		}
	}
	return nil
}

// moduleOf returns the repository-relative directory of the module that
// contains the repository-relative file name ("" for the top), found by
// looking for go.mod in the directory tree at root (the working tree or
// the snapshot), and whether there is one.
func moduleOf(root, name string, cache map[string]string) (string, bool) {
	dir := path.Dir(name)
	var visited []string
	for {
		if m, ok := cache[dir]; ok {
			for _, v := range visited {
				cache[v] = m
			}
			return m, m != "\x00"
		}
		visited = append(visited, dir)
		if _, err := os.Stat(filepath.Join(root, filepath.FromSlash(dir), "go.mod")); err == nil {
			m := dir
			if m == "." {
				m = ""
			}
			for _, v := range visited {
				cache[v] = m
			}
			return m, true
		}
		if dir == "." {
			for _, v := range visited {
				cache[v] = "\x00"
			}
			return "", false
		}
		dir = path.Dir(dir)
	}
}
