package checks

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/perfctl/perfctl/internal/run"
	"github.com/perfctl/perfctl/internal/worktree"
)

// PolicyFile is the policy perfctl reads at the module root.
const PolicyFile = "perfctl.yaml"

// A PolicySource says where the policy of a run comes from.
type PolicySource struct {
	Dir  string // where perfctl runs: File is relative to it, and messages name files relative to it
	Root string // the module root, where PolicyFile is looked for
	File string // a policy file given by the user (--policy), or ""
	// Ref is a git revision whose PolicyFile (at the module's path in the
	// repository) is read instead of the working tree's (--policy-ref).
	Ref string
}

// Load returns the policy of src: File; else PolicyFile at Ref; else
// PolicyFile at Root; else the embedded default.
func (src *PolicySource) Load(ctx context.Context, r run.Runner) (*Policy, error) {
	switch {
	case src.File != "":
		path := src.File
		if !filepath.IsAbs(path) {
			path = filepath.Join(src.Dir, path)
		}
		return ParseFile(path, src.File)
	case src.Ref != "":
		return atRef(ctx, r, src.Root, src.Ref)
	}
	p := filepath.Join(src.Root, PolicyFile)
	if _, err := os.Stat(p); err != nil {
		return Default(), nil
	}
	name := p
	if rel, err := filepath.Rel(src.Dir, p); err == nil {
		name = rel
	}
	return ParseFile(p, name)
}

// atRef reads the policy PolicyFile at the module root had at git revision
// ref (the embedded default when it had none).
func atRef(ctx context.Context, r run.Runner, root, ref string) (*Policy, error) {
	sha, err := worktree.Resolve(ctx, r, root, ref)
	if err != nil {
		return nil, err
	}
	out, err := run.Output(ctx, r, &run.Cmd{Args: []string{"git", "rev-parse", "--show-prefix"}, Dir: root})
	if err != nil {
		return nil, fmt.Errorf("placing the module in its repository: %w", err)
	}
	prefix := strings.TrimSpace(string(out))
	object, name := sha+":"+prefix+PolicyFile, ref+":"+prefix+PolicyFile
	size, err := run.Output(ctx, r, &run.Cmd{Args: []string{"git", "cat-file", "-s", object}, Dir: root})
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return Default(), nil // the revision has no policy file
	}
	if n, err := strconv.Atoi(strings.TrimSpace(string(size))); err != nil || n > MaxPolicySize {
		return nil, tooLarge(name)
	}
	data, err := run.Output(ctx, r, &run.Cmd{Args: []string{"git", "cat-file", "blob", object}, Dir: root})
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", name, err)
	}
	return Parse(data, name)
}
