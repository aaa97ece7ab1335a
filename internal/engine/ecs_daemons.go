package engine

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ecsnet/ecsnet/internal/apierr"
	"github.com/ecsnet/ecsnet/internal/model"
)

// ECS Managed Daemons (CreateDaemon and its kin): a daemon of a cluster
// runs its daemon task definition on every container instance of the
// Managed Instances capacity providers it names ("ECS Managed Daemons is
// only supported for Amazon ECS Managed Instances Capacity Providers",
// API_CreateDaemon). CreateDaemon, UpdateDaemon and DeleteDaemon each
// make a deployment (PENDING, then IN_PROGRESS, then SUCCESSFUL after the
// configuration's bake time); CreateDaemon and UpdateDaemon also make an
// immutable revision. ARNs are daemon/<cluster>/<name>,
// daemon-revision/<cluster>/<name>/<number> and
// daemon-deployment/<cluster>/<name>/<id> (the API reference's examples).

func errDaemonNotFound() error {
	return apierr.New("DaemonNotFoundException", "The specified daemon wasn't found.") // [choice]: the exception's documentation
}

func errDaemonNotActive(arn string) error {
	return apierr.Newf("DaemonNotActiveException", "The daemon %s is not ACTIVE.", arn) // [choice]
}

// DaemonInput is CreateDaemon's and UpdateDaemon's input.
type DaemonInput struct {
	// Name and Cluster name a new daemon (CreateDaemon); ARN an existing
	// one (UpdateDaemon).
	Name, Cluster, ARN string
	TaskDefinition     string
	CapacityProviders  []string
	Deployment         model.DaemonDeploymentConfig
	PropagateTags      string
	ECSManagedTags     bool
	ExecuteCommand     bool
	Tags               model.Tags
	// DrainPercentUnset: the configuration gives no drainPercent.
	DrainPercentUnset bool
	// ClientToken makes CreateDaemon idempotent ("": not).
	ClientToken string
}

// digest is a digest of a CreateDaemon request less its client token:
// two requests with the same digest ask for the same daemon (fmt prints
// the tags' map in key order).
func (in DaemonInput) digest() string {
	in.ClientToken = ""
	sum := sha256.Sum256([]byte(fmt.Sprintf("%#v", in)))
	return hex.EncodeToString(sum[:])
}

// checkClientToken checks a clientToken: "Up to 36 ASCII characters in the
// range of 33-126 (inclusive) are allowed" (CreateDaemonRequest.clientToken).
func checkClientToken(token string) error {
	if len(token) > 36 {
		return errECSInvalid("clientToken can have at most 36 characters.") // [choice]
	}
	for i := 0; i < len(token); i++ {
		if token[i] < 33 || token[i] > 126 {
			return errECSInvalid("clientToken can contain only ASCII characters in the range 33-126.") // [choice]
		}
	}
	return nil
}

// defaultDaemonDrainPercent is the drain percentage of a daemon whose
// deployment configuration gives none ("Drain percentage … Default: 25",
// managed-daemons-create-manage).
const defaultDaemonDrainPercent = 25

// checkDaemonInput resolves the daemon task definition (ACTIVE) and the
// capacity providers (Managed Instances providers of cluster c) of in.
func (t *txn) checkDaemonInput(c *model.Cluster, in DaemonInput) (*model.DaemonTaskDefinition, []string, error) {
	switch in.PropagateTags {
	case "", "DAEMON", "NONE":
	default:
		return nil, nil, errECSInvalid("propagateTags should be one of [DAEMON,NONE]")
	}
	if in.Deployment.BakeTimeInMinutes < 0 {
		return nil, nil, errECSInvalid("bakeTimeInMinutes must be greater than or equal to 0.") // [choice]
	}
	td, err := t.e.daemonTaskDefinition(t.st, in.TaskDefinition)
	if err != nil {
		return nil, nil, err
	}
	if td.Status != "ACTIVE" {
		return nil, nil, errECSClient("The daemon task definition %s is not ACTIVE: it is %s.", td.ARN, td.Status) // [choice]
	}
	if len(in.CapacityProviders) == 0 {
		return nil, nil, errECSInvalid("capacityProviderArns can not be empty.") // [choice]
	}
	var arns []string
	for _, ref := range in.CapacityProviders {
		cp := t.capacityProvider(ref)
		if cp == nil || cp.Status != "ACTIVE" {
			return nil, nil, errECSInvalid("The specified capacity provider %s was not found. Specify a valid capacity provider and try again.", ref) // probable
		}
		if cp.ManagedInstances == nil {
			return nil, nil, errECSInvalid("ECS Managed Daemons is only supported for Amazon ECS Managed Instances Capacity Providers. The capacity provider %s is not one.", cp.Name)
		}
		if cp.ClusterARN != c.ARN {
			return nil, nil, errECSInvalid("The capacity provider %s is not associated with the cluster %s.", cp.Name, c.ARN) // [choice]
		}
		if !slices.Contains(arns, cp.ARN) {
			arns = append(arns, cp.ARN)
		}
	}
	return td, arns, nil
}

