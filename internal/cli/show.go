package cli

import (
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/reach"
)

// showOptions are ecsnet show's flags.
type showOptions struct {
	Source      string
	Output      string
	SourceFlags sourceFlags
}

func runShow(stdio IO, args []string) int {
	fs := newFlags(stdio, "show", "show SOURCE... [--param K=V] [--base SOURCE] [--output text|json]")
	var o showOptions
	fs.outputFlag(&o.Output, "text", "json")
	o.SourceFlags.add(fs.FlagSet)
	pos, ferr := fs.parse(args)
	if ferr != nil {
		return flagExit(ferr)
	}
	src, err := oneSource(pos)
	if err != nil {
		return failAs(stdio, o.Output, err)
	}
	o.Source = src
	return show(stdio, o)
}

func show(stdio IO, o showOptions) int {
	s, err := openSource(o.Source, o.SourceFlags)
	if err != nil {
		return failAs(stdio, o.Output, err)
	}
	s.warn(stdio, o.SourceFlags)
	var doc *systemDoc
	s.Engine.Read(func(st *model.State) { doc = describeSystem(st, s) })
	if o.Output == "json" {
		if err := writeDoc(stdio.Out, "system", doc); err != nil {
			return failAs(stdio, o.Output, err)
		}
		return ExitOK
	}
	printSystem(s.relabeledIO(stdio), doc)
	return ExitOK
}

