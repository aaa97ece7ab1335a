package snapshot

import (
	"cmp"
	"slices"
	"strings"

	"github.com/ecsnet/ecsnet/internal/model"
)

// ECS Managed Daemons (round thirty-four): ecs describe-daemon (every
// daemon ListDaemons lists, merged under "daemons"),
// describe-daemon-revisions and describe-daemon-deployments (every
// deployment ListDaemonDeployments lists per daemon). A daemon reserves
// CPU and memory on the Managed Instances instances of its revision's
// capacity providers and places one task on each (engine.placingDaemons):
// without them a snapshot's engine neither reserves nor keeps the daemon
// tasks the snapshot holds.
//
// The API answers some things only in one place, which the reader puts
// together: a revision's capacity providers are in DescribeDaemon's
// currentRevisions and in a deployment's target, source and rollback
// revisions (DescribeDaemonRevisions does not name them); a deployment's
// daemon is its revision's daemonArn (DescribeDaemonDeployments does not
// name it), else the ARN's own path; a daemon's name is its ARN's last
// segment.

// daemonData is what a region's files hold of ECS Managed Daemons.
type daemonData struct {
	daemons     []item[ecsDaemon]
	revisions   []item[ecsDaemonRevision]
	deployments []item[ecsDaemonDeployment]
}

func (d *daemonData) merge(o *daemonData) {
	d.daemons = append(d.daemons, o.daemons...)
	d.revisions = append(d.revisions, o.revisions...)
	d.deployments = append(d.deployments, o.deployments...)
}

// ecsDaemon is describe-daemon's daemon (DaemonDetail).
type ecsDaemon struct {
	DaemonArn        string                 `json:"daemonArn"`
	ClusterArn       string                 `json:"clusterArn,omitempty"`
	Status           string                 `json:"status,omitempty"`
	CurrentRevisions []ecsDaemonRevisionRef `json:"currentRevisions"`
	DeploymentArn    string                 `json:"deploymentArn,omitempty"`
	CreatedAt        awsTime                `json:"createdAt"`
	UpdatedAt        awsTime                `json:"updatedAt"`
}

// ecsDaemonRevisionRef is a revision as a daemon or a deployment names
// it: its ARN and capacity providers (DaemonRevisionDetail and
// DaemonDeploymentRevisionDetail; the counts are not read).
type ecsDaemonRevisionRef struct {
	Arn               string                 `json:"arn"`
	CapacityProviders []ecsDaemonProviderRef `json:"capacityProviders"`
}

type ecsDaemonProviderRef struct {
	Arn string `json:"arn"`
}

// ecsDaemonRevision is describe-daemon-revisions' revision.
type ecsDaemonRevision struct {
	DaemonRevisionArn       string           `json:"daemonRevisionArn"`
	ClusterArn              string           `json:"clusterArn,omitempty"`
	DaemonArn               string           `json:"daemonArn,omitempty"`
	DaemonTaskDefinitionArn string           `json:"daemonTaskDefinitionArn,omitempty"`
	CreatedAt               awsTime          `json:"createdAt"`
	ContainerImages         []ecsDaemonImage `json:"containerImages"`
	PropagateTags           string           `json:"propagateTags,omitempty"`
	EnableECSManagedTags    bool             `json:"enableECSManagedTags"`
	EnableExecuteCommand    bool             `json:"enableExecuteCommand"`
}

type ecsDaemonImage struct {
	ContainerName string `json:"containerName"`
	Image         string `json:"image"`
	ImageDigest   string `json:"imageDigest,omitempty"`
}