// newDaemonRevision stores the revision in makes of daemon d.
func (t *txn) newDaemonRevision(d *model.Daemon, td *model.DaemonTaskDefinition, cps []string, in DaemonInput) *model.DaemonRevision {
	r := &model.DaemonRevision{DaemonARN: d.ARN, ClusterARN: d.ClusterARN, TaskDefinitionARN: td.ARN, CapacityProviderARNs: cps,
		PropagateTags: cmp.Or(in.PropagateTags, "NONE"), ECSManagedTags: in.ECSManagedTags, ExecuteCommand: in.ExecuteCommand, CreatedAt: t.now}
	for _, c := range td.Containers {
		r.Images = append(r.Images, model.DaemonContainerImage{ContainerName: c.Name, Image: c.Image})
	}
	// A 19-digit number, as in the API reference's revision ARNs.
	r.ARN = t.e.ecsARN("daemon-revision/" + daemonPath(d) + "/" + strconv.FormatUint(t.e.ids.Uint64()>>1, 10))
	put(t, model.KindDaemonRevision, t.st.DaemonRevisions, r.ARN, r)
	t.daemonTwin(td)
	return r
}

// newDaemonDeployment stores a PENDING deployment of daemon d to target
// ("" to drain it), stopping the daemon's unfinished ones ([choice]: a new
// deployment supersedes them, as a service's does).
func (t *txn) newDaemonDeployment(d *model.Daemon, target string, cfg model.DaemonDeploymentConfig) *model.DaemonDeployment {
	for _, old := range sortedValues(t.st.DaemonDeployments) {
		if old.DaemonARN == d.ARN && daemonDeploymentMoving(old.Status) {
			o := *old
			o.Status, o.StatusReason, o.StoppedAt = "STOPPED", "A newer daemon deployment started.", t.now // [choice] text
			put(t, model.KindDaemonDeployment, t.st.DaemonDeployments, o.ARN, &o)
		}
	}
	dep := &model.DaemonDeployment{DaemonARN: d.ARN, ClusterARN: d.ClusterARN, Status: "PENDING", TargetRevisionARN: target, Config: cfg, CreatedAt: t.now}
	if d.RevisionARN != "" && d.RevisionARN != target {
		dep.SourceRevisionARNs = []string{d.RevisionARN}
	}
	dep.ARN = t.e.ecsARN("daemon-deployment/" + daemonPath(d) + "/" + t.e.ids.Hex(16))
	put(t, model.KindDaemonDeployment, t.st.DaemonDeployments, dep.ARN, dep)
	return dep
}

// daemonPath is <cluster name>/<daemon name>.
func daemonPath(d *model.Daemon) string {
	_, cluster, _ := strings.Cut(d.ClusterARN, ":cluster/")
	return cluster + "/" + d.Name
}

