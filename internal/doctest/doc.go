// Package doctest runs the shell blocks of README.md and docs/*.md as a
// new user would, so the documentation never drifts from what ecsnet
// does. It has no code of its own: see doctest_test.go.
package doctest
