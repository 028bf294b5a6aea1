// Package tagged is built only with the pooltag tag.
package tagged
