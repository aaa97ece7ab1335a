package ecs

import (
	"cmp"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"strings"
	"time"

	"github.com/ecsnet/ecsnet/internal/api"
	"github.com/ecsnet/ecsnet/internal/apierr"
	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

// Service deployments and revisions (ListServiceDeployments,
// DescribeServiceDeployments, DescribeServiceRevisions,
// StopServiceDeployment) are views of a service's deployments: each
// deployment (ecs-svc/<digits>) is a service revision
// (service-revision/<cluster>/<service>/<digits>: Terraform's AWS provider
// finds a deployment by those digits) and the service deployment that
// made it the target (service-deployment/<cluster>/<service>/<id>). The
// revisions a deployment replaces are the older deployments DescribeServices
// still lists. A service keeps its last 10 retired deployments.
func registerDeployments(add func(string, api.Handler)) {
	add("ListServiceDeployments", listServiceDeployments)
	add("DescribeServiceDeployments", describeServiceDeployments)
	add("DescribeServiceRevisions", describeServiceRevisions)
	add("StopServiceDeployment", stopServiceDeployment)
	add("ContinueServiceDeployment", continueServiceDeployment)
}

// deploymentRef is a deployment with its service and cluster.
type deploymentRef struct {
	svc     *model.Service
	cluster *model.Cluster
	index   int // in svc.Deployments: 0 is the newest (PRIMARY)
}

func (r deploymentRef) d() model.Deployment {
	if r.index < len(r.svc.Deployments) {
		return r.svc.Deployments[r.index]
	}
	return r.svc.PastDeployments[r.index-len(r.svc.Deployments)]
}

func digitsOf(id string) string { return id[strings.LastIndexByte(id, '/')+1:] }

// arnBase is arn:aws:ecs:<region>:<account>: of a cluster ARN.
func arnBase(clusterARN string) string { return clusterARN[:strings.Index(clusterARN, ":cluster/")+1] }

func (r deploymentRef) revisionARN() string {
	return arnBase(r.cluster.ARN) + "service-revision/" + r.cluster.Name + "/" + r.svc.Name + "/" + digitsOf(r.d().ID)
}

func (r deploymentRef) deploymentARN() string {
	sum := sha256.Sum256([]byte(r.svc.ARN + "\x00" + r.d().ID))
	return arnBase(r.cluster.ARN) + "service-deployment/" + r.cluster.Name + "/" + r.svc.Name + "/" + base64.RawURLEncoding.EncodeToString(sum[:])[:22]
}

// status maps the deployment's rollout state to a service deployment
// status: the newest in progress is IN_PROGRESS, an older one still in
// progress was superseded (STOPPED), COMPLETED is SUCCESSFUL and FAILED
// (the circuit breaker) STOPPED.
func (r deploymentRef) status() (string, string) {
	switch d := r.d(); {
	case d.RolledBack:
		return "ROLLBACK_SUCCESSFUL", d.RollbackReason
	case d.RolloutState == "COMPLETED":
		return "SUCCESSFUL", ""
	case d.RolloutState == "FAILED":
		return "STOPPED", "The service deployment failed." // probable reason text
	case r.index > 0:
		return "STOPPED", "The service deployment was superseded by a newer service deployment." // probable reason text
	default:
		return "IN_PROGRESS", ""
	}
}

// deploymentsOf lists a service's deployments, newest first.
func deploymentsOf(st *model.State, s *model.Service, known ...*model.Cluster) []deploymentRef {
	var cl *model.Cluster
	if len(known) > 0 {
		cl = known[0]
	} else {
		cl = st.Clusters[s.ClusterARN]
	}
	if cl == nil || s.UsesTaskSets() {
		return nil
	}
	out := make([]deploymentRef, len(s.Deployments)+len(s.PastDeployments))
	for i := range out {
		out[i] = deploymentRef{svc: s, cluster: cl, index: i}
	}
	return out
}

// findDeployment resolves a service deployment or revision ARN.
func findDeployment(st *model.State, arn string, revision bool) (deploymentRef, bool) {
	kind := "service-deployment/"
	if revision {
		kind = "service-revision/"
	}
	i := strings.Index(arn, ":"+kind)
	if !strings.HasPrefix(arn, "arn:") || i < 0 {
		return deploymentRef{}, false
	}
	parts := strings.Split(arn[i+1+len(kind):], "/")
	if len(parts) != 3 {
		return deploymentRef{}, false
	}
	for _, s := range st.Services {
		cl := st.Clusters[s.ClusterARN]
		if cl == nil || cl.Name != parts[0] || s.Name != parts[1] || !strings.HasPrefix(s.ARN, arn[:i]) {
			continue
		}
		for _, r := range deploymentsOf(st, s) {
			if (revision && r.revisionARN() == arn) || (!revision && r.deploymentARN() == arn) {
				return r, true
			}
		}
	}
	return deploymentRef{}, false
}

func (r deploymentRef) summary(counts map[string][2]int) map[string]any {
	d := r.d()
	c := counts[d.ID]
	return map[string]any{"arn": r.revisionARN(), "requestedTaskCount": d.DesiredCount, "runningTaskCount": c[0], "pendingTaskCount": c[1]}
}

func (r deploymentRef) out(counts map[string][2]int) map[string]any {
	d := r.d()
	status, reason := r.status()
	var sources []any
	for i := range r.svc.Deployments {
		if i > r.index {
			sources = append(sources, deploymentRef{svc: r.svc, cluster: r.cluster, index: i}.summary(counts))
		}
	}
	if sources == nil {
		sources = []any{}
	}
	out := map[string]any{
		"serviceDeploymentArn": r.deploymentARN(), "serviceArn": r.svc.ARN, "clusterArn": r.cluster.ARN,
		"createdAt": api.Time(d.CreatedAt), "startedAt": api.Time(d.CreatedAt), "updatedAt": api.Time(d.UpdatedAt),
		"sourceServiceRevisions": sources, "targetServiceRevision": r.summary(counts),
		"status": status, "statusReason": api.Str(reason),
		"deploymentConfiguration":  deploymentConfigOut(r.svc),
		"deploymentCircuitBreaker": circuitBreakerOut(r.svc, d),
	}
	if status != "IN_PROGRESS" {
		out["finishedAt"] = api.Time(d.UpdatedAt)
	}
	if d.Stage != "" {
		out["lifecycleStage"] = d.Stage
		out["lifecycleHookDetails"] = hookDetailsOut(r.svc, d)
	}
	if d.RolledBack {
		out["stoppedAt"] = api.Time(d.RollbackAt)
		out["rollback"] = map[string]any{"reason": d.RollbackReason, "startedAt": api.Time(d.RollbackAt), "serviceRevisionArn": r.rolledBackTo()}
	}
	return out
}

// rolledBackTo is the revision ARN a rolled-back deployment returned the
// service to: the newest deployment older than it.
func (r deploymentRef) rolledBackTo() any {
	d := r.d()
	for _, o := range deploymentsOf(nil, r.svc, r.cluster) {
		if od := o.d(); od.CreatedAt.Before(d.CreatedAt) && !od.RolledBack {
			return o.revisionARN()
		}
	}
	return nil
}

// hookDetailsOut lists the lifecycle hooks a blue/green deployment ran up
// to its stage: ecsnet runs no Lambda function, and a Lambda hook counts
// as SUCCEEDED ([choice], docs/aws-behavior.md); a PAUSE hook is listed
// from its run (its hookId, status, expiresAt and timeoutAction), no
// targetArn.
func hookDetailsOut(s *model.Service, d model.Deployment) []any {
	out := []any{}
	dc := engine.ServiceDeploymentConfig(s)
	reached := engine.StageIndex(d.Stage)
	for _, r := range d.Runs() {
		out = append(out, map[string]any{"hookId": r.ID, "targetType": "PAUSE", "status": r.Status,
			"expiresAt": api.Time(r.ExpiresAt), "timeoutAction": r.TimeoutAction})
	}
	for i, h := range dc.LifecycleHooks {
		if h.TargetType == "PAUSE" {
			continue
		}
		for _, st := range h.Stages {
			if engine.StageIndex(st) <= reached {
				out = append(out, map[string]any{"hookId": fmt.Sprintf("%s/%d/%s", digitsOf(d.ID), i, st), "targetType": cmp.Or(h.TargetType, "AWS_LAMBDA"),
					"targetArn": h.HookTargetARN, "status": "SUCCEEDED"})
			}
		}
	}
	return out
}

func (r deploymentRef) revisionOut(st *model.State) map[string]any {
	s, d := r.svc, r.d()
	lbs := make([]any, len(s.LoadBalancers))
	for i, lb := range s.LoadBalancers {
		lbs[i] = loadBalancersOut([]model.ServiceLoadBalancer{lb})[0]
	}
	var resolved []any
	for _, lb := range s.LoadBalancers {
		if lb.Advanced == nil {
			continue
		}
		tg := lb.TargetGroupARN
		if d.Alternate {
			tg = lb.Advanced.AlternateTargetGroupARN
		}
		resolved = append(resolved, map[string]any{"targetGroupArn": tg, "productionListenerRule": api.Str(lb.Advanced.ProductionListenerRule)})
	}
	out := map[string]any{
		"serviceRevisionArn": r.revisionARN(), "serviceArn": s.ARN, "clusterArn": r.cluster.ARN,
		"taskDefinition": d.TaskDefinitionARN, "capacityProviderStrategy": strategyOut(s.CapacityProviders),
		"launchType": api.Str(s.LaunchType), "platformVersion": api.Str(s.PlatformVersion), "loadBalancers": lbs,
		"serviceRegistries": []any{}, "networkConfiguration": networkOut(s.Network), "containerImages": containerImagesOut(st.TaskDefinitions[d.TaskDefinitionARN]),
		"guardDutyEnabled": false, "createdAt": api.Time(d.CreatedAt),
	}
	if resolved != nil {
		out["resolvedConfiguration"] = map[string]any{"loadBalancers": resolved}
	}
	if s.Express != nil {
		out["ecsManagedResources"] = expressManagedOut(st, s)
	}
	return out
}

func listServiceDeployments(c *api.Call) (map[string]any, error) {
	want := map[string]bool{}
	for _, s := range c.In.Strings("status") {
		want[s] = true
	}
	var after, before time.Time
	if ca := c.In.Struct("createdAt"); ca != nil {
		after, before = ca.Time("after"), ca.Time("before")
	}
	type row struct {
		key  string
		item map[string]any
	}
	var rows []row
	var err error
	c.Engine.Read(func(st *model.State) {
		cl, e := activeCluster(c, st)
		if e != nil {
			err = e
			return
		}
		ref := c.In.String("service")
		var svc *model.Service
		for _, s := range st.Services {
			if s.ClusterARN == cl.ARN && s.Status != "INACTIVE" && (s.Name == ref || s.ARN == ref) {
				svc = s
			}
		}
		if svc == nil {
			err = apierr.New("ServiceNotFoundException", "Service not found.")
			return
		}
		for _, r := range deploymentsOf(st, svc) {
			d := r.d()
			status, reason := r.status()
			if (len(want) > 0 && !want[status]) || (!after.IsZero() && d.CreatedAt.Before(after)) || (!before.IsZero() && d.CreatedAt.After(before)) {
				continue
			}
			item := map[string]any{"serviceDeploymentArn": r.deploymentARN(), "serviceArn": svc.ARN, "clusterArn": cl.ARN,
				"createdAt": api.Time(d.CreatedAt), "startedAt": api.Time(d.CreatedAt), "targetServiceRevisionArn": r.revisionARN(),
				"status": status, "statusReason": api.Str(reason)}
			if status != "IN_PROGRESS" {
				item["finishedAt"] = api.Time(d.UpdatedAt)
			}
			// newest first, as ECS lists them
			rows = append(rows, row{key: fmt.Sprintf("%020d %s", d.CreatedAt.UnixNano(), d.ID), item: item})
		}
	})
	if err != nil {
		return nil, err
	}
	cut, next, err := pageOrdered(c.In, rows, func(r row) string { return r.key }, api.Descending, 20, 100)
	if err != nil {
		return nil, err
	}
	out := make([]any, len(cut))
	for i, r := range cut {
		out[i] = r.item
	}
	return map[string]any{"serviceDeployments": out, "nextToken": next}, nil
}

func describeByARN(c *api.Call, member string, max int, revision bool) ([]any, []any, error) {
	arns := c.In.Strings(member)
	if len(arns) == 0 {
		return nil, nil, invalid("%s can not be empty.", member) // probable
	}
	if len(arns) > max {
		return nil, nil, invalid("%s can have at most %d items.", member, max) // probable
	}
	var items, failures []any
	c.Engine.Read(func(st *model.State) {
		for _, arn := range arns {
			r, ok := findDeployment(st, arn, revision)
			if !ok {
				failures = append(failures, map[string]any{"arn": arn, "reason": "MISSING"})
				continue
			}
			if revision {
				items = append(items, r.revisionOut(st))
			} else {
				items = append(items, r.out(c.Engine.ServiceTaskCounts(r.svc.ClusterARN, r.svc.Name)))
			}
		}
	})
	if items == nil {
		items = []any{}
	}
	if failures == nil {
		failures = []any{}
	}
	return items, failures, nil
}

func describeServiceDeployments(c *api.Call) (map[string]any, error) {
	items, failures, err := describeByARN(c, "serviceDeploymentArns", 20, false)
	if err != nil {
		return nil, err
	}
	return map[string]any{"serviceDeployments": items, "failures": failures}, nil
}

func describeServiceRevisions(c *api.Call) (map[string]any, error) {
	items, failures, err := describeByARN(c, "serviceRevisionArns", 20, true)
	if err != nil {
		return nil, err
	}
	return map[string]any{"serviceRevisions": items, "failures": failures}, nil
}

// stopServiceDeployment rolls an in-progress deployment back: the service
// returns to the task definition of the revision it was replacing (a new
// deployment, as UpdateService makes).
func stopServiceDeployment(c *api.Call) (map[string]any, error) {
	arn := c.In.String("serviceDeploymentArn")
	switch c.In.String("stopType") {
	case "", "ROLLBACK":
	case "ABORT":
		return nil, apierr.New("UnsupportedFeatureException", "ABORT is only supported for service deployments that use deployment lifecycle hooks.") // probable
	default:
		return nil, invalid("stopType should be one of [ABORT,ROLLBACK]")
	}
	var in engine.UpdateServiceInput
	var err error
	var bg *[3]string // a blue/green deployment: cluster, service, id
	c.Engine.Read(func(st *model.State) {
		r, ok := findDeployment(st, arn, false)
		if !ok {
			err = apierr.New("ServiceDeploymentNotFoundException", "The service deployment does not exist.") // probable
			return
		}
		if status, _ := r.status(); status != "IN_PROGRESS" {
			err = apierr.Newf("ConflictException", "The service deployment is in %s status and cannot be stopped.", status) // probable
			return
		}
		if engine.IsBlueGreen(r.svc) && r.d().Stage != "" {
			bg = &[3]string{r.cluster.ARN, r.svc.Name, r.d().ID}
			return
		}
		if len(r.svc.Deployments) < 2 {
			err = apierr.New("ConflictException", "The service deployment cannot be rolled back: there is no previous service revision.") // probable
			return
		}
		in = engine.UpdateServiceInput{Cluster: r.cluster.ARN, Service: r.svc.Name, TaskDefinition: r.svc.Deployments[1].TaskDefinitionARN}
	})
	if err != nil {
		return nil, err
	}
	if bg != nil {
		if err := c.Engine.StopBlueGreenDeployment(bg[0], bg[1], bg[2]); err != nil {
			return nil, err
		}
		return map[string]any{"serviceDeploymentArn": arn}, nil
	}
	if _, err := c.Engine.UpdateService(in); err != nil {
		return nil, err
	}
	return map[string]any{"serviceDeploymentArn": arn}, nil
}

// continueServiceDeployment continues or rolls back a blue/green service
// deployment that a PAUSE lifecycle hook holds (engine.ContinueServiceDeployment).
func continueServiceDeployment(c *api.Call) (map[string]any, error) {
	arn := c.In.String("serviceDeploymentArn")
	var cluster, service, id string
	found := false
	c.Engine.Read(func(st *model.State) {
		if r, ok := findDeployment(st, arn, false); ok {
			cluster, service, id, found = r.cluster.ARN, r.svc.Name, r.d().ID, true
		}
	})
	if !found {
		return nil, apierr.New("ServiceDeploymentNotFoundException", "The service deployment does not exist.") // probable
	}
	if err := c.Engine.ContinueServiceDeployment(cluster, service, id, c.In.String("hookId"), c.In.String("action")); err != nil {
		return nil, err
	}
	return map[string]any{"serviceDeploymentArn": arn}, nil
}

// containerImagesOut is a service revision's containerImages: each
// container's image and, unless its versionConsistency is disabled, the
// digest ECS resolved its tag to when the deployment started.
func containerImagesOut(td *model.TaskDefinition) []any {
	out := []any{}
	if td == nil {
		return out
	}
	for _, cd := range td.Containers {
		x := map[string]any{"containerName": cd.Name, "image": cd.Image}
		if v, _ := cd.Raw["versionConsistency"].(string); v != "disabled" {
			x["imageDigest"] = model.ImageDigest(cd.Image)
		}
		out = append(out, x)
	}
	return out
}

// circuitBreakerOut is a service deployment's deploymentCircuitBreaker: DISABLED
// without the breaker, else MONITORING while the deployment runs,
// TRIGGERED when it failed, MONITORING_COMPLETE after; the failure count
// is the deployment's consecutive failed tasks.
func circuitBreakerOut(s *model.Service, d model.Deployment) map[string]any {
	if s.DeploymentConfig == nil || !s.DeploymentConfig.CircuitBreakerEnable {
		return map[string]any{"status": "DISABLED", "failureCount": 0, "threshold": 0}
	}
	status := "MONITORING"
	switch d.RolloutState {
	case "FAILED":
		status = "TRIGGERED"
	case "COMPLETED":
		status = "MONITORING_COMPLETE"
	}
	return map[string]any{"status": status, "failureCount": d.FailedTasks, "threshold": engine.CircuitBreakerThreshold(d.DesiredCount)}
}
