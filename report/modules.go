package report

import "github.com/perfctl/perfctl/internal/gomod"

// moduleJSON is one module of the repository or workspace in the JSON
// documents of check, lint and compare: its module path, its directory
// relative to go.work's directory or the root module ("." for that one),
// and whether the command covered it.
type moduleJSON struct {
	Path    string `json:"path"`
	Dir     string `json:"dir"`
	Covered bool   `json:"covered"`
}

// modulesJSON is the "modules" field: nil (left out) for one module.
func modulesJSON(ms []gomod.Module) []moduleJSON {
	if len(ms) < 2 {
		return nil
	}
	out := make([]moduleJSON, len(ms))
	for i, m := range ms {
		out[i] = moduleJSON{Path: m.Path, Dir: m.Label(), Covered: m.Covered}
	}
	return out
}
