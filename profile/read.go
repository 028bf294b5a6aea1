package profile

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"os"

	"github.com/google/pprof/profile"
	"github.com/perfctl/perfctl/internal/usererr"
)

// MaxFileSize bounds the size of a profile file Read accepts.
const MaxFileSize = 64 << 20

// MaxDecodedSize bounds the size of a profile once its gzip is undone.
const MaxDecodedSize = 256 << 20

// Read reads the pprof profile (gzip-compressed or not) in file.
func Read(file string) (*profile.Profile, error) {
	f, err := os.Open(file)
	if err != nil {
		return nil, fmt.Errorf("reading profile: %w", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("reading profile %s: %w", file, err)
	}
	if len(data) > MaxFileSize {
		return nil, &usererr.Error{File: file, Msg: fmt.Sprintf("the profile is larger than %d MiB", MaxFileSize>>20),
			Hint: "profile fewer benchmarks or a shorter --benchtime"}
	}
	return Parse(file, data)
}

// Parse reads a pprof profile from data, as Read does; name says where it
// comes from in errors.
func Parse(name string, data []byte) (*profile.Profile, error) {
	if len(data) >= 2 && data[0] == 0x1f && data[1] == 0x8b {
		zr, err := gzip.NewReader(bytes.NewReader(data))
		if err != nil {
			return nil, &usererr.Error{File: name, Msg: "not a pprof profile: " + err.Error(), Err: err}
		}
		plain, err := io.ReadAll(io.LimitReader(zr, MaxDecodedSize+1))
		if err != nil {
			return nil, &usererr.Error{File: name, Msg: "not a pprof profile: " + err.Error(), Err: err}
		}
		if len(plain) > MaxDecodedSize {
			return nil, &usererr.Error{File: name, Msg: fmt.Sprintf("the profile expands to more than %d MiB", MaxDecodedSize>>20),
				Hint: "profile fewer benchmarks or a shorter --benchtime"}
		}
		data = plain
	}
	p, err := profile.ParseData(data)
	if err != nil {
		return nil, &usererr.Error{File: name, Msg: "not a pprof profile: " + err.Error(), Err: err}
	}
	return p, nil
}
