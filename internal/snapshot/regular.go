package snapshot

import (
	"bytes"
	"fmt"
	"io"
	"io/fs"
	"os"
	"syscall"
)

// readRegular reads a regular file of at most maxSize bytes. Anything else
// is an error, never a hang or an endless read: a named pipe (opened
// without blocking, then refused), a device such as /dev/zero (also behind
// a symbolic link: the mode checked is that of the file opened), a socket,
// or a file larger than maxSize.
func readRegular(path string, maxSize int64) ([]byte, error) {
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("not a regular file (%s): a snapshot holds JSON files only", kindOf(fi.Mode()))
	}
	if fi.Size() > maxSize {
		return nil, fmt.Errorf("%d bytes, more than the limit of %d (snapshot.WithMaxFileSize)", fi.Size(), maxSize)
	}
	// One allocation of the size Stat gave, as os.ReadFile makes (io.ReadAll
	// grows from 512 bytes: 2.3 times the snapshot's bytes for the large
	// estate's); the 512 spare bytes let ReadFrom see the end of the file
	// without growing.
	var buf bytes.Buffer
	buf.Grow(int(fi.Size()) + bytes.MinRead)
	if _, err := buf.ReadFrom(io.LimitReader(f, maxSize+1)); err != nil {
		return nil, err
	}
	data := buf.Bytes()
	if int64(len(data)) > maxSize {
		return nil, fmt.Errorf("grew past the limit of %d bytes while being read", maxSize)
	}
	return data, nil
}

func kindOf(m fs.FileMode) string {
	switch {
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe"
	case m&fs.ModeCharDevice != 0:
		return "a character device"
	case m&fs.ModeDevice != 0:
		return "a device"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m.IsDir():
		return "a folder"
	}
	return "mode " + m.String()
}
