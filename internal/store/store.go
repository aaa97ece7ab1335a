// Package store is the persistence layer of ecsnet's control-plane engine.
//
// The engine keeps its resources in memory and hands every acknowledged write
// to a Store as a batch of Changes. A Store keeps records keyed by (kind, id)
// and makes each batch durable and atomic before Apply returns, so the state
// survives kill -9 and a restart. On start the engine reads everything back
// with Load.
//
// Implementations live in subpackages: store/bolt keeps records in a bbolt
// file, store/mem keeps them in memory for tests. store/storetest holds the
// conformance suite that every implementation must pass.
//
// Records carry a schema version (SchemaVersion). When the engine changes how
// it encodes a record it bumps the version and registers a Migration, which a
// persistent Store runs when it opens an older file.
package store

import (
	"errors"
	"fmt"
)

// SchemaVersion is the version of the record encoding that this build of
// ecsnet writes. Bump it, and add a Migration from the previous version, when
// the engine changes how it encodes a stored record.
const SchemaVersion = 1

// MaxKeyLen is the longest kind or id, in bytes, that a Store accepts. It is
// bbolt's key limit, applied to every Store so that all of them agree.
const MaxKeyLen = 32768

var (
	// ErrInvalidChange is wrapped by the error that Apply returns when a
	// change has an empty or too long kind or id. Nothing of the batch is
	// applied.
	ErrInvalidChange = errors.New("invalid change")

	// ErrClosed is wrapped by the error that a Store's methods return after
	// Close.
	ErrClosed = errors.New("store is closed")

	// ErrLocked is wrapped by the error that opening a persistent Store
	// returns when another process holds its file.
	ErrLocked = errors.New("state file is locked")

	// ErrDamaged is wrapped by the error that opening a persistent Store
	// returns when its file is damaged (truncated, overwritten, not a state
	// file at all): the error says what is wrong.
	ErrDamaged = errors.New("state file is damaged")

	// ErrSchemaTooNew is wrapped by the error that opening a persistent Store
	// returns when its file was written by a newer ecsnet, with a schema
	// version this build does not know.
	ErrSchemaTooNew = errors.New("state file was written by a newer ecsnet")
)

// Change is one resource written or deleted. Data is the resource's encoding
// (JSON from the engine); nil Data deletes. Empty but non-nil Data writes an
// empty record.
type Change struct {
	Kind string // e.g. "vpc", "subnet", "task"
	ID   string // the resource's id or ARN
	Data []byte
}

// Store persists resources keyed by (Kind, ID).
//
// Implementations must be safe for concurrent use, and must pass
// storetest.Run.
type Store interface {
	// Apply writes all changes atomically: after it returns nil, every change survives a crash (kill -9, power loss
	// modulo the disk honouring fsync); if it returns an error, none of them was applied.
	//
	// Changes apply in order, so when a batch names the same (Kind, ID) twice the later change wins. Deleting a
	// record that does not exist is not an error. A change with an empty Kind or ID, or one longer than MaxKeyLen,
	// fails the whole batch with an error wrapping ErrInvalidChange. Apply does not keep the callers' slices: the
	// caller may reuse them once it returns.
	Apply(changes []Change) error
	// Load calls fn for every stored record, kinds in lexical order and ids in lexical order within a kind.
	//
	// Order is by bytes, as sort.Strings sorts. data is only valid until fn returns and must not be modified; fn
	// must copy it to keep it, and must not call the Store's methods. If fn returns an error, Load stops and returns
	// that error.
	Load(fn func(kind, id string, data []byte) error) error
	// Reset deletes every record (keeps the schema version).
	Reset() error
	// Close releases the Store. Methods called after Close return an error wrapping ErrClosed; Close itself may be
	// called again and then returns nil.
	Close() error
}

// Tx is the view of a Store's records that a Migration gets. Its reads and
// writes happen inside the one transaction that upgrades the file: if any
// migration fails, the file is left as it was.
type Tx interface {
	// Load calls fn for every record, in Store.Load's order and under the
	// same rules for data. fn must not call Apply: collect the changes and
	// apply them after Load returns.
	Load(fn func(kind, id string, data []byte) error) error
	// Apply writes changes, in order, as Store.Apply does.
	Apply(changes []Change) error
}

// Migration upgrades the records of a Store from schema version From to
// From+1.
type Migration struct {
	From    int
	Migrate func(tx Tx) error
}

// Validate reports the first change in changes that no Store accepts, as an
// error wrapping ErrInvalidChange, or nil if every change is valid.
func Validate(changes []Change) error {
	for i, c := range changes {
		var problem string
		switch {
		case c.Kind == "":
			problem = "empty kind"
		case c.ID == "":
			problem = "empty id"
		case len(c.Kind) > MaxKeyLen:
			problem = fmt.Sprintf("kind longer than %d bytes", MaxKeyLen)
		case len(c.ID) > MaxKeyLen:
			problem = fmt.Sprintf("id longer than %d bytes", MaxKeyLen)
		default:
			continue
		}
		return fmt.Errorf("%w: change %d (kind %.40q, id %.40q): %s", ErrInvalidChange, i, c.Kind, c.ID, problem)
	}
	return nil
}

// Plan checks migrations and returns, in order, the ones that take records
// from schema version from to version to. It fails if from is newer than to
// (with an error wrapping ErrSchemaTooNew), if a step is missing, or if two
// migrations start from the same version.
func Plan(migrations []Migration, from, to int) ([]Migration, error) {
	if from > to {
		return nil, fmt.Errorf("%w (schema version %d; this build supports up to %d)", ErrSchemaTooNew, from, to)
	}
	byFrom := make(map[int]Migration, len(migrations))
	for _, m := range migrations {
		if m.Migrate == nil {
			return nil, fmt.Errorf("migration from schema version %d has no Migrate func", m.From)
		}
		if _, dup := byFrom[m.From]; dup {
			return nil, fmt.Errorf("two migrations from schema version %d", m.From)
		}
		byFrom[m.From] = m
	}
	var plan []Migration
	for v := from; v < to; v++ {
		m, ok := byFrom[v]
		if !ok {
			return nil, fmt.Errorf("no migration from schema version %d to %d", v, v+1)
		}
		plan = append(plan, m)
	}
	return plan, nil
}