// The JSON shape of ecsnet show. Names are the resources' Name tags
// (scenario names) where they have one.
type (
	systemDoc struct {
		Name          string       `json:"name"`
		Region        string       `json:"region"`
		Account       string       `json:"account"`
		VPCs          []vpcDoc     `json:"vpcs"`
		Services      []serviceDoc `json:"services,omitempty"`
		Failures      []failureDoc `json:"placementFailures,omitempty"`
		ClusterEvents []string     `json:"-"`
		// Snapshot is a snapshot SOURCE's age.
		Snapshot *snapshotAge `json:"snapshot,omitempty"`
	}
	vpcDoc struct {
		ID              string `json:"id"`
		Name            string `json:"name,omitempty"`
		CIDR            string `json:"cidr"`
		IPv6CIDR        string `json:"ipv6Cidr,omitempty"`
		InternetGateway string `json:"internetGateway,omitempty"`
		// BlockPublicAccess is the VPC Block Public Access mode in force
		// for the VPC (its exclusion applied), when the account's is not off.
		BlockPublicAccess string        `json:"blockPublicAccess,omitempty"`
		Subnets           []subnetDoc   `json:"subnets"`
		SecurityGroups    []sgDoc       `json:"securityGroups"`
		LoadBalancers     []lbDoc       `json:"loadBalancers,omitempty"`
		NatGateways       []natDoc      `json:"natGateways,omitempty"`
		Endpoints         []endpointDoc `json:"endpoints,omitempty"`
	}
	subnetDoc struct {
		ID                string        `json:"id"`
		Name              string        `json:"name,omitempty"`
		CIDR              string        `json:"cidr"`
		IPv6CIDR          string        `json:"ipv6Cidr,omitempty"`
		AvailabilityZone  string        `json:"availabilityZone"`
		Public            bool          `json:"public"`
		BlockPublicAccess string        `json:"blockPublicAccess,omitempty"` // as the VPC's
		RouteTable        string        `json:"routeTable"`
		Routes            []routeDoc    `json:"routes"`
		NetworkACL        string        `json:"networkAcl"`
		Instances         []instanceDoc `json:"instances,omitempty"`
		// Interfaces are the subnet's ENIs not attached to an instance:
		// Fargate tasks, load balancer nodes, NAT gateways, endpoints.
		Interfaces []eniDoc `json:"networkInterfaces,omitempty"`
		// Tasks are the Fargate tasks whose ENI is in the subnet.
		Tasks []taskDoc `json:"fargateTasks,omitempty"`
	}
	routeDoc struct {
		Destination string `json:"destination"`
		Target      string `json:"target"`
		State       string `json:"state"`
	}
	instanceDoc struct {
		ID                string    `json:"id"`
		Name              string    `json:"name"`
		Type              string    `json:"type"`
		State             string    `json:"state"`
		Cluster           string    `json:"cluster,omitempty"`
		ContainerInstance string    `json:"containerInstanceStatus,omitempty"`
		Interfaces        []eniDoc  `json:"networkInterfaces"`
		Tasks             []taskDoc `json:"tasks,omitempty"`
	}
	eniDoc struct {
		ID             string   `json:"id"`
		DeviceIndex    *int     `json:"deviceIndex,omitempty"`
		Type           string   `json:"interfaceType"`
		PrivateIP      string   `json:"privateIp"`
		PublicIP       string   `json:"publicIp,omitempty"`
		IPv6           []string `json:"ipv6Addresses,omitempty"`
		SecurityGroups []string `json:"securityGroups"`
		Owner          string   `json:"owner,omitempty"`
		Description    string   `json:"description,omitempty"`
	}
	taskDoc struct {
		ARN              string         `json:"arn"`
		Name             string         `json:"name"`
		TaskDefinition   string         `json:"taskDefinition"`
		LastStatus       string         `json:"lastStatus"`
		LaunchType       string         `json:"launchType"`
		NetworkMode      string         `json:"networkMode"`
		NetworkInterface string         `json:"networkInterface,omitempty"`
		PrivateIP        string         `json:"privateIp,omitempty"`
		PublicIP         string         `json:"publicIp,omitempty"`
		Subnet           string         `json:"subnet,omitempty"`
		Containers       []containerDoc `json:"containers"`
		StoppedReason    string         `json:"stoppedReason,omitempty"`
	}
	containerDoc struct {
		Name   string    `json:"name"`
		Listen string    `json:"listenAddress"`
		Ports  []portDoc `json:"ports,omitempty"`
	}
	portDoc struct {
		ContainerPort int    `json:"containerPort"`
		HostPort      int    `json:"hostPort,omitempty"`
		Protocol      string `json:"protocol"`
		// ContainerPortRange and HostPortRange: a containerPortRange
		// mapping ("8000-8009") and, in bridge mode, the block of host
		// ports it was published on (containerPort is then 0).
		ContainerPortRange string `json:"containerPortRange,omitempty"`
		HostPortRange      string `json:"hostPortRange,omitempty"`
	}
	sgDoc struct {
		ID      string   `json:"id"`
		Name    string   `json:"name"`
		Ingress []string `json:"ingress"`
		Egress  []string `json:"egress"`
	}
	lbDoc struct {
		ARN       string        `json:"arn"`
		Name      string        `json:"name"`
		Type      string        `json:"type"`
		Scheme    string        `json:"scheme"`
		DNSName   string        `json:"dnsName"`
		Nodes     []eniDoc      `json:"nodes"`
		Listeners []listenerDoc `json:"listeners"`
		// HealthCheck is a Classic Load Balancer's health check target
		// (HTTP:8080/health).
		HealthCheck string `json:"healthCheck,omitempty"`
	}
	// listenerDoc is a listener: its default action, then its rules in
	// priority order (AWS evaluates the rules first, the default last).
	listenerDoc struct {
		Port     int    `json:"port"`
		Protocol string `json:"protocol"`
		actionDoc
		Rules []ruleDoc `json:"rules,omitempty"`
	}
	// actionDoc is what a listener or a rule does with a request.
	actionDoc struct {
		// TargetGroup, TargetType and Targets are the first target group
		// of a forward action; TargetGroups names all of a weighted one.
		TargetGroup  string   `json:"targetGroup,omitempty"`
		TargetType   string   `json:"targetType,omitempty"`
		Targets      []string `json:"targets,omitempty"`
		TargetGroups []string `json:"targetGroups,omitempty"`
		Fixed        string   `json:"fixedResponse,omitempty"`
		Redirect     string   `json:"redirect,omitempty"`
		// InstancePort and Instances: a Classic Load Balancer's listener
		// forwards to that port of its registered instances.
		InstancePort int      `json:"instancePort,omitempty"`
		Instances    []string `json:"instances,omitempty"`
	}
	ruleDoc struct {
		Priority   int      `json:"priority"`
		Conditions []string `json:"conditions"`
		// Transforms are the rule's rewrites: "url-rewrite REGEX → REPLACE".
		Transforms []string `json:"transforms,omitempty"`
		actionDoc
	}
	natDoc struct {
		ID       string `json:"id"`
		Name     string `json:"name,omitempty"`
		Subnet   string `json:"subnet"`
		State    string `json:"state"`
		PublicIP string `json:"publicIp,omitempty"`
		// Regional: a regional NAT gateway (no subnet), Zones its
		// addresses by zone ("us-east-1a 54.160.0.10").
		Regional bool     `json:"regional,omitempty"`
		Zones    []string `json:"zones,omitempty"`
	}
	endpointDoc struct {
		ID      string `json:"id"`
		Name    string `json:"name,omitempty"`
		Service string `json:"service"`
		Type    string `json:"type"`
	}
	serviceDoc struct {
		Name       string `json:"name"`
		Cluster    string `json:"cluster"`
		Status     string `json:"status"`
		Desired    int    `json:"desiredCount"`
		Running    int    `json:"runningCount"`
		LaunchType string `json:"launchType,omitempty"`
		// AutoScaling is the service's Application Auto Scaling target:
		// the range that keeps its desired count.
		AutoScaling *scalingDoc `json:"autoScaling,omitempty"`
		Events      []string    `json:"events,omitempty"`
		// Why says why no task runs: the stopped tasks' stopCode and
		// stoppedReason, the start-path cause and its fix.
		Why *reach.TasksStopped `json:"why,omitempty"`
		Fix string              `json:"fix,omitempty"`
	}
	scalingDoc struct {
		Min int `json:"minCapacity"`
		Max int `json:"maxCapacity"`
	}
	failureDoc struct {
		Task   string `json:"task"`
		Arn    string `json:"arn,omitempty"`
		Reason string `json:"reason"`
	}
)

