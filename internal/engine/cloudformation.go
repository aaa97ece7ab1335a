package engine

import (
	"slices"

	"github.com/ecsnet/ecsnet/internal/apierr"
	"github.com/ecsnet/ecsnet/internal/model"
)

// CloudFormation's records: stacks and change sets. The resources a stack
// deploys are ordinary resources, created through the engine's operations
// by internal/cfn; these records say which, with the stack's events.

// StackDeleted is the status of a deleted stack.
const StackDeleted = "DELETE_COMPLETE"

// LiveStack returns the stack a name or stack id names: by id any stack
// (deleted ones too, as AWS keeps them visible by id), by name only one
// that is not deleted. Nil when there is none.
func LiveStack(st *model.State, nameOrID string) *model.Stack {
	if s := st.Stacks[nameOrID]; s != nil {
		return s
	}
	for _, s := range st.Stacks {
		if s.Name == nameOrID && s.Status != StackDeleted {
			return s
		}
	}
	return nil
}

// CreateStack records a new stack. A stack of that name that is not
// deleted is AWS's AlreadyExistsException.
func (e *Engine) CreateStack(s *model.Stack) error {
	return e.write(func(t *txn) error {
		if old := LiveStack(t.st, s.Name); old != nil {
			return apierr.Newf("AlreadyExistsException", "Stack [%s] already exists", s.Name)
		}
		put(t, model.KindStack, t.st.Stacks, s.ID, s)
		return nil
	})
}

// LockStacks takes the region's stack operations lock and returns its
// release. A stack operation (a create, an update, its rollback, the
// settling of a stack waiting on its services) is many transactions that
// each read what the one before wrote; two of them on one stack at once,
// say CancelUpdateStack rolling an update back while the background step
// finds it stable, would each commit over the other. The lock is held for
// the whole operation, never inside a transaction.
func (e *Engine) LockStacks() (unlock func()) {
	e.stackOps.Lock()
	return e.stackOps.Unlock
}

// TryLockStacks takes the stack lock if it is free (ok true), for the
// background settle: skipped while a stack operation is under way, it runs
// at a later step, so the step loop (every region's) never waits on a long
// operation.
func (e *Engine) TryLockStacks() (unlock func(), ok bool) {
	if !e.stackOps.TryLock() {
		return nil, false
	}
	return e.stackOps.Unlock, true
}

// ChangeStack applies fn to a copy of a stack's record and stores the
// result, atomically: fn sees the current record and may refuse (its
// error is returned and nothing changes).
func (e *Engine) ChangeStack(id string, fn func(s *model.Stack) error) (*model.Stack, error) {
	var out *model.Stack
	err := e.write(func(t *txn) error {
		old := t.st.Stacks[id]
		if old == nil {
			return apierr.Newf("ValidationError", "Stack with id %s does not exist", id)
		}
		s := *old
		s.Parameters = slices.Clone(old.Parameters)
		s.Outputs = slices.Clone(old.Outputs)
		s.Tags = slices.Clone(old.Tags)
		s.Capabilities = slices.Clone(old.Capabilities)
		s.Imports = slices.Clone(old.Imports)
		s.Resources = slices.Clone(old.Resources)
		s.Events = slices.Clone(old.Events)
		s.Waiting = slices.Clone(old.Waiting)
		if err := fn(&s); err != nil {
			return err
		}
		put(t, model.KindStack, t.st.Stacks, id, &s)
		out = &s
		return nil
	})
	return out, err
}

// PutChangeSet stores a change set (new or changed).
func (e *Engine) PutChangeSet(cs *model.ChangeSet) error {
	return e.write(func(t *txn) error {
		put(t, model.KindChangeSet, t.st.ChangeSets, cs.ID, cs)
		return nil
	})
}

// DeleteChangeSets deletes change sets by id.
func (e *Engine) DeleteChangeSets(ids ...string) error {
	return e.write(func(t *txn) error {
		for _, id := range ids {
			del(t, model.KindChangeSet, t.st.ChangeSets, id)
		}
		return nil
	})
}
