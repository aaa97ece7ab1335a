package snapshot

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/reach"
)

// Option configures Load.
type Option func(*options)

type options struct {
	region      string
	account     string
	engineOpts  []engine.Option
	maxFileSize int64
}

// DefaultMaxFileSize is the largest file Load reads unless WithMaxFileSize
// says otherwise: 256 MiB, several times the describe-network-interfaces
// output of 100,000 ENIs.
const DefaultMaxFileSize = 256 << 20

// WithMaxFileSize sets the largest file, in bytes, that Load reads; a
// larger one is an error (default DefaultMaxFileSize).
func WithMaxFileSize(n int64) Option { return func(o *options) { o.maxFileSize = n } }

// WithRegion names the region of a folder of JSON files that has no region
// folder, and picks which region Result.Engine holds when a snapshot has
// several.
func WithRegion(region string) Option { return func(o *options) { o.region = region } }

// WithAccount sets the account id when the snapshot does not show one
// (default: the owner id found in the snapshot, else 123456789012).
func WithAccount(account string) Option { return func(o *options) { o.account = account } }

// WithEngineOptions passes options to the engines Load builds (ids, clock).
func WithEngineOptions(opts ...engine.Option) Option {
	return func(o *options) { o.engineOpts = append(o.engineOpts, opts...) }
}

// Result is a loaded snapshot.
type Result struct {
	// Engine holds the chosen region: the one WithRegion named, else the
	// only one, else the first in alphabetical order (with a warning).
	Engine *engine.Engine
	// Region is the region Engine holds.
	Region string
	// Regions lists every region of the snapshot, sorted.
	Regions []string
	// Engines holds every region's engine.
	Engines map[string]*engine.Engine
	// Warnings lists, for every region, what the snapshot did not say or
	// said in a way ecsnet could not use, in file order.
	Warnings []Warning
	// Unknown maps the id of every resource whose network behaviour the
	// snapshot leaves undecided (placeholder security groups, ENIs with
	// unknown groups, route tables with unmodelled routes) to the warning
	// that explains it. A probe whose path touches one of them cannot be
	// decided from the snapshot: see Undecided.
	Unknown map[string]Warning
	// TakenAt is when the snapshot was taken: the collector's manifest's
	// startedAt (ecsnet collect and scripts/collect.sh write it); zero
	// when the snapshot does not say (no manifest, or one without it).
	// TakenBy is the manifest's tool ("ecsnet collect").
	TakenAt time.Time
	TakenBy string

	// internetUnknown is set when a region's internet gateways are not in
	// the snapshot: every probe to or from the internet is undecided.
	internetUnknown map[string]Warning
}

// Undecided returns the warnings of the unknown resources among ids (the
// components a probe's path went through), in the order given: when it is
// not empty, the probe's verdict rests on something the snapshot does not
// say and should be reported as insufficient information.
func (r *Result) Undecided(ids ...string) []Warning {
	var out []Warning
	seen := map[string]bool{}
	for _, id := range ids {
		if w, ok := r.Unknown[id]; ok && !seen[id] {
			seen[id] = true
			out = append(out, w)
		}
	}
	return out
}

// ManifestName is the file ecsnet collect writes beside aws_configs, listing
// every call it made and the ones that failed; Load turns its failures into
// warnings.
const ManifestName = "ecsnet-collect.json"

var regionName = regexp.MustCompile(`^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\d+$`)

// IsRegionName reports whether s looks like an AWS region name
// ("us-east-1", "us-gov-west-1").
func IsRegionName(s string) bool { return regionName.MatchString(s) }

// regionFiles is one region's files as found on disk.
type regionFiles struct {
	name  string // "" until known
	dir   string
	files []string
}

