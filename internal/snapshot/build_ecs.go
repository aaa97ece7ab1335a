package snapshot

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"net/netip"
	"slices"
	"strconv"
	"strings"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

// clusterOfInstance returns the cluster ARN a container instance ARN
// encodes (…:container-instance/<cluster>/<id>, the long ARN format), or "".
func clusterOfInstance(arn string) string {
	i := strings.Index(arn, ":container-instance/")
	if i < 0 {
		return ""
	}
	rest := arn[i+len(":container-instance/"):]
	j := strings.IndexByte(rest, '/')
	if j < 0 {
		return ""
	}
	return arn[:i] + ":cluster/" + rest[:j]
}

func launchTypes(s []string) []model.LaunchType {
	if len(s) == 0 {
		return nil
	}
	out := make([]model.LaunchType, len(s))
	for i, x := range s {
		out[i] = model.LaunchType(x)
	}
	return out
}

func protocolOf(s string) model.Protocol {
	if strings.EqualFold(s, "udp") {
		return model.UDP
	}
	return model.TCP
}

func strategy(in []ecsCPStrategy) []model.CapacityProviderStrategyItem {
	var out []model.CapacityProviderStrategyItem
	for _, s := range in {
		out = append(out, model.CapacityProviderStrategyItem{CapacityProvider: s.CapacityProvider, Weight: int(s.Weight.V), Base: int(s.Base.V)})
	}
	return out
}

func awsvpcConfig(n *ecsNetworkConfig) *model.AwsVpcConfiguration {
	if n == nil || n.AwsvpcConfiguration == nil {
		return nil
	}
	c := n.AwsvpcConfiguration
	return &model.AwsVpcConfiguration{Subnets: ids[model.SubnetID](c.Subnets), SecurityGroups: ids[model.SecurityGroupID](c.SecurityGroups),
		AssignPublicIP: c.AssignPublicIP == "ENABLED"}
}

