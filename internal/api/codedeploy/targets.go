package codedeploy

import (
	"encoding/json"
	"slices"
	"sort"

	"github.com/ecsnet/ecsnet/internal/api"
	"github.com/ecsnet/ecsnet/internal/apierr"
	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

// The target of an ECS deployment (its ECS service: lifecycle events and
// the two task sets), ContinueDeployment and the lifecycle hooks, the
// account's deployment configurations and an application's revisions.

// targetStatus is the status of an ECS deployment's one target.
func targetStatus(d *model.CodeDeployment) string {
	switch d.Status {
	case "Created", "Queued":
		return "Pending"
	case "InProgress", "Baking":
		return "InProgress"
	case "Stopped":
		return "Failed" // probable: TargetStatus has no Stopped
	}
	return d.Status // Ready, Succeeded, Failed
}

// deploymentOverview counts the deployment's targets by status.
func deploymentOverview(d *model.CodeDeployment) map[string]any {
	out := map[string]any{"Pending": 0, "InProgress": 0, "Succeeded": 0, "Failed": 0, "Skipped": 0, "Ready": 0}
	out[targetStatus(d)] = 1
	return out
}

// ecsTargetID is an ECS deployment's target id: cluster:service.
func ecsTargetID(d *model.CodeDeployment) string { return d.Cluster + ":" + d.Service }

func ecsTarget(c *api.Call, st *model.State, d *model.CodeDeployment) map[string]any {
	var events []any
	updated := d.Created
	for _, ev := range d.Events {
		e := map[string]any{"lifecycleEventName": ev.Name, "status": ev.Status}
		if !ev.Started.IsZero() {
			e["startTime"] = ev.Started
			updated = maxTime(updated, ev.Started)
		}
		if !ev.Ended.IsZero() {
			e["endTime"] = ev.Ended
			updated = maxTime(updated, ev.Ended)
		}
		if ev.Message != "" || ev.ErrorCode != "" {
			code := ev.ErrorCode
			if code == "" {
				code = "Success"
			}
			e["diagnostics"] = map[string]any{"errorCode": code, "message": ev.Message, "scriptName": ev.Hook, "logTail": ""}
		}
		events = append(events, e)
	}
	if !d.Completed.IsZero() {
		updated = maxTime(updated, d.Completed)
	}
	arn := c.Engine.ServiceARN(d.Cluster, d.Service)
	var sets []any
	s := st.Services[arn]
	counts := map[string][2]int{}
	if s != nil {
		counts = c.Engine.ServiceTaskCounts(s.ClusterARN, s.Name)
	}
	for _, x := range []struct{ id, tg, label string }{{d.OriginalTaskSet, d.FromTargetGroup, "Blue"}, {d.ReplacementTaskSet, d.ToTargetGroup, "Green"}} {
		if x.id == "" {
			continue
		}
		weight := d.TrafficWeight
		if x.label == "Blue" {
			weight = 100 - weight
		}
		info := map[string]any{"identifer": x.id, "taskSetLabel": x.label, "trafficWeight": weight, "desiredCount": 0,
			"pendingCount": counts[x.id][1], "runningCount": counts[x.id][0], "status": "DRAINING"}
		if s != nil {
			if i := slices.IndexFunc(s.TaskSets, func(ts model.TaskSet) bool { return ts.ID == x.id }); i >= 0 {
				info["status"] = s.TaskSets[i].Status
				info["desiredCount"] = s.TaskSets[i].ComputedDesiredCount(s.DesiredCount)
			}
		}
		if tg := st.TargetGroups[x.tg]; tg != nil {
			info["targetGroup"] = map[string]any{"name": tg.Name}
		}
		sets = append(sets, info)
	}
	return map[string]any{"deploymentTargetType": "ECSTarget", "ecsTarget": map[string]any{"deploymentId": d.ID,
		"targetId": ecsTargetID(d), "targetArn": arn, "lastUpdatedAt": updated, "lifecycleEvents": events,
		"status": targetStatus(d), "taskSetsInfo": sets}}
}

func maxTime[T interface{ After(T) bool }](a, b T) T {
	if b.After(a) {
		return b
	}
	return a
}

// deploymentFor reads a deployment by the request's deploymentId and
// calls f with it inside Read.
func deploymentFor(c *api.Call, f func(st *model.State, d *model.CodeDeployment) error) error {
	id := c.In.String("deploymentId")
	if id == "" {
		return apierr.New("DeploymentIdRequiredException", "Deployment ID is required") // probable
	}
	var err error
	c.Engine.Read(func(st *model.State) {
		d := st.CodeDeployments[id]
		if d == nil {
			err = noDeployment(id)
			return
		}
		err = f(st, d)
	})
	return err
}

func listDeploymentTargets(c *api.Call) (map[string]any, error) {
	var ids []string
	err := deploymentFor(c, func(st *model.State, d *model.CodeDeployment) error {
		want := c.In.Struct("targetFilters").Strings("TargetStatus")
		if _, ok := c.In.Struct("targetFilters")["ServerInstanceLabel"]; ok {
			return apierr.New("InvalidInstanceTypeException", "The ServerInstanceLabel filter applies to EC2/On-premises deployments only.") // probable
		}
		if d.ComputePlatform == "ECS" && (len(want) == 0 || slices.Contains(want, targetStatus(d))) {
			ids = append(ids, ecsTargetID(d))
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return page(c, "targetIds", ids)
}

func getDeploymentTarget(c *api.Call) (map[string]any, error) {
	var out map[string]any
	err := deploymentFor(c, func(st *model.State, d *model.CodeDeployment) error {
		id := c.In.String("targetId")
		if id == "" {
			return apierr.New("DeploymentTargetIdRequiredException", "Deployment target ID is required") // probable
		}
		if d.ComputePlatform != "ECS" || id != ecsTargetID(d) {
			return apierr.Newf("DeploymentTargetDoesNotExistException", "The deployment target %s of deployment %s could not be found.", id, d.ID) // probable
		}
		out = ecsTarget(c, st, d)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return map[string]any{"deploymentTarget": out}, nil
}

func batchGetDeploymentTargets(c *api.Call) (map[string]any, error) {
	var list []any
	err := deploymentFor(c, func(st *model.State, d *model.CodeDeployment) error {
		ids := c.In.Strings("targetIds")
		if len(ids) == 0 {
			return apierr.New("DeploymentTargetIdRequiredException", "Deployment target IDs are required") // probable
		}
		if len(ids) > 25 {
			return apierr.New("DeploymentTargetListSizeExceededException", "The maximum number of targets that can be requested is 25.") // probable
		}
		for _, id := range ids {
			if d.ComputePlatform != "ECS" || id != ecsTargetID(d) {
				return apierr.Newf("DeploymentTargetDoesNotExistException", "The deployment target %s of deployment %s could not be found.", id, d.ID) // probable
			}
			list = append(list, ecsTarget(c, st, d))
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return map[string]any{"deploymentTargets": list}, nil
}

func continueDeployment(c *api.Call) (map[string]any, error) {
	return nil, c.Engine.ContinueCodeDeployment(c.In.String("deploymentId"), c.In.String("deploymentWaitType"))
}

func putLifecycleEventHookExecutionStatus(c *api.Call) (map[string]any, error) {
	id, err := c.Engine.PutCodeDeployHookStatus(c.In.String("deploymentId"), c.In.String("lifecycleEventHookExecutionId"), c.In.String("status"))
	if err != nil {
		return nil, err
	}
	return map[string]any{"lifecycleEventHookExecutionId": id}, nil
}

func createDeploymentConfig(c *api.Call) (map[string]any, error) {
	in := c.In
	cfg := engine.CodeDeployConfig{Name: in.String("deploymentConfigName"), ComputePlatform: in.String("computePlatform")}
	if in.Has("minimumHealthyHosts") {
		m := in.Struct("minimumHealthyHosts")
		cfg.MinimumHealthyHosts = map[string]any{"type": m.String("type"), "value": m.Int("value")}
		if t := m.String("type"); t != "HOST_COUNT" && t != "FLEET_PERCENT" {
			return nil, apierr.Newf("InvalidMinimumHealthyHostValueException", "The minimum healthy hosts type %s is invalid.", t) // probable
		}
	}
	if in.Has("trafficRoutingConfig") {
		tr := in.Struct("trafficRoutingConfig")
		cfg.Type = tr.String("type")
		switch cfg.Type {
		case "TimeBasedCanary":
			cfg.Percentage, cfg.IntervalMinutes = int(tr.Struct("timeBasedCanary").Int("canaryPercentage")), int(tr.Struct("timeBasedCanary").Int("canaryInterval"))
		case "TimeBasedLinear":
			cfg.Percentage, cfg.IntervalMinutes = int(tr.Struct("timeBasedLinear").Int("linearPercentage")), int(tr.Struct("timeBasedLinear").Int("linearInterval"))
		case "AllAtOnce":
		default:
			return nil, apierr.Newf("InvalidTrafficRoutingConfigurationException", "The traffic routing type %s is invalid.", cfg.Type) // probable
		}
	}
	out, err := c.Engine.CreateCodeDeployConfig(cfg)
	if err != nil {
		return nil, err
	}
	return map[string]any{"deploymentConfigId": out.ID}, nil
}

func deleteDeploymentConfig(c *api.Call) (map[string]any, error) {
	return nil, c.Engine.DeleteCodeDeployConfig(c.In.String("deploymentConfigName"))
}

func registerApplicationRevision(c *api.Call) (map[string]any, error) {
	if len(c.In.String("description")) > 100 {
		return nil, apierr.New("DescriptionTooLongException", "The description is too long.") // probable
	}
	return nil, c.Engine.RegisterCodeDeployRevision(c.In.String("applicationName"), revisionIn(c), c.In.String("description"))
}

// appFor reads the request's application inside Read.
func appFor(c *api.Call, f func(a *model.CodeDeployApp) error) error {
	name := c.In.String("applicationName")
	if name == "" {
		return apierr.New("ApplicationNameRequiredException", "Application name is required") // probable
	}
	var err error
	c.Engine.Read(func(st *model.State) {
		a := st.CodeDeployApps[name]
		if a == nil {
			err = noApp(name)
			return
		}
		err = f(a)
	})
	return err
}

func genericRevisionInfo(r model.CodeDeployRevision) map[string]any {
	out := map[string]any{"registerTime": r.Registered, "deploymentGroups": r.Groups}
	if r.Groups == nil {
		out["deploymentGroups"] = []string{}
	}
	if r.Description != "" {
		out["description"] = r.Description
	}
	if !r.FirstUsed.IsZero() {
		out["firstUsedTime"], out["lastUsedTime"] = r.FirstUsed, r.LastUsed
	}
	return out
}

func revisionNamed(a *model.CodeDeployApp, loc map[string]any) (model.CodeDeployRevision, error) {
	key := engine.CodeDeployRevisionKey(loc)
	if i := slices.IndexFunc(a.Revisions, func(r model.CodeDeployRevision) bool { return r.Key == key }); i >= 0 {
		return a.Revisions[i], nil
	}
	return model.CodeDeployRevision{}, apierr.Newf("RevisionDoesNotExistException", "No application revision found for revision %s", key) // probable
}

func getApplicationRevision(c *api.Call) (map[string]any, error) {
	loc := revisionIn(c)
	var out map[string]any
	err := appFor(c, func(a *model.CodeDeployApp) error {
		if loc == nil {
			return apierr.New("RevisionRequiredException", "Revision is required") // probable
		}
		r, err := revisionNamed(a, loc)
		if err != nil {
			return err
		}
		out = map[string]any{"applicationName": a.Name, "revision": raw(c, "RevisionLocation", r.Location), "revisionInfo": genericRevisionInfo(r)}
		return nil
	})
	return out, err
}

func listApplicationRevisions(c *api.Call) (map[string]any, error) {
	var revs []model.CodeDeployRevision
	err := appFor(c, func(a *model.CodeDeployApp) error {
		revs = slices.Clone(a.Revisions)
		return nil
	})
	if err != nil {
		return nil, err
	}
	deployed := c.In.String("deployed")
	revs = slices.DeleteFunc(revs, func(r model.CodeDeployRevision) bool {
		return (deployed == "include" && r.FirstUsed.IsZero()) || (deployed == "exclude" && !r.FirstUsed.IsZero())
	})
	at := func(r model.CodeDeployRevision) int64 {
		switch c.In.String("sortBy") {
		case "firstUsedTime":
			return r.FirstUsed.UnixNano()
		case "lastUsedTime":
			return r.LastUsed.UnixNano()
		}
		return r.Registered.UnixNano()
	}
	sort.SliceStable(revs, func(i, j int) bool {
		if c.In.String("sortOrder") == "descending" {
			return at(revs[i]) > at(revs[j])
		}
		return at(revs[i]) < at(revs[j])
	})
	var keys []string
	byKey := map[string]model.CodeDeployRevision{}
	for _, r := range revs {
		keys = append(keys, r.Key)
		byKey[r.Key] = r
	}
	out, err := page(c, "revisions", keys)
	if err != nil {
		return nil, err
	}
	var list []any
	for _, k := range out["revisions"].([]string) {
		list = append(list, raw(c, "RevisionLocation", byKey[k].Location))
	}
	if list == nil {
		list = []any{}
	}
	out["revisions"] = list
	return out, nil
}

func batchGetApplicationRevisions(c *api.Call) (map[string]any, error) {
	var list []any
	var missing []string
	err := appFor(c, func(a *model.CodeDeployApp) error {
		revs := c.In.Structs("revisions")
		if len(revs) > 25 {
			return apierr.New("BatchLimitExceededException", "The maximum number of names or IDs allowed for this request (25) was exceeded.") // probable
		}
		raws, _ := c.In.Lookup("revisions")
		items, _ := raws.([]any)
		for _, it := range items {
			var loc map[string]any
			b, _ := json.Marshal(it)
			_ = json.Unmarshal(b, &loc)
			r, err := revisionNamed(a, loc)
			if err != nil {
				missing = append(missing, engine.CodeDeployRevisionKey(loc))
				continue
			}
			list = append(list, map[string]any{"revisionLocation": raw(c, "RevisionLocation", r.Location), "genericRevisionInfo": genericRevisionInfo(r)})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	out := map[string]any{"applicationName": c.In.String("applicationName"), "revisions": list}
	if list == nil {
		out["revisions"] = []any{}
	}
	if len(missing) > 0 {
		out["errorMessage"] = "Revisions not found: " + sortedJoin(missing) // probable
	}
	return out, nil
}

func sortedJoin(s []string) string {
	sort.Strings(s)
	out := ""
	for i, x := range s {
		if i > 0 {
			out += ", "
		}
		out += x
	}
	return out
}
