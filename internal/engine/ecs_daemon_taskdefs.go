package engine

import (
	"cmp"
	"slices"
	"strconv"
	"strings"

	"github.com/ecsnet/ecsnet/internal/model"
)

// ECS Managed Daemons' daemon task definitions (RegisterDaemonTaskDefinition
// and its kin): revisions of a family, as task definitions are, at
// arn:…:daemon-task-definition/<family>:<revision> ([choice]: the API
// reference shows no ARN). DeleteDaemonTaskDefinition marks a revision
// DELETE_IN_PROGRESS; it stays so (ecsnet runs no daemons on it).

// RegisterDaemonTaskDefinitionInput is a daemon task definition to
// register (ARN, Revision, Status and the times are set by the engine).
type RegisterDaemonTaskDefinitionInput = model.DaemonTaskDefinition

func errDaemonTaskDefinitionNotFound() error {
	return errECSClient("Unable to describe daemon task definition.") // [choice]: the task definition's text
}

// RegisterDaemonTaskDefinition registers the next revision of a daemon
// task definition family.
func (e *Engine) RegisterDaemonTaskDefinition(in RegisterDaemonTaskDefinitionInput) (*model.DaemonTaskDefinition, error) {
	if in.Family == "" {
		return nil, errECSClient("Family can not be blank.")
	}
	if !ecsNameRE.MatchString(in.Family) {
		return nil, errECSClient("Family contains invalid characters. Up to 255 letters (uppercase and lowercase), numbers, hyphens, and underscores are allowed.")
	}
	if len(in.Containers) == 0 {
		return nil, errECSClient("Container list cannot be empty.")
	}
	names := map[string]bool{}
	for _, c := range in.Containers {
		if c.Name == "" {
			return nil, errECSClient("Container.name should not be null or empty.") // probable
		}
		if !ecsNameRE.MatchString(c.Name) {
			return nil, errECSClient("Container.name contains invalid characters.") // probable
		}
		if names[c.Name] {
			return nil, errECSClient("Duplicate container name %s.", c.Name) // probable
		}
		names[c.Name] = true
		if c.Image == "" {
			return nil, errECSClient("Container.image should not be null or empty.") // probable
		}
	}
	vols := map[string]bool{}
	for _, v := range in.Volumes {
		if v.Name == "" || !ecsNameRE.MatchString(v.Name) {
			return nil, errECSClient("Volume name contains invalid characters. Up to 255 letters (uppercase and lowercase), numbers, hyphens, and underscores are allowed.") // probable
		}
		if vols[v.Name] {
			return nil, errECSClient("Duplicate volume name %s.", v.Name) // probable
		}
		vols[v.Name] = true
	}
	for _, s := range []struct{ name, v string }{{"cpu", in.CPU}, {"memory", in.Memory}} {
		if s.v == "" {
			continue
		}
		if n, err := strconv.Atoi(s.v); err != nil || n <= 0 {
			return nil, errECSClient("Invalid %s value %s: it must be a positive integer.", s.name, s.v) // probable
		}
	}
	var out *model.DaemonTaskDefinition
	err := e.write(func(t *txn) error {
		td := in
		td.Containers, td.Volumes, td.Tags = slices.Clone(in.Containers), slices.Clone(in.Volumes), in.Tags.Clone()
		for _, old := range t.st.DaemonTaskDefinitions {
			if old.Family == td.Family && old.Revision > td.Revision {
				td.Revision = old.Revision
			}
		}
		td.Revision++
		td.ARN = t.e.ecsARN("daemon-task-definition/" + td.Family + ":" + strconv.Itoa(td.Revision))
		td.Status, td.RegisteredAt, td.RegisteredBy = "ACTIVE", t.now, t.e.cfg.iamARN("root")
		put(t, model.KindDaemonTaskDef, t.st.DaemonTaskDefinitions, td.ARN, &td)
		out = &td
		return nil
	})
	return out, err
}

// daemonTaskDefinition resolves "family" (its latest ACTIVE revision),
// "family:revision" or an ARN.
func (e *Engine) daemonTaskDefinition(st *model.State, ref string) (*model.DaemonTaskDefinition, error) {
	return resolveRevision(e, st.DaemonTaskDefinitions, "daemon-task-definition", ref, errDaemonTaskDefinitionNotFound)
}

// DaemonTaskDefinition resolves a daemon task definition reference
// (DescribeDaemonTaskDefinition).
func (e *Engine) DaemonTaskDefinition(ref string) (*model.DaemonTaskDefinition, error) {
	var td *model.DaemonTaskDefinition
	var err error
	e.Read(func(st *model.State) { td, err = e.daemonTaskDefinition(st, ref) })
	return td, err
}

// DaemonTaskDefinitionFilter is ListDaemonTaskDefinitions' filter: a
// family prefix or exact family, LastRegistered (the newest revision of
// each family), Status (ACTIVE by default, DELETE_IN_PROGRESS or ALL)
// and Descending order.
type DaemonTaskDefinitionFilter struct {
	FamilyPrefix, Family string
	LastRegistered       bool
	Status               string
	Descending           bool
}

// ListDaemonTaskDefinitions lists daemon task definitions by family and
// revision.
func (e *Engine) ListDaemonTaskDefinitions(f DaemonTaskDefinitionFilter) ([]*model.DaemonTaskDefinition, error) {
	status := cmp.Or(f.Status, "ACTIVE")
	switch status {
	case "ACTIVE", "DELETE_IN_PROGRESS", "ALL":
	default:
		return nil, errECSInvalid("status should be one of [ACTIVE,DELETE_IN_PROGRESS,ALL]") // probable
	}
	var out []*model.DaemonTaskDefinition
	e.Read(func(st *model.State) {
		newest := map[string]int{}
		for _, td := range st.DaemonTaskDefinitions {
			newest[td.Family] = max(newest[td.Family], td.Revision)
		}
		for _, td := range st.DaemonTaskDefinitions {
			if !strings.HasPrefix(td.Family, f.FamilyPrefix) || f.Family != "" && td.Family != f.Family ||
				status != "ALL" && td.Status != status || f.LastRegistered && td.Revision != newest[td.Family] {
				continue
			}
			out = append(out, td)
		}
	})
	slices.SortFunc(out, func(a, b *model.DaemonTaskDefinition) int {
		c := cmp.Or(strings.Compare(a.Family, b.Family), cmp.Compare(a.Revision, b.Revision))
		if f.Descending {
			return -c
		}
		return c
	})
	return out, nil
}

// DeleteDaemonTaskDefinition marks an ACTIVE revision ("family:revision"
// or an ARN: a bare family names no revision) DELETE_IN_PROGRESS.
func (e *Engine) DeleteDaemonTaskDefinition(ref string) (*model.DaemonTaskDefinition, error) {
	if !strings.HasPrefix(ref, "arn:") && !strings.Contains(ref, ":") {
		return nil, errECSClient("The specified daemon task definition identifier is invalid. Specify a valid name or ARN and try again.") // probable
	}
	var out *model.DaemonTaskDefinition
	err := e.write(func(t *txn) error {
		td, err := t.e.daemonTaskDefinition(t.st, ref)
		if err != nil {
			return err
		}
		if td.Status != "ACTIVE" {
			return errECSClient("The daemon task definition %s is not ACTIVE: it is %s.", td.ARN, td.Status) // [choice]
		}
		c := *td
		c.Status, c.DeleteRequestedAt = "DELETE_IN_PROGRESS", t.now
		put(t, model.KindDaemonTaskDef, t.st.DaemonTaskDefinitions, c.ARN, &c)
		out = &c
		return nil
	})
	return out, err
}