// ecsDaemonDeployment is describe-daemon-deployments' deployment (and
// list-daemon-deployments' summary, which names the daemon and the
// target revision's ARN only).
type ecsDaemonDeployment struct {
	DaemonDeploymentArn     string                 `json:"daemonDeploymentArn"`
	DaemonArn               string                 `json:"daemonArn,omitempty"`
	ClusterArn              string                 `json:"clusterArn,omitempty"`
	Status                  string                 `json:"status,omitempty"`
	StatusReason            string                 `json:"statusReason,omitempty"`
	TargetDaemonRevisionArn string                 `json:"targetDaemonRevisionArn,omitempty"`
	TargetDaemonRevision    *ecsDaemonRevisionRef  `json:"targetDaemonRevision,omitempty"`
	SourceDaemonRevisions   []ecsDaemonRevisionRef `json:"sourceDaemonRevisions"`
	CircuitBreaker          *ecsDaemonBreaker      `json:"circuitBreaker,omitempty"`
	Rollback                *ecsDaemonRollback     `json:"rollback,omitempty"`
	DeploymentConfiguration *ecsDaemonDeployConfig `json:"deploymentConfiguration,omitempty"`
	CreatedAt               awsTime                `json:"createdAt"`
	StartedAt               awsTime                `json:"startedAt"`
	StoppedAt               awsTime                `json:"stoppedAt"`
	FinishedAt              awsTime                `json:"finishedAt"`
}

type ecsDaemonBreaker struct {
	FailureCount flexInt `json:"failureCount"`
	Status       string  `json:"status,omitempty"`
	Threshold    flexInt `json:"threshold,omitzero"`
}

type ecsDaemonRollback struct {
	Reason                          string   `json:"reason,omitempty"`
	StartedAt                       awsTime  `json:"startedAt"`
	RollbackTargetDaemonRevisionArn string   `json:"rollbackTargetDaemonRevisionArn,omitempty"`
	RollbackCapacityProviders       []string `json:"rollbackCapacityProviders"`
}

type ecsDaemonDeployConfig struct {
	DrainPercent      float64 `json:"drainPercent"`
	BakeTimeInMinutes flexInt `json:"bakeTimeInMinutes"`
	Alarms            *struct {
		AlarmNames []string `json:"alarmNames"`
		Enable     bool     `json:"enable"`
	} `json:"alarms,omitempty"`
}

// dispatchDaemons files away a daemon output's top-level member; handled
// is false for a key that is not one.
func (rd *regionData) dispatchDaemons(f *fileInfo, data []byte, m member) (ok, handled bool) {
	d := &rd.daemons
	switch m.key {
	case "daemons":
		return decodeList(rd, f, data, m, &d.daemons), true
	case "daemon":
		_, valid := appendOne(rd, f, data, m, &d.daemons, pos{f, m.val.start})
		return valid, true
	case "daemonRevisions":
		return decodeList(rd, f, data, m, &d.revisions), true
	case "daemonDeployments":
		return decodeList(rd, f, data, m, &d.deployments), true
	}
	return false, false
}

// daemonOfDeployment is the daemon ARN a deployment ARN names:
// arn:…:daemon-deployment/<cluster>/<daemon>/<id> → arn:…:daemon/<cluster>/<daemon>.
func daemonOfDeployment(arn string) string {
	head, path, ok := strings.Cut(arn, ":daemon-deployment/")
	if !ok {
		return ""
	}
	i := strings.LastIndexByte(path, '/')
	if i <= 0 {
		return ""
	}
	return head + ":daemon/" + path[:i]
}