// CreateDaemon creates a daemon, its first revision and the deployment
// that places its tasks.
func (e *Engine) CreateDaemon(in DaemonInput) (*model.Daemon, error) {
	if !ecsNameRE.MatchString(in.Name) {
		return nil, errECSInvalid("Daemon name contains invalid characters. Up to 255 letters (uppercase and lowercase), numbers, underscores, and hyphens are allowed.") // probable
	}
	if err := checkClientToken(in.ClientToken); err != nil {
		return nil, err
	}
	digest := in.digest()
	var out *model.Daemon
	err := e.write(func(t *txn) error {
		c, err := t.cluster(in.Cluster)
		if err != nil {
			return err
		}
		// A retry with the clientToken of a daemon of the cluster answers
		// that daemon when it asks for the same; another request with
		// the token is refused ([choice] text: ECS publishes none).
		if in.ClientToken != "" {
			for _, d := range sortedValues(t.st.Daemons) {
				if d.ClusterARN != c.ARN || d.ClientToken != in.ClientToken {
					continue
				}
				if d.RequestDigest != digest {
					return errECSInvalid("The client token %s was already used with a different request.", in.ClientToken)
				}
				out = d
				return nil
			}
		}
		td, cps, err := t.checkDaemonInput(c, in)
		if err != nil {
			return err
		}
		d := &model.Daemon{Name: in.Name, ClusterARN: c.ARN, Status: "ACTIVE", CreatedAt: t.now, UpdatedAt: t.now, Tags: in.Tags.Clone(),
			ClientToken: in.ClientToken, RequestDigest: digest}
		d.ARN = t.e.ecsARN("daemon/" + daemonPath(d))
		if old := t.st.Daemons[d.ARN]; old != nil {
			return errECSInvalid("Creation of daemon was not idempotent.") // [choice]: CreateService's text
		}
		cfg := in.Deployment
		if in.DrainPercentUnset {
			cfg.DrainPercent = defaultDaemonDrainPercent
		}
		d.RevisionARN = t.newDaemonRevision(d, td, cps, in).ARN
		d.DeploymentARN = t.newDaemonDeployment(d, d.RevisionARN, cfg).ARN
		put(t, model.KindDaemon, t.st.Daemons, d.ARN, d)
		out = d
		return nil
	})
	return out, err
}

// activeDaemon returns the daemon arn names, ACTIVE.
func (t *txn) activeDaemon(arn string) (*model.Daemon, error) {
	d := t.st.Daemons[arn]
	if d == nil {
		return nil, errDaemonNotFound()
	}
	if d.Status != "ACTIVE" {
		return nil, errDaemonNotActive(arn)
	}
	return d, nil
}

// UpdateDaemon makes a new revision of an ACTIVE daemon and a deployment
// to it.
func (e *Engine) UpdateDaemon(in DaemonInput) (*model.Daemon, *model.DaemonDeployment, error) {
	var out *model.Daemon
	var dep *model.DaemonDeployment
	err := e.write(func(t *txn) error {
		d, err := t.activeDaemon(in.ARN)
		if err != nil {
			return err
		}
		td, cps, err := t.checkDaemonInput(t.st.Clusters[d.ClusterARN], in)
		if err != nil {
			return err
		}
		cfg := in.Deployment
		if in.DrainPercentUnset {
			cfg.DrainPercent = defaultDaemonDrainPercent
		}
		nd := *d
		nd.RevisionARN = t.newDaemonRevision(&nd, td, cps, in).ARN
		dep = t.newDaemonDeployment(d, nd.RevisionARN, cfg)
		nd.DeploymentARN, nd.UpdatedAt = dep.ARN, t.now
		put(t, model.KindDaemon, t.st.Daemons, nd.ARN, &nd)
		out = &nd
		return nil
	})
	return out, dep, err
}

// DeleteDaemon marks an ACTIVE daemon DELETE_IN_PROGRESS and makes the
// deployment that drains its tasks; the daemon is gone when it is done.
func (e *Engine) DeleteDaemon(arn string) (*model.Daemon, error) {
	var out *model.Daemon
	err := e.write(func(t *txn) error {
		d, err := t.activeDaemon(arn)
		if err != nil {
			return err
		}
		cfg := model.DaemonDeploymentConfig{DrainPercent: defaultDaemonDrainPercent}
		if last := t.st.DaemonDeployments[d.DeploymentARN]; last != nil {
			cfg = last.Config
		}
		dep := t.newDaemonDeployment(d, "", cfg)
		nd := *d
		nd.Status, nd.DeploymentARN, nd.UpdatedAt = "DELETE_IN_PROGRESS", dep.ARN, t.now
		put(t, model.KindDaemon, t.st.Daemons, nd.ARN, &nd)
		out = &nd
		return nil
	})
	return out, err
}

