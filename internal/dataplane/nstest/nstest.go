// Package nstest runs a package's kernel tests inside a fresh network
// namespace (only loopback) and a private mount namespace, so no system a
// test brings up can reach the machine's network or its /run/netns, and
// skips them, saying so, without the privileges to do that.
package nstest

import (
	"fmt"
	"os"
	"os/exec"
	"syscall"
	"testing"

	"golang.org/x/sys/unix"
)

// innerEnv marks the test process re-executed inside its own network and
// mount namespaces.
const innerEnv = "ECSNET_DATAPLANE_TEST_INNER"

// Main is a TestMain: when privileged reports that the process may create
// namespaces, it re-executes the test binary inside new network and mount
// namespaces (mounts made there stay there) and exits with its status;
// otherwise it runs the tests as they are, and Isolated skips the kernel
// ones.
func Main(m *testing.M, privileged func() bool) {
	if os.Getenv(innerEnv) == "" && privileged() {
		cmd := exec.Command("/proc/self/exe", os.Args[1:]...)
		cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
		cmd.Env = append(os.Environ(), innerEnv+"=1")
		cmd.SysProcAttr = &syscall.SysProcAttr{Cloneflags: syscall.CLONE_NEWNET | syscall.CLONE_NEWNS}
		if err := cmd.Run(); err != nil {
			if ee, ok := err.(*exec.ExitError); ok {
				os.Exit(ee.ExitCode())
			}
			fmt.Fprintln(os.Stderr, "re-exec in a fresh namespace:", err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	if Inside() {
		if err := unix.Mount("", "/", "", unix.MS_REC|unix.MS_PRIVATE, ""); err != nil {
			fmt.Fprintln(os.Stderr, "make mounts private:", err)
			os.Exit(1)
		}
	}
	os.Exit(m.Run())
}

// Inside reports whether this process is the test binary Main re-executed
// in its own namespaces.
func Inside() bool { return os.Getenv(innerEnv) != "" }

// Isolated skips a kernel test unless it runs privileged inside the
// test's own namespaces.
func Isolated(t testing.TB, privileged func() bool) {
	t.Helper()
	if !privileged() {
		t.Skip("skipped: needs CAP_NET_ADMIN")
	}
	if !Inside() {
		t.Skip("skipped: needs CAP_NET_ADMIN (could not isolate the test in its own namespaces)")
	}
	if f := os.Getenv(RanEnv); f != "" {
		t.Cleanup(func() { recordRan(t, f) })
	}
}

// RanEnv names a file to which every kernel test that ran (not skipped)
// appends a line "PASS Name" or "FAIL Name" when it ends: CI reads it to
// make sure the kernel tests of its `go test ./...` ran rather than
// skipped, without running them again.
const RanEnv = "ECSNET_KERNEL_TESTS_RAN"

func recordRan(t testing.TB, file string) {
	verdict := "PASS"
	if t.Failed() {
		verdict = "FAIL"
	}
	f, err := os.OpenFile(file, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		t.Errorf("%s: %v", RanEnv, err)
		return
	}
	defer f.Close()
	if _, err := fmt.Fprintf(f, "%s %s\n", verdict, t.Name()); err != nil {
		t.Errorf("%s: %v", RanEnv, err)
	}
}
