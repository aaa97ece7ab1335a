// Package difftest checks the analyzer (internal/reach) against the data
// plane (internal/dataplane): the Linux kernel carrying real packets.
//
// It generates random small AWS systems as scenario YAML text (Generate),
// random probes for each system (Probes), runs every probe through
// reach.Probe and as a real connection, and compares the verdicts
// (Compare). A disagreement is shrunk (Shrink) to the smallest system and
// probe that still show it, printed as a scenario file and an
// `ecsnet probe` command line a person can run.
//
// The real side is an Oracle, so the generator, the shrinker and the
// harness are tested without privileges against stand-in oracles; the
// differential test itself (difftest_test.go) brings each system up with
// dataplane.Up inside a fresh network namespace.
package difftest
