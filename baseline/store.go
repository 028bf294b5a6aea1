package baseline

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/perfctl/perfctl/bench"
	"github.com/perfctl/perfctl/internal/atomicfile"
)

// DefaultDir is where baselines live, relative to the module root.
const DefaultDir = ".perfctl/baselines"

// DefaultName is the name of a baseline when none is given.
const DefaultName = "main"

const ext = ".txt"

// ErrNotFound is returned for a baseline that does not exist.
var ErrNotFound = errors.New("baseline not found")

// ErrExists is returned when saving over a baseline without force.
var ErrExists = errors.New("baseline already exists")

var validName = regexp.MustCompile(`^[A-Za-z0-9._-]+$`)

// ValidateName checks a baseline name: letters, digits, '.', '_' and '-',
// not starting with '.' or '-' (no hidden files, no flags, no "..").
func ValidateName(name string) error {
	switch {
	case name == "":
		return errors.New("a baseline name cannot be empty")
	case !validName.MatchString(name):
		return fmt.Errorf("baseline name %q may only contain letters, digits, '.', '_' and '-' (no path separators)", name)
	case strings.HasPrefix(name, ".") || strings.HasPrefix(name, "-"):
		return fmt.Errorf("baseline name %q cannot start with %q", name, name[:1])
	case len(name) > 100:
		return fmt.Errorf("baseline name %q is longer than 100 characters", name)
	}
	return nil
}

// A Store is a directory of baselines.
type Store struct {
	Dir string
}

// Path returns the file of the baseline name.
func (s Store) Path(name string) string { return filepath.Join(s.Dir, name+ext) }

// Save stores text (benchfmt results) as the baseline name and returns
// them parsed. It refuses text that does not parse (source names it in the
// error, e.g. the --from file) and an existing baseline unless force is set.
// The file appears whole or not at all.
func (s Store) Save(name string, text []byte, source string, force bool) (*bench.ResultSet, error) {
	if err := ValidateName(name); err != nil {
		return nil, err
	}
	set, err := bench.Read(bytes.NewReader(text), source)
	if err != nil {
		return nil, fmt.Errorf("refusing to save baseline %q: %w", name, err)
	}
	path := s.Path(name)
	write := atomicfile.WriteFile
	if !force {
		write = atomicfile.WriteNew // of two saves racing, one fails
	}
	if err := write(path, text, 0o644); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return nil, fmt.Errorf("%w: %s", ErrExists, path)
		}
		return nil, err
	}
	return set, nil
}

// Load reads the baseline name.
func (s Store) Load(name string) (*bench.ResultSet, error) {
	if err := ValidateName(name); err != nil {
		return nil, err
	}
	set, err := bench.ReadFile(s.Path(name), nil)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%w: %q (no file %s)", ErrNotFound, name, s.Path(name))
	}
	return set, err
}

// Delete removes the baseline name.
func (s Store) Delete(name string) error {
	if err := ValidateName(name); err != nil {
		return err
	}
	err := os.Remove(s.Path(name))
	if errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("%w: %q (no file %s)", ErrNotFound, name, s.Path(name))
	}
	return err
}

// Info describes a stored baseline.
type Info struct {
	Name       string
	Path       string
	RecordedAt time.Time // zero when the file does not record it
	Commit     string
	Branch     string
	Dirty      string // "true", "false" or ""
	GoVersion  string
	CPU        string
	Benchmarks int // distinct benchmarks
	Results    *bench.ResultSet
}

// InfoOf describes a loaded baseline.
func InfoOf(name, path string, set *bench.ResultSet) Info {
	info := Info{Name: name, Path: path, Results: set, Benchmarks: set.Len(),
		Commit: set.ConfigValue(bench.KeyCommit), Branch: set.ConfigValue(bench.KeyBranch),
		Dirty: set.ConfigValue(bench.KeyDirty), GoVersion: set.ConfigValue(bench.KeyGo),
		CPU: set.ConfigValue(bench.KeyCPU)}
	info.RecordedAt, _ = time.Parse(time.RFC3339, set.ConfigValue(bench.KeyRecordedAt))
	return info
}

// Get loads the baseline name with its description.
func (s Store) Get(name string) (Info, error) {
	set, err := s.Load(name)
	if err != nil {
		return Info{}, err
	}
	return InfoOf(name, s.Path(name), set), nil
}

// List describes every baseline in the store, sorted by name. A missing
// directory is an empty store. A file that cannot be read does not hide the
// others: it is returned in problems, one error per file, naming it.
func (s Store) List() (infos []Info, problems []error, err error) {
	entries, err := os.ReadDir(s.Dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil, nil
	}
	if err != nil {
		return nil, nil, err
	}
	for _, e := range entries {
		name, ok := strings.CutSuffix(e.Name(), ext)
		if !ok || e.IsDir() || ValidateName(name) != nil {
			continue
		}
		info, err := s.Get(name)
		if err != nil {
			problems = append(problems, err)
			continue
		}
		infos = append(infos, info)
	}
	sort.Slice(infos, func(i, j int) bool { return infos[i].Name < infos[j].Name })
	return infos, problems, nil
}
