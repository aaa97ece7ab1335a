package reach

import (
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/ecsnet/ecsnet/internal/model"
)

// TasksStopped describes why a service has no task for its target
// groups: the tasks that stopped, their stopCode and stoppedReason as
// DescribeTasks shows them, and the start-path failure that explains
// them (nil when the analyzer finds none).
type TasksStopped struct {
	Service string `json:"service"`
	// Task is set instead of Service for a standalone task (RunTask).
	Task       string        `json:"task,omitempty"`
	Tasks      []string      `json:"tasks,omitempty"`
	StopCode   string        `json:"stopCode,omitempty"`
	Reason     string        `json:"stoppedReason,omitempty"`
	Failure    *StartFailure `json:"startFailure,omitempty"`
	Unplaced   string        `json:"unplaced,omitempty"` // the service's latest placement event
	serviceARN string
}

// servicesOf returns the services that register targets in a target group.
func (n *Network) servicesOf(tg *model.TargetGroup) []*serviceNode {
	var out []*serviceNode
	for _, s := range n.serviceOrder {
		if s.svc.Status == "INACTIVE" {
			continue
		}
		for _, l := range serviceLoadBalancers(s.svc) {
			if l.TargetGroupARN == tg.ARN || l.Advanced != nil && l.Advanced.AlternateTargetGroupARN == tg.ARN {
				out = append(out, s)
				break
			}
		}
	}
	return out
}

// whyNoTasks explains why a service has no running task: the stopped
// tasks' reasons (AWS's words) and the start-path failure behind them, or
// container instances whose agent cannot register.
func (n *Network) whyNoTasks(s *serviceNode) *TasksStopped {
	out := &TasksStopped{Service: s.svc.Name, serviceARN: s.svc.ARN}
	for _, t := range s.tasks {
		if t.running {
			return nil
		}
		if t.tk.LastStatus == model.TaskStopped && t.tk.StopCode == "TaskFailedToStart" {
			out.Tasks = append(out.Tasks, t.name)
			out.StopCode, out.Reason = t.tk.StopCode, t.tk.StoppedReason
		}
	}
	if fs := ServiceStartFailures(n, s.svc); len(fs) > 0 {
		out.Failure = &fs[0]
	}
	if out.Failure == nil && runsOnInstances(s.svc) {
		// No container instance: is an agent unable to register?
		for _, i := range n.instanceOrder {
			if i.inst.State != model.InstanceRunning || model.UserDataECSCluster(i.inst.UserData) == "" {
				continue
			}
			if f := InstanceRegisterFailure(n.st, i.inst); f != nil {
				// Once registered, the instance must also pull the
				// service's images, fetch its secrets and create its log
				// streams: an endpoint fix needs those endpoints too.
				for _, td := range n.runTaskDefinitions(s.svc) {
					images := make([]string, 0, len(td.Containers))
					for _, c := range td.Containers {
						images = append(images, c.Image)
					}
					more, internet := startNeeds(n.st.Region, images, td.Containers, false)
					for _, x := range more {
						if !slices.Contains(f.Needs, x) {
							f.Needs = append(f.Needs, x)
						}
					}
					f.NeedsInternet = f.NeedsInternet || internet
				}
				out.Failure = f
				break
			}
		}
	}
	out.Unplaced = placementFailure(s.svc)
	if len(out.Tasks) == 0 && out.Failure == nil && out.Unplaced == "" {
		return nil
	}
	return out
}