func sgNames(st *model.State, ids []model.SecurityGroupID) []string {
	out := make([]string, len(ids))
	for i, id := range ids {
		if g := st.SecurityGroups[id]; g != nil {
			out[i] = g.Name
		} else {
			out[i] = string(id)
		}
	}
	return out
}

func describeENI(st *model.State, n *model.NetworkInterface) eniDoc {
	d := eniDoc{ID: string(n.ID), Type: string(n.Type), PrivateIP: n.PrimaryIP().String(), SecurityGroups: sgNames(st, n.SecurityGroups)}
	if n.Attachment != nil && n.Attachment.InstanceID != "" {
		i := n.Attachment.DeviceIndex
		d.DeviceIndex = &i
	}
	if pub, ok := n.PublicIP(); ok {
		d.PublicIP = pub.String()
	}
	for _, a := range n.IPv6 {
		d.IPv6 = append(d.IPv6, a.String())
	}
	switch n.OwnerKind {
	case model.OwnedByECSTask:
		if tk := st.Tasks[n.ManagedBy]; tk != nil {
			d.Owner = "task " + st.TaskName(tk)
		}
	case model.OwnedByECSTrunk:
		d.Owner = "ECS trunk"
	case model.OwnedByLoadBalancer:
		if lb := st.LoadBalancers[n.ManagedBy]; lb != nil {
			d.Owner = "load balancer " + lb.Name
		}
	case model.OwnedByClassicLoadBalancer:
		d.Owner = "Classic Load Balancer " + n.ManagedBy
	case model.OwnedByNatGateway:
		d.Owner = "NAT gateway " + n.ManagedBy
	case model.OwnedByVpcEndpoint:
		d.Owner = "endpoint " + n.ManagedBy
	case model.OwnedByEFSMountTarget:
		d.Owner = "EFS mount target " + n.ManagedBy
		if mt := st.MountTargets[n.ManagedBy]; mt != nil {
			d.Owner += " of " + mt.FileSystemID
		}
	case model.OwnedByInstance:
		d.Owner = "instance"
	}
	if n.TrunkID != "" {
		d.Description = "branch of " + string(n.TrunkID) + " vlan " + strconv.Itoa(n.VlanID)
	}
	return d
}

func describeTask(st *model.State, tk *model.Task) taskDoc {
	td := st.TaskDefinitions[tk.TaskDefinitionARN]
	d := taskDoc{ARN: tk.ARN, Name: st.TaskName(tk), LastStatus: string(tk.LastStatus), LaunchType: string(tk.LaunchType),
		NetworkMode: string(tk.NetworkMode), StoppedReason: tk.StoppedReason}
	if td != nil {
		d.TaskDefinition = td.Family + ":" + strconv.Itoa(td.Revision)
	}
	if len(tk.Attachments) > 0 {
		a := tk.Attachments[0]
		d.NetworkInterface, d.PrivateIP, d.Subnet = string(a.ENI), a.PrivateIP.String(), subnetTags(st, a.SubnetID).NameOr(string(a.SubnetID))
		if n := st.NetworkInterfaces[a.ENI]; n != nil {
			if pub, ok := n.PublicIP(); ok {
				d.PublicIP = pub.String()
			}
		}
	}
	for _, c := range tk.Containers {
		cd := containerDoc{Name: c.Name, Listen: "0.0.0.0"}
		if td != nil {
			if def, ok := td.Container(c.Name); ok {
				if def.ListenAddress.IsValid() {
					cd.Listen = def.ListenAddress.String()
				}
				for _, pm := range def.PortMappings {
					p := portDoc{ContainerPort: int(pm.ContainerPort), HostPort: int(pm.HostPort), Protocol: pm.Protocol.String()}
					if pm.IsRange() {
						p.ContainerPortRange = pm.ContainerPortRange.String()
						for _, b := range c.NetworkBindings {
							if b.IsRange() && b.ContainerPortRange == pm.ContainerPortRange && b.Protocol == pm.Protocol && tk.NetworkMode == model.NetworkModeBridge {
								p.HostPortRange = b.HostPortRange.String()
							}
						}
						cd.Ports = append(cd.Ports, p)
						continue
					}
					for _, b := range c.NetworkBindings {
						if b.ContainerPort == pm.ContainerPort && b.Protocol == pm.Protocol {
							p.HostPort = int(b.HostPort)
						}
					}
					if tk.NetworkMode == model.NetworkModeAwsvpc {
						p.HostPort = 0
					}
					cd.Ports = append(cd.Ports, p)
				}
			}
		}
		d.Containers = append(d.Containers, cd)
	}
	return d
}

func subnetTags(st *model.State, id model.SubnetID) model.Tags {
	if s := st.Subnets[id]; s != nil {
		return s.Tags
	}
	return nil
}

func ruleLine(st *model.State, r model.SecurityGroupRule) string {
	peer := r.CIDR.String()
	switch {
	case r.Group != "":
		peer = "sg " + sgNames(st, []model.SecurityGroupID{r.Group})[0]
	case r.PrefixList != "":
		peer = string(r.PrefixList)
	}
	if r.Protocol == model.AllProtocols {
		return "all traffic " + dirWord(r.Egress) + " " + peer
	}
	return r.Protocol.String() + " " + r.Ports.String() + " " + dirWord(r.Egress) + " " + peer
}