// daemons builds the daemons, their revisions and deployments.
func (b *builder) daemons() {
	d := &b.rd.daemons
	if len(d.daemons)+len(d.revisions)+len(d.deployments) == 0 {
		return
	}
	// Every revision's capacity providers, wherever the outputs name them.
	providers := map[string][]string{}
	learn := func(r *ecsDaemonRevisionRef) {
		if r == nil || r.Arn == "" || providers[r.Arn] != nil {
			return
		}
		var arns []string
		for _, cp := range r.CapacityProviders {
			if cp.Arn != "" {
				arns = append(arns, cp.Arn)
			}
		}
		if len(arns) > 0 {
			providers[r.Arn] = arns
		}
	}
	for _, it := range d.daemons {
		for i := range it.v.CurrentRevisions {
			learn(&it.v.CurrentRevisions[i])
		}
	}
	for _, it := range d.deployments {
		learn(it.v.TargetDaemonRevision)
		for i := range it.v.SourceDaemonRevisions {
			learn(&it.v.SourceDaemonRevisions[i])
		}
		if r := it.v.Rollback; r != nil && r.RollbackTargetDaemonRevisionArn != "" && providers[r.RollbackTargetDaemonRevisionArn] == nil && len(r.RollbackCapacityProviders) > 0 {
			providers[r.RollbackTargetDaemonRevisionArn] = slices.Clone(r.RollbackCapacityProviders)
		}
	}
	for _, it := range d.revisions {
		r := it.v
		if r.DaemonRevisionArn == "" {
			continue
		}
		rev := &model.DaemonRevision{ARN: r.DaemonRevisionArn, DaemonARN: r.DaemonArn, ClusterARN: r.ClusterArn, TaskDefinitionARN: r.DaemonTaskDefinitionArn,
			CapacityProviderARNs: providers[r.DaemonRevisionArn], PropagateTags: cmp.Or(r.PropagateTags, "NONE"), ECSManagedTags: r.EnableECSManagedTags,
			ExecuteCommand: r.EnableExecuteCommand, CreatedAt: r.CreatedAt.Time}
		for _, im := range r.ContainerImages {
			rev.Images = append(rev.Images, model.DaemonContainerImage{ContainerName: im.ContainerName, Image: im.Image})
		}
		if rev.TaskDefinitionARN != "" && b.st.DaemonTaskDefinitions[rev.TaskDefinitionARN] == nil {
			b.rd.warn(it.at.warning(CodeDangling, rev.ARN, "daemon revision "+rev.ARN+" runs daemon task definition "+rev.TaskDefinitionARN+
				", which the snapshot does not hold (ecs describe-daemon-task-definition): its daemon places no task"))
		}
		b.st.DaemonRevisions[rev.ARN] = rev
	}
	for _, it := range d.deployments {
		x := it.v
		if x.DaemonDeploymentArn == "" {
			continue
		}
		dep := &model.DaemonDeployment{ARN: x.DaemonDeploymentArn, DaemonARN: x.DaemonArn, ClusterARN: x.ClusterArn, Status: x.Status, StatusReason: x.StatusReason,
			TargetRevisionARN: x.TargetDaemonRevisionArn, CreatedAt: x.CreatedAt.Time, StartedAt: x.StartedAt.Time, StoppedAt: x.StoppedAt.Time, FinishedAt: x.FinishedAt.Time}
		if x.TargetDaemonRevision != nil && x.TargetDaemonRevision.Arn != "" {
			dep.TargetRevisionARN = x.TargetDaemonRevision.Arn
		}
		for _, s := range x.SourceDaemonRevisions {
			if s.Arn != "" {
				dep.SourceRevisionARNs = append(dep.SourceRevisionARNs, s.Arn)
			}
		}
		if dep.DaemonARN == "" {
			if rev := b.st.DaemonRevisions[dep.TargetRevisionARN]; rev != nil {
				dep.DaemonARN = rev.DaemonARN
			} else {
				dep.DaemonARN = daemonOfDeployment(dep.ARN)
			}
		}
		if c := x.CircuitBreaker; c != nil {
			dep.FailureCount = int(c.FailureCount.V)
		}
		if c := x.DeploymentConfiguration; c != nil {
			dep.Config = model.DaemonDeploymentConfig{DrainPercent: c.DrainPercent, BakeTimeInMinutes: int(c.BakeTimeInMinutes.V)}
			if c.Alarms != nil {
				dep.Config.AlarmNames, dep.Config.AlarmsEnabled = c.Alarms.AlarmNames, c.Alarms.Enable
			}
		}
		if r := x.Rollback; r != nil {
			dep.Rollback = &model.DaemonRollback{Reason: r.Reason, StartedAt: r.StartedAt.Time, TargetRevisionARN: r.RollbackTargetDaemonRevisionArn,
				CapacityProviderARNs: r.RollbackCapacityProviders}
		}
		if b.st.DaemonDeployments[dep.ARN] != nil && x.DeploymentConfiguration == nil {
			continue // a list summary adds nothing to the description
		}
		b.st.DaemonDeployments[dep.ARN] = dep
	}
	for _, it := range d.daemons {
		x := it.v
		if x.DaemonArn == "" {
			continue
		}
		dm := &model.Daemon{ARN: x.DaemonArn, Name: model.LastSegment(x.DaemonArn), ClusterARN: x.ClusterArn, Status: cmp.Or(x.Status, "ACTIVE"),
			DeploymentARN: x.DeploymentArn, CreatedAt: x.CreatedAt.Time, UpdatedAt: x.UpdatedAt.Time}
		dm.RevisionARN = b.daemonRevision(x)
		// A daemon is only as known as its revision (its task definition
		// and capacity providers): without it, it is skipped.
		if dm.RevisionARN == "" {
			b.rd.warn(it.at.warning(CodeDangling, dm.ARN, "daemon "+dm.ARN+" skipped: the snapshot does not say which revision it runs "+
				"(no currentRevisions, and its deployment is not in ecs describe-daemon-deployments); its tasks are kept, without a daemon"))
			continue
		}
		if b.st.DaemonRevisions[dm.RevisionARN] == nil {
			b.rd.warn(it.at.warning(CodeDangling, dm.ARN, "daemon "+dm.ARN+" skipped: it runs revision "+dm.RevisionARN+
				", which the snapshot does not hold (ecs describe-daemon-revisions); its tasks are kept, without a daemon"))
			continue
		}
		if dm.DeploymentARN != "" && b.st.DaemonDeployments[dm.DeploymentARN] == nil {
			b.rd.warn(it.at.warning(CodeDangling, dm.ARN, "daemon "+dm.ARN+"'s deployment "+dm.DeploymentARN+
				" is not in the snapshot (ecs describe-daemon-deployments): the daemon places no task"))
		}
		b.st.Daemons[dm.ARN] = dm
	}
}