// Sentence says it in one sentence, for summaries.
func (x *TasksStopped) Sentence() string {
	var b strings.Builder
	switch {
	case x.Task != "":
		b.WriteString("the task " + x.Task + " stopped before it ran (stopCode " + x.StopCode + ": " + x.Reason + ")")
	case len(x.Tasks) > 0:
		b.WriteString("the tasks of the service " + x.Service + " stop before they run (")
		b.WriteString(listNames(x.Tasks, 4))
		b.WriteString(" stopped with stopCode " + x.StopCode + ": " + x.Reason + ")")
	case x.Failure != nil && x.Failure.Code == CodeAgentDisconnected:
		b.WriteString("the container instances of the service " + x.Service + "'s cluster are registered with agentConnected false, so ECS places no task on them: the ECS agent registered through the ecs endpoint but cannot reach its communication service (" + x.Failure.Why + ")")
		if x.Unplaced != "" {
			b.WriteString("; the service reports: " + x.Unplaced)
		}
		return b.String()
	case x.Failure != nil && x.Failure.Code == CodeAgentNoCredentials:
		b.WriteString("no container instance is registered for the service " + x.Service + ": the ECS agent cannot call ECS (" + x.Failure.Why + ")")
		if x.Unplaced != "" {
			b.WriteString("; the service reports: " + x.Unplaced)
		}
		return b.String()
	case x.Failure != nil && x.Failure.Code == CodeAgentCannotRegister:
		b.WriteString("no container instance is registered for the service " + x.Service + ": the ECS agent cannot reach ECS (" + x.Failure.Why + ")")
		if x.Unplaced != "" {
			b.WriteString("; the service reports: " + x.Unplaced)
		}
		return b.String()
	case strings.Contains(x.Unplaced, roleUnassumable):
		b.WriteString("ECS launches no task of the service " + x.Service + ": it cannot assume a role of the task definition (the role does not exist, or its trust policy does not let ecs-tasks.amazonaws.com assume it); the service reports: " + strings.TrimSuffix(x.Unplaced, "."))
	case x.Unplaced != "":
		b.WriteString("the service " + x.Service + " cannot place its tasks: " + x.Unplaced)
	default:
		b.WriteString("the service " + x.Service + " has no running task")
	}
	if x.Failure != nil {
		b.WriteString("; the cause: " + x.Failure.Why)
	}
	return b.String()
}

func listNames(s []string, most int) string {
	if len(s) <= most {
		return strings.Join(s, ", ")
	}
	return strings.Join(s[:most], ", ") + " and " + strconv.Itoa(len(s)-most) + " more"
}

