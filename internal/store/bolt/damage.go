package bolt

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"io/fs"
	"os"
	"runtime/debug"
	"time"

	bbolt "go.etcd.io/bbolt"

	"github.com/ecsnet/ecsnet/internal/store"
)

// A damaged file must give an error, never a crash: bbolt reads the file
// through a memory map and trusts what it finds, so a truncated file makes
// it fault (SIGSEGV, SIGBUS) and a damaged page makes it panic. The store
// checks the file's header before bbolt maps it, reads every record once
// when it opens, and runs every bbolt call with guard, which turns panics
// and memory faults (debug.SetPanicOnFault) into errors wrapping
// store.ErrDamaged.

// guard runs fn, turning a panic or a memory fault inside it into an error
// wrapping store.ErrDamaged. fn runs on the calling goroutine.
func guard(path, what string, fn func() error) (err error) {
	old := debug.SetPanicOnFault(true)
	defer func() {
		debug.SetPanicOnFault(old)
		if p := recover(); p != nil {
			err = fmt.Errorf("%w: %s: %s: %v", store.ErrDamaged, path, what, p)
		}
	}()
	return fn()
}

// bbolt's file format (go.etcd.io/bbolt/internal/common): a page starts
// with a 16-byte header; pages 0 and 1 hold the meta, which begins with
// the magic number, the format version and the page size, and ends with an
// FNV-64a checksum of the fields before it.
const (
	boltMagic      = 0xED0CDAED
	boltVersion    = 2
	pageHeaderSize = 16
	metaSize       = 56 // magic … txid, then the checksum
)

type boltMeta struct {
	pageSize uint32
	pgid     uint64 // high water mark: the file holds at least pgid pages
	txid     uint64
}

// readMeta decodes the meta at buf (a page), or says what is wrong with it.
func readMeta(buf []byte) (boltMeta, error) {
	if len(buf) < pageHeaderSize+metaSize+8 {
		return boltMeta{}, errors.New("too short")
	}
	m := buf[pageHeaderSize:]
	le := binary.LittleEndian
	if le.Uint32(m[0:]) != boltMagic {
		return boltMeta{}, errors.New("wrong magic number")
	}
	if v := le.Uint32(m[4:]); v != boltVersion {
		return boltMeta{}, fmt.Errorf("format version %d, want %d", v, boltVersion)
	}
	h := fnv.New64a()
	h.Write(m[:metaSize])
	if le.Uint64(m[metaSize:]) != h.Sum64() {
		return boltMeta{}, errors.New("checksum mismatch")
	}
	return boltMeta{pageSize: le.Uint32(m[8:]), pgid: le.Uint64(m[40:]), txid: le.Uint64(m[48:])}, nil
}

// inspect checks the file's header before bbolt maps it: at least one of
// the two meta pages must be valid, and the file must be as long as the
// newest valid one says. A missing or empty file is fine (bbolt creates
// it).
func inspect(path string) error {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return err
	}
	if !fi.Mode().IsRegular() {
		return fmt.Errorf("%s is not a regular file", path)
	}
	size := fi.Size()
	if size == 0 {
		return nil
	}
	damaged := func(format string, args ...any) error {
		return fmt.Errorf("%w: %s: %s", store.ErrDamaged, path, fmt.Sprintf(format, args...))
	}
	first := make([]byte, 4096)
	n, err := io.ReadFull(f, first)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return err
	}
	first = first[:n]
	m0, err0 := readMeta(first)
	pageSize := int64(os.Getpagesize())
	if err0 == nil {
		pageSize = int64(m0.pageSize)
	}
	if pageSize < 512 || pageSize > 1<<20 {
		return damaged("the header gives a page size of %d bytes", pageSize)
	}
	second := make([]byte, pageHeaderSize+metaSize+8)
	n, err = f.ReadAt(second, pageSize)
	if err != nil && !errors.Is(err, io.EOF) {
		return err
	}
	m1, err1 := readMeta(second[:n])
	switch {
	case err0 != nil && err1 != nil:
		if size < 2*pageSize {
			return damaged("not a state file, or truncated to %d bytes: neither header page is valid (%v; %v)", size, err0, err1)
		}
		return damaged("neither header page is valid (page 0: %v; page 1: %v); it may not be a state file", err0, err1)
	case err0 != nil || (err1 == nil && m1.txid > m0.txid):
		m0 = m1
	}
	if need := int64(m0.pgid) * int64(m0.pageSize); size < need {
		return damaged("truncated: the file has %d bytes, its header says %d (%d pages of %d bytes)", size, need, m0.pgid, m0.pageSize)
	}
	return nil
}