// Daemon returns the daemon arn names (DescribeDaemon).
func (e *Engine) Daemon(arn string) (*model.Daemon, error) {
	var d *model.Daemon
	e.Read(func(st *model.State) { d = st.Daemons[arn] })
	if d == nil {
		return nil, errDaemonNotFound()
	}
	return d, nil
}

// DaemonFilter is ListDaemons' filter: a cluster ("": every cluster) and
// capacity providers (a daemon of any of them).
type DaemonFilter struct {
	Cluster           string
	CapacityProviders []string
}

// ListDaemons lists daemons by ARN.
func (e *Engine) ListDaemons(f DaemonFilter) ([]*model.Daemon, error) {
	var out []*model.Daemon
	var err error
	e.Read(func(st *model.State) {
		cluster := ""
		if f.Cluster != "" {
			cluster = e.clusterARN(f.Cluster)
			if c := st.Clusters[cluster]; c == nil || c.Status != "ACTIVE" {
				err = errClusterNotFound()
				return
			}
		}
		cps := make([]string, len(f.CapacityProviders))
		for i, ref := range f.CapacityProviders {
			cps[i] = ref
			if !strings.HasPrefix(ref, "arn:") {
				cps[i] = e.ecsARN("capacity-provider/" + ref)
			}
		}
		for _, d := range st.Daemons {
			if cluster != "" && d.ClusterARN != cluster {
				continue
			}
			if r := st.DaemonRevisions[d.RevisionARN]; len(cps) > 0 && (r == nil || !slices.ContainsFunc(cps, func(a string) bool { return slices.Contains(r.CapacityProviderARNs, a) })) {
				continue
			}
			out = append(out, d)
		}
	})
	slices.SortFunc(out, func(a, b *model.Daemon) int { return strings.Compare(a.ARN, b.ARN) })
	return out, err
}

// DaemonRunning counts, per capacity provider of the daemon's revision,
// the daemon's RUNNING tasks of that revision.
func (e *Engine) DaemonRunning(d *model.Daemon) (*model.DaemonRevision, map[string]int) {
	var rev *model.DaemonRevision
	counts := map[string]int{}
	e.Read(func(st *model.State) {
		if rev = st.DaemonRevisions[d.RevisionARN]; rev == nil {
			return
		}
		byName := map[string]string{}
		for _, cp := range rev.CapacityProviderARNs {
			if p := st.CapacityProviders[cp]; p != nil {
				byName[p.Name] = cp
			}
		}
		group := daemonGroup(d.Name)
		for _, ci := range st.ContainerInstances {
			arn, ok := byName[ci.CapacityProvider]
			u := e.idx.hosts[ci.ARN]
			if !ok || ci.ClusterARN != rev.ClusterARN || u == nil || u.groups[group] == 0 {
				continue
			}
			for tk := range u.arns {
				if x := st.Tasks[tk]; x != nil && x.Group == group && x.TaskDefinitionARN == rev.TaskDefinitionARN && x.LastStatus == model.TaskRunning {
					counts[arn]++
				}
			}
		}
	})
	return rev, counts
}

// DaemonInstances returns a daemon revision and the ACTIVE container
// instances of its cluster on each of its capacity providers.
func (e *Engine) DaemonInstances(revARN string) (*model.DaemonRevision, map[string]int) {
	var rev *model.DaemonRevision
	counts := map[string]int{}
	e.Read(func(st *model.State) {
		rev = st.DaemonRevisions[revARN]
		if rev == nil {
			return
		}
		byName := map[string]string{}
		for _, cp := range rev.CapacityProviderARNs {
			if p := st.CapacityProviders[cp]; p != nil {
				byName[p.Name] = cp
			}
		}
		for _, ci := range st.ContainerInstances {
			if arn, ok := byName[ci.CapacityProvider]; ok && ci.ClusterARN == rev.ClusterARN && ci.Status == "ACTIVE" {
				counts[arn]++
			}
		}
	})
	return rev, counts
}

// DaemonDeployments returns the deployments arns name, and the ARNs of
// those that do not exist.
func (e *Engine) DaemonDeployments(arns []string) (found []*model.DaemonDeployment, missing []string) {
	e.Read(func(st *model.State) {
		for _, a := range arns {
			if d := st.DaemonDeployments[a]; d != nil {
				found = append(found, d)
			} else {
				missing = append(missing, a)
			}
		}
	})
	return found, missing
}