// noTargetsCause adds the root cause of an empty target group: which
// tasks stopped and why, as blocking explanations after the
// ECS_NO_REGISTERED_TARGETS one. It returns the clause to append to it.
func (t *tracer) noTargetsCause(fs *flowState, tg *tgNode, seq int) string {
	if t.quiet {
		return ""
	}
	if svc, other := t.n.ecsBlueGreenIdle(tg.tg); svc != "" {
		return ": it is the idle target group of the ECS blue/green deployments of the service " + svc +
			" (whose tasks are registered in " + other + "), empty between deployments by design: ECS registers the next revision's tasks in it and shifts the listener rules to it during a deployment"
	}
	var clauses []string
	for _, s := range t.n.servicesOf(tg.tg) {
		if s.svc.DesiredCount == 0 && !s.anyRunning() {
			// No task is wanted: whatever would stop a task from
			// starting is not why the group is empty now.
			sentence := "the service " + s.svc.Name + " has desiredCount 0, so ECS runs no task of it"
			msg := sentence
			if fs := ServiceStartFailures(t.n, s.svc); len(fs) > 0 {
				msg += " (once scaled up, its tasks would not start either: " + fs[0].Why + ")"
			}
			if st := model.ServiceScalableTarget(t.n.st, s.svc); st != nil && st.Max == 0 {
				// Application Auto Scaling keeps it at 0: raising the
				// desired count alone would not hold.
				msg += "; its Application Auto Scaling target has MaxCapacity 0. Fix: register the scalable target with " +
					"MinCapacity 1 or more"
			} else {
				msg += ". Fix: set the service's desired count to 1 or more"
			}
			clauses = append(clauses, sentence)
			t.block(fs, fs.verdict, func() Explanation {
				return Explanation{Code: CodeDesiredCountZero, Path: "forward", Hop: seq, Component: s.comp, Message: msg, clause: sentence, said: true}
			})
			continue
		}
		if sentence, e, ok := t.ipv6TargetsMissing(s, tg, seq); ok {
			clauses = append(clauses, sentence)
			t.block(fs, fs.verdict, func() Explanation { return e })
			continue
		}
		x := t.n.whyNoTasks(s)
		if x == nil {
			continue
		}
		sentence := x.Sentence()
		code := CodeTasksStopped
		if x.Failure != nil {
			code = x.Failure.Code
		} else if strings.HasPrefix(x.Reason, "InsufficientFreeAddressesInSubnet") {
			code = CodeSubnetNoFreeAddresses
		} else if c, _ := placementEvent(s.svc); c != "" && len(x.Tasks) == 0 {
			// Not placed at all: the placement failure is the cause.
			code = c
			if note := t.n.reservedPortNote(s.svc); note != "" {
				sentence = strings.TrimSuffix(sentence, ".") + note
			}
			if note := t.n.zoneNote(s.svc); c == CodePlacementZone && note != "" {
				sentence = strings.TrimSuffix(sentence, ".") + note
			}
			if note := t.n.attributeNote(s.svc); c == CodePlacementMissingAttribute && note != "" {
				sentence = strings.TrimSuffix(sentence, ".") + note
			}
		}
		clauses = append(clauses, sentence)
		xc := x
		msg := sentence
		if x.Failure != nil {
			msg = "the tasks of the service " + s.svc.Name + " cannot start: " + x.Failure.Why + ". Fix: " + StartFixHint(x.Failure)
			if x.Failure.Code == CodeAgentCannotRegister || x.Failure.Code == CodeAgentNoCredentials {
				msg = "the container instances of the service " + s.svc.Name + "'s cluster cannot register: " + x.Failure.Why + ". Fix: " + StartFixHint(x.Failure)
			}
			if x.Failure.Code == CodeAgentDisconnected {
				msg = "the container instances of the service " + s.svc.Name + "'s cluster are registered but their agent is not connected (agentConnected false; ECS places no task on them): " + x.Failure.Why + ". Fix: " + StartFixHint(x.Failure)
			}
		}
		t.block(fs, fs.verdict, func() Explanation {
			e := Explanation{Code: code, Path: "forward", Hop: seq, Component: s.comp, Message: msg, clause: sentence, Tasks: xc, said: true}
			e.decidedBy(xc.Failure)
			return e
		})
	}
	if len(clauses) == 0 && len(t.n.servicesOf(tg.tg)) == 0 {
		return t.n.nobodyRegisters(tg.tg)
	}
	if len(clauses) == 0 {
		return ""
	}
	return ": " + strings.Join(clauses, "; ")
}

// anyRunning reports whether one of the service's tasks runs.
func (s *serviceNode) anyRunning() bool {
	for _, t := range s.tasks {
		if t.running {
			return true
		}
	}
	return false
}

// nobodyRegisters says, for a target group with no registered targets
// that no ECS service and no Auto Scaling group registers targets in, so,
// and which target groups of its VPC the services do register in (the
// listener forwards to the wrong group: after a blue/green switch, a
// renamed group). "" when an Auto Scaling group attaches it.
func (n *Network) nobodyRegisters(tg *model.TargetGroup) string {
	for _, g := range n.st.AutoScalingGroups {
		if slices.Contains(g.TargetGroupARNs, tg.ARN) {
			return ""
		}
	}
	if svc, other := n.codeDeployIdle(tg); svc != "" {
		pair := ""
		if g := n.codeDeployGroupOf(tg); g != nil {
			pair = ", the target group pair of the deployment group " + g.Name + " of the application " + g.App + ","
		}
		return ": it is the other target group of the CodeDeploy blue/green deployment of the service " + svc +
			" (whose tasks are registered in " + other + ")" + pair + " empty between deployments by design: CodeDeploy registers the replacement tasks in it during a deployment"
	}
	m := ": no ECS service or Auto Scaling group registers targets in it"
	var others []string
	for _, s := range n.serviceOrder {
		if s.svc.Status == "INACTIVE" {
			continue
		}
		for _, l := range serviceLoadBalancers(s.svc) {
			o := n.st.TargetGroups[l.TargetGroupARN]
			if o == nil || o.ARN == tg.ARN || o.VpcID != tg.VpcID {
				continue
			}
			others = append(others, "the service "+s.svc.Name+" registers its tasks in the target group "+o.Name)
		}
	}
	if len(others) > 0 {
		m += " (" + strings.Join(others, "; ") + ")"
	}
	return m
}