func (b *builder) ecs() {
	for _, it := range b.rd.clusters {
		c := it.v
		if c.ClusterArn == "" {
			continue
		}
		cl := &model.Cluster{ARN: c.ClusterArn, Name: c.ClusterName, Status: cmp.Or(c.Status, "ACTIVE"), CapacityProviders: c.CapacityProviders,
			DefaultStrategy: strategy(c.DefaultCapacityProviderStrategy), Tags: ecsTags(c.Tags)}
		for _, s := range c.Settings {
			if s.Name == "containerInsights" {
				cl.ContainerInsights = s.Value
			}
		}
		b.st.Clusters[cl.ARN] = cl
	}
	for _, it := range b.rd.taskDefs {
		d := it.v
		if d.TaskDefinitionArn == "" {
			continue
		}
		td := &model.TaskDefinition{ARN: d.TaskDefinitionArn, Family: d.Family, Revision: int(d.Revision.V), Status: cmp.Or(d.Status, "ACTIVE"),
			NetworkMode: model.NetworkMode(cmp.Or(d.NetworkMode, "bridge")), RequiresCompatibilities: launchTypes(d.RequiresCompatibilities),
			Compatibilities: launchTypes(d.Compatibilities), CPU: string(d.CPU), Memory: string(d.Memory), TaskRoleARN: d.TaskRoleArn, ExecutionRoleARN: d.ExecutionRoleArn,
			PIDMode: d.PidMode, IPCMode: d.IpcMode, RegisteredAt: d.RegisteredAt.Time, DeregisteredAt: d.DeregisteredAt.Time,
			RegisteredBy: d.RegisteredBy, Tags: ecsTags(b.rd.taskDefTags[d.TaskDefinitionArn]), Raw: d.Raw}
		for _, a := range d.RequiresAttributes {
			td.RequiresAttributes = append(td.RequiresAttributes, model.Attribute{Name: a.Name, Value: a.Value})
		}
		for _, c := range d.PlacementConstraints {
			td.PlacementConstraints = append(td.PlacementConstraints, model.PlacementConstraint{Type: c.Type, Expression: c.Expression})
		}
		if rp := d.RuntimePlatform; rp != nil {
			td.RuntimePlatform = &model.RuntimePlatform{CPUArchitecture: rp.CPUArchitecture, OperatingSystemFamily: rp.OperatingSystemFamily}
		}
		for _, c := range d.ContainerDefinitions {
			cd := model.ContainerDefinition{Name: c.Name, Image: c.Image, CPU: int(c.CPU.V), Memory: int(c.Memory.V),
				MemoryReservation: int(c.MemoryReservation.V), Essential: c.Essential == nil || *c.Essential, Command: c.Command,
				EntryPoint: c.EntryPoint, DockerLabels: c.DockerLabels, Links: c.Links, Raw: c.Raw}
			for _, e := range c.Environment {
				cd.Environment = append(cd.Environment, model.KeyValue{Name: e.Name, Value: e.Value})
			}
			for _, p := range c.PortMappings {
				if p.ContainerPortRange != "" {
					rng, err := model.ParsePortRange(p.ContainerPortRange)
					if err != nil {
						b.rd.warn(it.at.warning(CodeBadValue, td.ARN, fmt.Sprintf("a port mapping of container %s in %s skipped: %v", c.Name, td.ARN, err)))
						continue
					}
					cd.PortMappings = append(cd.PortMappings, model.PortMapping{ContainerPortRange: rng, Protocol: protocolOf(p.Protocol), Name: p.Name, AppProtocol: p.AppProtocol})
					continue
				}
				if p.ContainerPort.V <= 0 || p.ContainerPort.V > 65535 {
					b.rd.warn(it.at.warning(CodeBadValue, td.ARN, fmt.Sprintf("a port mapping of container %s in %s skipped: containerPort %d", c.Name, td.ARN, p.ContainerPort.V)))
					continue
				}
				pm := model.PortMapping{ContainerPort: uint16(p.ContainerPort.V), Protocol: protocolOf(p.Protocol), Name: p.Name, AppProtocol: p.AppProtocol}
				if p.HostPort.V > 0 && p.HostPort.V <= 65535 {
					pm.HostPort = uint16(p.HostPort.V)
				}
				cd.PortMappings = append(cd.PortMappings, pm)
			}
			td.Containers = append(td.Containers, cd)
		}
		b.st.TaskDefinitions[td.ARN] = td
	}
	// Daemon task definitions, and each one's twin: the task definition
	// the engine gives its daemon tasks (engine.DaemonTwin).
	for _, it := range b.rd.daemonTaskDefs {
		d := it.v
		if d.DaemonTaskDefinitionArn == "" {
			continue
		}
		dtd := &model.DaemonTaskDefinition{ARN: d.DaemonTaskDefinitionArn, Family: d.Family, Revision: int(d.Revision.V), Status: cmp.Or(d.Status, "ACTIVE"),
			CPU: string(d.CPU), Memory: string(d.Memory), TaskRoleARN: d.TaskRoleArn, ExecutionRoleARN: d.ExecutionRoleArn, RegisteredBy: d.RegisteredBy,
			RegisteredAt: d.RegisteredAt.Time, DeleteRequestedAt: d.DeleteRequestedAt.Time}
		for _, raw := range d.ContainerDefinitions {
			var c struct{ Name, Image string }
			_ = json.Unmarshal(raw, &c) // a list element the decoder accepted
			var def bytes.Buffer
			if json.Compact(&def, raw) != nil {
				def.Reset()
			}
			dtd.Containers = append(dtd.Containers, model.DaemonContainer{Name: c.Name, Image: c.Image, Definition: def.String()})
		}
		for _, v := range d.Volumes {
			dv := model.DaemonVolume{Name: v.Name, Host: v.Host != nil}
			if v.Host != nil {
				dv.SourcePath = v.Host.SourcePath
			}
			dtd.Volumes = append(dtd.Volumes, dv)
		}
		b.st.DaemonTaskDefinitions[dtd.ARN] = dtd
		if b.st.TaskDefinitions[dtd.ARN] == nil {
			b.st.TaskDefinitions[dtd.ARN] = engine.DaemonTwin(dtd)
		}
	}

	// Tasks first by container instance, to tie container instances whose
	// ARN does not name their cluster.
	clusterOfCI := map[string]string{}
	for _, it := range b.rd.tasks {
		if it.v.ContainerInstanceArn != "" && it.v.ClusterArn != "" {
			clusterOfCI[it.v.ContainerInstanceArn] = it.v.ClusterArn
		}
	}
	for _, it := range b.rd.cinstances {
		c := it.v
		if c.ContainerInstanceArn == "" {
			continue
		}
		ci := &model.ContainerInstance{ARN: c.ContainerInstanceArn, EC2InstanceID: model.InstanceID(c.Ec2InstanceID), Status: c.Status,
			StatusReason: c.StatusReason, AgentConnected: c.AgentConnected, Version: c.Version, RegisteredAt: c.RegisteredAt.Time,
			CapacityProvider: c.CapacityProviderName, Tags: ecsTags(c.Tags)}
		ci.ClusterARN = cmp.Or(c.ClusterArn, clusterOfInstance(ci.ARN), clusterOfCI[ci.ARN])
		if ci.ClusterARN == "" && len(b.st.Clusters) == 1 {
			for arn := range b.st.Clusters {
				ci.ClusterARN = arn
			}
		}
		if ci.ClusterARN == "" {
			b.note("ci-no-cluster", "container instances whose cluster is unknown", it.at.warning(CodeBadValue, ci.ARN,
				"container instance "+ci.ARN+": its cluster is unknown (a short ARN, no task on it and several clusters)"))
		}
		if c.VersionInfo != nil {
			ci.AgentVersion = c.VersionInfo.AgentVersion
		}
		for _, r := range c.RegisteredResources {
			switch r.Name {
			case "CPU":
				ci.CPU = int(r.IntegerValue.V)
			case "MEMORY":
				ci.MemoryMiB = int(r.IntegerValue.V)
			case "PORTS", "PORTS_UDP":
				for _, s := range r.StringSetValue {
					if p, err := strconv.ParseUint(s, 10, 16); err == nil {
						if r.Name == "PORTS" {
							ci.ReservedPorts = append(ci.ReservedPorts, uint16(p))
						} else {
							ci.ReservedUDPPorts = append(ci.ReservedUDPPorts, uint16(p))
						}
					}
				}
			}
		}
		for _, a := range c.Attributes {
			ci.Attributes = append(ci.Attributes, model.Attribute{Name: a.Name, Value: a.Value})
			switch a.Name {
			case "ecs.availability-zone":
				ci.AvailabilityZone = a.Value
			case "ecs.instance-type":
				ci.InstanceType = a.Value
			case "ecs.awsvpc-trunk-id":
				ci.TrunkingEnabled = true
				if n := b.st.NetworkInterfaces[model.NetworkInterfaceID(a.Value)]; n != nil {
					n.OwnerKind, n.ManagedBy = model.OwnedByECSTrunk, ci.ARN
				}
				if i := b.st.Instances[ci.EC2InstanceID]; i != nil {
					i.TrunkENI = model.NetworkInterfaceID(a.Value)
				}
			}
		}
		if i := b.st.Instances[ci.EC2InstanceID]; i != nil {
			ci.AvailabilityZone = cmp.Or(ci.AvailabilityZone, i.AvailabilityZone)
			ci.InstanceType = cmp.Or(ci.InstanceType, i.Type)
		} else if c.Ec2InstanceID != "" && !b.missing("Reservations") {
			b.note("dangling-ci-instance", "container instances whose EC2 instance is not in the snapshot", it.at.warning(CodeDangling, ci.ARN,
				"container instance "+ci.ARN+" runs on "+c.Ec2InstanceID+", which is not in describe-instances"))
		}
		b.st.ContainerInstances[ci.ARN] = ci
	}
	for _, it := range b.rd.services {
		s := it.v
		if s.ServiceArn == "" {
			continue
		}
		svc := &model.Service{ARN: s.ServiceArn, Name: s.ServiceName, ClusterARN: s.ClusterArn, TaskDefinitionARN: s.TaskDefinition,
			DesiredCount: int(s.DesiredCount.V), LaunchType: model.LaunchType(s.LaunchType), CapacityProviders: strategy(s.CapacityProviderStrategy),
			// describe-services does not say how a service was created: a
			// service on a launch type is taken to have been created on it.
			CreatedLaunchType: model.LaunchType(s.LaunchType),
			PlatformVersion:   s.PlatformVersion, Network: awsvpcConfig(s.NetworkConfiguration), SchedulingStrategy: cmp.Or(s.SchedulingStrategy, "REPLICA"),
			Status: cmp.Or(s.Status, "ACTIVE"), HealthCheckGracePeriod: int(s.HealthCheckGracePeriodSeconds.V), CreatedAt: s.CreatedAt.Time,
			CreatedBy: s.CreatedBy, PropagateTags: s.PropagateTags, EnableECSManagedTags: s.EnableECSManagedTags, Tags: ecsTags(s.Tags),
			RoleARN: s.RoleArn, EnableExecuteCommand: s.EnableExecuteCommand, AZRebalancing: s.AvailabilityZoneRebalancing}
		svc.DeploymentConfig = deployConfig(s.DeploymentConfiguration, svc.SchedulingStrategy)
		if c := s.DeploymentController; c != nil && c.Type != "ECS" {
			// The model says ECS, the default, as "".
			svc.DeploymentController = c.Type
		}
		if svc.ClusterARN == "" {
			svc.ClusterARN = clusterOfService(svc.ARN)
		}
		for _, l := range s.LoadBalancers {
			x := model.ServiceLoadBalancer{TargetGroupARN: l.TargetGroupArn, LoadBalancerName: l.LoadBalancerName,
				ContainerName: l.ContainerName, ContainerPort: uint16(l.ContainerPort.V)}
			if a := l.AdvancedConfiguration; a != nil {
				x.Advanced = &model.AdvancedConfiguration{AlternateTargetGroupARN: a.AlternateTargetGroupArn, ProductionListenerRule: a.ProductionListenerRule,
					TestListenerRule: a.TestListenerRule, RoleARN: a.RoleArn}
			}
			svc.LoadBalancers = append(svc.LoadBalancers, x)
			if l.TargetGroupArn != "" && !b.missing("TargetGroups") && b.st.TargetGroups[l.TargetGroupArn] == nil {
				b.note("dangling-svc-tg", "services whose target group is not in the snapshot", it.at.warning(CodeDangling, svc.ARN,
					"service "+svc.Name+" registers with "+l.TargetGroupArn+", which is not in the snapshot"))
			}
		}
		for _, r := range s.ServiceRegistries {
			x := model.ServiceRegistry{RegistryARN: r.RegistryArn, ContainerName: r.ContainerName}
			if r.Port != nil && r.Port.V > 0 && r.Port.V <= 65535 {
				x.Port = uint16(r.Port.V)
			}
			if r.ContainerPort != nil && r.ContainerPort.V > 0 && r.ContainerPort.V <= 65535 {
				x.ContainerPort = uint16(r.ContainerPort.V)
			}
			if x.RegistryARN != "" {
				svc.ServiceRegistries = append(svc.ServiceRegistries, x)
			}
		}
		for i, d := range s.Deployments {
			sc := b.serviceConnect(d)
			svc.Deployments = append(svc.Deployments, model.Deployment{ID: d.ID, Status: d.Status, TaskDefinitionARN: d.TaskDefinition,
				DesiredCount: int(d.DesiredCount.V), CreatedAt: d.CreatedAt.Time, UpdatedAt: d.UpdatedAt.Time, RolloutState: d.RolloutState, ServiceConnect: sc,
				Network: awsvpcConfig(d.NetworkConfiguration)})
			if i == 0 && sc != nil {
				// The newest (PRIMARY) deployment's configuration is the
				// service's.
				svc.ServiceConnectConfig, svc.ServiceConnect = sc, sc.Enabled
			}
		}
		b.serviceTaskSets(svc, s.TaskSets, it.at)
		b.st.Services[svc.ARN] = svc
	}
	b.looseTaskSets()
	b.tasks()
}

