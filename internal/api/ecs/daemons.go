package ecs

import (
	"fmt"
	"slices"

	"github.com/ecsnet/ecsnet/internal/api"
	"github.com/ecsnet/ecsnet/internal/awsproto"
	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

// registerDaemons adds ECS Managed Daemons: daemons, their deployments
// and revisions.
func registerDaemons(add func(string, api.Handler)) {
	add("CreateDaemon", createDaemon)
	add("UpdateDaemon", updateDaemon)
	add("DeleteDaemon", deleteDaemon)
	add("DescribeDaemon", describeDaemon)
	add("ListDaemons", listDaemons)
	add("DescribeDaemonDeployments", describeDaemonDeployments)
	add("ListDaemonDeployments", listDaemonDeployments)
	add("DescribeDaemonRevisions", describeDaemonRevisions)
}

func daemonInput(in awsproto.Params) engine.DaemonInput {
	di := engine.DaemonInput{Name: in.String("daemonName"), Cluster: in.String("clusterArn"), ARN: in.String("daemonArn"),
		TaskDefinition: in.String("daemonTaskDefinitionArn"), CapacityProviders: in.Strings("capacityProviderArns"),
		PropagateTags: in.String("propagateTags"), ECSManagedTags: in.Bool("enableECSManagedTags"),
		ExecuteCommand: in.Bool("enableExecuteCommand"), Tags: tagsIn(in), ClientToken: in.String("clientToken")}
	dc := in.Struct("deploymentConfiguration")
	di.DrainPercentUnset = !dc.Has("drainPercent")
	di.Deployment = model.DaemonDeploymentConfig{DrainPercent: dc.Float("drainPercent"), BakeTimeInMinutes: int(dc.Int("bakeTimeInMinutes"))}
	if a := dc.Struct("alarms"); a != nil {
		di.Deployment.AlarmNames, di.Deployment.AlarmsEnabled = a.Strings("alarmNames"), a.Bool("enable")
	}
	return di
}

func createDaemon(c *api.Call) (map[string]any, error) {
	d, err := c.Engine.CreateDaemon(daemonInput(c.In))
	if err != nil {
		return nil, err
	}
	return map[string]any{"daemonArn": d.ARN, "status": d.Status, "createdAt": api.Time(d.CreatedAt), "deploymentArn": d.DeploymentARN}, nil
}

func updateDaemon(c *api.Call) (map[string]any, error) {
	d, _, err := c.Engine.UpdateDaemon(daemonInput(c.In))
	if err != nil {
		return nil, err
	}
	return map[string]any{"daemonArn": d.ARN, "status": d.Status, "createdAt": api.Time(d.CreatedAt),
		"updatedAt": api.Time(d.UpdatedAt), "deploymentArn": d.DeploymentARN}, nil
}

func deleteDaemon(c *api.Call) (map[string]any, error) {
	d, err := c.Engine.DeleteDaemon(c.In.String("daemonArn"))
	if err != nil {
		return nil, err
	}
	return map[string]any{"daemonArn": d.ARN, "status": d.Status, "createdAt": api.Time(d.CreatedAt),
		"updatedAt": api.Time(d.UpdatedAt), "deploymentArn": d.DeploymentARN}, nil
}

func describeDaemon(c *api.Call) (map[string]any, error) {
	d, err := c.Engine.Daemon(c.In.String("daemonArn"))
	if err != nil {
		return nil, err
	}
	rev, counts := c.Engine.DaemonRunning(d)
	var revisions []any
	if rev != nil {
		cps, total := []any{}, 0
		for _, cp := range rev.CapacityProviderARNs {
			cps = append(cps, map[string]any{"arn": cp, "runningCount": counts[cp]})
			total += counts[cp]
		}
		revisions = []any{map[string]any{"arn": rev.ARN, "capacityProviders": cps, "totalRunningCount": total}}
	}
	return map[string]any{"daemon": map[string]any{"daemonArn": d.ARN, "clusterArn": d.ClusterARN, "status": d.Status,
		"currentRevisions": revisions, "deploymentArn": d.DeploymentARN, "createdAt": api.Time(d.CreatedAt), "updatedAt": api.Time(d.UpdatedAt)}}, nil
}

func listDaemons(c *api.Call) (map[string]any, error) {
	ds, err := c.Engine.ListDaemons(engine.DaemonFilter{Cluster: c.In.String("clusterArn"), CapacityProviders: c.In.Strings("capacityProviderArns")})
	if err != nil {
		return nil, err
	}
	items, next, err := page(c.In, ds, func(d *model.Daemon) string { return d.ARN }, 100, 100)
	if err != nil {
		return nil, err
	}
	out := make([]any, len(items))
	for i, d := range items {
		out[i] = map[string]any{"daemonArn": d.ARN, "status": d.Status, "createdAt": api.Time(d.CreatedAt), "updatedAt": api.Time(d.UpdatedAt)}
	}
	return map[string]any{"daemonSummariesList": out, "nextToken": next}, nil
}

// daemonARNs checks a describe's list of ARNs: 1 to 20 ("You can specify
// up to 20 ARNs").
func daemonARNs(in awsproto.Params, member string) ([]string, error) {
	arns := in.Strings(member)
	if len(arns) == 0 || len(arns) > 20 {
		return nil, invalid("%s must contain between 1 and 20 items.", member) // [choice]
	}
	return arns, nil
}

func missingOut(arns []string) []any {
	out := []any{}
	for _, a := range arns {
		out = append(out, map[string]any{"arn": a, "reason": "MISSING"})
	}
	return out
}

func describeDaemonDeployments(c *api.Call) (map[string]any, error) {
	arns, err := daemonARNs(c.In, "daemonDeploymentArns")
	if err != nil {
		return nil, err
	}
	found, missing := c.Engine.DaemonDeployments(arns)
	out := []any{}
	for _, d := range found {
		out = append(out, daemonDeploymentOut(c.Engine, d))
	}
	return map[string]any{"daemonDeployments": out, "failures": missingOut(missing)}, nil
}

// daemonDeploymentOut is a DaemonDeployment: its target revision with the
// instances that run it, its source revisions, and the monitors ecsnet
// does not trip (the circuit breaker and alarms, MONITORING while the
// deployment goes on, MONITORING_COMPLETE after; alarms DISABLED unless
// the configuration enables them).
func daemonDeploymentOut(e *engine.Engine, d *model.DaemonDeployment) map[string]any {
	done := d.Status != "PENDING" && d.Status != "IN_PROGRESS" && d.Status != "ROLLBACK_IN_PROGRESS"
	monitor := "MONITORING"
	if done {
		monitor = "MONITORING_COMPLETE"
	}
	breaker := monitor
	if d.Rollback != nil || d.FailureCount >= engine.DaemonCircuitBreakerThreshold {
		breaker = "TRIGGERED"
	}
	alarms := map[string]any{"status": "DISABLED"}
	if d.Config.AlarmsEnabled {
		alarms = map[string]any{"status": monitor, "alarmNames": d.Config.AlarmNames, "triggeredAlarmNames": []any{}}
	}
	revOut := func(arn string, running bool) map[string]any {
		cps, total, draining := []any{}, 0, 0
		rev, instances := e.DaemonInstances(arn)
		if rev == nil {
			return map[string]any{"arn": arn}
		}
		for _, cp := range rev.CapacityProviderARNs {
			n, drain := 0, 0
			if running {
				n = instances[cp]
			} else if !done {
				drain = instances[cp]
			}
			total += n
			draining += drain
			cps = append(cps, map[string]any{"arn": cp, "runningInstanceCount": n, "drainingInstanceCount": drain})
		}
		return map[string]any{"arn": arn, "capacityProviders": cps, "totalRunningInstanceCount": total, "totalDrainingInstanceCount": draining}
	}
	out := map[string]any{"daemonDeploymentArn": d.ARN, "clusterArn": d.ClusterARN, "status": d.Status, "statusReason": api.Str(d.StatusReason),
		"circuitBreaker": map[string]any{"status": breaker, "failureCount": d.FailureCount, "threshold": engine.DaemonCircuitBreakerThreshold},
		"alarms":         alarms,
		"deploymentConfiguration": map[string]any{"drainPercent": d.Config.DrainPercent, "bakeTimeInMinutes": d.Config.BakeTimeInMinutes,
			"alarms": map[string]any{"alarmNames": d.Config.AlarmNames, "enable": d.Config.AlarmsEnabled}},
		"createdAt": api.Time(d.CreatedAt), "startedAt": api.Time(d.StartedAt), "stoppedAt": api.Time(d.StoppedAt), "finishedAt": api.Time(d.FinishedAt)}
	if r := d.Rollback; r != nil {
		out["rollback"] = map[string]any{"reason": r.Reason, "startedAt": api.Time(r.StartedAt), "rollbackTargetDaemonRevisionArn": r.TargetRevisionARN,
			"rollbackCapacityProviders": r.CapacityProviderARNs}
	}
	if d.TargetRevisionARN != "" {
		out["targetDaemonRevision"] = revOut(d.TargetRevisionARN, d.Status == "SUCCESSFUL")
	}
	src := []any{}
	for _, a := range d.SourceRevisionARNs {
		src = append(src, revOut(a, !done && d.Status != "PENDING"))
	}
	if d.TargetRevisionARN == "" {
		// DeleteDaemon's deployment drains the revision the daemon ran.
		if dm, err := e.Daemon(d.DaemonARN); err == nil && dm.RevisionARN != "" && !slices.Contains(d.SourceRevisionARNs, dm.RevisionARN) {
			src = append(src, revOut(dm.RevisionARN, false))
		}
	}
	out["sourceDaemonRevisions"] = src
	return out
}

func listDaemonDeployments(c *api.Call) (map[string]any, error) {
	f := engine.DaemonDeploymentFilter{Daemon: c.In.String("daemonArn"), Statuses: c.In.Strings("status")}
	if ca := c.In.Struct("createdAt"); ca != nil {
		f.CreatedBefore, f.CreatedAfter = ca.Time("before"), ca.Time("after")
	}
	ds, err := c.Engine.ListDaemonDeployments(f)
	if err != nil {
		return nil, err
	}
	// Newest first (the engine's order): keyed by creation time and
	// ARN, compared backwards.
	key := func(d *model.DaemonDeployment) string { return fmt.Sprintf("%020d %s", d.CreatedAt.UnixNano(), d.ARN) }
	items, next, err := pageOrdered(c.In, ds, key, api.Descending, 20, 100)
	if err != nil {
		return nil, err
	}
	out := make([]any, len(items))
	for i, d := range items {
		out[i] = map[string]any{"daemonDeploymentArn": d.ARN, "daemonArn": d.DaemonARN, "clusterArn": d.ClusterARN, "status": d.Status,
			"statusReason": api.Str(d.StatusReason), "targetDaemonRevisionArn": api.Str(d.TargetRevisionARN), "createdAt": api.Time(d.CreatedAt),
			"startedAt": api.Time(d.StartedAt), "stoppedAt": api.Time(d.StoppedAt), "finishedAt": api.Time(d.FinishedAt)}
	}
	return map[string]any{"daemonDeployments": out, "nextToken": next}, nil
}

func describeDaemonRevisions(c *api.Call) (map[string]any, error) {
	arns, err := daemonARNs(c.In, "daemonRevisionArns")
	if err != nil {
		return nil, err
	}
	found, missing := c.Engine.DaemonRevisions(arns)
	out := []any{}
	for _, r := range found {
		images := []any{}
		for _, im := range r.Images {
			images = append(images, map[string]any{"containerName": im.ContainerName, "image": im.Image})
		}
		out = append(out, map[string]any{"daemonRevisionArn": r.ARN, "clusterArn": r.ClusterARN, "daemonArn": r.DaemonARN,
			"daemonTaskDefinitionArn": r.TaskDefinitionARN, "createdAt": api.Time(r.CreatedAt), "containerImages": images,
			"propagateTags": r.PropagateTags, "enableECSManagedTags": r.ECSManagedTags, "enableExecuteCommand": r.ExecuteCommand})
	}
	return map[string]any{"daemonRevisions": out, "failures": missingOut(missing)}, nil
}
