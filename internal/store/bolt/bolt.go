// Package bolt is a store.Store that keeps records in a bbolt file, with one
// bucket per kind. Every Apply is one bbolt transaction, fsynced on commit, so
// an acknowledged write survives kill -9 and, where the disk honours fsync, a
// power loss. The file is locked while open: a second ecsnet opening the same
// file fails fast instead of waiting.
package bolt

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"time"

	bbolt "go.etcd.io/bbolt"

	"github.com/ecsnet/ecsnet/internal/store"
)

var _ store.Store = (*Store)(nil)

// DefaultLockTimeout is how long Open waits for another process to let go of
// the file when Options.LockTimeout is zero.
const DefaultLockTimeout = 500 * time.Millisecond

// Options configures Open. The zero value opens a file at store.SchemaVersion
// with no migrations.
type Options struct {
	// SchemaVersion is the version of the records this build writes; zero
	// means store.SchemaVersion. A file at an older version is upgraded with
	// Migrations; a file at a newer one is refused.
	SchemaVersion int
	// Migrations upgrade an older file, one version step each. Open runs the
	// ones it needs, in order, in a single transaction.
	Migrations []store.Migration
	// LockTimeout is how long Open waits for the file lock; zero means
	// DefaultLockTimeout.
	LockTimeout time.Duration
}

// Store is a store.Store backed by a bbolt file. Its methods are safe for
// concurrent use.
type Store struct {
	path string
	opts *bbolt.Options

	mu sync.RWMutex // guards db and failed; Apply and Close hold it exclusively
	db *bbolt.DB
	// failed is set when a write failed (a full disk, an I/O error): the
	// next Apply reopens the file first, so that nothing of bbolt's state
	// from the failed commit (its free list, a failed remap) is reused,
	// and the store recovers when the disk does.
	failed bool
	closed bool
}