// clusterOfService returns the cluster ARN of a long service ARN
// (…:service/<cluster>/<name>).
func clusterOfService(arn string) string {
	i := strings.Index(arn, ":service/")
	if i < 0 {
		return ""
	}
	rest := arn[i+len(":service/"):]
	j := strings.IndexByte(rest, '/')
	if j < 0 {
		return ""
	}
	return arn[:i] + ":cluster/" + rest[:j]
}

// eniByAddr finds the ENI holding a private address, in a subnet if given.
func (b *builder) eniByAddr(a netip.Addr, subnet model.SubnetID) *model.NetworkInterface {
	var found *model.NetworkInterface
	for _, n := range b.st.NetworkInterfaces {
		if (subnet == "" || n.SubnetID == subnet) && n.HasAddr(a) {
			if found == nil || n.ID < found.ID {
				found = n
			}
		}
	}
	return found
}

func (b *builder) tasks() {
	// Index ENIs by address once: tasks without networkInterfaceId are
	// matched on privateIPv4Address.
	type subnetAddr struct {
		subnet model.SubnetID
		addr   netip.Addr
	}
	byAddr := map[subnetAddr]*model.NetworkInterface{}
	for _, n := range b.st.NetworkInterfaces {
		for _, p := range n.PrivateIPs {
			k := subnetAddr{n.SubnetID, p.Addr}
			if o := byAddr[k]; o == nil || n.ID < o.ID {
				byAddr[k] = n
			}
		}
	}
	for _, it := range b.rd.tasks {
		v := it.v
		if v.TaskArn == "" {
			b.rd.warn(it.at.warning(CodeBadValue, "", "a task without taskArn skipped"))
			continue
		}
		t := &model.Task{ARN: v.TaskArn, ClusterARN: v.ClusterArn, TaskDefinitionARN: v.TaskDefinitionArn, ContainerInstanceARN: v.ContainerInstanceArn,
			LaunchType: model.LaunchType(v.LaunchType), CapacityProvider: v.CapacityProviderName, PlatformVersion: v.PlatformVersion,
			PlatformFamily: v.PlatformFamily, LastStatus: model.TaskStatus(v.LastStatus), DesiredStatus: model.TaskStatus(v.DesiredStatus),
			CPU: string(v.CPU), Memory: string(v.Memory), AvailabilityZone: v.AvailabilityZone, Group: v.Group, StartedBy: v.StartedBy,
			StopCode: v.StopCode, StoppedReason: v.StoppedReason, Connectivity: v.Connectivity, CreatedAt: v.CreatedAt.Time,
			PullStartedAt: v.PullStartedAt.Time, StartedAt: v.StartedAt.Time, StoppingAt: v.StoppingAt.Time, StoppedAt: v.StoppedAt.Time,
			ConnectivityAt: v.ConnectivityAt.Time, Version: v.Version, Tags: ecsTags(v.Tags)}
		if t.LaunchType == "" {
			switch {
			case strings.HasPrefix(t.CapacityProvider, "FARGATE"):
				t.LaunchType = model.LaunchFargate
			case t.ContainerInstanceARN != "":
				t.LaunchType = model.LaunchEC2
			}
		}
		if name, ok := strings.CutPrefix(v.Group, "service:"); ok {
			t.ServiceName = name
		}
		for _, c := range v.Containers {
			ct := model.Container{Name: c.Name, ARN: c.ContainerArn, Image: c.Image, LastStatus: model.TaskStatus(c.LastStatus), ExitCode: c.ExitCode, Reason: c.Reason}
			ct.CPU, _ = strconv.Atoi(string(c.CPU))
			ct.Memory, _ = strconv.Atoi(string(c.Memory))
			for _, nb := range c.NetworkBindings {
				if nb.ContainerPortRange != "" || nb.HostPortRange != "" {
					cr, err1 := model.ParsePortRange(nb.ContainerPortRange)
					hr, err2 := model.ParsePortRange(nb.HostPortRange)
					if err1 != nil || err2 != nil || cr.Len() != hr.Len() {
						continue
					}
					bind, _ := addr(nb.BindIP)
					ct.NetworkBindings = append(ct.NetworkBindings, model.NetworkBinding{BindIP: bind, Protocol: protocolOf(nb.Protocol),
						ContainerPortRange: cr, HostPortRange: hr})
					continue
				}
				if nb.HostPort.V <= 0 || nb.HostPort.V > 65535 || nb.ContainerPort.V <= 0 || nb.ContainerPort.V > 65535 {
					continue
				}
				bind, _ := addr(nb.BindIP)
				ct.NetworkBindings = append(ct.NetworkBindings, model.NetworkBinding{BindIP: bind, ContainerPort: uint16(nb.ContainerPort.V),
					HostPort: uint16(nb.HostPort.V), Protocol: protocolOf(nb.Protocol)})
			}
			t.Containers = append(t.Containers, ct)
		}
		td := b.st.TaskDefinitions[t.TaskDefinitionARN]
		switch {
		case td != nil:
			t.NetworkMode = td.NetworkMode
		case t.TaskDefinitionARN == "":
			b.note("task-no-td", "tasks without a task definition", it.at.warning(CodeBadValue, t.ARN, "task "+t.ARN+" names no taskDefinitionArn"))
		case !b.missing("taskDefinition"):
			b.note("dangling-td", "tasks whose task definition is not in the snapshot", it.at.warning(CodeDangling, t.ARN,
				"task "+t.ARN+" runs "+t.TaskDefinitionARN+", which is not in the snapshot: the ports it listens on are unknown"))
		}
		svc := b.st.Services[serviceARNOf(t)]
		for _, a := range v.Attachments {
			if a.Type != "ElasticNetworkInterface" && a.Type != "eni" {
				continue
			}
			att := model.TaskAttachment{ID: a.ID, Type: "ElasticNetworkInterface", Status: a.Status}
			for _, d := range a.Details {
				switch d.Name {
				case "networkInterfaceId":
					att.ENI = model.NetworkInterfaceID(d.Value)
				case "subnetId":
					att.SubnetID = model.SubnetID(d.Value)
				case "macAddress":
					att.MAC = d.Value
				case "privateIPv4Address":
					att.PrivateIP, _ = addr(d.Value)
				case "privateDnsName":
					att.DNSName = d.Value
				case "ipv6Address":
					att.IPv6, _ = addr(d.Value)
				}
			}
			n := b.st.NetworkInterfaces[att.ENI]
			if n == nil && att.PrivateIP.IsValid() {
				n = byAddr[subnetAddr{att.SubnetID, att.PrivateIP}]
				if n == nil && att.SubnetID == "" {
					n = b.eniByAddr(att.PrivateIP, "")
				}
				if n != nil {
					att.ENI = n.ID
				}
			}
			if n == nil && (att.Status == "ATTACHED" || att.Status == "" || t.LastStatus == model.TaskRunning) && att.PrivateIP.IsValid() {
				n = b.taskENIFromAttachment(t, att, svc, it.at)
			}
			if n != nil {
				n.OwnerKind, n.ManagedBy = model.OwnedByECSTask, t.ARN
				if att.ENI == "" {
					att.ENI = n.ID
				}
				if t.Network == nil {
					t.Network = &model.AwsVpcConfiguration{Subnets: []model.SubnetID{n.SubnetID}, SecurityGroups: slices.Clone(n.SecurityGroups)}
					_, t.Network.AssignPublicIP = n.PublicIP()
				}
			}
			if a.ID != "" {
				b.taskByAttID[a.ID] = t
			}
			t.Attachments = append(t.Attachments, att)
		}
		if t.NetworkMode == "" {
			switch {
			case len(t.Attachments) > 0:
				t.NetworkMode = model.NetworkModeAwsvpc
			case hasBindings(t):
				t.NetworkMode = model.NetworkModeBridge
			}
		}
		if t.NetworkMode == model.NetworkModeAwsvpc && t.ENI() == "" && t.LastStatus == model.TaskRunning {
			b.note("task-no-eni", "awsvpc tasks without an ENI", it.at.warning(CodeInconsistent, t.ARN, "awsvpc task "+t.ARN+" is RUNNING but has no ENI attachment"))
		}
		if t.ContainerInstanceARN != "" && !b.missing("containerInstances") && b.st.ContainerInstances[t.ContainerInstanceARN] == nil {
			b.note("dangling-task-ci", "tasks whose container instance is not in the snapshot", it.at.warning(CodeDangling, t.ARN,
				"task "+t.ARN+" runs on "+t.ContainerInstanceARN+", which is not in the snapshot"))
		}
		b.st.Tasks[t.ARN] = t
	}
	// ENIs that describe themselves as ECS attachments whose task the
	// snapshot lacks.
	for _, n := range b.st.NetworkInterfaces {
		if n.OwnerKind != model.OwnedByECSTask || n.ManagedBy != "" {
			continue
		}
		if m := ecsAttRE.FindStringSubmatch(n.Description); m != nil {
			if t := b.taskByAttID[m[1]]; t != nil {
				n.ManagedBy = t.ARN
				continue
			}
			if !b.missing("tasks") {
				b.note("orphan-task-eni", "ENIs of ECS tasks not in the snapshot", b.eniAt[n.ID].warning(CodeDangling, string(n.ID),
					"ENI "+string(n.ID)+" belongs to ECS attachment "+m[1]+", whose task is not in describe-tasks (stopped since?)"))
			}
		}
	}
}

