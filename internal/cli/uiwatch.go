package cli

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/reach"
	"github.com/ecsnet/ecsnet/internal/ui"
)

// uiSystem is what ecsnet ui shows: the last SOURCE that loaded, and why
// the SOURCE as it is now does not load, if it does not.
type uiSystem struct {
	mu      sync.Mutex
	src     *source
	problem string
}

func (u *uiSystem) engine() *engine.Engine {
	u.mu.Lock()
	defer u.mu.Unlock()
	return u.src.Engine
}

func (u *uiSystem) describe() (string, []ui.Probe) {
	u.mu.Lock()
	defer u.mu.Unlock()
	return u.src.Name, sourceExamples(u.src)
}

func (u *uiSystem) currentProblem() string {
	u.mu.Lock()
	defer u.mu.Unlock()
	return u.problem
}

// locate says where the SOURCE shown now defines a resource, as ecsnet
// check prints it beside a finding.
func (u *uiSystem) locate(c *reach.Component) (string, int) {
	u.mu.Lock()
	defer u.mu.Unlock()
	at := u.src.where(c)
	return at.File, at.Line
}

// sourceExamples are a scenario's expect: entries as one-click probes.
func sourceExamples(s *source) []ui.Probe {
	var out []ui.Probe
	if s.Scenario != nil {
		for _, x := range s.Scenario.Expect {
			out = append(out, ui.Probe{From: x.From, To: x.To, Protocol: x.Protocol, Verdict: x.Verdict, Note: x.Note})
		}
	}
	return out
}

// watchedFiles are the local files a SOURCE (and its flags) are read
// from: the SOURCE's files or folder, --base, --parameters.
func watchedFiles(o uiOptions) []string {
	var out []string
	add := func(spec string) {
		if spec == "" || isURL(spec) {
			return
		}
		if parts, err := sourceParts(spec); err == nil {
			out = append(out, parts...)
		}
	}
	add(o.Source)
	add(o.SourceFlags.Base)
	out = append(out, o.SourceFlags.ParamFiles...)
	return out
}

// maxWatched bounds the files of a folder looked at on every poll.
const maxWatched = 4096

// fingerprint sums up the names, sizes and modification times of the
// files (and of the files in the folders) given: it changes when any is
// edited, added or removed.
func fingerprint(paths []string) string {
	var b strings.Builder
	n := 0
	stamp := func(p string, info fs.FileInfo) {
		b.WriteString(p)
		b.WriteByte(0)
		b.WriteString(strconv.FormatInt(info.Size(), 10))
		b.WriteByte(0)
		b.WriteString(strconv.FormatInt(info.ModTime().UnixNano(), 10))
		b.WriteByte('\n')
		n++
	}
	for _, p := range paths {
		info, err := os.Stat(p)
		if err != nil {
			b.WriteString(p + "\x00missing\n")
			continue
		}
		if !info.IsDir() {
			stamp(p, info)
			continue
		}
		filepath.WalkDir(p, func(q string, d fs.DirEntry, err error) error {
			if err != nil || n >= maxWatched {
				return filepath.SkipDir
			}
			if d.IsDir() {
				return nil
			}
			if fi, err := d.Info(); err == nil {
				stamp(q, fi)
			}
			return nil
		})
	}
	return b.String()
}

// isURL reports whether a SOURCE or --base names an ecsnet serve endpoint.
func isURL(spec string) bool {
	return strings.HasPrefix(spec, "http://") || strings.HasPrefix(spec, "https://")
}

// remoteSource reports whether the SOURCE, or its --base, is read from an
// endpoint (through collect): what it shows can change without any file
// changing.
func remoteSource(o uiOptions) bool {
	return isURL(o.Source) || isURL(o.SourceFlags.Base)
}

// stateDigest sums up an engine's state: two collections of an endpoint
// that found the same resources have the same digest.
func stateDigest(e *engine.Engine) [sha256.Size]byte {
	st, _ := e.Snapshot()
	b, err := json.Marshal(st)
	if err != nil {
		return [sha256.Size]byte{}
	}
	return sha256.Sum256(b)
}

// watchSource keeps the shown system current until ctx is done. It polls
// the SOURCE's files every interval; when they have changed from loaded
// (their fingerprint when the shown system was read), and then
// stayed the same for one more poll, it loads the SOURCE again. A SOURCE
// read from an endpoint (or on one, with --base) is collected again every
// refresh, and replaces the shown system when what it found differs. A new
// system replaces the shown one; one that does not load is shown as the
// problem and the last good system stays. reloaded, when not nil, is told
// after every attempt.
func watchSource(ctx context.Context, stdio IO, o uiOptions, sys *uiSystem, loaded string, interval time.Duration, reloaded chan<- error) {
	paths := watchedFiles(o)
	refresh := o.refreshInterval()
	remote := remoteSource(o) && refresh > 0
	if len(paths) == 0 && !remote {
		return
	}
	if remote && (len(paths) == 0 || refresh < interval) {
		interval = refresh
	}
	pending := ""
	var digest [sha256.Size]byte
	if remote {
		digest = stateDigest(sys.engine())
	}
	lastCollect := time.Now()
	tick := time.NewTicker(interval)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		// Load a change once it has held still for a poll: not a file
		// an editor is still writing.
		fp := fingerprint(paths)
		changed := false
		switch {
		case fp == loaded:
			pending = ""
		case fp != pending:
			pending = fp
		default:
			loaded, pending, changed = fp, "", true
		}
		due := remote && time.Since(lastCollect) >= refresh
		if !changed && !due {
			continue
		}
		lastCollect = time.Now()
		s, err := openSource(o.Source, o.SourceFlags)
		if err == nil && !changed {
			// Collected again: replace the system only when the
			// endpoint's state is not what is shown.
			d := stateDigest(s.Engine)
			if d == digest {
				continue
			}
			digest = d
		} else if err == nil && remote {
			digest = stateDigest(s.Engine)
		}
		sys.mu.Lock()
		if err != nil {
			sys.problem = err.Error()
		} else {
			sys.src, sys.problem = s, ""
		}
		sys.mu.Unlock()
		switch {
		case err != nil:
			fmt.Fprintf(stdio.Err, "ecsnet ui: %s no longer loads, still showing the last good system: %v\n", o.Source, err)
		case changed:
			fmt.Fprintf(stdio.Out, "ecsnet ui: %s changed: reloaded\n", o.Source)
		default:
			fmt.Fprintf(stdio.Out, "ecsnet ui: %s changed: collected again\n", o.Source)
		}
		if reloaded != nil {
			select {
			case reloaded <- err:
			default:
			}
		}
	}
}
