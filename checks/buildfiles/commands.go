package buildfiles

// Commands returns every command the file name defines, read as its kind
// says: all the recipes of a Makefile or justfile, all the tasks of a
// Taskfile, the shell of a CI configuration and the actions it uses, the
// sh steps of a Jenkinsfile, the RUN instructions of a Dockerfile, the
// command lines of a magefile, a script. A goreleaser configuration has
// none (its builds are read by ReadGoreleaser); a binary file has none.
func Commands(name string, data []byte) []Command {
	if isBinary(data) {
		return nil
	}
	switch KindOf(name) {
	case KindWorkflow:
		return readWorkflow(name, data)
	case KindJenkinsfile:
		return readJenkinsfile(name, data)
	case KindMakefile:
		return ReadMakefile(name, data).Commands()
	case KindJustfile:
		return ReadJustfile(name, data).Commands()
	case KindTaskfile:
		return ReadTaskfile(name, data).Commands()
	case KindGoreleaser:
		return nil
	case KindDockerfile:
		return readDockerfile(name, data)
	case KindMagefile:
		return readMagefile(name, data)
	}
	return readScript(name, data)
}

// readScript returns the commands of a shell script.
func readScript(name string, data []byte) []Command {
	s := splitter{file: name}
	s.script(string(data), place{line: 1}, false)
	return s.out
}