func hasBindings(t *model.Task) bool {
	for _, c := range t.Containers {
		if len(c.NetworkBindings) > 0 {
			return true
		}
	}
	return false
}

// serviceARNOf returns the ARN of the service that started t.
func serviceARNOf(t *model.Task) string {
	if t.ServiceName == "" {
		return ""
	}
	i := strings.Index(t.ClusterARN, ":cluster/")
	if i < 0 {
		return ""
	}
	return t.ClusterARN[:i] + ":service/" + t.ClusterARN[i+len(":cluster/"):] + "/" + t.ServiceName
}

// taskENIFromAttachment builds a task's ENI from its attachment details
// when describe-network-interfaces does not have it. Its security groups
// come from the task's service; without one they are unknown.
func (b *builder) taskENIFromAttachment(t *model.Task, att model.TaskAttachment, svc *model.Service, at pos) *model.NetworkInterface {
	id := att.ENI
	if id == "" {
		id = model.NetworkInterfaceID("eni-from-" + att.ID)
	}
	n := &model.NetworkInterface{ID: id, SubnetID: att.SubnetID, AvailabilityZone: t.AvailabilityZone, Type: model.InterfaceNormal,
		Description: model.ARN(b.region, "ecs", b.st.Account, "attachment/"+att.ID), MAC: att.MAC,
		PrivateIPs: []model.PrivateIP{{Addr: att.PrivateIP, Primary: true}}, SourceDestCheck: true, RequesterManaged: true,
		OwnerID: b.st.Account, OwnerKind: model.OwnedByECSTask, ManagedBy: t.ARN}
	if s := b.st.Subnets[att.SubnetID]; s != nil {
		n.VpcID = s.VpcID
		n.AvailabilityZone = cmp.Or(n.AvailabilityZone, s.AvailabilityZone)
	}
	src := "its security groups are those of service " + t.ServiceName
	if svc != nil && svc.Network != nil {
		n.SecurityGroups = slices.Clone(svc.Network.SecurityGroups)
		if svc.Network.AssignPublicIP {
			src += " (which assigns public IPs: the public IP itself is unknown)"
		}
	}
	if len(n.SecurityGroups) == 0 {
		src = "its security groups are unknown, so probes to and from it are undecided"
	}
	w := at.warning(CodeMissing, string(id), "task "+t.ARN+"'s ENI "+string(id)+" is not in describe-network-interfaces; built from the task's attachment details: "+src)
	if len(n.SecurityGroups) == 0 || t.LaunchType != model.LaunchEC2 && t.LaunchType != model.LaunchManagedInstances {
		// Without the ENI, a Fargate task's public IP is unknown too.
		b.unknown[string(id)] = w
	}
	b.note("task-eni-synth", "task ENIs built from attachment details", w)
	b.st.NetworkInterfaces[n.ID] = n
	b.eniAt[n.ID] = at
	return n
}