// verify reads every record of the file once, so that damage shows now,
// as an error, and not later in the middle of serving.
func verify(path string, db *bbolt.DB) error {
	return guard(path, "reading the records", func() error {
		return db.View(func(tx *bbolt.Tx) error {
			if tx.Bucket(recordsBucket) == nil {
				return nil // upgrade reports it
			}
			return load(tx, func(string, string, []byte) error { return nil })
		})
	})
}

// RecoverMode is a way out of a damaged state file.
type RecoverMode string

// The ways out of a damaged state file.
const (
	// MoveAside renames the file to PATH.damaged-TIME and starts empty.
	MoveAside RecoverMode = "move-aside"
	// Salvage renames it the same way and starts from the records that can
	// still be read from it.
	Salvage RecoverMode = "salvage"
)

// Recovered says what Recover did.
type Recovered struct {
	MovedTo  string // where the damaged file went
	Salvaged int    // records carried over (Salvage)
	Lost     string // what could not be read, when known (Salvage)
}

// Recover moves the damaged state file at path aside (PATH.damaged-TIME,
// TIME from now) and, with Salvage, writes the records that can still be
// read from it, and that keep accepts, into a new file at path. Open the
// store at path afterwards.
func Recover(path string, mode RecoverMode, now time.Time, keep func(kind, id string, data []byte) bool) (Recovered, error) {
	if mode != MoveAside && mode != Salvage {
		return Recovered{}, fmt.Errorf("unknown recovery %q: want %s or %s", mode, MoveAside, Salvage)
	}
	var out Recovered
	var recs []store.Change
	if mode == Salvage {
		recs, out.Lost = salvage(path, keep)
	}
	out.MovedTo = path + ".damaged-" + now.UTC().Format("20060102T150405Z")
	if err := os.Rename(path, out.MovedTo); err != nil {
		return Recovered{}, err
	}
	if mode == MoveAside {
		return out, nil
	}
	s, err := Open(path, Options{})
	if err != nil {
		return out, err
	}
	defer s.Close()
	for len(recs) > 0 {
		n := min(len(recs), 10000)
		if err := s.Apply(recs[:n]); err != nil {
			return out, err
		}
		out.Salvaged += n
		recs = recs[n:]
	}
	return out, nil
}

// salvage reads what it can of a damaged file, read-only: every record of
// every kind until the damage, kind by kind.
func salvage(path string, keep func(kind, id string, data []byte) bool) ([]store.Change, string) {
	var lost []string
	var out []store.Change
	var db *bbolt.DB
	if err := inspect(path); err != nil && !errors.Is(err, store.ErrDamaged) {
		return nil, err.Error()
	} else if err != nil {
		lost = append(lost, err.Error())
	}
	err := guard(path, "opening", func() error {
		var err error
		db, err = bbolt.Open(path, 0o600, &bbolt.Options{ReadOnly: true, Timeout: DefaultLockTimeout})
		return err
	})
	if err != nil {
		return nil, fmt.Sprintf("%s; nothing could be read: %v", joinLost(lost), err)
	}
	defer guard(path, "closing", db.Close) //nolint:errcheck // read-only
	var kinds []string
	err = guard(path, "listing kinds", func() error {
		return db.View(func(tx *bbolt.Tx) error {
			records := tx.Bucket(recordsBucket)
			if records == nil {
				return fmt.Errorf("no %q bucket", recordsBucket)
			}
			c := records.Cursor()
			for k, v := c.First(); k != nil; k, v = c.Next() {
				if v == nil {
					kinds = append(kinds, string(k))
				}
			}
			return nil
		})
	})
	if err != nil {
		lost = append(lost, err.Error())
	}
	for _, kind := range kinds {
		err := guard(path, "reading kind "+kind, func() error {
			return db.View(func(tx *bbolt.Tx) error {
				b := tx.Bucket(recordsBucket).Bucket([]byte(kind))
				if b == nil {
					return fmt.Errorf("kind %s is not a bucket", kind)
				}
				c := b.Cursor()
				for id, data := c.First(); id != nil; id, data = c.Next() {
					if data == nil || (keep != nil && !keep(kind, string(id), data)) {
						lost = append(lost, fmt.Sprintf("%s/%s is unreadable", kind, id))
						continue
					}
					out = append(out, store.Change{Kind: kind, ID: string(id), Data: append([]byte(nil), data...)})
				}
				return nil
			})
		})
		if err != nil {
			lost = append(lost, err.Error())
		}
	}
	return out, joinLost(lost)
}

func joinLost(lost []string) string {
	const show = 5
	if len(lost) > show {
		return fmt.Sprintf("%s; and %d more", joinLost(lost[:show]), len(lost)-show)
	}
	s := ""
	for i, l := range lost {
		if i > 0 {
			s += "; "
		}
		s += l
	}
	return s
}
