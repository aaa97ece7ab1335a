package store

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
)

// DefaultPath returns where ecsnet keeps its state file when the user names
// none: $XDG_DATA_HOME/ecsnet/state.db if XDG_DATA_HOME is set to an absolute
// path, else ~/Library/Application Support/ecsnet/state.db on macOS,
// %LocalAppData%\ecsnet\state.db on Windows and ~/.local/share/ecsnet/state.db
// elsewhere. It only computes the path: it neither reads nor creates anything
// on disk.
func DefaultPath() (string, error) {
	return defaultPath(runtime.GOOS, os.Getenv, os.UserHomeDir)
}

func defaultPath(goos string, getenv func(string) string, home func() (string, error)) (string, error) {
	const app, file = "ecsnet", "state.db"
	// The XDG spec says relative paths in its variables are invalid and must be ignored.
	if d := getenv("XDG_DATA_HOME"); d != "" && filepath.IsAbs(d) {
		return filepath.Join(d, app, file), nil
	}
	if goos == "windows" {
		if d := getenv("LocalAppData"); d != "" {
			return filepath.Join(d, app, file), nil
		}
		return "", errors.New("store: %LocalAppData% is not set")
	}
	h, err := home()
	if err != nil {
		return "", err
	}
	if h == "" {
		return "", errors.New("store: home directory is unknown")
	}
	if goos == "darwin" || goos == "ios" {
		return filepath.Join(h, "Library", "Application Support", app, file), nil
	}
	return filepath.Join(h, ".local", "share", app, file), nil
}