// placeholders stands in for the security groups ENIs, load balancers and
// endpoints name but the snapshot lacks: groups without rules (so they
// admit nothing) whose ids are listed in Unknown.
func (b *builder) placeholders() {
	users := map[model.SecurityGroupID][]string{}
	vpcOf := map[model.SecurityGroupID]model.VpcID{}
	use := func(gs []model.SecurityGroupID, who string, vpc model.VpcID) {
		for _, g := range gs {
			if b.st.SecurityGroups[g] == nil {
				users[g] = append(users[g], who)
				if vpcOf[g] == "" {
					vpcOf[g] = vpc
				}
			}
		}
	}
	for _, n := range b.st.NetworkInterfaces {
		use(n.SecurityGroups, string(n.ID), n.VpcID)
	}
	for _, lb := range b.st.LoadBalancers {
		use(lb.SecurityGroups, lb.Name, lb.VpcID)
	}
	for _, ep := range b.st.VpcEndpoints {
		use(ep.SecurityGroups, string(ep.ID), ep.VpcID)
	}
	for _, g := range sortedKeys(users) {
		who := users[g]
		slices.Sort(who)
		list := strings.Join(who[:min(len(who), 3)], ", ")
		if len(who) > 3 {
			list += fmt.Sprintf(" and %d more", len(who)-3)
		}
		why := "it is not in describe-security-groups"
		if b.missing("SecurityGroups") {
			why = "the snapshot has no describe-security-groups"
		}
		w := Warning{Code: CodePlaceholder, Resource: string(g), Message: fmt.Sprintf("security group %s (used by %s) is unknown: %s; "+
			"it stands in without rules, and probes through it are undecided", g, list, why)}
		b.unknown[string(g)] = w
		b.note("placeholder-sg", "placeholder security groups", w)
		b.st.SecurityGroups[g] = &model.SecurityGroup{ID: g, VpcID: vpcOf[g], Name: string(g) + " (not in snapshot)",
			Description: "placeholder: not in the snapshot", Tags: model.Tags{"ecsnet:placeholder": "true"}}
	}
}