func dirWord(egress bool) string {
	if egress {
		return "to"
	}
	return "from"
}

func targetName(st *model.State, r model.Route) string {
	switch r.Target {
	case model.TargetInternetGateway:
		if g := st.InternetGateways[model.InternetGatewayID(r.TargetID)]; g != nil {
			return g.Tags.NameOr(r.TargetID)
		}
	case model.TargetNatGateway:
		if n := st.NatGateways[model.NatGatewayID(r.TargetID)]; n != nil {
			return n.Tags.NameOr(r.TargetID)
		}
	case model.TargetVpcEndpoint:
		if ep := st.VpcEndpoints[model.VpcEndpointID(r.TargetID)]; ep != nil {
			return ep.Tags.NameOr(r.TargetID)
		}
	case model.TargetInstance:
		if i := st.Instances[model.InstanceID(r.TargetID)]; i != nil {
			return st.InstanceName(i)
		}
	}
	return r.TargetID
}

func describeSystem(st *model.State, s *source) *systemDoc {
	doc := &systemDoc{Name: s.Name, Region: st.Region, Account: st.Account, Snapshot: s.Snapshot}
	for _, v := range sortedByName(st.VPCs, func(v *model.VPC) string { return v.Tags.NameOr(string(v.ID)) }) {
		vd := vpcDoc{ID: string(v.ID), Name: v.Tags.Name(), CIDR: v.CIDR.String()}
		if len(v.IPv6) > 0 {
			vd.IPv6CIDR = v.IPv6[0].CIDR.String()
		}
		if g := st.VpcInternetGateway(v.ID); g != nil {
			vd.InternetGateway = g.Tags.NameOr(string(g.ID))
		}
		bpa := st.BPAMode() != model.BPAOff
		if bpa {
			vd.BlockPublicAccess = st.BPAStateOf(v.ID, "")
		}
		for _, sub := range sortedByName(st.Subnets, func(s *model.Subnet) string { return s.CIDR.String() }) {
			if sub.VpcID != v.ID {
				continue
			}
			sd := subnetDoc{ID: string(sub.ID), Name: sub.Tags.Name(), CIDR: sub.CIDR.String(), AvailabilityZone: sub.AvailabilityZone, Public: st.PublicSubnet(sub.ID)}
			if !sub.CIDR.IsValid() {
				sd.CIDR = "" // an IPv6-only subnet has no IPv4 block
			}
			if len(sub.IPv6) > 0 {
				sd.IPv6CIDR = sub.IPv6[0].CIDR.String()
			}
			if bpa {
				sd.BlockPublicAccess = st.BPAStateOf(v.ID, sub.ID)
			}
			if rt := st.SubnetRouteTable(sub.ID); rt != nil {
				sd.RouteTable = rt.Tags.NameOr(string(rt.ID))
				if rt.IsMain() && rt.Tags.Name() == "" {
					sd.RouteTable = "main (" + string(rt.ID) + ")"
				}
				for _, r := range rt.Routes {
					dest := r.Destination.String()
					if r.DestinationPrefixList != "" {
						dest = string(r.DestinationPrefixList)
					}
					sd.Routes = append(sd.Routes, routeDoc{Destination: dest, Target: targetName(st, r), State: engine.RouteState(st, rt.VpcID, r)})
				}
			}
			if acl := st.SubnetNetworkACL(sub.ID); acl != nil {
				sd.NetworkACL = acl.Tags.NameOr(string(acl.ID))
				if acl.IsDefault && acl.Tags.Name() == "" {
					sd.NetworkACL = "default (" + string(acl.ID) + ")"
				}
			}
			for _, inst := range sortedByName(st.Instances, func(i *model.Instance) string { return st.InstanceName(i) }) {
				if inst.SubnetID != sub.ID || inst.State == model.InstanceTerminated {
					continue
				}
				sd.Instances = append(sd.Instances, describeInstance(st, inst))
			}
			for _, n := range sortedByName(st.NetworkInterfaces, func(n *model.NetworkInterface) string { return n.PrimaryIP().String() + string(n.ID) }) {
				if n.SubnetID != sub.ID || (n.Attachment != nil && n.Attachment.InstanceID != "") || n.TrunkID != "" {
					continue
				}
				sd.Interfaces = append(sd.Interfaces, describeENI(st, n))
			}
			for _, tk := range sortedByName(st.Tasks, func(t *model.Task) string { return st.TaskName(t) }) {
				if tk.ContainerInstanceARN == "" && tk.Active() && len(tk.Attachments) > 0 && tk.Attachments[0].SubnetID == sub.ID {
					sd.Tasks = append(sd.Tasks, describeTask(st, tk))
				}
			}
			vd.Subnets = append(vd.Subnets, sd)
		}
		for _, g := range sortedByName(st.SecurityGroups, func(g *model.SecurityGroup) string { return g.Name }) {
			if g.VpcID != v.ID {
				continue
			}
			gd := sgDoc{ID: string(g.ID), Name: g.Name, Ingress: []string{}, Egress: []string{}}
			for _, r := range g.Ingress {
				gd.Ingress = append(gd.Ingress, ruleLine(st, r))
			}
			for _, r := range g.Egress {
				gd.Egress = append(gd.Egress, ruleLine(st, r))
			}
			vd.SecurityGroups = append(vd.SecurityGroups, gd)
		}
		for _, lb := range sortedByName(st.LoadBalancers, func(l *model.LoadBalancer) string { return l.Name }) {
			if lb.VpcID == v.ID {
				vd.LoadBalancers = append(vd.LoadBalancers, describeLB(st, lb))
			}
		}
		for _, lb := range sortedByName(st.ClassicLoadBalancers, func(l *model.ClassicLoadBalancer) string { return l.Name }) {
			if lb.VpcID == v.ID {
				vd.LoadBalancers = append(vd.LoadBalancers, describeClassicLB(st, lb))
			}
		}
		for _, n := range sortedByName(st.NatGateways, func(n *model.NatGateway) string { return n.Tags.NameOr(string(n.ID)) }) {
			if n.VpcID == v.ID && n.State != "deleted" {
				nd := natDoc{ID: string(n.ID), Name: n.Tags.Name(), Subnet: subnetTags(st, n.SubnetID).NameOr(string(n.SubnetID)), State: n.State}
				if n.PublicIP.IsValid() {
					nd.PublicIP = n.PublicIP.String()
				}
				if n.Regional() {
					nd.Subnet, nd.Regional = "", true
					for _, a := range n.ZoneAddresses {
						nd.Zones = append(nd.Zones, a.Zone+" "+a.PublicIP.String())
					}
				}
				vd.NatGateways = append(vd.NatGateways, nd)
			}
		}
		for _, ep := range sortedByName(st.VpcEndpoints, func(e *model.VpcEndpoint) string { return e.ServiceName + string(e.ID) }) {
			if ep.VpcID == v.ID {
				vd.Endpoints = append(vd.Endpoints, endpointDoc{ID: string(ep.ID), Name: ep.Tags.Name(), Service: ep.ServiceName, Type: ep.Type})
			}
		}
		doc.VPCs = append(doc.VPCs, vd)
	}
	var net *reach.Network
	for _, svc := range sortedByName(st.Services, func(s *model.Service) string { return s.Name }) {
		sd := serviceDoc{Name: svc.Name, Cluster: model.LastSegment(svc.ClusterARN), Status: svc.Status, Desired: svc.DesiredCount, LaunchType: string(svc.LaunchType)}
		if t := model.ServiceScalableTarget(st, svc); t != nil {
			sd.AutoScaling = &scalingDoc{Min: t.Min, Max: t.Max}
		}
		for _, tk := range st.Tasks {
			if tk.ServiceName == svc.Name && tk.ClusterARN == svc.ClusterARN && tk.LastStatus == model.TaskRunning {
				sd.Running++
			}
		}
		for i := len(svc.Events) - 1; i >= 0; i-- {
			sd.Events = append(sd.Events, svc.Events[i].Message)
		}
		if sd.Running < sd.Desired {
			if net == nil {
				net = reach.Compile(st)
			}
			if why := reach.ServiceDiagnosis(net, svc.ARN); why != nil {
				sd.Why = why
				if why.Failure != nil {
					sd.Fix = reach.StartFixHint(why.Failure)
				}
			}
		}
		doc.Services = append(doc.Services, sd)
	}
	for _, f := range s.Failures {
		doc.Failures = append(doc.Failures, failureDoc{Task: f.Task, Arn: f.ARN, Reason: f.Reason})
	}
	return doc
}