// Load reads the snapshot in dir: a folder holding aws_configs/<region>/
// (Batfish's layout), a folder of region folders, or a folder of JSON files
// of one region (named by WithRegion, by the folder's name, or guessed from
// the Availability Zones in it). See the package documentation for what is
// an error and what is a warning.
func Load(dir string, opts ...Option) (*Result, error) {
	var o options
	for _, f := range opts {
		f(&o)
	}
	if o.maxFileSize <= 0 {
		o.maxFileSize = DefaultMaxFileSize
	}
	info, err := os.Stat(dir)
	if err != nil {
		return nil, err
	}
	if !info.IsDir() {
		return nil, fmt.Errorf("%s: a snapshot is a folder (aws_configs/<region>/*.json), not a file", dir)
	}
	var warns []Warning
	regions, err := discover(dir, &warns)
	if err != nil {
		return nil, err
	}
	if len(regions) == 0 {
		return nil, fmt.Errorf("%s: no JSON files: a snapshot holds aws_configs/<region>/*.json, region folders or describe-* JSON files", dir)
	}
	m := readManifest(dir, o.maxFileSize, &warns)
	var manifest []ManifestCall
	var takenAt time.Time
	var takenBy string
	if m != nil {
		manifest, takenBy = m.Calls, m.Tool
		takenAt = m.takenAt(dir, &warns)
	}

	res := &Result{Engines: map[string]*engine.Engine{}, Unknown: map[string]Warning{}}
	for _, rf := range regions {
		rd, err := readRegion(dir, rf.files, o.maxFileSize)
		if err != nil {
			return nil, err
		}
		name := rf.name
		if name == "" {
			name = o.region
		}
		if name == "" {
			name = rd.guessRegion()
			if name == "" {
				return nil, fmt.Errorf("%s: cannot tell the region: no Availability Zone or ARN names one; pass --region", rel(dir, rf.dir))
			}
			rd.warn(Warning{Code: CodeLayout, Message: "region " + name + " guessed from the Availability Zones and ARNs in the files; pass --region to set it"})
		}
		if _, dup := res.Engines[name]; dup {
			return nil, fmt.Errorf("%s: region %s appears twice in the snapshot", dir, name)
		}
		rd.version = newCollectorVersion(m, name)
		for _, m := range manifest {
			if m.Region != name {
				continue
			}
			if m.Error != "" {
				rd.warn(Warning{Code: CodeCollect, Message: "ecsnet collect could not call " + m.Call + ": " + m.Error})
			} else {
				if rd.collected == nil {
					rd.collected = map[string]bool{}
				}
				rd.collected[m.Call] = true
			}
			for _, n := range m.Notes {
				rd.warn(Warning{Code: CodeCollect, File: rel(dir, filepath.Join(dir, filepath.FromSlash(m.File))), Message: m.Call + ": " + n})
			}
		}
		st, unknown, internet := rd.build(name, o.account)
		if internet != nil {
			if res.internetUnknown == nil {
				res.internetUnknown = map[string]Warning{}
			}
			internet.Region = name
			res.internetUnknown[name] = *internet
		}
		res.Engines[name] = engine.FromState(st, o.engineOpts...)
		res.Regions = append(res.Regions, name)
		for i := range rd.warnings {
			rd.warnings[i].Region = name
		}
		warns = append(warns, rd.warnings...)
		for id, w := range unknown {
			w.Region = name
			res.Unknown[id] = w
		}
	}
	sort.Strings(res.Regions)
	res.Region = o.region
	if _, ok := res.Engines[res.Region]; !ok {
		if res.Region != "" && len(res.Regions) > 1 {
			return nil, fmt.Errorf("%s: no region %s in the snapshot (it has %s)", dir, res.Region, strings.Join(res.Regions, ", "))
		}
		res.Region = res.Regions[0]
		if len(res.Regions) > 1 {
			warns = append(warns, Warning{Code: CodeLayout, Message: fmt.Sprintf("the snapshot has %d regions (%s); analyzing %s: pass --region to pick another",
				len(res.Regions), strings.Join(res.Regions, ", "), res.Region)})
		}
	}
	res.Engine = res.Engines[res.Region]
	res.Warnings = warns
	res.TakenAt, res.TakenBy = takenAt, takenBy
	return res, nil
}