// stoppedCause says why a task that is not running stopped: its
// service's diagnosis, or for a standalone task (RunTask, which ECS does
// not restart) its stopCode and stoppedReason, as DescribeTasks shows
// them, and the start-path failure behind them. nil when there is
// nothing to say.
func (n *Network) stoppedCause(tk *taskNode) *TasksStopped {
	if tk.running {
		return nil
	}
	if tk.service != nil {
		return n.whyNoTasks(tk.service)
	}
	if tk.tk.LastStatus != model.TaskStopped || tk.tk.StopCode != "TaskFailedToStart" {
		return nil
	}
	return &TasksStopped{Task: tk.name, Tasks: []string{tk.name}, StopCode: tk.tk.StopCode, Reason: tk.tk.StoppedReason,
		Failure: TaskStartFailure(n.st, tk.tk)}
}

// stoppedExplanation is x as a blocking explanation about the task tk,
// coded by the start-path failure when there is one (ECS_IMAGE_PULL_FAILED,
// ECS_SECRETS_UNREACHABLE, …), else ECS_TASKS_STOPPED.
func stoppedExplanation(tk *taskNode, x *TasksStopped, path string) Explanation {
	code, msg := CodeTasksStopped, x.Sentence()
	if f := x.Failure; f != nil {
		code = f.Code
		msg += ". Fix: " + StartFixHint(f)
	}
	e := Explanation{Code: code, Blocking: true, Path: path, Component: tk.comp, Message: msg, clause: x.Sentence(), Tasks: x}
	e.decidedBy(x.Failure)
	return e
}

// decidedBy names, on a start-path finding, what blocked the start path's
// connection (the security group, network ACL rule or route that decided
// it), as a blocking explanation names it. The finding's Component stays
// the service or task that cannot start.
func (e *Explanation) decidedBy(f *StartFailure) {
	if f == nil || f.Blocked == nil {
		return
	}
	b := f.Blocked
	e.Decided, e.Direction, e.NetworkInterface, e.SecurityGroups = b.Component, b.Direction, b.NetworkInterface, b.SecurityGroups
	e.ACLRule, e.Route, e.SecurityGroupRule = b.ACLRule, b.Route, b.SecurityGroupRule
}

// ServiceDiagnosis says why a service has no running task (its stopped
// tasks' reason in AWS's words, and the start-path failure behind them),
// or nil when it has one or the analyzer finds no reason.
func ServiceDiagnosis(n *Network, svcARN string) *TasksStopped {
	s := n.services[svcARN]
	if s == nil {
		return nil
	}
	return n.whyNoTasks(s)
}

// zoneNote says, for an awsvpc service on EC2 that ECS places no task
// of for "LOCATION", which zones its subnets are in and which zones its
// cluster's container instances are in: ECS places an awsvpc task only
// on an instance in the zone of one of the service's subnets (the task's
// ENI is created in that subnet and attached to the instance, and an ENI
// attaches only to an instance of its own zone). "" when they share one.
func (n *Network) zoneNote(svc *model.Service) string {
	subnets := runSubnets(svc)
	if len(subnets) == 0 {
		return ""
	}
	var subnetZones, instanceZones []string
	for _, id := range subnets {
		if sn := n.st.Subnets[id]; sn != nil && !slices.Contains(subnetZones, sn.AvailabilityZone) {
			subnetZones = append(subnetZones, sn.AvailabilityZone)
		}
	}
	for _, ci := range n.st.ContainerInstances {
		if ci.ClusterARN == svc.ClusterARN && ci.Status == "ACTIVE" && !slices.Contains(instanceZones, ci.AvailabilityZone) {
			instanceZones = append(instanceZones, ci.AvailabilityZone)
		}
	}
	for _, z := range subnetZones {
		if slices.Contains(instanceZones, z) {
			return ""
		}
	}
	slices.Sort(subnetZones)
	slices.Sort(instanceZones)
	if len(instanceZones) == 0 || len(subnetZones) == 0 {
		return ""
	}
	return "; the service's subnets are in " + strings.Join(subnetZones, ", ") + " and its cluster's container instances in " +
		strings.Join(instanceZones, ", ") + ": an awsvpc task's network interface attaches only to an instance in its subnet's Availability Zone"
}

