// Command app is a fixture.
package main

func main() {}
