//go:build unix

package snapshot

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// snapshotWith makes a one-region snapshot folder holding a good VPC file,
// and returns the region folder.
func snapshotWith(t *testing.T) (dir, region string) {
	t.Helper()
	dir = t.TempDir()
	region = filepath.Join(dir, "aws_configs", "us-east-1")
	if err := os.MkdirAll(region, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(region, "vpcs.json"), []byte(`{"Vpcs": [{"VpcId": "vpc-1", "CidrBlock": "10.0.0.0/16"}]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir, region
}

// loadQuickly runs Load, failing the test if it does not return (a FIFO
// would block a plain open for ever).
func loadQuickly(t *testing.T, dir string, opts ...Option) error {
	t.Helper()
	done := make(chan error, 1)
	go func() {
		_, err := Load(dir, opts...)
		done <- err
	}()
	select {
	case err := <-done:
		return err
	case <-time.After(20 * time.Second):
		t.Fatal("Load hangs")
		return nil
	}
}

// TestLoadRegularFilesOnly: a named pipe, a device behind a symbolic link
// (/dev/zero, endless) and a device file in a snapshot folder are errors
// that name the file; so is a file over the size limit. A symbolic link to
// a regular file is read as usual.
func TestLoadRegularFilesOnly(t *testing.T) {
	cases := []struct {
		name string
		make func(t *testing.T, path string)
		want string
	}{
		{"fifo", func(t *testing.T, path string) {
			if err := syscall.Mkfifo(path, 0o644); err != nil {
				t.Skip("no FIFOs here:", err)
			}
		}, "named pipe"},
		{"symlink to /dev/zero", func(t *testing.T, path string) {
			if err := os.Symlink("/dev/zero", path); err != nil {
				t.Skip(err)
			}
		}, "character device"},
		{"device file", func(t *testing.T, path string) {
			// The same device as /dev/null (1, 3), made here when we may.
			if err := syscall.Mknod(path, syscall.S_IFCHR|0o644, 1<<8|3); err != nil {
				if err := os.Symlink("/dev/null", path); err != nil {
					t.Skip(err)
				}
			}
		}, "character device"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir, region := snapshotWith(t)
			path := filepath.Join(region, "subnets.json")
			c.make(t, path)
			err := loadQuickly(t, dir)
			if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), "subnets.json") {
				t.Fatalf("Load: %v, want an error naming subnets.json and saying %q", err, c.want)
			}
		})
	}
	t.Run("size limit", func(t *testing.T) {
		dir, _ := snapshotWith(t)
		err := loadQuickly(t, dir, WithMaxFileSize(20))
		if err == nil || !strings.Contains(err.Error(), "more than the limit of 20") {
			t.Fatalf("Load with a 20-byte limit: %v", err)
		}
	})
	t.Run("symlink to a regular file", func(t *testing.T) {
		dir, region := snapshotWith(t)
		target := filepath.Join(t.TempDir(), "subnets.json")
		if err := os.WriteFile(target, []byte(`{"Subnets": []}`), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(target, filepath.Join(region, "subnets.json")); err != nil {
			t.Skip(err)
		}
		if err := loadQuickly(t, dir); err != nil {
			t.Fatal(err)
		}
	})
}
