package history

import (
	"context"
	"os"
	"path/filepath"

	"github.com/perfctl/perfctl/internal/atomicfile"
)

// ExportName is the file name Export gives a record: benchfmt text that
// benchstat and perfctl compare read.
func ExportName(r *Record) string { return r.Commit + "-" + r.Key + ".txt" }

// Export writes every record to dir (created if missing), each file
// atomically, and returns the records written.
func (s *Store) Export(ctx context.Context, dir string) ([]*Record, error) {
	recs, err := s.List(ctx)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o777); err != nil {
		return nil, err
	}
	for _, r := range recs {
		if err := atomicfile.WriteFile(filepath.Join(dir, ExportName(r)), r.Text, 0o644); err != nil {
			return nil, err
		}
	}
	return recs, nil
}
