package engine

import (
	"slices"
	"strings"
	"time"

	"github.com/ecsnet/ecsnet/internal/apierr"
	"github.com/ecsnet/ecsnet/internal/model"
)

// busEvent is one event a transaction sends to an event bus: ECS's own
// (the default bus) or PutEvents'.
type busEvent struct {
	bus   string
	event map[string]any
}

// maxEventsPerTxn bounds the events one transaction delivers: a rule whose
// targets' tasks make events its pattern matches again cannot loop without
// end [choice]. Events are never stored: each is matched against the rules
// when its transaction ends, then forgotten; a rule keeps only its
// History (docs/aws-behavior.md) [choice].
const maxEventsPerTxn = 1000

// eventRulesListen reports whether a rule could match an event of bus:
// without an enabled pattern rule on it, no event is even made.
// The answer is kept for the transaction.
func (t *txn) eventRulesListen(bus string) bool {
	if len(t.st.EventRules) == 0 {
		return false
	}
	if l, ok := t.listening[bus]; ok {
		return l
	}
	l := false
	for _, r := range t.st.EventRules {
		if r.EventPattern != "" && r.State != "DISABLED" && r.EventBus == bus {
			l = true
			break
		}
	}
	if t.listening == nil {
		t.listening = map[string]bool{}
	}
	t.listening[bus] = l
	return l
}

// sendEvent queues an event for the transaction's end (deliverEvents).
func (t *txn) sendEvent(bus string, ev map[string]any) {
	if len(t.events) < maxEventsPerTxn {
		t.events = append(t.events, busEvent{bus, ev})
	}
}

// ecsEvent is the envelope of an event of source aws.ecs (the ECS
// developer guide's "Amazon ECS events": version 0, the account and
// region, the resources it is about, the detail).
func (t *txn) ecsEvent(detailType string, resources []string, detail map[string]any) map[string]any {
	res := make([]any, len(resources))
	for i, r := range resources {
		res[i] = r
	}
	return map[string]any{"version": "0", "id": t.uuid(), "detail-type": detailType, "source": "aws.ecs",
		"account": t.e.cfg.Account, "time": t.now.Format(time.RFC3339), "region": t.e.cfg.Region,
		"resources": res, "detail": detail}
}

// noteECSChange makes the ECS event of a change put made: a task's status
// ("ECS Task State Change"), a container instance's status or agent
// connection ("ECS Container Instance State Change"), a service
// deployment's rollout state ("ECS Deployment State Change").
func (t *txn) noteECSChange(kind model.Kind, old, v any) {
	switch kind {
	case model.KindTask, model.KindContainerInstance, model.KindService:
	default:
		return
	}
	if !t.eventRulesListen(DefaultEventBus) {
		return
	}
	switch kind {
	case model.KindTask:
		nt := v.(*model.Task)
		if ot, _ := old.(*model.Task); ot != nil && ot.LastStatus == nt.LastStatus && ot.DesiredStatus == nt.DesiredStatus {
			return
		}
		t.sendEvent(DefaultEventBus, t.ecsEvent("ECS Task State Change", []string{nt.ARN}, taskEventDetail(nt)))
	case model.KindContainerInstance:
		nc := v.(*model.ContainerInstance)
		if oc, _ := old.(*model.ContainerInstance); oc != nil && oc.Status == nc.Status && oc.AgentConnected == nc.AgentConnected {
			return
		}
		t.sendEvent(DefaultEventBus, t.ecsEvent("ECS Container Instance State Change", []string{nc.ARN}, containerInstanceEventDetail(nc, t.now)))
	case model.KindService:
		ns := v.(*model.Service)
		os, _ := old.(*model.Service)
		for _, d := range ns.Deployments {
			name := deploymentEventName(d.RolloutState)
			if name == "" {
				continue
			}
			if os != nil {
				if i := slices.IndexFunc(os.Deployments, func(x model.Deployment) bool { return x.ID == d.ID }); i >= 0 && os.Deployments[i].RolloutState == d.RolloutState {
					continue
				}
			}
			detail := map[string]any{"eventType": "INFO", "eventName": name, "deploymentId": d.ID,
				"updatedAt": t.now.Format(time.RFC3339Nano)}
			if name == "SERVICE_DEPLOYMENT_FAILED" {
				detail["eventType"] = "ERROR"
			}
			t.sendEvent(DefaultEventBus, t.ecsEvent("ECS Deployment State Change", []string{ns.ARN}, detail))
		}
	}
}

// deploymentEventName is the eventName of a deployment's rollout state.
func deploymentEventName(state string) string {
	switch state {
	case "IN_PROGRESS":
		return "SERVICE_DEPLOYMENT_IN_PROGRESS"
	case "COMPLETED":
		return "SERVICE_DEPLOYMENT_COMPLETED"
	case "FAILED":
		return "SERVICE_DEPLOYMENT_FAILED"
	}
	return ""
}