// reservedPortNote says which of a service's static host ports the ECS
// agent reserves on its cluster's container instances (ECS_RESERVED_PORTS:
// 22, 2375, 2376, 51678, 51679 by default), which no task is ever given;
// "" when none.
func (n *Network) reservedPortNote(svc *model.Service) string {
	for _, td := range n.runTaskDefinitions(svc) {
		if m := n.reservedPortNoteOf(svc, td); m != "" {
			return m
		}
	}
	return ""
}

// reservedPortNoteOf is reservedPortNote for one task definition the
// service runs.
func (n *Network) reservedPortNoteOf(svc *model.Service, td *model.TaskDefinition) string {
	if td.NetworkMode == model.NetworkModeAwsvpc {
		return ""
	}
	var reserved []uint16
	for _, ci := range n.st.ContainerInstances {
		if ci.ClusterARN == svc.ClusterARN && ci.Status == "ACTIVE" {
			for _, p := range ci.ReservedPorts {
				if !slices.Contains(reserved, p) {
					reserved = append(reserved, p)
				}
			}
		}
	}
	slices.Sort(reserved)
	var hit []string
	for _, c := range td.Containers {
		for _, pm := range c.PortMappings {
			hp := pm.HostPort
			if td.NetworkMode == model.NetworkModeHost {
				hp = pm.ContainerPort
			}
			if hp != 0 && slices.Contains(reserved, hp) && !slices.Contains(hit, strconv.Itoa(int(hp))) {
				hit = append(hit, strconv.Itoa(int(hp)))
			}
		}
	}
	if len(hit) == 0 {
		return ""
	}
	var all []string
	for _, p := range reserved {
		all = append(all, strconv.Itoa(int(p)))
	}
	word := "port " + hit[0] + " is"
	if len(hit) > 1 {
		word = "ports " + strings.Join(hit, ", ") + " are"
	}
	return "; host " + word + " reserved on every container instance (ECS_RESERVED_PORTS: " + strings.Join(all, ", ") +
		": SSH, the Docker daemon, the ECS agent), so no instance ever has it free: more instances do not help"
}