func describeInstance(st *model.State, inst *model.Instance) instanceDoc {
	d := instanceDoc{ID: string(inst.ID), Name: st.InstanceName(inst), Type: inst.Type, State: string(inst.State)}
	for _, ci := range st.ContainerInstances {
		if ci.EC2InstanceID == inst.ID && ci.Status != "INACTIVE" {
			d.Cluster, d.ContainerInstance = model.LastSegment(ci.ClusterARN), ci.Status
		}
	}
	for _, n := range st.InstanceENIs(inst.ID) {
		d.Interfaces = append(d.Interfaces, describeENI(st, n))
		if inst.TrunkENI == n.ID {
			for _, b := range sortedByName(st.NetworkInterfaces, func(n *model.NetworkInterface) string { return fmt.Sprintf("%05d", n.VlanID) }) {
				if b.TrunkID == n.ID {
					d.Interfaces = append(d.Interfaces, describeENI(st, b))
				}
			}
		}
	}
	for _, tk := range sortedByName(st.Tasks, func(t *model.Task) string { return st.TaskName(t) }) {
		ci := st.ContainerInstances[tk.ContainerInstanceARN]
		if ci != nil && ci.EC2InstanceID == inst.ID && tk.Active() {
			d.Tasks = append(d.Tasks, describeTask(st, tk))
		}
	}
	return d
}

