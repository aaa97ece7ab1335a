package engine

import (
	"strings"

	"github.com/ecsnet/ecsnet/internal/model"
)

// revisioned is what resolveRevision reads of a task definition or a
// daemon task definition: its family, revision and status.
type revisioned interface {
	*model.TaskDefinition | *model.DaemonTaskDefinition
}

func revisionOf[T revisioned](v T) (family string, revision int, status string) {
	switch x := any(v).(type) {
	case *model.TaskDefinition:
		if x.DaemonTaskDefinition {
			return "", 0, "" // a daemon task definition's twin: no family of task definitions
		}
		return x.Family, x.Revision, x.Status
	case *model.DaemonTaskDefinition:
		return x.Family, x.Revision, x.Status
	}
	return "", 0, ""
}

// resolveRevision resolves a reference to a revision of a family stored
// by ARN at arn:…:<resource>/<family>:<revision>: an ARN,
// "family:revision", or "family" (its newest ACTIVE revision). Task
// definitions and daemon task definitions resolve alike.
func resolveRevision[T revisioned](e *Engine, byARN map[string]T, resource, ref string, notFound func() error) (T, error) {
	switch {
	case ref == "":
		return nil, notFound()
	case strings.HasPrefix(ref, "arn:"):
		if v := byARN[ref]; v != nil {
			return v, nil
		}
		return nil, notFound()
	case strings.Contains(ref, ":"):
		if v := byARN[e.ecsARN(resource+"/"+ref)]; v != nil {
			return v, nil
		}
		return nil, notFound()
	}
	var best T
	bestRev := 0
	for _, v := range byARN {
		if family, rev, status := revisionOf(v); family == ref && status == "ACTIVE" && (best == nil || rev > bestRev) {
			best, bestRev = v, rev
		}
	}
	if best == nil {
		return nil, notFound()
	}
	return best, nil
}
