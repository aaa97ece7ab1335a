package engine

import "github.com/ecsnet/ecsnet/internal/model"

// instanceGone is called when an instance terminates: ECS loses the
// container instance and stops its tasks.
func (t *txn) instanceGone(id model.InstanceID) {}
