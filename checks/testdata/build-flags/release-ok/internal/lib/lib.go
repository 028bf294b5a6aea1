// Package lib is a fixture.
package lib
