package history

import "context"

// A Tally counts the records along the first-parent history of a commit
// without reading them: whether results are being kept, cheaply.
type Tally struct {
	// Commits is how many commits of the line have a record, in any
	// environment; Records is how many records they have.
	Commits int
	Records int
	// Walked and Shallow are as in Line.
	Walked  int
	Shallow bool
	// Total is how many records the store holds, on the line or not.
	Total int
}

// Tally counts the records along the first-parent history of req.Rev (up
// to req.Max commits, as Line walks; req.Env is ignored). A repository
// without a store has an empty tally.
func (s *Store) Tally(ctx context.Context, req LineRequest) (*Tally, error) {
	w, err := s.walk(ctx, req)
	if err != nil {
		return nil, err
	}
	t := &Tally{Walked: len(w.commits), Shallow: w.shallow, Total: w.tree.len()}
	for _, cm := range w.commits {
		if d := w.tree.dirs[cm.ID]; d != nil && len(d.records) > 0 {
			t.Commits++
			t.Records += len(d.records)
		}
	}
	return t, nil
}