// codeDeployIdle returns, for a target group no service registers in, the
// service with the CODE_DEPLOY deployment controller that registers its
// tasks in another target group of the same VPC and target type behind a
// load balancer that also forwards to this one, and that group's name:
// the pair of a CodeDeploy blue/green deployment group (production and
// test listeners on one load balancer, two target groups), whose idle
// member is empty between deployments. Of several such services, the one
// whose group's name shares the longest prefix with this one's (blue/
// green, -1/-2). "" when there is none.
func (n *Network) codeDeployIdle(tg *model.TargetGroup) (svc, other string) {
	node := n.tgs[tg.ARN]
	if node == nil {
		return "", ""
	}
	if g := n.codeDeployGroupOf(tg); g != nil {
		// The deployment group names the pair: its service and the
		// pair's other group, when the service registers in that one
		// and CodeDeploy still deploys it (a service moved to another
		// controller keeps no idle member).
		pair := g.TargetGroupPairs[0].TargetGroups
		o := pair[0]
		if o == tg.Name {
			o = pair[1]
		}
		for _, s := range n.serviceOrder {
			if s.svc.Status == "INACTIVE" || s.svc.DeploymentController != "CODE_DEPLOY" || s.svc.Name != g.ECSServices[0].Service {
				continue
			}
			for _, l := range serviceLoadBalancers(s.svc) {
				if lt := n.st.TargetGroups[l.TargetGroupARN]; lt != nil && lt.Name == o {
					return s.svc.Name, o
				}
			}
		}
	}
	best := -1
	for _, s := range n.serviceOrder {
		if s.svc.Status == "INACTIVE" || s.svc.DeploymentController != "CODE_DEPLOY" {
			continue
		}
		for _, l := range serviceLoadBalancers(s.svc) {
			o := n.tgs[l.TargetGroupARN]
			if o == nil || o.tg.ARN == tg.ARN || o.tg.VpcID != tg.VpcID || o.tg.TargetType != tg.TargetType {
				continue
			}
			shared := slices.ContainsFunc(o.lbs, func(lb *lbNode) bool { return slices.Contains(node.lbs, lb) })
			if !shared {
				continue
			}
			p := 0
			for p < len(o.tg.Name) && p < len(tg.Name) && o.tg.Name[p] == tg.Name[p] {
				p++
			}
			if p > best {
				best, svc, other = p, s.svc.Name, o.tg.Name
			}
		}
	}
	return svc, other
}

// codeDeployGroupOf returns the ECS deployment group (CodeDeploy) whose
// target group pair holds tg, of tg's region (groups name target groups
// by name), or nil.
func (n *Network) codeDeployGroupOf(tg *model.TargetGroup) *model.CodeDeployGroup {
	for _, k := range slices.Sorted(maps.Keys(n.st.CodeDeployGroups)) {
		g := n.st.CodeDeployGroups[k]
		if len(g.ECSServices) != 1 || len(g.TargetGroupPairs) != 1 || len(g.TargetGroupPairs[0].TargetGroups) != 2 {
			continue
		}
		if slices.Contains(g.TargetGroupPairs[0].TargetGroups, tg.Name) {
			return g
		}
	}
	return nil
}

// ecsBlueGreenIdle returns, for a target group with no registered
// targets, the ECS blue/green service (deploymentConfiguration strategy
// BLUE_GREEN, LINEAR or CANARY, the ECS controller) one of whose load balancers pairs it
// with another target group (targetGroupArn and the advanced
// configuration's alternateTargetGroupArn) that holds the service's
// targets, and that group's name: between deployments one group of the
// pair is empty by design. "" when there is none (both empty: the tasks
// are missing, which is no design).
func (n *Network) ecsBlueGreenIdle(tg *model.TargetGroup) (svc, other string) {
	if tg.Targets.Len() > 0 {
		return "", ""
	}
	for _, s := range n.serviceOrder {
		dc := s.svc.DeploymentConfig
		if s.svc.Status == "INACTIVE" || s.svc.DeploymentController != "" || dc == nil || dc.Strategy != "BLUE_GREEN" && dc.Strategy != "LINEAR" && dc.Strategy != "CANARY" {
			continue
		}
		for _, l := range s.svc.LoadBalancers {
			if l.Advanced == nil {
				continue
			}
			o := ""
			switch tg.ARN {
			case l.TargetGroupARN:
				o = l.Advanced.AlternateTargetGroupARN
			case l.Advanced.AlternateTargetGroupARN:
				o = l.TargetGroupARN
			}
			if og := n.st.TargetGroups[o]; og != nil && og.Targets.Len() > 0 {
				return s.svc.Name, og.Name
			}
		}
	}
	return "", ""
}

// CodeDeployIdle reports whether a target group is the idle one of a
// blue/green pair, CodeDeploy's (codeDeployIdle) or ECS's own
// (ecsBlueGreenIdle): a 503 from it is by design.
func (n *Network) CodeDeployIdle(arn string) bool {
	tg := n.st.TargetGroups[arn]
	if tg == nil {
		return false
	}
	if svc, _ := n.ecsBlueGreenIdle(tg); svc != "" {
		return true
	}
	svc, _ := n.codeDeployIdle(tg)
	return svc != ""
}

