package load

import (
	"errors"
	"fmt"
	"strings"

	"mvdan.cc/sh/v3/expand"
	"mvdan.cc/sh/v3/syntax"
)

// SplitCommand splits a command line into its words the way a shell would
// read ONE simple command — quotes and backslashes are honoured — but runs
// no shell and expands nothing: variables, command substitutions,
// redirections, pipes, lists and globbing are refused, so what is written
// is what runs.
func SplitCommand(line string) ([]string, error) {
	if strings.TrimSpace(line) == "" {
		return nil, errors.New("the command is empty")
	}
	f, err := syntax.NewParser().Parse(strings.NewReader(line), "")
	if err != nil {
		return nil, fmt.Errorf("command %q: %w", line, err)
	}
	if len(f.Stmts) != 1 {
		return nil, fmt.Errorf("command %q is not one command: no ;, &&, || or newlines (perfctl runs no shell)", line)
	}
	st := f.Stmts[0]
	call, ok := st.Cmd.(*syntax.CallExpr)
	if !ok || st.Negated || st.Background || st.Coprocess || len(st.Redirs) > 0 || len(call.Assigns) > 0 {
		return nil, fmt.Errorf("command %q is not a plain command with arguments: no pipes, redirections, VAR=value, & or ! (perfctl runs no shell; give the environment with --env)", line)
	}
	var bad string
	syntax.Walk(call, func(n syntax.Node) bool {
		switch n.(type) {
		case *syntax.ParamExp, *syntax.CmdSubst, *syntax.ArithmExp, *syntax.ProcSubst, *syntax.ExtGlob, *syntax.BraceExp:
			if bad == "" {
				bad = fmt.Sprintf("%T", n)
			}
		}
		return true
	})
	if bad != "" {
		return nil, fmt.Errorf("command %q needs a shell to expand it (%s): perfctl runs no shell; write the words literally", line, strings.TrimPrefix(bad, "*syntax."))
	}
	words := make([]string, 0, len(call.Args))
	for _, w := range call.Args {
		// An empty Config: no environment, no globbing, no tilde.
		fields, err := expand.Fields(&expand.Config{}, w)
		if err != nil {
			return nil, fmt.Errorf("command %q: %w", line, err)
		}
		if len(fields) != 1 {
			return nil, fmt.Errorf("command %q: the word %d does not read as one argument", line, len(words)+1)
		}
		words = append(words, fields[0])
	}
	return words, nil
}