// DaemonRevisions returns the revisions arns name, and the ARNs of those
// that do not exist.
func (e *Engine) DaemonRevisions(arns []string) (found []*model.DaemonRevision, missing []string) {
	e.Read(func(st *model.State) {
		for _, a := range arns {
			if r := st.DaemonRevisions[a]; r != nil {
				found = append(found, r)
			} else {
				missing = append(missing, a)
			}
		}
	})
	return found, missing
}

// DaemonDeploymentFilter is ListDaemonDeployments' filter: statuses (any
// of them; none: all) and a creation window (zero: open).
type DaemonDeploymentFilter struct {
	Daemon                      string
	Statuses                    []string
	CreatedBefore, CreatedAfter time.Time
}

// ListDaemonDeployments lists a daemon's deployments, newest first
// ([choice], as ListServiceDeployments orders them).
func (e *Engine) ListDaemonDeployments(f DaemonDeploymentFilter) ([]*model.DaemonDeployment, error) {
	var out []*model.DaemonDeployment
	var err error
	e.Read(func(st *model.State) {
		if st.Daemons[f.Daemon] == nil {
			err = errDaemonNotFound()
			return
		}
		for _, d := range st.DaemonDeployments {
			if d.DaemonARN != f.Daemon || len(f.Statuses) > 0 && !slices.Contains(f.Statuses, d.Status) ||
				!f.CreatedBefore.IsZero() && !d.CreatedAt.Before(f.CreatedBefore) || !f.CreatedAfter.IsZero() && !d.CreatedAt.After(f.CreatedAfter) {
				continue
			}
			out = append(out, d)
		}
	})
	slices.SortFunc(out, func(a, b *model.DaemonDeployment) int {
		return cmp.Or(b.CreatedAt.Compare(a.CreatedAt), strings.Compare(a.ARN, b.ARN))
	})
	return out, err
}

// daemonDeploymentMoving reports whether a daemon deployment of status
// s is still at work (PENDING, IN_PROGRESS or ROLLBACK_IN_PROGRESS).
func daemonDeploymentMoving(s string) bool {
	return s == "PENDING" || s == "IN_PROGRESS" || s == "ROLLBACK_IN_PROGRESS"
}

// stepDaemonDeployments moves daemon deployments on: PENDING to
// IN_PROGRESS, IN_PROGRESS to SUCCESSFUL once the bake time has passed,
// ROLLBACK_IN_PROGRESS to ROLLBACK_SUCCESSFUL once the revision rolled
// back to runs everywhere; a deleted daemon is gone once its draining
// deployment has succeeded.
func (t *txn) stepDaemonDeployments() {
	if len(t.st.DaemonDeployments) == 0 {
		return
	}
	var moving []*model.DaemonDeployment
	for _, d := range t.st.DaemonDeployments {
		if daemonDeploymentMoving(d.Status) {
			moving = append(moving, d)
		}
	}
	slices.SortFunc(moving, func(a, b *model.DaemonDeployment) int { return strings.Compare(a.ARN, b.ARN) })
	for _, d := range moving {
		nd := *d
		switch {
		case d.Status == "PENDING":
			nd.Status, nd.StartedAt = "IN_PROGRESS", t.now
		case d.Status == "ROLLBACK_IN_PROGRESS" && t.daemonSettled(d):
			nd.Status, nd.FinishedAt = "ROLLBACK_SUCCESSFUL", t.now
		case d.Status == "IN_PROGRESS" && t.due(d.StartedAt.Add(time.Duration(d.Config.BakeTimeInMinutes)*time.Minute)) && t.daemonSettled(d):
			nd.Status, nd.FinishedAt = "SUCCESSFUL", t.now
			if dm := t.st.Daemons[d.DaemonARN]; dm != nil && dm.Status == "DELETE_IN_PROGRESS" && dm.DeploymentARN == d.ARN {
				del(t, model.KindDaemon, t.st.Daemons, dm.ARN)
			}
		default:
			continue
		}
		put(t, model.KindDaemonDeployment, t.st.DaemonDeployments, nd.ARN, &nd)
	}
}
