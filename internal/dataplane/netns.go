package dataplane

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"

	"github.com/vishvananda/netns"
	"golang.org/x/sys/unix"
)

// inThread runs f on a fresh OS thread locked to its goroutine. When
// keep is false and f returns without error, the thread is restored to
// the calling process's network namespace and handed back to Go;
// otherwise (f failed or changed namespaces it cannot undo) the thread
// dies with the goroutine, so no other goroutine ever runs in a
// namespace it did not ask for.
func inThread(f func() (restore func() error, err error)) error {
	done := make(chan error, 1)
	go func() {
		runtime.LockOSThread()
		restore, err := f()
		if restore != nil {
			if rerr := restore(); rerr != nil {
				done <- errors.Join(err, rerr)
				return // the thread stays locked and dies with the goroutine
			}
			runtime.UnlockOSThread()
		}
		done <- err
	}()
	return <-done
}

// enterNetns switches the calling (locked) thread to the namespace at
// path and returns how to switch back.
func enterNetns(path string) (func() error, error) {
	orig, err := netns.Get()
	if err != nil {
		return nil, err
	}
	target, err := netns.GetFromPath(path)
	if err != nil {
		orig.Close()
		return nil, err
	}
	defer target.Close()
	if err := netns.Set(target); err != nil {
		orig.Close()
		return nil, fmt.Errorf("enter %s: %w", path, err)
	}
	return func() error {
		defer orig.Close()
		return netns.Set(orig)
	}, nil
}

// inNetns runs f on a thread inside the namespace at path, then switches
// the thread back.
func inNetns(path string, f func() error) error {
	return inThread(func() (func() error, error) {
		restore, err := enterNetns(path)
		if err != nil {
			return nil, err
		}
		return restore, f()
	})
}

// createNetns creates a network namespace and bind-mounts it at path (as
// `ip netns add` does), without touching the caller's namespace.
func createNetns(path string) error {
	f, err := os.OpenFile(path, os.O_RDONLY|os.O_CREATE|os.O_EXCL, 0o444)
	if err != nil {
		return err
	}
	f.Close()
	err = inThread(func() (func() error, error) {
		orig, err := netns.Get()
		if err != nil {
			return nil, err
		}
		restore := func() error { defer orig.Close(); return netns.Set(orig) }
		if err := unix.Unshare(unix.CLONE_NEWNET); err != nil {
			orig.Close()
			return nil, fmt.Errorf("unshare: %w", err)
		}
		src := "/proc/self/task/" + strconv.Itoa(unix.Gettid()) + "/ns/net"
		if err := unix.Mount(src, path, "none", unix.MS_BIND, ""); err != nil {
			return restore, fmt.Errorf("mount %s: %w", path, err)
		}
		return restore, nil
	})
	if err != nil {
		os.Remove(path)
	}
	return err
}

// deleteNetns unmounts and removes a named namespace; a missing one is
// not an error. The kernel destroys the namespace, with every link,
// route and rule in it, once nothing holds it.
func deleteNetns(path string) error {
	err := unix.Unmount(path, unix.MNT_DETACH)
	if err != nil && !errors.Is(err, unix.EINVAL) && !errors.Is(err, unix.ENOENT) {
		return fmt.Errorf("unmount %s: %w", path, err)
	}
	if err := os.Remove(path); err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	return nil
}

// writeSysctl writes /proc/sys/<key> in the calling thread's namespace.
func writeSysctl(key, value string) error {
	return os.WriteFile(filepath.Join("/proc/sys", key), []byte(value), 0o644)
}