// noteServiceAction makes the "ECS Service Action" event of a service
// event message the scheduler records, for the messages ECS documents an
// action of (steady state, placement failure, start impaired).
func (t *txn) noteServiceAction(s *model.Service, msg string) {
	var eventType, name string
	switch {
	case strings.HasSuffix(msg, "has reached a steady state."):
		eventType, name = "INFO", "SERVICE_STEADY_STATE"
	case strings.Contains(msg, "was unable to place a task"):
		eventType, name = "WARN", "SERVICE_TASK_PLACEMENT_FAILURE"
	case strings.Contains(msg, "is unable to consistently start tasks successfully"):
		eventType, name = "WARN", "SERVICE_TASK_START_IMPAIRED"
	case strings.Contains(msg, "tasks provisioning capacity limit was exceeded"):
		eventType, name = "WARN", "SERVICE_TASK_PLACEMENT_FAILURE"
	default:
		return
	}
	if !t.eventRulesListen(DefaultEventBus) {
		return
	}
	detail := map[string]any{"eventType": eventType, "eventName": name, "clusterArn": s.ClusterARN,
		"createdAt": t.now.Format(time.RFC3339Nano)}
	if name == "SERVICE_TASK_PLACEMENT_FAILURE" {
		if _, reason, ok := strings.Cut(msg, "Reason: "); ok {
			detail["reasons"] = []any{strings.TrimSuffix(reason, " For more information, see the Troubleshooting section.")}
		}
	}
	t.sendEvent(DefaultEventBus, t.ecsEvent("ECS Service Action", []string{s.ARN}, detail))
}

func eventTime(at time.Time) any {
	if at.IsZero() {
		return nil
	}
	return at.UTC().Format(time.RFC3339Nano)
}

// taskEventDetail is a task state change's detail: the task as
// DescribeTasks shows it (the ECS developer guide's example).
func taskEventDetail(tk *model.Task) map[string]any {
	containers := make([]any, len(tk.Containers))
	for i, c := range tk.Containers {
		m := map[string]any{"containerArn": c.ARN, "name": c.Name, "image": c.Image, "lastStatus": string(c.LastStatus),
			"taskArn": tk.ARN, "networkBindings": []any{}}
		if c.ExitCode != nil {
			m["exitCode"] = float64(*c.ExitCode)
		}
		if c.Reason != "" {
			m["reason"] = c.Reason
		}
		for _, b := range c.NetworkBindings {
			m["networkBindings"] = append(m["networkBindings"].([]any), map[string]any{"containerPort": float64(b.ContainerPort),
				"hostPort": float64(b.HostPort), "protocol": strings.ToLower(b.Protocol.String())})
		}
		containers[i] = m
	}
	attachments := make([]any, 0, len(tk.Attachments))
	for _, a := range tk.Attachments {
		attachments = append(attachments, map[string]any{"id": a.ID, "type": "eni", "status": a.Status})
	}
	d := map[string]any{"clusterArn": tk.ClusterARN, "taskArn": tk.ARN, "taskDefinitionArn": tk.TaskDefinitionARN,
		"lastStatus": string(tk.LastStatus), "desiredStatus": string(tk.DesiredStatus), "launchType": string(tk.LaunchType),
		"cpu": tk.CPU, "memory": tk.Memory, "availabilityZone": tk.AvailabilityZone, "group": tk.Group,
		"containers": containers, "attachments": attachments, "version": float64(tk.Version),
		"createdAt": eventTime(tk.CreatedAt), "updatedAt": eventTime(latest(tk.CreatedAt, tk.StartedAt, tk.StoppingAt, tk.StoppedAt))}
	for k, v := range map[string]any{"containerInstanceArn": tk.ContainerInstanceARN, "startedBy": tk.StartedBy,
		"stopCode": tk.StopCode, "stoppedReason": tk.StoppedReason, "platformVersion": tk.PlatformVersion, "connectivity": tk.Connectivity,
		"capacityProviderName": tk.CapacityProvider} {
		if v != "" {
			d[k] = v
		}
	}
	for k, at := range map[string]time.Time{"pullStartedAt": tk.PullStartedAt, "startedAt": tk.StartedAt, "stoppingAt": tk.StoppingAt,
		"stoppedAt": tk.StoppedAt, "connectivityAt": tk.ConnectivityAt} {
		if !at.IsZero() {
			d[k] = eventTime(at)
		}
	}
	return d
}

func latest(ts ...time.Time) time.Time {
	var m time.Time
	for _, t := range ts {
		if t.After(m) {
			m = t
		}
	}
	return m
}

// containerInstanceEventDetail is a container instance state change's
// detail: the container instance as DescribeContainerInstances shows it.
func containerInstanceEventDetail(c *model.ContainerInstance, now time.Time) map[string]any {
	attrs := make([]any, len(c.Attributes))
	for i, a := range c.Attributes {
		m := map[string]any{"name": a.Name}
		if a.Value != "" {
			m["value"] = a.Value
		}
		attrs[i] = m
	}
	return map[string]any{"agentConnected": c.AgentConnected, "attributes": attrs, "clusterArn": c.ClusterARN,
		"containerInstanceArn": c.ARN, "ec2InstanceId": string(c.EC2InstanceID), "status": c.Status,
		"version": float64(c.Version), "versionInfo": map[string]any{"agentVersion": c.AgentVersion},
		"registeredResources": []any{
			map[string]any{"name": "CPU", "type": "INTEGER", "integerValue": float64(c.CPU)},
			map[string]any{"name": "MEMORY", "type": "INTEGER", "integerValue": float64(c.MemoryMiB)}},
		"updatedAt": now.Format(time.RFC3339Nano)}
}

