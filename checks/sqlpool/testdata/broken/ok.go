// Package broken compiles, but imports bad, which does not.
package broken

import _ "example.com/broken/bad"