// readRegion reads a region's files side by side (one per CPU) and merges
// what they hold in file order, so the result and its warnings do not
// depend on timing. The first error in file order wins.
func readRegion(base string, paths []string, maxSize int64) (*regionData, error) {
	parts := make([]*regionData, len(paths))
	errs := make([]error, len(paths))
	next := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < min(runtime.GOMAXPROCS(0), len(paths)); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				parts[i] = &regionData{}
				errs[i] = parts[i].readFile(base, paths[i], maxSize)
			}
		}()
	}
	for i := range paths {
		next <- i
	}
	close(next)
	wg.Wait()
	rd := &regionData{seen: map[string]bool{}}
	for i, p := range parts {
		if errs[i] != nil {
			return nil, errs[i]
		}
		rd.merge(p)
	}
	return rd, nil
}

// discover finds the region folders and their JSON files.
func discover(dir string, warns *[]Warning) ([]*regionFiles, error) {
	root := dir
	batfish := false
	if st, err := os.Stat(filepath.Join(dir, "aws_configs")); err == nil && st.IsDir() {
		root, batfish = filepath.Join(dir, "aws_configs"), true
	}
	entries, err := os.ReadDir(root)
	if err != nil {
		return nil, err
	}
	flat := &regionFiles{dir: root}
	if IsRegionName(filepath.Base(root)) {
		flat.name = filepath.Base(root)
	}
	var out []*regionFiles
	for _, e := range entries {
		name := e.Name()
		if strings.HasPrefix(name, ".") {
			continue
		}
		path := filepath.Join(root, name)
		switch {
		case e.IsDir():
			if !batfish && !IsRegionName(name) {
				*warns = append(*warns, Warning{Code: CodeLayout, File: rel(dir, path), Message: "folder skipped: not a region name (region folders are named like us-east-1)"})
				continue
			}
			rf := &regionFiles{dir: path}
			if IsRegionName(name) {
				rf.name = name
			}
			if err := filepath.WalkDir(path, func(p string, d fs.DirEntry, err error) error {
				if err != nil {
					return err
				}
				if !d.IsDir() && isJSONFile(d.Name()) {
					rf.files = append(rf.files, p)
				}
				return nil
			}); err != nil {
				return nil, err
			}
			if len(rf.files) == 0 {
				*warns = append(*warns, Warning{Code: CodeLayout, File: rel(dir, path), Message: "region folder without JSON files skipped"})
				continue
			}
			out = append(out, rf)
		case isJSONFile(name) && name != ManifestName:
			flat.files = append(flat.files, path)
		}
	}
	if len(flat.files) > 0 {
		out = append(out, flat)
	}
	for _, rf := range out {
		slices.Sort(rf.files)
	}
	return out, nil
}

func isJSONFile(name string) bool { return strings.HasSuffix(strings.ToLower(name), ".json") }

func rel(base, path string) string {
	if r, err := filepath.Rel(base, path); err == nil && !strings.HasPrefix(r, "..") {
		return filepath.ToSlash(filepath.Join(filepath.Base(base), r))
	}
	return path
}

// ManifestCall is one call recorded in the collector's manifest.
type ManifestCall struct {
	Region string `json:"region"`
	Call   string `json:"call"`           // "ec2 describe-vpcs"
	File   string `json:"file,omitempty"` // path under the snapshot folder
	Pages  int    `json:"pages"`
	Items  int    `json:"items"`
	Error  string `json:"error,omitempty"`
	// Notes say how the call went where it matters (a response the SDK
	// could not decode, kept as the service sent it).
	Notes []string `json:"notes,omitempty"`
}

// Manifest is the collector's record of a collection (ManifestName).
type Manifest struct {
	Tool string `json:"tool"`
	// Format is the snapshot format's version (FormatVersion) the
	// collector wrote: which calls it knew. 0 in manifests written before
	// round thirty-five.
	Format    int            `json:"format,omitempty"`
	StartedAt string         `json:"startedAt"`
	Endpoint  string         `json:"endpoint,omitempty"`
	Regions   []string       `json:"regions"`
	Calls     []ManifestCall `json:"calls"`
}