func sortedKeys[K ~string, V any](m map[K]V) []K {
	out := make([]K, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// checks looks for what contradicts AWS's rules: addresses outside their
// subnet, task ENIs not attached to the task's instance. Emulators such as
// moto produce both; the snapshot still loads as it is.
func (b *builder) checks() {
	publicDNS := map[model.VpcID]bool{}
	for _, id := range sortedKeys(b.st.NetworkInterfaces) {
		n := b.st.NetworkInterfaces[id]
		if s := b.st.Subnets[n.SubnetID]; s != nil {
			if n.VpcID == "" {
				n.VpcID = s.VpcID
			}
			for _, p := range n.PrivateIPs {
				if !s.CIDR.Contains(p.Addr) {
					b.note("addr-outside-subnet", "ENI addresses outside their subnet", b.eniAt[n.ID].warning(CodeInconsistent, string(n.ID),
						fmt.Sprintf("ENI %s has address %s outside its subnet %s (%s): AWS assigns addresses from the subnet; probes to it follow the subnet's routes as if it were inside", n.ID, p.Addr, s.ID, s.CIDR)))
				}
			}
		}
	}
	for _, it := range b.rd.enis {
		if a := it.v.Association; a != nil && a.PublicDNSName != "" {
			if n := b.st.NetworkInterfaces[model.NetworkInterfaceID(it.v.NetworkInterfaceID)]; n != nil {
				publicDNS[n.VpcID] = true
			}
		}
	}
	for vpc := range publicDNS {
		if v := b.st.VPCs[vpc]; v != nil && !b.dnsHostnamesKnown[vpc] {
			v.EnableDNSHostnames = true
		}
	}
	for _, arn := range sortedKeys(b.st.Tasks) {
		t := b.st.Tasks[arn]
		if t.LaunchType != model.LaunchEC2 && t.LaunchType != model.LaunchManagedInstances || t.NetworkMode != model.NetworkModeAwsvpc || !t.Active() {
			continue
		}
		ci := b.st.ContainerInstances[t.ContainerInstanceARN]
		n := b.st.NetworkInterfaces[t.ENI()]
		if ci == nil || n == nil || b.st.Instances[ci.EC2InstanceID] == nil {
			continue
		}
		attached := n.Attachment != nil && n.Attachment.InstanceID == ci.EC2InstanceID
		if !attached && !ci.TrunkingEnabled && n.Type != model.InterfaceBranch {
			b.note("task-eni-detached", "task ENIs not attached to their instance", b.eniAt[n.ID].warning(CodeInconsistent, string(n.ID),
				fmt.Sprintf("task %s runs on %s but its ENI %s is not attached to that instance (AWS attaches it at device index 1 or more); the task is still analyzed on that instance", arn, ci.EC2InstanceID, n.ID)))
		}
	}
}

// unknowns lists the resources whose network behaviour the snapshot leaves
// undecided, beyond the placeholder groups: the rule is that a probe is
// undecided when its path touches a resource a fact about which the
// snapshot lacks (its subnet, its routes, its network ACL, a gateway a
// route names, the ports a task listens on, a load balancer's nodes, a
// target group's targets).
func (b *builder) unknowns() {
	mark := func(id string, w Warning) {
		if id == "" {
			return
		}
		if _, ok := b.unknown[id]; !ok {
			b.unknown[id] = w
		}
	}
	noRoutes, noACLs := b.missing("RouteTables"), b.missing("NetworkAcls")
	for _, id := range sortedKeys(b.st.Subnets) {
		switch {
		case noRoutes || b.st.SubnetRouteTable(id) == nil:
			mark(string(id), Warning{Code: CodeMissing, Resource: string(id), Message: "the route table of subnet " + string(id) + " is not in the snapshot"})
		case noACLs || b.st.SubnetNetworkACL(id) == nil:
			mark(string(id), Warning{Code: CodeMissing, Resource: string(id), Message: "the network ACL of subnet " + string(id) + " is not in the snapshot"})
		}
	}
	for _, id := range sortedKeys(b.st.NetworkInterfaces) {
		n := b.st.NetworkInterfaces[id]
		if a := n.Attachment; a != nil && a.InstanceID != "" && b.st.Instances[a.InstanceID] == nil && n.OwnerKind != model.OwnedByECSTask {
			mark(string(id), Warning{Code: CodeDangling, Resource: string(id), Message: "ENI " + string(id) + " is attached to " + string(a.InstanceID) +
				", which is not in the snapshot: what listens on it is unknown"})
		}
		if b.st.Subnets[n.SubnetID] == nil {
			w := Warning{Code: CodeDangling, Resource: string(id), Message: "ENI " + string(id) + "'s subnet " + string(n.SubnetID) + " is not in the snapshot: its routes and network ACL are unknown"}
			mark(string(id), w)
			mark(string(n.SubnetID), w)
		}
	}
	for _, rt := range b.st.RouteTables {
		for _, r := range rt.Routes {
			var missingCall string
			switch r.Target {
			case model.TargetInternetGateway:
				if b.st.InternetGateways[model.InternetGatewayID(r.TargetID)] == nil {
					missingCall = "ec2 describe-internet-gateways"
				}
			case model.TargetNatGateway:
				if b.st.NatGateways[model.NatGatewayID(r.TargetID)] == nil {
					missingCall = "ec2 describe-nat-gateways"
				}
			case model.TargetVpcEndpoint:
				if b.st.VpcEndpoints[model.VpcEndpointID(r.TargetID)] == nil {
					missingCall = "ec2 describe-vpc-endpoints"
				}
			case model.TargetNetworkInterface:
				if b.st.NetworkInterfaces[model.NetworkInterfaceID(r.TargetID)] == nil {
					missingCall = "ec2 describe-network-interfaces"
				}
			case model.TargetInstance:
				if b.st.Instances[model.InstanceID(r.TargetID)] == nil {
					missingCall = "ec2 describe-instances"
				}
			}
			if missingCall != "" {
				mark(r.TargetID, Warning{Code: CodeDangling, Resource: r.TargetID, Message: "route table " + string(rt.ID) + " routes to " + r.TargetID +
					", which is not in the snapshot (" + missingCall + "): the route counts as a blackhole"})
			}
		}
	}
	// markHost marks an instance and its ENIs: what listens there is unknown.
	markHost := func(id model.InstanceID, w Warning) {
		if id == "" {
			return
		}
		mark(string(id), w)
		for _, n := range b.st.NetworkInterfaces {
			if n.Attachment != nil && n.Attachment.InstanceID == id && n.OwnerKind != model.OwnedByECSTask {
				mark(string(n.ID), w)
			}
		}
	}
	hostOf := func(t *model.Task) model.InstanceID {
		if ci := b.st.ContainerInstances[t.ContainerInstanceARN]; ci != nil {
			return ci.EC2InstanceID
		}
		return ""
	}
	for _, t := range b.st.Tasks {
		if b.st.TaskDefinitions[t.TaskDefinitionARN] == nil {
			w := Warning{Code: CodeMissing, Resource: t.ARN, Message: "task " + t.ARN + "'s task definition is not in the snapshot: the ports it listens on are unknown"}
			mark(t.ARN, w)
			markHost(hostOf(t), w)
		}
		if t.ContainerInstanceARN != "" && b.st.ContainerInstances[t.ContainerInstanceARN] == nil {
			mark(t.ARN, Warning{Code: CodeMissing, Resource: t.ARN, Message: "task " + t.ARN + "'s container instance is not in the snapshot: its host is unknown"})
		}
	}
	for _, ci := range b.st.ContainerInstances {
		if ci.EC2InstanceID != "" && b.st.Instances[ci.EC2InstanceID] == nil {
			for _, t := range b.st.Tasks {
				if t.ContainerInstanceARN == ci.ARN {
					mark(t.ARN, Warning{Code: CodeMissing, Resource: t.ARN, Message: "task " + t.ARN + " runs on " + string(ci.EC2InstanceID) + ", which is not in the snapshot"})
				}
			}
		}
	}
	for _, lb := range b.st.LoadBalancers {
		for _, node := range lb.Nodes {
			if b.st.NetworkInterfaces[node.ENI] == nil {
				mark(lb.ARN, Warning{Code: CodeMissing, Resource: lb.ARN, Message: "load balancer " + lb.Name + "'s node in " + string(node.SubnetID) + " has no ENI in the snapshot"})
			}
		}
	}
	for _, lb := range b.st.LoadBalancers {
		if b.missing("Listeners") {
			mark(lb.ARN, Warning{Code: CodeMissing, Resource: lb.ARN, Message: "the listeners of " + lb.Name + " are not in the snapshot (elbv2 describe-listeners)"})
		}
	}
	for _, l := range b.st.Listeners {
		for _, a := range l.DefaultActions {
			for _, tg := range a.ForwardTargetGroups() {
				if b.st.TargetGroups[tg] == nil {
					w := Warning{Code: CodeDangling, Resource: tg, Message: "listener " + l.ARN + " forwards to " + tg + ", which is not in the snapshot"}
					mark(l.LoadBalancerARN, w)
					mark(l.ARN, w)
				}
			}
		}
	}
	for _, id := range sortedKeys(b.st.NetworkInterfaces) {
		n := b.st.NetworkInterfaces[id]
		if n.OwnerKind == model.OwnedByECSTask && b.st.Tasks[n.ManagedBy] == nil {
			mark(string(id), Warning{Code: CodeMissing, Resource: string(id), Message: "ENI " + string(id) + " belongs to an ECS task that is not in the snapshot: what listens on it is unknown"})
		}
	}
	if b.missing("containerInstances") {
		for _, t := range b.st.Tasks {
			if t.ContainerInstanceARN == "" {
				continue
			}
			w := Warning{Code: CodeMissing, Message: "the snapshot has no ecs describe-container-instances: which instance each EC2 task runs on, and so what listens on the instances, is unknown"}
			for _, i := range b.st.Instances {
				markHost(i.ID, w)
			}
			break
		}
	}
	if b.missing("tasks") {
		for _, ci := range b.st.ContainerInstances {
			w := Warning{Code: CodeMissing, Resource: string(ci.EC2InstanceID), Message: "the snapshot has no ecs describe-tasks: what listens on container instance " + string(ci.EC2InstanceID) + " is unknown"}
			mark(string(ci.EC2InstanceID), w)
			for _, n := range b.st.NetworkInterfaces {
				if n.Attachment != nil && n.Attachment.InstanceID == ci.EC2InstanceID {
					mark(string(n.ID), w)
				}
			}
		}
	}
	healthKnown := !b.missing("TargetHealthDescriptions")
	known := map[string]bool{}
	for _, h := range b.rd.health {
		known[h.v.TargetGroupArn] = true
	}
	for _, tg := range b.st.TargetGroups {
		if !healthKnown || !known[tg.ARN] {
			mark(tg.ARN, Warning{Code: CodeMissing, Resource: tg.ARN, Message: "the targets of " + tg.Name + " are not in the snapshot (elbv2 describe-target-health)"})
		}
	}
}

// deployConfig reads a service's deploymentConfiguration; nil when it is
// absent or holds the defaults of the scheduling strategy (200/100 for
// REPLICA, 100/0 for DAEMON, no circuit breaker, no alarms).
func deployConfig(d *ecsDeployConfig, strategy string) *model.DeploymentConfiguration {
	if d == nil {
		return nil
	}
	dc := model.DeploymentConfiguration{MaximumPercent: 200, MinimumHealthyPercent: 100}
	if strategy == "DAEMON" {
		dc = model.DeploymentConfiguration{MaximumPercent: 100}
	}
	def := dc
	if d.MaximumPercent.Set {
		dc.MaximumPercent = int(d.MaximumPercent.V)
	}
	if d.MinimumHealthyPercent.Set {
		dc.MinimumHealthyPercent = int(d.MinimumHealthyPercent.V)
	}
	if cb := d.DeploymentCircuitBreaker; cb != nil {
		dc.CircuitBreakerEnable, dc.CircuitBreakerRollback = cb.Enable, cb.Rollback
	}
	if a := d.Alarms; a != nil {
		dc.Alarms = &model.DeploymentAlarms{AlarmNames: slices.Clone(a.AlarmNames), Enable: a.Enable, Rollback: a.Rollback}
	}
	dc.Strategy = d.Strategy
	if d.BakeTimeInMinutes != nil {
		dc.BakeTimeInMinutes = int(d.BakeTimeInMinutes.V)
	}
	if dc.Alarms == nil && dc.Strategy == "" && dc.MaximumPercent == def.MaximumPercent && dc.MinimumHealthyPercent == def.MinimumHealthyPercent &&
		!dc.CircuitBreakerEnable && !dc.CircuitBreakerRollback {
		return nil
	}
	return &dc
}

// serviceConnect reads a deployment's serviceConnectConfiguration and
// each endpoint's discoveryArn from serviceConnectResources (nil when the
// deployment has none); serviceConnectNamespaces resolves its namespace.
func (b *builder) serviceConnect(d ecsDeployment) *model.ServiceConnectConfiguration {
	c := d.ServiceConnectConfiguration
	if c == nil {
		return nil
	}
	cfg := &model.ServiceConnectConfiguration{Enabled: c.Enabled, Namespace: c.Namespace}
	if c.LogConfig != nil {
		cfg.LogDriver, cfg.LogOptions = c.LogConfig.LogDriver, c.LogConfig.Options
	}
	port := func(v int64) uint16 {
		if v > 0 && v <= 65535 {
			return uint16(v)
		}
		return 0
	}
	for _, s := range c.Services {
		x := model.ServiceConnectService{PortName: s.PortName, DiscoveryName: cmp.Or(s.DiscoveryName, s.PortName)}
		if s.IngressPortOverride != nil {
			x.IngressPortOverride = port(s.IngressPortOverride.V)
		}
		for _, a := range s.ClientAliases {
			if p := port(a.Port.V); p != 0 {
				x.ClientAliases = append(x.ClientAliases, model.ServiceConnectClientAlias{Port: p, DNSName: a.DNSName})
			}
		}
		for _, r := range d.ServiceConnectResources {
			if r.DiscoveryName == x.DiscoveryName {
				x.DiscoveryARN = r.DiscoveryArn
			}
		}
		cfg.Services = append(cfg.Services, x)
	}
	return cfg
}

// serviceConnectNamespaces resolves the namespace (name, id or ARN) of
// each service's Service Connect configuration among the snapshot's
// Cloud Map namespaces, once they are read.
func (b *builder) serviceConnectNamespaces() {
	for _, svc := range b.st.Services {
		for _, d := range svc.Deployments {
			c := d.ServiceConnect
			if c == nil || c.Namespace == "" {
				continue
			}
			for _, ns := range b.st.Namespaces {
				if ns.ARN == c.Namespace || ns.Name == c.Namespace || ns.ID == c.Namespace {
					c.NamespaceID = ns.ID
				}
			}
		}
	}
}

// capacityProviders makes the Auto Scaling group capacity providers of
// ecs describe-capacity-providers, and those the clusters and container
// instances name that it does not hold (a snapshot without the call, as
// scripts/collect.sh takes before round seventeen): those are known by
// their name only, ACTIVE, on the group of the instances registered with
// them when they share one, without managed scaling. Without them
// CreateService (an analysis on --base of a snapshot or an ecsnet serve
// URL) refused a strategy naming one: "The specified capacity provider
// was not found".
func (b *builder) capacityProviders() {
	for _, it := range b.rd.cproviders {
		c := it.v
		if c.CapacityProviderArn == "" || c.Name == "FARGATE" || c.Name == "FARGATE_SPOT" {
			continue
		}
		cp := model.NewCapacityProvider(c.CapacityProviderArn, c.Name)
		cp.Status, cp.UpdateStatus, cp.Tags = cmp.Or(c.Status, "ACTIVE"), c.UpdateStatus, ecsTags(c.Tags)
		if p := c.ManagedInstancesProvider; p != nil {
			// An ECS Managed Instances provider: of its cluster; the
			// instances registered under it are the ones ECS launched.
			mi := &model.ManagedInstancesProvider{InfrastructureRoleARN: p.InfrastructureRoleArn, PropagateTags: p.PropagateTags,
				InstanceProfileARN: p.InstanceLaunchTemplate.Ec2InstanceProfileArn, Monitoring: p.InstanceLaunchTemplate.Monitoring,
				CapacityOptionType: p.InstanceLaunchTemplate.CapacityOptionType}
			for _, s := range p.InstanceLaunchTemplate.NetworkConfiguration.Subnets {
				mi.Subnets = append(mi.Subnets, model.SubnetID(s))
			}
			for _, g := range p.InstanceLaunchTemplate.NetworkConfiguration.SecurityGroups {
				mi.SecurityGroups = append(mi.SecurityGroups, model.SecurityGroupID(g))
			}
			if r := p.InstanceLaunchTemplate.InstanceRequirements; r != nil {
				mi.AllowedInstanceTypes = r.AllowedInstanceTypes
			}
			cp = &model.CapacityProvider{ARN: c.CapacityProviderArn, Name: c.Name, Status: cp.Status, UpdateStatus: cp.UpdateStatus, Tags: cp.Tags,
				ManagedInstances: mi, ClusterARN: b.clusterARNOf(c.CapacityProviderArn, c.Cluster)}
			b.st.CapacityProviders[cp.ARN] = cp
			continue
		}
		if p := c.AutoScalingGroupProvider; p != nil {
			cp.AutoScalingGroupARN = p.AutoScalingGroupArn
			cp.ManagedTerminationProtection = p.ManagedTerminationProtection == "ENABLED"
			cp.ManagedDrainingDisabled = p.ManagedDraining == "DISABLED"
			if m := p.ManagedScaling; m != nil {
				cp.ManagedScaling = m.Status == "ENABLED"
				if m.TargetCapacity.Set {
					cp.TargetCapacity = int(m.TargetCapacity.V)
				}
				if m.MinimumScalingStepSize.Set {
					cp.MinimumScalingStepSize = int(m.MinimumScalingStepSize.V)
				}
				if m.MaximumScalingStepSize.Set {
					cp.MaximumScalingStepSize = int(m.MaximumScalingStepSize.V)
				}
				if m.InstanceWarmupPeriod.Set {
					cp.InstanceWarmupPeriod = int(m.InstanceWarmupPeriod.V)
				}
			}
		}
		b.st.CapacityProviders[cp.ARN] = cp
	}
	known := map[string]bool{}
	for _, cp := range b.st.CapacityProviders {
		known[cp.Name] = true
	}
	for _, ci := range b.st.ContainerInstances {
		for _, cp := range b.st.CapacityProviders {
			if cp.ManagedInstances != nil && cp.Name == ci.CapacityProvider && cp.ClusterARN == ci.ClusterARN {
				if inst := b.st.Instances[ci.EC2InstanceID]; inst != nil && inst.AutoScalingGroup == "" {
					inst.ManagedBy = cp.Name
				}
			}
		}
	}
	names := map[string]string{} // name → the ARN of a cluster naming it
	for _, cl := range b.st.Clusters {
		for _, n := range cl.CapacityProviders {
			names[n] = cmp.Or(names[n], cl.ARN)
		}
		for _, s := range cl.DefaultStrategy {
			names[s.CapacityProvider] = cmp.Or(names[s.CapacityProvider], cl.ARN)
		}
	}
	groups := map[string]map[string]bool{} // name → the groups of its instances
	for _, ci := range b.st.ContainerInstances {
		if ci.CapacityProvider == "" {
			continue
		}
		names[ci.CapacityProvider] = cmp.Or(names[ci.CapacityProvider], ci.ClusterARN)
		if inst := b.st.Instances[ci.EC2InstanceID]; inst != nil && inst.AutoScalingGroup != "" {
			if groups[ci.CapacityProvider] == nil {
				groups[ci.CapacityProvider] = map[string]bool{}
			}
			groups[ci.CapacityProvider][inst.AutoScalingGroup] = true
		}
	}
	for name, clusterARN := range names {
		if name == "" || name == "FARGATE" || name == "FARGATE_SPOT" || known[name] {
			continue
		}
		arn := model.ARN(b.region, "ecs", b.st.Account, "capacity-provider/"+name)
		if parts := strings.SplitN(clusterARN, ":", 6); len(parts) == 6 {
			arn = strings.Join(parts[:5], ":") + ":capacity-provider/" + name
		}
		if _, ok := b.st.CapacityProviders[arn]; ok {
			continue
		}
		cp := model.NewCapacityProvider(arn, name)
		cp.InstanceWarmupPeriod = 0 // not known: the snapshot does not hold the provider
		if gs := groups[name]; len(gs) == 1 {
			for g := range gs {
				if asg := b.st.AutoScalingGroups[g]; asg != nil {
					cp.AutoScalingGroupARN = asg.ARN
				}
			}
		}
		b.st.CapacityProviders[arn] = cp
	}
}

// clusterARNOf is the ARN of a Managed Instances provider's cluster (a
// name in describe-capacity-providers), in the provider's region and
// account.
func (b *builder) clusterARNOf(providerARN, cluster string) string {
	if cluster == "" || strings.HasPrefix(cluster, "arn:") {
		return cluster
	}
	if parts := strings.SplitN(providerARN, ":", 6); len(parts) == 6 {
		return strings.Join(parts[:5], ":") + ":cluster/" + cluster
	}
	return cluster
}
