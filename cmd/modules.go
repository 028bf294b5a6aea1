package cmd

import (
	"fmt"
	"io"

	"github.com/spf13/pflag"

	"github.com/perfctl/perfctl/internal/gomod"
)

// modulesFlag is --all-modules, of every command that works on modules:
// check, lint, bench, baseline save and compare.
type modulesFlag struct {
	all bool
	set bool // given on the command line, true or false
}

const allModulesUsage = "cover every module: those go.work uses, or the modules nested under this one, each with its ./... " +
	"(default: on in a go.work workspace unless packages are given; --all-modules=false: the module perfctl runs in)"

func addModulesFlag(fs *pflag.FlagSet) *modulesFlag {
	m := &modulesFlag{}
	fs.BoolVar(&m.all, "all-modules", false, allModulesUsage)
	return m
}

// settle records whether the flag was given; call it in RunE.
func (m *modulesFlag) settle(fs *pflag.FlagSet, packages []string) error {
	m.set = fs.Changed("all-modules")
	if m.set && m.all && len(packages) > 0 {
		return flagErrorf("--all-modules runs ./... in every module; packages (%s) go with one module: drop one or the other", packages[0])
	}
	return nil
}

// cover finds the modules seen from dir and marks those covered: all of
// them with --all-modules, and by default in a workspace (go.work says its
// modules are worked on together, and the go command builds them as
// one) unless packages were given; else the module dir is in. It says
// which on w when there is more than one module to see.
func (m *modulesFlag) cover(w io.Writer, dir string, packages []string) (*gomod.Layout, []gomod.Module, error) {
	layout, err := gomod.Discover(dir)
	if err != nil {
		return nil, nil, err
	}
	all := m != nil && m.all
	if !m.given() {
		all = layout.Work != "" && len(packages) == 0
	}
	covered, err := layout.Cover(all)
	if err != nil {
		return nil, nil, err
	}
	announceModules(w, layout)
	return layout, covered, nil
}

// given reports whether --all-modules was on the command line (true or
// false).
func (m *modulesFlag) given() bool { return m != nil && m.set }

// announceModules says on w which modules of layout are covered, and what
// the search for them could not see.
func announceModules(w io.Writer, layout *gomod.Layout) {
	for _, n := range layout.Notes {
		fmt.Fprintf(w, "perfctl: warning: %s\n", n)
	}
	if line := layout.Coverage("--all-modules"); line != "" {
		fmt.Fprintf(w, "perfctl: %s\n", line)
	}
}

// severalModules reports whether covered is more than the module perfctl
// runs in: then the work runs in each covered module.
func severalModules(layout *gomod.Layout, covered []gomod.Module) bool {
	return len(covered) > 1 || layout.Current < 0 || covered[0].Dir != layout.Modules[layout.Current].Dir
}