// takenAt is when the collection started (StartedAt, RFC 3339); zero,
// with a warning, when the field is there but is not a time.
func (m *Manifest) takenAt(dir string, warns *[]Warning) time.Time {
	if m.StartedAt == "" {
		return time.Time{}
	}
	t, err := time.Parse(time.RFC3339Nano, m.StartedAt)
	if err != nil {
		*warns = append(*warns, Warning{Code: CodeBadValue, File: rel(dir, filepath.Join(dir, ManifestName)),
			Message: "startedAt " + strconv.Quote(m.StartedAt) + " is not an RFC 3339 time (2026-12-07T03:00:00Z): the snapshot's age is unknown"})
		return time.Time{}
	}
	return t.UTC()
}

func readManifest(dir string, maxSize int64, warns *[]Warning) *Manifest {
	path := filepath.Join(dir, ManifestName)
	if _, err := os.Lstat(path); err != nil {
		return nil
	}
	data, err := readRegular(path, maxSize)
	if err != nil {
		*warns = append(*warns, Warning{Code: CodeBadValue, File: rel(dir, path), Message: "collector manifest unreadable: " + err.Error()})
		return nil
	}
	var m Manifest
	if err := json.Unmarshal(data, &m); err != nil {
		*warns = append(*warns, Warning{Code: CodeBadValue, File: rel(dir, path), Message: "collector manifest unreadable: " + err.Error()})
		return nil
	}
	return &m
}

// syntaxError turns a JSON decoding failure of a whole file into a
// SyntaxError with a line and column.
func syntaxError(file string, data []byte, err error) error {
	var se *json.SyntaxError
	off := int64(len(data))
	msg := err.Error()
	if errors.As(err, &se) {
		off = se.Offset
		msg = se.Error()
		if off > 0 && se.Error() != "unexpected end of JSON input" {
			off-- // Offset is just past the offending byte
		}
	}
	if off > int64(len(data)) {
		off = int64(len(data))
	}
	line, col := newLineIndex(data).position(int(off))
	if msg == "unexpected end of JSON input" {
		msg = "unexpected end of JSON input (the file is truncated)"
	}
	return &SyntaxError{File: file, Line: line, Column: col, Offset: off, Msg: msg}
}

// UndecidedBy returns the warnings of the unknown resources a probe's path
// went through (its hops' components, the groups of the security group
// rules and the targets of the routes, and the components its explanations
// name). When it is not empty the verdict rests on something the snapshot
// does not say: report it as insufficient information, naming the
// warnings, rather than as the verdict.
func (r *Result) UndecidedBy(res *reach.Result) []Warning {
	if res == nil || (len(r.Unknown) == 0 && len(r.internetUnknown) == 0) {
		return nil
	}
	var out []Warning
	if w, ok := r.internetUnknown[r.Region]; ok && (internetEnd(res.From) || internetEnd(res.To)) {
		out = append(out, w)
	}
	var ids []string
	comp := func(c *reach.Component) {
		if c != nil {
			ids = append(ids, c.ID, c.ARN)
		}
	}
	for _, e := range []*reach.Endpoint{res.From, res.To} {
		if e != nil {
			ids = append(ids, e.ID, e.ARN)
		}
	}
	for _, path := range [][]reach.Hop{res.Forward, res.Return} {
		for _, h := range path {
			comp(h.Component)
			comp(h.AttachedTo)
			comp(h.Subnet)
			if h.SecurityGroupRule != nil {
				ids = append(ids, h.SecurityGroupRule.SecurityGroupID)
			}
			if h.Route != nil {
				ids = append(ids, h.Route.Target, h.Route.RouteTableID)
			}
		}
	}
	for _, e := range res.Explanations {
		comp(e.Component)
		comp(e.NetworkInterface)
		for _, g := range e.SecurityGroups {
			comp(g)
		}
		if e.Route != nil {
			ids = append(ids, e.Route.Target, e.Route.RouteTableID)
		}
	}
	return append(out, r.Undecided(ids...)...)
}

// internetEnd reports whether a probe endpoint is the internet or a public
// address.
func internetEnd(e *reach.Endpoint) bool {
	if e == nil {
		return false
	}
	return e.Kind == reach.KindInternet || (e.Address.IsValid() && !e.Address.IsPrivate() && !e.Address.IsLoopback())
}
