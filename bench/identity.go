package bench

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// Telling whether a package's benchmarks can have changed without running
// them. A test binary is built with -trimpath, so two builds of the same
// code in two checkouts are byte for byte the same (go1.26: the build ID
// hashes the content of the inputs, not their paths). The binary is not
// all a benchmark runs on: it can read files at run time (testdata, files
// next to the test, anything else) and the environment. What it reads is
// found the way go test's result cache finds it: the test binary logs the
// files it opens and stats and the variables it reads when it runs with
// -test.testlogfile.

// maxTreeBytes bounds how much of a package directory is hashed; a larger
// one is never called identical.
const maxTreeBytes = 256 << 20

// maxTreeFiles bounds how many files of a package directory are hashed.
const maxTreeFiles = 20_000

// errTooLarge says that a tree or an input list is too large to compare.
var errTooLarge = errors.New("too large to compare")

// hashFile returns the hex SHA-256 of the file at path, or of the names
// and kinds of its entries when it is a directory.
func hashFile(path string) (string, error) {
	st, err := os.Stat(path)
	if err != nil {
		return "", err
	}
	h := sha256.New()
	if st.IsDir() {
		entries, err := os.ReadDir(path)
		if err != nil {
			return "", err
		}
		for _, e := range entries {
			fmt.Fprintf(h, "%s %v\n", e.Name(), e.Type())
		}
		return hex.EncodeToString(h.Sum(nil)), nil
	}
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// treeDigest hashes everything under a package's testdata directory, the
// place a Go test keeps its inputs. Any other file counts when the test
// log shows a benchmark read it, which is the rule go test's own cache
// follows; the digest adds what the log cannot see in testdata (a read by
// a subprocess, through cgo, or in an init function). Files beside the
// package's sources are left to the log: a working tree holds untracked
// ones (editor backups, outputs) that a base-ref worktree does not, and
// they would make every package at the module root look changed.
func treeDigest(dir string) (string, error) {
	type entry struct{ rel, hash string }
	var entries []entry
	var total int64
	add := func(path string, d fs.DirEntry) error {
		if !d.Type().IsRegular() {
			// A symlink or device: its target may change without it.
			t, err := os.Stat(path)
			if err != nil || !t.Mode().IsRegular() {
				entries = append(entries, entry{relTo(dir, path), "special " + d.Type().String()})
				return nil
			}
		}
		info, err := os.Stat(path)
		if err != nil {
			return err
		}
		total += info.Size()
		if total > maxTreeBytes || len(entries) >= maxTreeFiles {
			return errTooLarge
		}
		sum, err := hashFile(path)
		if err != nil {
			return err
		}
		entries = append(entries, entry{relTo(dir, path), sum})
		return nil
	}
	if _, err := os.Stat(dir); err != nil {
		return "", err
	}
	testdata := filepath.Join(dir, "testdata")
	if st, err := os.Stat(testdata); err == nil && st.IsDir() {
		err := filepath.WalkDir(testdata, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			return add(path, d)
		})
		if err != nil {
			return "", err
		}
	}
	slices.SortFunc(entries, func(a, b entry) int { return strings.Compare(a.rel, b.rel) })
	h := sha256.New()
	for _, e := range entries {
		fmt.Fprintf(h, "%s %s\n", e.rel, e.hash)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

func relTo(dir, path string) string {
	rel, err := filepath.Rel(dir, path)
	if err != nil {
		return path
	}
	return filepath.ToSlash(rel)
}

// testLogMagic starts a test log (testing/internal/testdeps).
var testLogMagic = []byte("# test log\n")

// maxTestInputs bounds how many inputs of a test log are compared.
const maxTestInputs = 10_000

// testInputs are what a test binary read while it ran, from its test log:
// files (absolute paths; opened or stat'ed) and environment variables.
type testInputs struct {
	Files []string
	Env   []string
}

// readTestLog parses the test log at path of a binary that ran in dir.
// Relative paths are resolved as the binary saw them, following its
// chdir lines.
func readTestLog(path, dir string) (*testInputs, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	if !bytes.HasPrefix(data, testLogMagic) {
		return nil, errors.New("not a test log")
	}
	in := &testInputs{}
	seen := map[string]bool{}
	pwd := dir
	sc := bufio.NewScanner(bytes.NewReader(data[len(testLogMagic):]))
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	for sc.Scan() {
		if sc.Text() == "" {
			continue
		}
		// A line perfctl cannot read is an input it cannot compare: as go
		// test's own cache, give up rather than call the package the same.
		op, name, ok := strings.Cut(sc.Text(), " ")
		if !ok {
			return nil, fmt.Errorf("test log line %q: no operation", sc.Text())
		}
		switch op {
		case "getenv":
			if !seen["env "+name] {
				seen["env "+name] = true
				in.Env = append(in.Env, name)
			}
			if len(in.Files)+len(in.Env) > maxTestInputs {
				return nil, errTooLarge
			}
			continue
		case "chdir":
			pwd = name
		case "open", "stat":
		default:
			return nil, fmt.Errorf("test log line %q: unknown operation %q", sc.Text(), op)
		}
		if !filepath.IsAbs(name) {
			name = filepath.Join(pwd, name)
		}
		name = filepath.Clean(name)
		if !seen["file "+name] {
			seen["file "+name] = true
			in.Files = append(in.Files, name)
		}
		if len(in.Files)+len(in.Env) > maxTestInputs {
			return nil, errTooLarge
		}
	}
	return in, sc.Err()
}

// sameFile reports whether the file rel (relative to two trees' roots) is
// the same in both: same content, or missing from both.
func sameFile(baseRoot, headRoot, rel string) bool {
	b, berr := hashFile(filepath.Join(baseRoot, rel))
	h, herr := hashFile(filepath.Join(headRoot, rel))
	switch {
	case berr == nil && herr == nil:
		return b == h
	case errors.Is(berr, fs.ErrNotExist) && errors.Is(herr, fs.ErrNotExist):
		return true
	}
	return false
}

// An Identity is what a package's benchmarks ran on: the hash of its test
// binary and the digest of its inputs (inputsDigest). Two runs with the
// same Identity on the same machine measured the same thing.
type Identity struct {
	Binary, Inputs string
}

// inputsDigest hashes what a package's benchmarks read besides their
// binary: the package directory's files (treeDigest), every file inside
// root they opened or stat'ed (by its path relative to root), and the
// value of every environment variable they read, and GODEBUG, which the
// runtime reads without logging it.
func inputsDigest(pkgDir, root string, in *testInputs) (string, error) {
	tree, err := treeDigest(pkgDir)
	if err != nil {
		return "", err
	}
	h := sha256.New()
	fmt.Fprintf(h, "tree %s\n", tree)
	files := slices.Clone(in.Files)
	slices.Sort(files)
	for _, f := range files {
		rel, err := filepath.Rel(root, f)
		if err != nil || !filepath.IsLocal(rel) {
			continue // outside the module: the same file for every run here
		}
		sum, err := hashFile(f)
		if errors.Is(err, fs.ErrNotExist) {
			sum = "missing"
		} else if err != nil {
			return "", err
		}
		fmt.Fprintf(h, "file %s %s\n", filepath.ToSlash(rel), sum)
	}
	env := append(slices.Clone(in.Env), "GODEBUG")
	slices.Sort(env)
	for _, name := range slices.Compact(env) {
		v, ok := os.LookupEnv(name)
		fmt.Fprintf(h, "env %s %v %x\n", name, ok, sha256.Sum256([]byte(v)))
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
