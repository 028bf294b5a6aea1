package buildfiles

import "gopkg.in/yaml.v3"

// A Taskfile is the tasks of a Taskfile (go-task).
type Taskfile struct {
	Name  string
	tasks *yaml.Node // the tasks mapping; nil when there is none
}

// ReadTaskfile reads the tasks of the Taskfile name. One that is not
// YAML has no tasks.
func ReadTaskfile(name string, data []byte) *Taskfile {
	tf := &Taskfile{Name: name}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil || len(doc.Content) == 0 {
		return tf
	}
	if tasks := mappingValue(doc.Content[0], "tasks"); tasks != nil && tasks.Kind == yaml.MappingNode {
		tf.tasks = tasks
	}
	return tf
}

// Tasks returns the names of the tasks, in file order.
func (tf *Taskfile) Tasks() []string {
	if tf.tasks == nil {
		return nil
	}
	out := make([]string, 0, len(tf.tasks.Content)/2)
	for i := 0; i+1 < len(tf.tasks.Content); i += 2 {
		out = append(out, tf.tasks.Content[i].Value)
	}
	return out
}

// Has reports whether the Taskfile defines task.
func (tf *Taskfile) Has(task string) bool { return mappingValue(tf.tasks, task) != nil }

// Commands returns the commands of every task, in file order (a task's
// dependencies are not repeated in it).
func (tf *Taskfile) Commands() []Command {
	var out []Command
	for i := 0; tf.tasks != nil && i+1 < len(tf.tasks.Content); i += 2 {
		tf.task(tf.tasks.Content[i+1], func(string) {}, &out)
	}
	return out
}

// Run returns the commands task runs for task: its dependencies', then
// its commands, following task: references.
func (tf *Taskfile) Run(task string) []Command {
	var out []Command
	seen := map[string]bool{}
	var run func(name string)
	run = func(name string) {
		t := mappingValue(tf.tasks, name)
		if t == nil || seen[name] {
			return
		}
		seen[name] = true
		tf.task(t, run, &out)
	}
	run(task)
	return out
}

// task adds the commands of the task definition t to out; ref is called
// for the tasks it depends on or calls, where they run.
func (tf *Taskfile) task(t *yaml.Node, ref func(name string), out *[]Command) {
	call := func(n *yaml.Node) bool {
		switch {
		case n.Kind == yaml.MappingNode && mappingValue(n, "task") != nil:
			ref(mappingValue(n, "task").Value)
			return true
		case n.Kind == yaml.MappingNode && mappingValue(n, "cmd") != nil:
			*out = append(*out, splitScalar(tf.Name, mappingValue(n, "cmd"))...)
			return true
		}
		return false
	}
	switch t.Kind {
	case yaml.ScalarNode:
		*out = append(*out, splitScalar(tf.Name, t)...)
		return
	case yaml.SequenceNode:
		for _, c := range t.Content {
			if !call(c) {
				*out = append(*out, splitScalar(tf.Name, c)...)
			}
		}
		return
	}
	if deps := mappingValue(t, "deps"); deps != nil && deps.Kind == yaml.SequenceNode {
		for _, d := range deps.Content {
			if !call(d) && d.Kind == yaml.ScalarNode {
				ref(d.Value)
			}
		}
	}
	if c := mappingValue(t, "cmd"); c != nil {
		*out = append(*out, splitScalar(tf.Name, c)...)
	}
	if cmds := mappingValue(t, "cmds"); cmds != nil && cmds.Kind == yaml.SequenceNode {
		for _, c := range cmds.Content {
			if !call(c) {
				*out = append(*out, splitScalar(tf.Name, c)...)
			}
		}
	}
}

// mappingValue is the value of key in the mapping n, or nil.
func mappingValue(n *yaml.Node, key string) *yaml.Node {
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i+1]
		}
	}
	return nil
}

// splitScalar returns the commands of a YAML scalar of shell in file: a
// block scalar's lines are the file's lines after its indicator; the
// commands of any other scalar are all on its line.
func splitScalar(file string, n *yaml.Node) []Command {
	if n.Kind != yaml.ScalarNode {
		return nil
	}
	at := place{line: n.Line, flat: true}
	if n.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0 {
		at = place{line: n.Line + 1}
	}
	s := splitter{file: file}
	s.script(n.Value, at, false)
	return s.out
}
