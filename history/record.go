package history

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/perfctl/perfctl/bench"
	"github.com/perfctl/perfctl/internal/usererr"
)

// An Env is the environment results were measured in. Records of one
// commit in different environments are kept apart.
type Env struct {
	CPU    string `json:"cpu"`
	GOOS   string `json:"goos"`
	GOARCH string `json:"goarch"`
	Go     string `json:"go"`
}

// Key is the environment's short name in the store: the first 12 hex
// digits of the SHA-256 of its four fields.
func (e Env) Key() string {
	sum := sha256.Sum256([]byte(e.CPU + "\x00" + e.GOOS + "\x00" + e.GOARCH + "\x00" + e.Go))
	return hex.EncodeToString(sum[:6])
}

func (e Env) String() string {
	cpu := e.CPU
	if cpu == "" {
		cpu = "unknown cpu"
	}
	return fmt.Sprintf("%s/%s %s, %s", e.GOOS, e.GOARCH, e.Go, cpu)
}

// envOf reads the environment a result set records; ok is false and the
// key is named when the set holds results of more than one environment.
func envOf(set *bench.ResultSet) (env Env, conflict string) {
	for _, f := range []struct {
		key string
		dst *string
	}{{bench.KeyCPU, &env.CPU}, {bench.KeyGOOS, &env.GOOS}, {bench.KeyGOARCH, &env.GOARCH}, {bench.KeyGo, &env.Go}} {
		switch v := set.Config[f.key]; len(v) {
		case 0:
		case 1:
			*f.dst = v[0]
		default:
			return env, f.key
		}
	}
	return env, ""
}

// A Record is the results of one commit in one environment.
type Record struct {
	Entry
	Env        Env
	RecordedAt time.Time
	Benchmarks int    // how many distinct benchmarks
	Text       []byte // the benchfmt text
	Results    *bench.ResultSet
}

// parseRecord reads the record stored at e.
func parseRecord(e *Entry, data []byte) (*Record, error) {
	name := Ref + ":" + e.Path()
	bad := func(what string) error {
		c := corrupt(fmt.Sprintf("has a corrupt record %s: %s", e.Path(), what))
		c.Hint = "delete it with `perfctl history prune --commit " + e.Commit + "` and record that commit again"
		return c
	}
	if len(data) > MaxRecordSize {
		return nil, bad(fmt.Sprintf("larger than %d MiB", MaxRecordSize>>20))
	}
	set, err := bench.Read(bytes.NewReader(data), name)
	if err != nil {
		return nil, bad(usererr.Describe(err)[0].Error())
	}
	env, conflict := envOf(set)
	if conflict != "" {
		return nil, bad("more than one " + conflict)
	}
	if env.Key() != e.Key {
		return nil, bad("its environment does not match its name")
	}
	if c := set.ConfigValue(bench.KeyCommit); c != e.Commit {
		return nil, bad("its commit line does not match its directory")
	}
	at, err := time.Parse(time.RFC3339, set.ConfigValue(bench.KeyRecordedAt))
	if err != nil {
		return nil, bad("no valid recorded-at line")
	}
	return &Record{Entry: *e, Env: env, RecordedAt: at.UTC(), Benchmarks: set.Len(), Text: data, Results: set}, nil
}

// readBlobs returns the content of the entries' blobs, in order, through
// one git cat-file --batch per 64 MiB.
func (s *Store) readBlobs(ctx context.Context, entries []*Entry) ([][]byte, error) {
	out := make([][]byte, 0, len(entries))
	for start := 0; start < len(entries); {
		var in bytes.Buffer
		end, total := start, int64(0)
		for end < len(entries) && (end == start || total+entries[end].Size <= 64<<20) {
			if entries[end].Size > MaxRecordSize {
				return nil, corrupt(fmt.Sprintf("has a record %s larger than %d MiB", entries[end].Path(), MaxRecordSize>>20))
			}
			total += entries[end].Size
			in.WriteString(entries[end].Blob + "\n")
			end++
		}
		raw, err := s.git(ctx, &in, "cat-file", "--batch")
		if err != nil {
			return nil, fmt.Errorf("reading records: %w", err)
		}
		for _, e := range entries[start:end] {
			line, rest, ok := bytes.Cut(raw, []byte{'\n'})
			var oid, typ string
			var size int64
			if ok {
				_, err = fmt.Sscanf(string(line), "%s %s %d", &oid, &typ, &size)
			}
			if !ok || err != nil || oid != e.Blob || typ != "blob" || size != e.Size || int64(len(rest)) < size+1 {
				return nil, fmt.Errorf("reading record %s: unexpected output of git cat-file --batch", e.Path())
			}
			out = append(out, rest[:size:size])
			raw = rest[size+1:]
		}
		start = end
	}
	return out, nil
}

// records reads the records at the given entries, parsing them on every
// CPU: parsing benchfmt is most of the cost of reading a long history.
func (s *Store) records(ctx context.Context, entries []*Entry) ([]*Record, error) {
	blobs, err := s.readBlobs(ctx, entries)
	if err != nil {
		return nil, err
	}
	recs := make([]*Record, len(entries))
	errs := make([]error, len(entries))
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(entries)) {
		wg.Go(func() {
			for {
				i := int(next.Add(1) - 1)
				if i >= len(entries) {
					return
				}
				recs[i], errs[i] = parseRecord(entries[i], blobs[i])
			}
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err // the first in order, as reading them one by one would
		}
	}
	return recs, nil
}