func describeLB(st *model.State, lb *model.LoadBalancer) lbDoc {
	d := lbDoc{ARN: lb.ARN, Name: lb.Name, Type: lb.Type, Scheme: lb.Scheme, DNSName: lb.DNSName}
	for _, node := range lb.Nodes {
		if n := st.NetworkInterfaces[node.ENI]; n != nil {
			d.Nodes = append(d.Nodes, describeENI(st, n))
		}
	}
	for _, l := range sortedByName(st.Listeners, func(l *model.Listener) string { return fmt.Sprintf("%05d", l.Port) }) {
		if l.LoadBalancerARN != lb.ARN {
			continue
		}
		ld := listenerDoc{Port: int(l.Port), Protocol: l.Protocol, actionDoc: describeActions(st, l.DefaultActions)}
		for _, r := range sortedByName(st.ListenerRules, func(r *model.ListenerRule) string { return fmt.Sprintf("%05d", r.Priority) }) {
			if r.ListenerARN != l.ARN {
				continue
			}
			rd := ruleDoc{Priority: r.Priority, Conditions: []string{}, actionDoc: describeActions(st, r.Actions)}
			for _, c := range r.Conditions {
				field := c.Field
				if c.HeaderName != "" {
					field += " " + c.HeaderName
				}
				rd.Conditions = append(rd.Conditions, field+" "+strings.Join(c.Values, " or "))
			}
			for _, t := range r.Transforms {
				rd.Transforms = append(rd.Transforms, t.Type+" "+t.Regex+" → "+t.Replace)
			}
			ld.Rules = append(ld.Rules, rd)
		}
		d.Listeners = append(d.Listeners, ld)
	}
	return d
}

// describeClassicLB describes a Classic Load Balancer: its listeners
// forward to an instance port of its registered instances.
func describeClassicLB(st *model.State, lb *model.ClassicLoadBalancer) lbDoc {
	d := lbDoc{Name: lb.Name, Type: "classic", Scheme: lb.Scheme, DNSName: lb.DNSName, HealthCheck: lb.HealthCheck.Target}
	for _, node := range lb.Nodes {
		if n := st.NetworkInterfaces[node.ENI]; n != nil {
			d.Nodes = append(d.Nodes, describeENI(st, n))
		}
	}
	instances := []string{}
	for _, id := range lb.Instances {
		instances = append(instances, string(id))
	}
	for _, l := range lb.Listeners {
		d.Listeners = append(d.Listeners, listenerDoc{Port: l.LoadBalancerPort, Protocol: l.Protocol,
			actionDoc: actionDoc{InstancePort: l.InstancePort, Instances: instances}})
	}
	return d
}

// describeActions summarises a listener's or rule's actions: the last
// one (forward, fixed-response or redirect) decides the answer.
func describeActions(st *model.State, actions []model.ListenerAction) actionDoc {
	var d actionDoc
	for _, a := range actions {
		if a.FixedResponse != nil {
			d.Fixed = a.FixedResponse.StatusCode
		}
		if a.Type == "redirect" {
			d.Redirect = describeRedirect(a.Redirect)
		}
		for _, arn := range a.ForwardTargetGroups() {
			tg := st.TargetGroups[arn]
			if tg == nil {
				continue
			}
			d.TargetGroups = append(d.TargetGroups, tg.Name)
			if d.TargetGroup != "" {
				continue
			}
			d.TargetGroup, d.TargetType = tg.Name, tg.TargetType
			for _, t := range tg.Targets.All() {
				d.Targets = append(d.Targets, t.ID+":"+strconv.Itoa(int(t.Port)))
			}
		}
	}
	if len(d.TargetGroups) < 2 {
		d.TargetGroups = nil
	}
	return d
}

// describeRedirect writes a redirect action as AWS's URL template
// (#{protocol}://#{host}:#{port}/#{path}?#{query}) with its status.
func describeRedirect(r map[string]string) string {
	part := func(k, def string) string {
		if v := r[k]; v != "" {
			return v
		}
		return def
	}
	path := part("Path", "/#{path}")
	if !strings.HasPrefix(path, "/") {
		path = "/" + path
	}
	u := strings.ToLower(part("Protocol", "#{protocol}")) + "://" + part("Host", "#{host}") + ":" + part("Port", "#{port}") + path
	if q := part("Query", "#{query}"); q != "" {
		u += "?" + q
	}
	return strings.TrimPrefix(part("StatusCode", "HTTP_301"), "HTTP_") + " " + u
}

// actionLine is an action's text in ecsnet show.
func actionLine(a actionDoc) string {
	switch {
	case a.Fixed != "":
		return "fixed response " + a.Fixed
	case a.Redirect != "":
		return "redirect " + a.Redirect
	case a.InstancePort != 0:
		to := "forward → instance port " + strconv.Itoa(a.InstancePort) + " of "
		if len(a.Instances) == 0 {
			return to + "no registered instances"
		}
		return to + strings.Join(a.Instances, ", ")
	case a.TargetGroup == "":
		return "forward → no target group"
	}
	to := "forward → target group " + a.TargetGroup + " (" + a.TargetType + "): "
	if len(a.Targets) == 0 {
		to += "no targets"
	} else {
		to += strings.Join(a.Targets, ", ")
	}
	if len(a.TargetGroups) > 1 {
		to += " (weighted with " + strings.Join(a.TargetGroups[1:], ", ") + ")"
	}
	return to
}