// roleUnassumable is the text of ECS's error (and a service's event) when
// it cannot assume a task's execution role or task role.
const roleUnassumable = "ECS was unable to assume the role"

// serviceSubnetNames lists an awsvpc service's subnets by name, with the
// free addresses each has left ("private-a (10.0.11.0/28, 0 free)").
func (n *Network) serviceSubnetNames(svc *model.Service) string {
	var out []string
	for _, id := range runSubnets(svc) {
		sn := n.st.Subnets[id]
		if sn == nil {
			continue
		}
		out = append(out, sn.Tags.NameOr(string(id))+" ("+sn.CIDR.String()+", "+strconv.Itoa(n.st.SubnetFreeAddresses(id))+" free)")
	}
	return strings.Join(out, ", ")
}

// attributeNote names the attributes a service's task definition requires
// that the cluster's container instances lack (requiresAttributes), and
// the agent setting or release that registers them.
func (n *Network) attributeNote(svc *model.Service) string {
	for _, td := range n.runTaskDefinitions(svc) {
		if m := n.attributeNoteOf(svc, td); m != "" {
			return m
		}
	}
	return ""
}

// attributeNoteOf is attributeNote for one task definition the service
// runs.
func (n *Network) attributeNoteOf(svc *model.Service, td *model.TaskDefinition) string {
	var missing, agents []string // agents: the versions of the instances lacking one
	for _, name := range model.RequiredInstanceAttributes(td) {
		for _, ci := range n.st.ContainerInstances {
			if ci.ClusterARN != svc.ClusterARN || ci.Status != "ACTIVE" || slices.ContainsFunc(ci.Attributes, func(a model.Attribute) bool { return a.Name == name }) {
				continue
			}
			if !slices.Contains(missing, name) {
				missing = append(missing, name)
			}
			if ci.AgentVersion != "" && model.CompareAgentVersions(ci.AgentVersion, model.AgentCapabilitySince(name)) < 0 && !slices.Contains(agents, ci.AgentVersion) {
				agents = append(agents, ci.AgentVersion)
			}
		}
	}
	if len(missing) == 0 {
		return ""
	}
	m := ": the task definition " + td.Family + ":" + strconv.Itoa(td.Revision) + " requires the container instance attribute " + strings.Join(missing, ", ") + ", which the cluster's instances do not have"
	switch {
	case len(agents) > 0:
		slices.SortFunc(agents, model.CompareAgentVersions)
		var since []string
		for _, name := range missing {
			if v := model.AgentCapabilitySince(name); model.CompareAgentVersions(agents[0], v) < 0 {
				since = append(since, name+" from "+v)
			}
		}
		m += " (their ECS agent " + strings.Join(agents, ", ") + " is older than the release that registers it: " + strings.Join(since, ", ") +
			"). Fix: update the agent (aws ecs update-container-agent, on an agent run by ecs-init) or launch the instances with a newer agent (the ECS-optimized AMI, or a newer amazon/amazon-ecs-agent image in the user data) and replace them"
	case slices.Contains(missing, model.AttrTaskIAMRoleNetworkHost):
		m += " (a task role in the host network mode; the agent registers it unless its ecs.config sets ECS_ENABLE_TASK_IAM_ROLE_NETWORK_HOST=false). Fix: remove ECS_ENABLE_TASK_IAM_ROLE_NETWORK_HOST=false from the instances' user data (launch template) and replace them, or run the task in the awsvpc or bridge network mode"
	case slices.Contains(missing, model.AttrTaskIAMRole):
		m += " (a task role; the agent registers it unless its ecs.config sets ECS_ENABLE_TASK_IAM_ROLE=false). Fix: remove ECS_ENABLE_TASK_IAM_ROLE=false from the instances' user data (launch template) and replace them"
	}
	return m
}
