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
	rev := req.Rev
	if rev == "" {
		rev = "HEAD"
	}
	tip, err := s.Resolve(ctx, rev)
	if err != nil {
		return nil, err
	}
	limit := req.Max
	if limit <= 0 || limit > MaxLine {
		limit = MaxLine
	}
	commits, err := s.firstParent(ctx, tip, limit)
	if err != nil {
		return nil, err
	}
	t := &Tally{Walked: len(commits)}
	if sh, err := s.gitLine(ctx, nil, "rev-parse", "--is-shallow-repository"); err == nil && sh == "true" {
		t.Shallow = true
	}
	c, err := s.resolveRef(ctx, Ref)
	if err != nil || c == "" {
		return t, err
	}
	tree, err := s.readTree(ctx, c)
	if err != nil {
		return nil, err
	}
	t.Total = tree.len()
	for _, cm := range commits {
		if d := tree.dirs[cm.ID]; d != nil && len(d.records) > 0 {
			t.Commits++
			t.Records += len(d.records)
		}
	}
	return t, nil
}
