// Package atomicfile writes a file so that readers see either the old
// content or the complete new content, never half of it: the data goes to a
// temporary file in the same directory, which is synced and renamed over the
// target only when the writer commits.
//
// A new file gets the permissions the caller asks for less the process's
// umask, as os.WriteFile would give it; a file that is replaced keeps its
// permissions. CommitNew puts the file in place only if nothing is there
// yet, so that of two writers racing for one name exactly one wins.
package atomicfile

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// ErrExists is returned by CommitNew when the target exists.
var ErrExists = fs.ErrExist

// A File is a pending replacement of Path.
type File struct {
	*os.File
	Path string
	done bool
}

// Create starts writing path. Call Commit (or CommitNew) to put the content
// in place, and defer Abort to remove the temporary file on every other way
// out.
func Create(path string, perm os.FileMode) (*File, error) {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	var f *os.File
	for range 100 {
		var suffix [6]byte
		_, _ = rand.Read(suffix[:])
		name := filepath.Join(dir, "."+filepath.Base(path)+".tmp-"+hex.EncodeToString(suffix[:]))
		// Opened with perm, so the kernel applies the umask (os.CreateTemp
		// would make it 0600).
		var err error
		f, err = os.OpenFile(name, os.O_RDWR|os.O_CREATE|os.O_EXCL, perm)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		if err != nil {
			return nil, err
		}
		break
	}
	if f == nil {
		return nil, fmt.Errorf("creating a temporary file next to %s: too many tries", path)
	}
	if st, err := os.Stat(path); err == nil && st.Mode().IsRegular() {
		// Replacing a file: keep its permissions (a 0600 file stays 0600).
		if err := f.Chmod(st.Mode().Perm()); err != nil {
			f.Close()
			os.Remove(f.Name())
			return nil, err
		}
	}
	return &File{File: f, Path: path}, nil
}

// Commit syncs the data and renames it over Path.
func (f *File) Commit() error {
	return f.commit(func(tmp string) error { return os.Rename(tmp, f.Path) })
}

// CommitNew syncs the data and puts it at Path only if Path does not exist;
// otherwise it returns an error that matches ErrExists, and Path is left
// as it was. Two writers racing for the same Path cannot both succeed.
func (f *File) CommitNew() error {
	return f.commit(func(tmp string) error {
		// A hard link fails if the name exists: rename without replace.
		err := os.Link(tmp, f.Path)
		if err == nil || errors.Is(err, fs.ErrExist) {
			os.Remove(tmp)
			return err
		}
		// A file system without hard links: check, then rename. Not
		// race-free, but never worse than before.
		if _, serr := os.Lstat(f.Path); serr == nil {
			return fs.ErrExist
		}
		return os.Rename(tmp, f.Path)
	})
}

func (f *File) commit(place func(tmp string) error) error {
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
		err = place(tmp)
	}
	if err != nil {
		os.Remove(tmp)
		if errors.Is(err, fs.ErrExist) {
			return fmt.Errorf("%s: %w", f.Path, fs.ErrExist)
		}
		return fmt.Errorf("writing %s: %w", f.Path, unwrapLink(err))
	}
	return nil
}

// unwrapLink drops the temporary file's name from a rename or link error:
// users should not see it.
func unwrapLink(err error) error {
	var le *os.LinkError
	if errors.As(err, &le) {
		return le.Err
	}
	return err
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

// WriteFile writes data to path atomically, replacing what is there.
func WriteFile(path string, data []byte, perm os.FileMode) error {
	return write(path, data, perm, (*File).Commit)
}

// WriteNew writes data to path atomically if path does not exist yet;
// otherwise it returns an error matching ErrExists and changes nothing.
func WriteNew(path string, data []byte, perm os.FileMode) error {
	return write(path, data, perm, (*File).CommitNew)
}

func write(path string, data []byte, perm os.FileMode, commit func(*File) error) error {
	f, err := Create(path, perm)
	if err != nil {
		return err
	}
	defer f.Abort()
	if _, err := f.Write(data); err != nil {
		return err
	}
	return commit(f)
}

// CheckWritable reports, before any work is done, why a file could not be
// written at path: it is a directory, a parent is not a directory, or the
// directory that would hold it is not writable. Directories that do not
// exist yet are fine when the nearest existing one is writable (Create
// makes them). A nil error is no guarantee (the disk can fill up), but it
// catches the mistakes people make.
func CheckWritable(path string) error {
	if st, err := os.Stat(path); err == nil && st.IsDir() {
		return fmt.Errorf("%s is a directory", path)
	}
	return CheckDir(filepath.Dir(path))
}

// CheckDir reports why files could not be created in dir (see
// CheckWritable).
func CheckDir(dir string) error {
	d := dir
	for {
		st, err := os.Stat(d)
		if err == nil {
			if !st.IsDir() {
				return fmt.Errorf("%s is not a directory", d)
			}
			break
		}
		if errors.Is(err, fs.ErrPermission) {
			return unwrapPath(err)
		}
		// Missing, or a parent is a file (ENOTDIR): look further up.
		parent := filepath.Dir(d)
		if parent == d {
			return fmt.Errorf("%s does not exist", dir)
		}
		d = parent
	}
	f, err := os.CreateTemp(d, ".perfctl-write-check-*")
	if err != nil {
		if errors.Is(err, fs.ErrPermission) {
			return fmt.Errorf("no permission to write in %s", d)
		}
		return fmt.Errorf("cannot write in %s: %w", d, unwrapPath(err))
	}
	f.Close()
	os.Remove(f.Name())
	return nil
}

// unwrapPath drops the operation and path of a *fs.PathError.
func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return fmt.Errorf("%s: %w", pe.Path, pe.Err)
	}
	return err
}