// deliverEvents matches the transaction's events, in order, against the
// enabled pattern rules of their bus: a matching rule runs its ECS targets
// (RunTask, as a scheduled rule does, each refused one undone alone and
// counted failed), and records the match in its History (AWS/Events
// TriggeredRules, MatchedEvents, Invocations). Events the targets' tasks
// make are delivered too, up to maxEventsPerTxn.
func (t *txn) deliverEvents() {
	if len(t.events) == 0 {
		return
	}
	compiled := map[string]*EventPattern{}
	changed := map[string]*model.EventRule{}
	for i := 0; i < len(t.events); i++ {
		be := t.events[i]
		for _, k := range sortedKeys(t.st.EventRules) {
			r := t.st.EventRules[k]
			if nr := changed[k]; nr != nil {
				r = nr
			}
			if r.EventBus != be.bus || r.EventPattern == "" || r.State == "DISABLED" {
				continue
			}
			p, ok := compiled[k]
			if !ok {
				p, _ = ParseEventPattern(r.EventPattern) // nil: a pattern PutRule took but ecsnet cannot compile matches nothing
				compiled[k] = p
			}
			if p == nil || !p.Matches(be.event) {
				continue
			}
			nr := changed[k]
			if nr == nil {
				c := *r
				c.History = slices.Clone(r.History)
				nr = &c
				changed[k] = nr
			}
			t.invokeRuleTargets(nr)
		}
	}
	t.events = nil
	for _, k := range sortedKeys(changed) {
		put(t, model.KindEventRule, t.st.EventRules, k, changed[k]) // a rule's put makes no event
	}
}

// invokeRuleTargets records one firing of a rule (a match, or a scheduled
// occurrence) and invokes its ECS targets: other targets are kept, not
// invoked.
func (t *txn) invokeRuleTargets(nr *model.EventRule) {
	nr.History = append(nr.History, model.EventInvocation{At: t.now}) // the firing: TriggeredRules
	for i := range nr.Targets {
		tg := &nr.Targets[i]
		if tg.ECS == nil {
			continue
		}
		nr.Invocations++
		in := EventTargetRunTask(nr, tg)
		var out *RunTaskOutput
		queued := len(t.events)
		err := t.try(func() error {
			var err error
			out, err = t.runTaskSpread(in)
			return err
		})
		if err != nil {
			t.events = t.events[:queued] // the events of a RunTask undone are not sent
		}
		failed := true
		switch {
		case err != nil:
			nr.LastFailure = err.Error()
		case len(out.Tasks) == 0 && len(out.Failures) > 0:
			nr.LastFailure = "RunTask failures: " + out.Failures[0].Reason
		default:
			failed = false
		}
		if failed {
			nr.FailedInvocations++
		}
		nr.History = append(nr.History, model.EventInvocation{At: t.now, Target: tg.ID, Failed: failed})
	}
	if len(nr.History) > model.MaxEventHistory {
		nr.History = slices.Clone(nr.History[len(nr.History)-model.MaxEventHistory:])
	}
}

// PutEventsEntry is one entry of EventBridge's PutEvents.
type PutEventsEntry struct {
	Bus, Source, DetailType, Detail string
	Resources                       []string
	Time                            time.Time
}

// PutEvents sends events to their buses, each matched against the bus's
// rules as ECS's own are (deliverEvents); it returns each event's id. An
// event of a bus that does not exist is refused alone (its error, and no
// id).
func (e *Engine) PutEvents(entries []PutEventsEntry) ([]string, []*apierr.Error, error) {
	ids := make([]string, len(entries))
	errs := make([]*apierr.Error, len(entries))
	err := e.write(func(t *txn) error {
		for i, en := range entries {
			if !HasEventBus(t.st, en.Bus) {
				errs[i] = EventBusNotFound(en.Bus).(*apierr.Error)
				continue
			}
			detail, err := DecodeEvent([]byte(en.Detail))
			if err != nil {
				errs[i] = &apierr.Error{Code: "MalformedDetail", Message: "Detail is malformed."}
				continue
			}
			at := en.Time
			if at.IsZero() {
				at = t.now
			}
			res := make([]any, len(en.Resources))
			for j, r := range en.Resources {
				res[j] = r
			}
			ids[i] = t.uuid()
			t.sendEvent(en.Bus, map[string]any{"version": "0", "id": ids[i], "detail-type": en.DetailType, "source": en.Source,
				"account": t.e.cfg.Account, "time": at.UTC().Format(time.RFC3339), "region": t.e.cfg.Region, "resources": res, "detail": detail})
		}
		return nil
	})
	return ids, errs, err
}