// Open opens the state file at path, creating it and its parent directories
// (mode 0700; the file gets 0600) if they do not exist, and upgrades its
// records to opts.SchemaVersion.
//
// It fails with an error wrapping store.ErrLocked if another process has the
// file open, and with one wrapping store.ErrSchemaTooNew if a newer ecsnet
// wrote it.
func Open(path string, opts Options) (*Store, error) {
	version := opts.SchemaVersion
	if version == 0 {
		version = store.SchemaVersion
	}
	if version < 1 {
		return nil, fmt.Errorf("open %s: schema version %d: must be at least 1", path, version)
	}
	timeout := opts.LockTimeout
	if timeout <= 0 {
		timeout = DefaultLockTimeout
	}

	created, err := mkdirs(filepath.Dir(path))
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		created = append(created, filepath.Dir(path))
	}

	bopts := &bbolt.Options{
		Timeout:      timeout,
		NoSync:       false,
		NoGrowSync:   false,
		FreelistType: bbolt.FreelistMapType,
	}
	if err := inspect(path); err != nil {
		if errors.Is(err, store.ErrDamaged) {
			return nil, err
		}
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	var db *bbolt.DB
	err = guard(path, "opening", func() error {
		var err error
		db, err = bbolt.Open(path, 0o600, bopts)
		return err
	})
	if errors.Is(err, bbolt.ErrTimeout) {
		return nil, fmt.Errorf("open %s: %w; another ecsnet may be using it", path, store.ErrLocked)
	}
	if errors.Is(err, bbolt.ErrInvalid) || errors.Is(err, bbolt.ErrChecksum) || errors.Is(err, bbolt.ErrVersionMismatch) {
		return nil, fmt.Errorf("%w: %s: %v", store.ErrDamaged, path, err)
	}
	if err != nil {
		if errors.Is(err, store.ErrDamaged) {
			return nil, err
		}
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	if err := verify(path, db); err != nil {
		guard(path, "closing", db.Close) //nolint:errcheck // already failing
		return nil, err
	}
	err = guard(path, "upgrading", func() error {
		return db.Update(func(tx *bbolt.Tx) error { return upgrade(tx, version, opts.Migrations) })
	})
	if err != nil {
		guard(path, "closing", db.Close) //nolint:errcheck // already failing
		if errors.Is(err, store.ErrDamaged) {
			return nil, err
		}
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	// A new file, or a new directory, exists after a power loss only once the
	// directory holding its entry has been synced.
	for _, dir := range created {
		if err := syncDir(dir); err != nil {
			db.Close()
			return nil, fmt.Errorf("open %s: %w", path, err)
		}
	}
	return &Store{db: db, path: path, opts: bopts}, nil
}

// mkdirs creates dir and its missing parents with mode 0700 and returns the
// parents of the directories it created, which need syncing.
func mkdirs(dir string) ([]string, error) {
	var missing []string
	for d := dir; ; d = filepath.Dir(d) {
		if _, err := os.Stat(d); err == nil || !errors.Is(err, fs.ErrNotExist) {
			break
		}
		missing = append(missing, filepath.Dir(d))
		if filepath.Dir(d) == d {
			break
		}
	}
	if len(missing) == 0 {
		return nil, nil
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	return missing, nil
}

func syncDir(dir string) error {
	f, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer f.Close()
	if err := f.Sync(); err != nil {
		return fmt.Errorf("sync directory %s: %w", dir, err)
	}
	return nil
}

// upgrade brings the file to schema version want: it stamps a new file, runs
// the migrations an older file needs and refuses a newer one.
func upgrade(tx *bbolt.Tx, want int, migrations []store.Migration) error {
	meta := tx.Bucket(metaBucket)
	if meta == nil {
		if k, _ := tx.Cursor().First(); k != nil {
			return fmt.Errorf("not an ecsnet state file: it has a bucket %q but no %q bucket", k, metaBucket)
		}
		if _, err := tx.CreateBucket(recordsBucket); err != nil {
			return err
		}
		return setVersion(tx, want)
	}
	raw := meta.Get(versionKey)
	have, err := strconv.Atoi(string(raw))
	if err != nil || have < 0 {
		return fmt.Errorf("corrupt schema version %q", raw)
	}
	if tx.Bucket(recordsBucket) == nil {
		return fmt.Errorf("corrupt state file: no %q bucket", recordsBucket)
	}
	plan, err := store.Plan(migrations, have, want)
	if err != nil {
		return err
	}
	for _, m := range plan {
		mt := &migrationTx{tx: tx}
		if err := m.Migrate(mt); err != nil {
			return fmt.Errorf("migrate schema version %d to %d: %w", m.From, m.From+1, err)
		}
	}
	if have == want {
		return nil
	}
	return setVersion(tx, want)
}

func setVersion(tx *bbolt.Tx, v int) error {
	meta, err := tx.CreateBucketIfNotExists(metaBucket)
	if err != nil {
		return err
	}
	return meta.Put(versionKey, []byte(strconv.Itoa(v)))
}

// migrationTx is the store.Tx that migrations get.
type migrationTx struct {
	tx      *bbolt.Tx
	loading bool
}

func (m *migrationTx) Load(fn func(kind, id string, data []byte) error) error {
	m.loading = true
	defer func() { m.loading = false }()
	return load(m.tx, fn)
}

func (m *migrationTx) Apply(changes []store.Change) error {
	if m.loading {
		return errors.New("apply called inside load; collect the changes and apply them after load returns")
	}
	if err := store.Validate(changes); err != nil {
		return err
	}
	// bbolt keeps the values it is given until the transaction ends, which
	// for a migration is after Apply returns; copy them so that the
	// migration may reuse its buffers, as Store.Apply allows.
	owned := make([]store.Change, len(changes))
	for i, c := range changes {
		owned[i] = c
		if c.Data != nil {
			owned[i].Data = append(make([]byte, 0, len(c.Data)), c.Data...)
		}
	}
	return apply(m.tx, owned)
}

// Path returns the path of the file the Store keeps its records in.
func (s *Store) Path() string { return s.path }

// Apply implements store.Store in one bbolt transaction. bbolt holds on to
// the changes' Data until the commit, which happens before Apply returns.
func (s *Store) Apply(changes []store.Change) error {
	if err := store.Validate(changes); err != nil {
		return fmt.Errorf("bolt store: apply: %w", err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.failed {
		if err := s.reopen(); err != nil {
			return s.wrap("apply", err)
		}
	}
	if len(changes) == 0 {
		// Nothing to write; still report a closed store.
		return s.wrap("apply", s.db.View(func(*bbolt.Tx) error { return nil }))
	}
	err := guard(s.path, "writing", func() error {
		return s.db.Update(func(tx *bbolt.Tx) error { return apply(tx, changes) })
	})
	if err != nil && !errors.Is(err, bbolt.ErrDatabaseNotOpen) {
		s.failed = true
	}
	return s.wrap("apply", err)
}

// reopen closes and opens the file again after a failed write; s.mu is
// held.
func (s *Store) reopen() error {
	if s.closed {
		return bbolt.ErrDatabaseNotOpen
	}
	_ = s.db.Close() // closing a closed DB does nothing
	db, err := bbolt.Open(s.path, 0o600, s.opts)
	if err != nil {
		// s.db stays the closed DB; the next write tries again.
		return fmt.Errorf("reopen after a failed write: %w", err)
	}
	s.db, s.failed = db, false
	return nil
}

func apply(tx *bbolt.Tx, changes []store.Change) error {
	records := tx.Bucket(recordsBucket)
	var (
		kind    string
		b       *bbolt.Bucket
		deleted map[string]*bbolt.Bucket // kinds that may have become empty
	)
	for _, c := range changes {
		if b == nil || c.Kind != kind {
			kind, b = c.Kind, records.Bucket([]byte(c.Kind))
		}
		if c.Data == nil {
			if b == nil {
				continue
			}
			if err := b.Delete([]byte(c.ID)); err != nil {
				return fmt.Errorf("delete %s/%s: %w", c.Kind, c.ID, err)
			}
			if deleted == nil {
				deleted = make(map[string]*bbolt.Bucket)
			}
			deleted[c.Kind] = b
			continue
		}
		if b == nil {
			var err error
			if b, err = records.CreateBucket([]byte(c.Kind)); err != nil {
				return fmt.Errorf("create bucket for kind %s: %w", c.Kind, err)
			}
		}
		if err := b.Put([]byte(c.ID), c.Data); err != nil {
			return fmt.Errorf("put %s/%s: %w", c.Kind, c.ID, err)
		}
	}
	// Drop the buckets of kinds left without records, so a kind exists in the
	// file only while it has records.
	for kind, b := range deleted {
		if k, _ := b.Cursor().First(); k != nil {
			continue
		}
		if err := records.DeleteBucket([]byte(kind)); err != nil {
			return fmt.Errorf("delete bucket for kind %s: %w", kind, err)
		}
	}
	return nil
}

// Load implements store.Store in one read-only bbolt transaction. The data
// that fn gets points into the file's memory map.
func (s *Store) Load(fn func(kind, id string, data []byte) error) error {
	var fnErr error
	s.mu.RLock()
	defer s.mu.RUnlock()
	err := guard(s.path, "reading", func() error {
		return s.db.View(func(tx *bbolt.Tx) error {
			return load(tx, func(kind, id string, data []byte) error {
				if err := fn(kind, id, data); err != nil {
					fnErr = err
					return err
				}
				return nil
			})
		})
	})
	if fnErr != nil {
		return fnErr
	}
	return s.wrap("load", err)
}

func load(tx *bbolt.Tx, fn func(kind, id string, data []byte) error) error {
	records := tx.Bucket(recordsBucket)
	c := records.Cursor()
	for k, v := c.First(); k != nil; k, v = c.Next() {
		if v != nil {
			return fmt.Errorf("corrupt state file: %q in %q is not a bucket", k, recordsBucket)
		}
		kind := string(k)
		b := records.Bucket(k)
		ic := b.Cursor()
		for id, data := ic.First(); id != nil; id, data = ic.Next() {
			if data == nil {
				return fmt.Errorf("corrupt state file: %s/%q is a bucket, not a record", kind, id)
			}
			if err := fn(kind, string(id), data); err != nil {
				return err
			}
		}
	}
	return nil
}

// Reset implements store.Store.
func (s *Store) Reset() error {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.wrap("reset", s.db.Update(func(tx *bbolt.Tx) error {
		if err := tx.DeleteBucket(recordsBucket); err != nil {
			return err
		}
		_, err := tx.CreateBucket(recordsBucket)
		return err
	}))
}

// Close implements store.Store. It releases the file lock.
func (s *Store) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.closed = true
	return s.wrap("close", s.db.Close())
}

func (s *Store) wrap(op string, err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, bbolt.ErrDatabaseNotOpen):
		return fmt.Errorf("bolt store %s: %s: %w", s.path, op, store.ErrClosed)
	default:
		return fmt.Errorf("bolt store %s: %s: %w", s.path, op, err)
	}
}
