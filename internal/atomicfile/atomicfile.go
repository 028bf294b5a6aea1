// Package atomicfile writes a file so that readers see either the old
// content or the complete new content, never half of it: the data goes to a
// temporary file in the same directory, which is synced and renamed over the
// target only when the writer commits.
package atomicfile

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// A File is a pending replacement of Path.
type File struct {
	*os.File
	Path string
	done bool
}

// Create starts writing path. Call Commit to put the content in place, and
// defer Abort to remove the temporary file on every other way out.
func Create(path string, perm os.FileMode) (*File, error) {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return nil, err
	}
	if err := f.Chmod(perm); err != nil {
		f.Close()
		os.Remove(f.Name())
		return nil, err
	}
	return &File{File: f, Path: path}, nil
}

// Commit syncs the data and renames it over Path.
func (f *File) Commit() error {
	if f.done {
		return errors.New("atomicfile: already committed or aborted")
	}
	f.done = true
	tmp := f.Name()
	err := f.Sync()
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, f.Path)
	}
	if err != nil {
		os.Remove(tmp)
		return fmt.Errorf("writing %s: %w", f.Path, err)
	}
	return nil
}

// Abort removes the temporary file; Path keeps its old content. It does
// nothing after Commit, so it can always be deferred.
func (f *File) Abort() {
	if f.done {
		return
	}
	f.done = true
	f.Close()
	os.Remove(f.Name())
}

// WriteFile writes data to path atomically.
func WriteFile(path string, data []byte, perm os.FileMode) error {
	f, err := Create(path, perm)
	if err != nil {
		return err
	}
	defer f.Abort()
	if _, err := f.Write(data); err != nil {
		return err
	}
	return f.Commit()
}