// daemonRevision is the revision a daemon runs: its deployment's
// rollback target once rolled back, else the deployment's target (none
// for DeleteDaemon's, which drains the revision the daemon ran), else
// the newest of its current revisions ([choice]: DescribeDaemon lists
// every revision with running tasks, the source ones too while a
// deployment replaces them).
func (b *builder) daemonRevision(x ecsDaemon) string {
	if dep := b.st.DaemonDeployments[x.DeploymentArn]; dep != nil {
		if dep.Rollback != nil && dep.Rollback.TargetRevisionARN != "" {
			return dep.Rollback.TargetRevisionARN
		}
		if dep.TargetRevisionARN != "" {
			return dep.TargetRevisionARN
		}
	}
	best := ""
	for _, r := range x.CurrentRevisions {
		if r.Arn == "" {
			continue
		}
		if best == "" {
			best = r.Arn
			continue
		}
		cur, prev := b.st.DaemonRevisions[r.Arn], b.st.DaemonRevisions[best]
		if cur != nil && (prev == nil || cur.CreatedAt.After(prev.CreatedAt)) {
			best = r.Arn
		}
	}
	return best
}

// daemonFiles adds the daemons' outputs to a snapshot's files, when the
// state has any: describe-daemon (merged under "daemons"),
// describe-daemon-revisions and describe-daemon-deployments.
func (w *writer) daemonFiles(files map[string]any) {
	st := w.st
	if len(st.Daemons)+len(st.DaemonRevisions)+len(st.DaemonDeployments) == 0 {
		return
	}
	ref := func(arn string) ecsDaemonRevisionRef {
		r := ecsDaemonRevisionRef{Arn: arn, CapacityProviders: []ecsDaemonProviderRef{}}
		if rev := st.DaemonRevisions[arn]; rev != nil {
			for _, cp := range rev.CapacityProviderARNs {
				r.CapacityProviders = append(r.CapacityProviders, ecsDaemonProviderRef{Arn: cp})
			}
		}
		return r
	}
	daemons := []ecsDaemon{}
	for _, d := range sortedValues(st.Daemons) {
		x := ecsDaemon{DaemonArn: d.ARN, ClusterArn: d.ClusterARN, Status: d.Status, CurrentRevisions: []ecsDaemonRevisionRef{}, DeploymentArn: d.DeploymentARN,
			CreatedAt: awsTime{d.CreatedAt}, UpdatedAt: awsTime{d.UpdatedAt}}
		if d.RevisionARN != "" {
			x.CurrentRevisions = append(x.CurrentRevisions, ref(d.RevisionARN))
		}
		daemons = append(daemons, x)
	}
	revisions := []ecsDaemonRevision{}
	for _, r := range sortedValues(st.DaemonRevisions) {
		x := ecsDaemonRevision{DaemonRevisionArn: r.ARN, ClusterArn: r.ClusterARN, DaemonArn: r.DaemonARN, DaemonTaskDefinitionArn: r.TaskDefinitionARN,
			CreatedAt: awsTime{r.CreatedAt}, ContainerImages: []ecsDaemonImage{}, PropagateTags: r.PropagateTags, EnableECSManagedTags: r.ECSManagedTags,
			EnableExecuteCommand: r.ExecuteCommand}
		for _, im := range r.Images {
			x.ContainerImages = append(x.ContainerImages, ecsDaemonImage{ContainerName: im.ContainerName, Image: im.Image})
		}
		revisions = append(revisions, x)
	}
	deployments := []ecsDaemonDeployment{}
	for _, d := range sortedValues(st.DaemonDeployments) {
		x := ecsDaemonDeployment{DaemonDeploymentArn: d.ARN, ClusterArn: d.ClusterARN, Status: d.Status, StatusReason: d.StatusReason,
			SourceDaemonRevisions: []ecsDaemonRevisionRef{}, CircuitBreaker: &ecsDaemonBreaker{FailureCount: intOf(int64(d.FailureCount))},
			DeploymentConfiguration: &ecsDaemonDeployConfig{DrainPercent: d.Config.DrainPercent, BakeTimeInMinutes: intOf(int64(d.Config.BakeTimeInMinutes))},
			CreatedAt:               awsTime{d.CreatedAt}, StartedAt: awsTime{d.StartedAt}, StoppedAt: awsTime{d.StoppedAt}, FinishedAt: awsTime{d.FinishedAt}}
		x.DeploymentConfiguration.Alarms = &struct {
			AlarmNames []string `json:"alarmNames"`
			Enable     bool     `json:"enable"`
		}{AlarmNames: d.Config.AlarmNames, Enable: d.Config.AlarmsEnabled}
		if d.TargetRevisionARN != "" {
			r := ref(d.TargetRevisionARN)
			x.TargetDaemonRevision = &r
		}
		for _, s := range d.SourceRevisionARNs {
			x.SourceDaemonRevisions = append(x.SourceDaemonRevisions, ref(s))
		}
		if r := d.Rollback; r != nil {
			x.Rollback = &ecsDaemonRollback{Reason: r.Reason, StartedAt: awsTime{r.StartedAt}, RollbackTargetDaemonRevisionArn: r.TargetRevisionARN,
				RollbackCapacityProviders: r.CapacityProviderARNs}
		}
		if st.DaemonRevisions[d.TargetRevisionARN] == nil || st.DaemonRevisions[d.TargetRevisionARN].DaemonARN != d.DaemonARN {
			// DescribeDaemonDeployments does not name the daemon; where
			// the target revision does not either, say it as
			// list-daemon-deployments does.
			x.DaemonArn = d.DaemonARN
		}
		deployments = append(deployments, x)
	}
	files["ecs-describe-daemon.json"] = map[string]any{"daemons": daemons}
	files["ecs-describe-daemon-revisions.json"] = map[string]any{"daemonRevisions": revisions, "failures": []any{}}
	files["ecs-describe-daemon-deployments.json"] = map[string]any{"daemonDeployments": deployments, "failures": []any{}}
}
