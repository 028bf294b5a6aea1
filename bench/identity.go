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

// treeDigest hashes what a package directory holds besides the package's
// own Go files: testdata, data files next to the tests, non-package
// subdirectories, recursively. It leaves out subdirectories that are other
// packages (they hold .go files; testdata never is one), nested modules,
// vendor and .git. Go files are left out because the test binary holds
// what they compile to; a benchmark that reads one at run time shows it in
// its test log.
func treeDigest(dir string) (string, error) {
	type entry struct{ rel, hash string }
	var entries []entry
	var total int64
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if path == dir {
				return nil
			}
			name := d.Name()
			if name == ".git" || name == "vendor" || exists(filepath.Join(path, "go.mod")) || name != "testdata" && holdsGo(path) {
				return filepath.SkipDir
			}
			return nil
		}
		if strings.HasSuffix(d.Name(), ".go") && filepath.Dir(path) == dir {
			return nil
		}
		if !d.Type().IsRegular() {
			// A symlink or device: its target may change without it.
			t, err := os.Stat(path)
			if err != nil || !t.Mode().IsRegular() {
				entries = append(entries, entry{relTo(dir, path), "special " + d.Type().String()})
				return nil
			}
		}
		info, err := d.Info()
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
	})
	if err != nil {
		return "", err
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

func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

// holdsGo reports whether dir has a .go file: it is a package of its own.
func holdsGo(dir string) bool {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return false
	}
	return slices.ContainsFunc(entries, func(e fs.DirEntry) bool { return !e.IsDir() && strings.HasSuffix(e.Name(), ".go") })
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
		op, name, ok := strings.Cut(sc.Text(), " ")
		if !ok {
			continue
		}
		switch op {
		case "getenv":
			if !seen["env "+name] {
				seen["env "+name] = true
				in.Env = append(in.Env, name)
			}
			continue
		case "chdir":
			pwd = name
		case "open", "stat":
		default:
			continue
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