// blockMode says a Block Public Access mode in force as show prints it.
func blockMode(m string) string {
	if m == model.BPAOff {
		return "off (excluded)"
	}
	return m
}

// sortedByName returns m's values sorted by key(v).
func sortedByName[K comparable, V any](m map[K]*V, key func(*V) string) []*V {
	out := make([]*V, 0, len(m))
	for _, v := range m {
		out = append(out, v)
	}
	sort.SliceStable(out, func(i, j int) bool { return key(out[i]) < key(out[j]) })
	return out
}

// printSystem writes the tree.
func printSystem(stdio IO, d *systemDoc) {
	w := stdio.Out
	// A snapshot's name carries its region ("snap (us-east-1)"): said once.
	name := strings.TrimSuffix(d.Name, " ("+d.Region+")")
	fmt.Fprintf(w, "%s  (%s, account %s)\n", stdio.paint("bold", name), d.Region, d.Account)
	if d.Snapshot != nil {
		fmt.Fprintln(w, stdio.paint("dim", d.Snapshot.Note))
	}
	for _, v := range d.VPCs {
		igw := "no internet gateway"
		if v.InternetGateway != "" {
			igw = "internet gateway " + v.InternetGateway
		}
		cidr := v.CIDR
		if v.IPv6CIDR != "" {
			cidr += " " + v.IPv6CIDR
		}
		if v.BlockPublicAccess != "" {
			igw += ", Block Public Access " + blockMode(v.BlockPublicAccess)
		}
		fmt.Fprintf(w, "\nVPC %s %s, %s\n", nameAndID(v.Name, v.ID), cidr, igw)
		for i, s := range v.Subnets {
			last := i == len(v.Subnets)-1 && len(v.LoadBalancers) == 0 && len(v.NatGateways) == 0 && len(v.Endpoints) == 0
			kind := "private"
			if s.Public {
				kind = "public"
			}
			if s.BlockPublicAccess != "" && s.BlockPublicAccess != v.BlockPublicAccess {
				kind += ", Block Public Access " + blockMode(s.BlockPublicAccess)
			}
			p := branch(last)
			cidr := s.CIDR
			if s.IPv6CIDR != "" {
				cidr = strings.TrimSpace(cidr + " " + s.IPv6CIDR)
			}
			fmt.Fprintf(w, "%s subnet %s %s %s, %s (route table %s; network ACL %s)\n", p, nameAndID(s.Name, s.ID), cidr, s.AvailabilityZone, stdio.paint("bold", kind), s.RouteTable, s.NetworkACL)
			indent := childIndent("", last)
			var routes []string
			for _, r := range s.Routes {
				x := r.Destination + " → " + r.Target
				if r.State != "active" {
					x += " (" + r.State + ")"
				}
				routes = append(routes, x)
			}
			fmt.Fprintf(w, "%s  routes: %s\n", indent, strings.Join(routes, ", "))
			items := len(s.Instances) + len(s.Interfaces) + len(s.Tasks)
			n := 0
			for _, inst := range s.Instances {
				n++
				printInstance(stdio, w, indent, inst, n == items)
			}
			for _, e := range s.Interfaces {
				n++
				fmt.Fprintf(w, "%s%s %s\n", indent, branch(n == items), eniLine(stdio, e))
			}
			for _, tk := range s.Tasks {
				n++
				fmt.Fprintf(w, "%s%s %s\n", indent, branch(n == items), taskLine(stdio, tk))
			}
		}
		for _, lb := range v.LoadBalancers {
			fmt.Fprintf(w, "├─ load balancer %s (%s, %s) %s\n", lb.Name, lb.Type, lb.Scheme, lb.DNSName)
			if lb.HealthCheck != "" {
				fmt.Fprintf(w, "│  ├─ health check %s\n", lb.HealthCheck)
			}
			for _, node := range lb.Nodes {
				fmt.Fprintf(w, "│  ├─ node %s\n", eniLine(stdio, node))
			}
			for i, l := range lb.Listeners {
				last := i == len(lb.Listeners)-1
				fmt.Fprintf(w, "│  %s listener %s:%d %s\n", branch(last), l.Protocol, l.Port, actionLine(l.actionDoc))
				cont := childIndent("│  ", last)
				for j, r := range l.Rules {
					rewrites := ""
					if len(r.Transforms) > 0 {
						rewrites = " (" + strings.Join(r.Transforms, ", ") + ")"
					}
					fmt.Fprintf(w, "%s%s rule %d if %s%s: %s\n", cont, branch(j == len(l.Rules)-1), r.Priority, strings.Join(r.Conditions, " and "), rewrites, actionLine(r.actionDoc))
				}
			}
		}
		for _, n := range v.NatGateways {
			if n.Regional {
				zones := strings.Join(n.Zones, ", ")
				if zones == "" {
					zones = "no zone"
				}
				fmt.Fprintf(w, "├─ regional NAT gateway %s, %s, addresses: %s\n", label(n.Name, n.ID), n.State, zones)
				continue
			}
			fmt.Fprintf(w, "├─ NAT gateway %s in %s, %s %s\n", label(n.Name, n.ID), n.Subnet, n.State, n.PublicIP)
		}
		for _, ep := range v.Endpoints {
			fmt.Fprintf(w, "├─ endpoint %s %s (%s)\n", label(ep.Name, ep.ID), ep.Service, ep.Type)
		}
		fmt.Fprintln(w, "   security groups:")
		for _, g := range v.SecurityGroups {
			in := strings.Join(g.Ingress, "; ")
			if in == "" {
				in = "nothing"
			}
			fmt.Fprintf(w, "     %s (%s): in: %s\n", g.Name, g.ID, in)
		}
	}
	if len(d.Services) > 0 {
		fmt.Fprintln(w, "\nservices:")
		for _, s := range d.Services {
			scaling := ""
			if a := s.AutoScaling; a != nil {
				scaling = fmt.Sprintf(", auto scaling %d–%d", a.Min, a.Max)
			}
			fmt.Fprintf(w, "  %s (cluster %s) %s, %d/%d running%s\n", s.Name, s.Cluster, s.Status, s.Running, s.Desired, scaling)
			for _, e := range s.Events {
				fmt.Fprintf(w, "    %s\n", stdio.paint("dim", e))
			}
			if s.Why != nil {
				fmt.Fprintln(w, wrap(stdio.paint("red", "why: ")+s.Why.Sentence(), 100, "    "))
				if s.Fix != "" {
					fmt.Fprintln(w, wrap("fix: "+s.Fix, 100, "    "))
				}
			}
		}
	}
	if len(d.Failures) > 0 {
		fmt.Fprintln(w, "\nplacement failures:")
		for _, f := range d.Failures {
			fmt.Fprintf(w, "  task %s: %s %s\n", f.Task, stdio.paint("red", f.Reason), f.Arn)
		}
	}
}

func printInstance(stdio IO, w io.Writer, indent string, inst instanceDoc, last bool) {
	ecs := ""
	if inst.Cluster != "" {
		ecs = ", ECS cluster " + inst.Cluster + " (" + inst.ContainerInstance + ")"
	}
	fmt.Fprintf(w, "%s%s instance %s %s %s %s%s\n", indent, branch(last), inst.Name, inst.ID, inst.Type, inst.State, ecs)
	in := childIndent(indent, last)
	items := len(inst.Interfaces) + len(inst.Tasks)
	n := 0
	for _, e := range inst.Interfaces {
		n++
		fmt.Fprintf(w, "%s%s %s\n", in, branch(n == items), eniLine(stdio, e))
	}
	for _, tk := range inst.Tasks {
		n++
		fmt.Fprintf(w, "%s%s %s\n", in, branch(n == items), taskLine(stdio, tk))
	}
}

func eniLine(stdio IO, e eniDoc) string {
	dev := ""
	if e.DeviceIndex != nil {
		dev = fmt.Sprintf(" device %d", *e.DeviceIndex)
	}
	pub := stdio.paint("dim", "no public IP")
	if e.PublicIP != "" {
		pub = "public " + stdio.paint("bold", e.PublicIP)
	}
	owner := ""
	if e.Owner != "" && e.Owner != "instance" {
		owner = " (" + e.Owner + ")"
	}
	typ := ""
	if e.Type != "interface" {
		typ = " [" + e.Type + "]"
	}
	if len(e.IPv6) > 0 {
		pub += ", IPv6 " + strings.Join(e.IPv6, " ")
	}
	return fmt.Sprintf("ENI %s%s%s %s, %s, SGs %s%s", e.ID, dev, typ, e.PrivateIP, pub, strings.Join(e.SecurityGroups, ","), owner)
}

func taskLine(stdio IO, t taskDoc) string {
	var ports []string
	for _, c := range t.Containers {
		for _, p := range c.Ports {
			s := strconv.Itoa(p.ContainerPort) + "/" + p.Protocol
			if p.HostPort != 0 {
				s = strconv.Itoa(p.HostPort) + "→" + s
			}
			if c.Listen != "0.0.0.0" {
				s += " (listens on " + c.Listen + ")"
			}
			ports = append(ports, s)
		}
	}
	where := ""
	if t.NetworkInterface != "" {
		where = " on " + t.NetworkInterface + " " + t.PrivateIP
	}
	return fmt.Sprintf("task %s %s %s %s%s ports %s", t.Name, t.TaskDefinition, t.NetworkMode, t.LastStatus, where, strings.Join(ports, ", "))
}

func branch(last bool) string {
	if last {
		return "└─"
	}
	return "├─"
}

func childIndent(indent string, last bool) string {
	if last {
		return indent + "   "
	}
	return indent + "│  "
}

// nameAndID writes a resource's name and id, or its id alone when it has
// no name (not the id twice).
func nameAndID(name, id string) string {
	if name != "" && name != id {
		return name + " " + id
	}
	return id
}

func label(name, id string) string {
	if name != "" {
		return name
	}
	return id
}
