package ui

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/reach"
)

// details is what the page shows for one resource: a few fields and tables
// (security group rules, routes, network ACL entries, target health).
// Cells and fields may refer to another resource by id, which the page
// makes a link.
type (
	details struct {
		ID       string    `json:"id"`
		Kind     string    `json:"kind"` // network-interface, security-group, …
		Type     string    `json:"type"` // "Network interface", …
		Title    string    `json:"title"`
		Subtitle string    `json:"subtitle,omitempty"`
		Fields   []field   `json:"fields"`
		Sections []section `json:"sections"`
		Findings []finding `json:"findings"`
	}
	field struct {
		Label string `json:"label"`
		Value string `json:"value"`
		Ref   string `json:"ref,omitempty"`
		Tone  string `json:"tone,omitempty"` // ok, bad, warn, muted
	}
	section struct {
		Title   string   `json:"title"`
		Note    string   `json:"note,omitempty"`
		Columns []string `json:"columns"`
		Rows    [][]cell `json:"rows"`
	}
	cell struct {
		Text string `json:"t"`
		Ref  string `json:"ref,omitempty"`
		Tone string `json:"tone,omitempty"`
	}
)

func (d *details) field(label, value string) {
	d.Fields = append(d.Fields, field{Label: label, Value: value})
}

func (d *details) link(label, value, id string) {
	d.Fields = append(d.Fields, field{Label: label, Value: value, Ref: id})
}

func txt(s string) cell     { return cell{Text: s} }
func lnk(s, id string) cell { return cell{Text: s, Ref: id} }
func tone(s, t string) cell { return cell{Text: s, Tone: t} }

func (h *handler) serveResource(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	id := q.Get("id")
	if id == "" || len(id) > 512 {
		writeError(w, http.StatusBadRequest, "give ?id= (an AWS id or ARN)")
		return
	}
	e, _, err := h.engine(q.Get("whatif"))
	if err != nil {
		writeError(w, status(err), err.Error())
		return
	}
	st, _ := e.Snapshot()
	n := reach.Compile(st, h.opts.Reach...)
	d := describe(st, n, id)
	if d == nil {
		writeError(w, http.StatusNotFound, "no resource "+id)
		return
	}
	for _, f := range reach.Lint(n) {
		if f.Resource != nil && (f.Resource.ID == id || f.Resource.ARN == id) {
			d.Findings = append(d.Findings, finding{Severity: string(f.Severity), Code: f.Code, Message: f.Message, Fix: f.Fix})
		}
	}
	writeJSON(w, http.StatusOK, d)
}

// describe returns the details of the resource with id (an AWS id or ARN),
// or nil.
func describe(st *model.State, n *reach.Network, id string) *details {
	x := &describer{st: st, n: n, b: newBuilder(st, n)}
	x.nm = x.b.nm
	var d *details
	switch {
	case st.SecurityGroups[model.SecurityGroupID(id)] != nil:
		d = x.securityGroup(st.SecurityGroups[model.SecurityGroupID(id)])
	case st.NetworkInterfaces[model.NetworkInterfaceID(id)] != nil:
		d = x.eni(st.NetworkInterfaces[model.NetworkInterfaceID(id)])
	case st.Subnets[model.SubnetID(id)] != nil:
		d = x.subnet(st.Subnets[model.SubnetID(id)])
	case st.RouteTables[model.RouteTableID(id)] != nil:
		d = x.routeTable(st.RouteTables[model.RouteTableID(id)])
	case st.NetworkACLs[model.NetworkACLID(id)] != nil:
		d = x.networkACL(st.NetworkACLs[model.NetworkACLID(id)])
	case st.Instances[model.InstanceID(id)] != nil:
		d = x.instance(st.Instances[model.InstanceID(id)])
	case st.LoadBalancers[id] != nil:
		d = x.loadBalancer(st.LoadBalancers[id])
	case st.TargetGroups[id] != nil:
		d = x.targetGroup(st.TargetGroups[id])
	case st.Listeners[id] != nil:
		d = x.loadBalancer(st.LoadBalancers[st.Listeners[id].LoadBalancerARN])
	case st.NatGateways[model.NatGatewayID(id)] != nil:
		d = x.natGateway(st.NatGateways[model.NatGatewayID(id)])
	case st.VpcEndpoints[model.VpcEndpointID(id)] != nil:
		d = x.endpoint(st.VpcEndpoints[model.VpcEndpointID(id)])
	case st.InternetGateways[model.InternetGatewayID(id)] != nil:
		d = x.igw(st.InternetGateways[model.InternetGatewayID(id)])
	case st.VPCs[model.VpcID(id)] != nil:
		d = x.vpc(st.VPCs[model.VpcID(id)])
	case st.Tasks[id] != nil:
		d = x.task(st.Tasks[id])
	case st.Services[id] != nil:
		d = x.service(st.Services[id])
	case x.classicByARN(id) != nil:
		d = x.classic(x.classicByARN(id))
	default:
		for _, t := range st.Tasks {
			if lastPart(t.ARN) == id {
				d = x.task(t)
				break
			}
		}
	}
	if d == nil {
		return nil
	}
	if d.Fields == nil {
		d.Fields = []field{}
	}
	if d.Sections == nil {
		d.Sections = []section{}
	}
	d.Findings = []finding{}
	return d
}

type describer struct {
	st *model.State
	n  *reach.Network
	nm names
	b  *builder
}

func (x *describer) sgName(id model.SecurityGroupID) string {
	if g := x.st.SecurityGroups[id]; g != nil {
		return g.Name
	}
	return string(id)
}

func portsText(p model.Protocol, r model.PortRange) string {
	switch {
	case p == model.AllProtocols:
		return "all"
	case !p.HasPorts():
		return "—"
	case r.IsAll():
		return "all"
	}
	return r.String()
}

func protoText(p model.Protocol) string {
	if p == model.AllProtocols {
		return "all"
	}
	return p.String()
}

// sgRuleRows renders security group rules; with group set, each row
// starts with the group's name.
func (x *describer) sgRuleRows(g *model.SecurityGroup, rules []model.SecurityGroupRule, withGroup bool) [][]cell {
	var out [][]cell
	for _, r := range rules {
		peer := lnk(r.CIDR.String(), "")
		switch {
		case r.Group != "":
			peer = lnk("sg "+x.sgName(r.Group), string(r.Group))
		case r.PrefixList != "":
			peer = txt(string(r.PrefixList))
		}
		row := []cell{txt(protoText(r.Protocol)), txt(portsText(r.Protocol, r.Ports)), peer, txt(r.Description)}
		if withGroup {
			row = append([]cell{lnk(g.Name, string(g.ID))}, row...)
		}
		out = append(out, row)
	}
	return out
}

func (x *describer) securityGroup(g *model.SecurityGroup) *details {
	d := &details{ID: string(g.ID), Kind: "security-group", Type: "Security group", Title: g.Name, Subtitle: string(g.ID)}
	d.field("Description", g.Description)
	if v := x.st.VPCs[g.VpcID]; v != nil {
		d.link("VPC", v.Tags.NameOr(string(v.ID))+" "+v.CIDR.String(), string(v.ID))
	}
	d.Sections = append(d.Sections,
		section{Title: "Inbound rules", Note: "stateful: replies to allowed connections are allowed", Columns: []string{"Protocol", "Ports", "Source", "Description"}, Rows: nonNil(x.sgRuleRows(g, g.Ingress, false))},
		section{Title: "Outbound rules", Columns: []string{"Protocol", "Ports", "Destination", "Description"}, Rows: nonNil(x.sgRuleRows(g, g.Egress, false))})
	var used [][]cell
	for _, e := range sorted(x.st.NetworkInterfaces) {
		if slices.Contains(e.SecurityGroups, g.ID) {
			used = append(used, []cell{lnk(string(e.ID), string(e.ID)), txt(e.PrimaryIP().String()), txt(x.eniOwner(e))})
		}
	}
	d.Sections = append(d.Sections, section{Title: "Network interfaces in this group", Columns: []string{"ENI", "Private IP", "Belongs to"}, Rows: nonNil(used)})
	return d
}

func nonNil(r [][]cell) [][]cell {
	if r == nil {
		return [][]cell{}
	}
	return r
}

func (x *describer) eniOwner(e *model.NetworkInterface) string {
	return x.b.eniOwnerName(e)
}

func (x *describer) eni(e *model.NetworkInterface) *details {
	st := x.st
	d := &details{ID: string(e.ID), Kind: "network-interface", Type: "Network interface", Title: x.eniOwner(e), Subtitle: string(e.ID)}
	d.field("Interface type", string(e.Type))
	if e.Attachment != nil && e.Attachment.InstanceID != "" {
		d.link("Attached to", x.nm.instances[e.Attachment.InstanceID]+" at device index "+strconv.Itoa(e.Attachment.DeviceIndex), string(e.Attachment.InstanceID))
	}
	if e.TrunkID != "" {
		d.link("Branch of trunk", string(e.TrunkID)+" (VLAN "+strconv.Itoa(e.VlanID)+")", string(e.TrunkID))
	}
	if e.OwnerKind == model.OwnedByECSTask {
		if tk := st.Tasks[e.ManagedBy]; tk != nil {
			d.link("Task", x.nm.tasks[tk.ARN], tk.ARN)
		}
	}
	if e.OwnerKind == model.OwnedByLoadBalancer {
		if lb := st.LoadBalancers[e.ManagedBy]; lb != nil {
			d.link("Load balancer", lb.Name, lb.ARN)
		}
	}
	if e.OwnerKind == model.OwnedByClassicLoadBalancer {
		d.link("Load balancer", e.ManagedBy+" (classic)", reach.ClassicLoadBalancerARN(st, e.ManagedBy))
	}
	if s := st.Subnets[e.SubnetID]; s != nil {
		d.link("Subnet", s.Tags.NameOr(string(s.ID))+" "+s.CIDR.String()+" "+s.AvailabilityZone, string(s.ID))
	}
	var private []string
	for _, p := range e.PrivateIPs {
		s := p.Addr.String()
		if p.Primary {
			s += " (primary)"
		}
		private = append(private, s)
	}
	d.field("Private IPs", strings.Join(private, ", "))
	if p, ok := e.PublicIP(); ok {
		kind := "auto-assigned"
		for _, a := range e.PrivateIPs {
			if a.Primary && a.PublicIP != nil && a.PublicIP.AllocationID != "" {
				kind = "Elastic IP"
			}
		}
		d.Fields = append(d.Fields, field{Label: "Public IP", Value: p.String() + " (" + kind + ", mapped 1:1 by the internet gateway)", Tone: "ok"})
	} else {
		note := "none: the internet cannot reach this interface over IPv4"
		if e.OwnerKind == model.OwnedByECSTask && e.Attachment != nil {
			note += " (an awsvpc task ENI on EC2 never gets one)"
		}
		d.Fields = append(d.Fields, field{Label: "Public IP", Value: note, Tone: "bad"})
	}
	if len(e.IPv6) > 0 {
		var v6 []string
		for _, a := range e.IPv6 {
			v6 = append(v6, a.String())
		}
		d.field("IPv6 addresses", strings.Join(v6, ", ")+" (global: the same inside the VPC and, through an internet gateway, from the internet)")
	}
	if !e.SourceDestCheck {
		d.field("Source/dest. check", "off")
	}
	var in, out [][]cell
	for _, id := range e.SecurityGroups {
		g := st.SecurityGroups[id]
		if g == nil {
			continue
		}
		in = append(in, x.sgRuleRows(g, g.Ingress, true)...)
		out = append(out, x.sgRuleRows(g, g.Egress, true)...)
	}
	var names []string
	for _, id := range e.SecurityGroups {
		names = append(names, x.sgName(id))
	}
	note := "the union of the interface's groups: " + strings.Join(names, ", ")
	if len(names) == 0 {
		note = "no security groups: nothing is filtered"
	}
	d.Sections = append(d.Sections,
		section{Title: "Inbound rules", Note: note, Columns: []string{"Group", "Protocol", "Ports", "Source", "Description"}, Rows: nonNil(in)},
		section{Title: "Outbound rules", Columns: []string{"Group", "Protocol", "Ports", "Destination", "Description"}, Rows: nonNil(out)})
	return d
}

func (x *describer) routeRows(rt *model.RouteTable) [][]cell {
	var out [][]cell
	for i, r := range x.b.routes(rt) {
		st := tone(r.State, "ok")
		if r.State != "active" {
			st = tone(r.State, "bad")
		}
		out = append(out, []cell{txt(r.Destination), lnk(r.Target, rt.Routes[i].TargetID), txt(r.TargetType), st})
	}
	return nonNil(out)
}

func aclRows(acl *model.NetworkACL, egress bool) [][]cell {
	var out [][]cell
	for _, en := range acl.Entries {
		if en.Egress != egress {
			continue
		}
		num := strconv.Itoa(en.RuleNumber)
		if en.RuleNumber == model.ImplicitDenyRule {
			num = "*"
		}
		act := tone("allow", "ok")
		if en.Action == model.Deny {
			act = tone("deny", "bad")
		}
		out = append(out, []cell{txt(num), txt(protoText(en.Protocol)), txt(portsText(en.Protocol, en.Ports)), txt(en.CIDR.String()), act})
	}
	return nonNil(out)
}

func (x *describer) subnet(s *model.Subnet) *details {
	st := x.st
	d := &details{ID: string(s.ID), Kind: "subnet", Type: "Subnet", Title: s.Tags.NameOr(string(s.ID)), Subtitle: string(s.ID)}
	d.field("CIDR", s.CIDR.String())
	d.field("Availability Zone", s.AvailabilityZone)
	rt := st.SubnetRouteTable(s.ID)
	if rt.RoutesToInternetGateway() {
		d.Fields = append(d.Fields, field{Label: "Public or private", Value: "public: its route table sends traffic to an internet gateway", Tone: "ok"})
	} else {
		d.Fields = append(d.Fields, field{Label: "Public or private", Value: "private: no route to an internet gateway", Tone: "muted"})
	}
	d.field("Auto-assign public IPv4", yesNo(s.MapPublicIPOnLaunch))
	x.blockPublicAccess(d, s.VpcID, s.ID)
	if len(s.IPv6) > 0 {
		d.field("IPv6 CIDR", s.IPv6[0].CIDR.String())
		d.field("Auto-assign IPv6 address", yesNo(s.AssignIPv6AddressOnCreation))
	}
	if rt != nil {
		d.link("Route table", rt.Tags.NameOr(string(rt.ID)), string(rt.ID))
		d.Sections = append(d.Sections, section{Title: "Routes", Note: "longest prefix wins", Columns: []string{"Destination", "Target", "Type", "State"}, Rows: x.routeRows(rt)})
	}
	if acl := st.SubnetNetworkACL(s.ID); acl != nil {
		name := acl.Tags.NameOr(string(acl.ID))
		if acl.IsDefault && acl.Tags.Name() == "" {
			name = "default"
		}
		d.link("Network ACL", name+" ("+string(acl.ID)+")", string(acl.ID))
		d.Sections = append(d.Sections,
			section{Title: "Network ACL inbound", Note: "stateless: checked in rule-number order, first match wins", Columns: []string{"Rule", "Protocol", "Ports", "Source", "Action"}, Rows: aclRows(acl, false)},
			section{Title: "Network ACL outbound", Note: "replies leave on the client's ephemeral port", Columns: []string{"Rule", "Protocol", "Ports", "Destination", "Action"}, Rows: aclRows(acl, true)})
	}
	return d
}

// blockPublicAccess adds the VPC Block Public Access mode in force for
// a VPC (subnet empty) or one of its subnets, with the exclusion that
// sets it, when the account's mode is not off.
func (x *describer) blockPublicAccess(d *details, vpc model.VpcID, subnet model.SubnetID) {
	mode := x.st.BPAMode()
	if mode == model.BPAOff {
		return
	}
	inForce := x.st.BPAStateOf(vpc, subnet)
	value, tone := inForce, "bad"
	if inForce == model.BPAOff {
		value, tone = "off here", "ok"
	}
	value += " (account: " + mode
	if xc, excl := x.st.BPAExclusionFor(vpc, subnet); xc != nil {
		value += "; exclusion " + string(xc.ID) + " " + excl
		if xc.SubnetID == "" && subnet != "" {
			value += " of its VPC"
		}
	}
	d.Fields = append(d.Fields, field{Label: "Block Public Access", Value: value + ")", Tone: tone})
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

func (x *describer) routeTable(rt *model.RouteTable) *details {
	d := &details{ID: string(rt.ID), Kind: "route-table", Type: "Route table", Title: rt.Tags.NameOr(string(rt.ID)), Subtitle: string(rt.ID)}
	d.field("Main", yesNo(rt.IsMain()))
	d.Sections = append(d.Sections, section{Title: "Routes", Note: "longest prefix wins", Columns: []string{"Destination", "Target", "Type", "State"}, Rows: x.routeRows(rt)})
	var subs [][]cell
	for _, a := range rt.Associations {
		if s := x.st.Subnets[a.SubnetID]; s != nil {
			subs = append(subs, []cell{lnk(s.Tags.NameOr(string(s.ID)), string(s.ID)), txt(s.CIDR.String())})
		}
	}
	d.Sections = append(d.Sections, section{Title: "Subnets", Columns: []string{"Subnet", "CIDR"}, Rows: nonNil(subs)})
	var edges [][]cell
	for _, a := range rt.Associations {
		if a.GatewayID != "" {
			edges = append(edges, []cell{txt(a.GatewayID), txt(string(a.ID))})
		}
	}
	if len(edges) > 0 {
		d.Sections = append(d.Sections, section{Title: "Edge associations", Note: "traffic entering the VPC through these gateways", Columns: []string{"Gateway", "Association"}, Rows: edges})
	}
	return d
}

func (x *describer) networkACL(acl *model.NetworkACL) *details {
	d := &details{ID: string(acl.ID), Kind: "network-acl", Type: "Network ACL", Title: acl.Tags.NameOr(string(acl.ID)), Subtitle: string(acl.ID)}
	if acl.IsDefault && acl.Tags.Name() == "" {
		d.Title = "default"
	}
	d.field("Default", yesNo(acl.IsDefault))
	d.Sections = append(d.Sections,
		section{Title: "Inbound", Note: "stateless: checked in rule-number order, first match wins", Columns: []string{"Rule", "Protocol", "Ports", "Source", "Action"}, Rows: aclRows(acl, false)},
		section{Title: "Outbound", Columns: []string{"Rule", "Protocol", "Ports", "Destination", "Action"}, Rows: aclRows(acl, true)})
	var subs [][]cell
	for _, s := range sorted(x.st.Subnets) {
		if a := x.st.SubnetNetworkACL(s.ID); a != nil && a.ID == acl.ID {
			subs = append(subs, []cell{lnk(s.Tags.NameOr(string(s.ID)), string(s.ID)), txt(s.CIDR.String())})
		}
	}
	d.Sections = append(d.Sections, section{Title: "Subnets", Columns: []string{"Subnet", "CIDR"}, Rows: nonNil(subs)})
	return d
}

func (x *describer) instance(i *model.Instance) *details {
	st := x.st
	d := &details{ID: string(i.ID), Kind: "instance", Type: "EC2 instance", Title: x.nm.instances[i.ID], Subtitle: string(i.ID)}
	d.field("Type", i.Type)
	d.field("State", string(i.State))
	if s := st.Subnets[i.SubnetID]; s != nil {
		d.link("Subnet", s.Tags.NameOr(string(s.ID))+" "+s.CIDR.String()+" "+s.AvailabilityZone, string(s.ID))
	}
	if i.AutoScalingGroup != "" {
		d.field("Auto Scaling group", i.AutoScalingGroup)
	}
	for _, ci := range st.ContainerInstances {
		if ci.EC2InstanceID == i.ID && ci.Status != "INACTIVE" {
			d.field("ECS cluster", lastPart(ci.ClusterARN)+" (agent "+ci.Status+")")
			if ci.TrunkingEnabled {
				d.field("ENI trunking", "on: awsvpc tasks use branch ENIs of the trunk")
			}
		}
	}
	if t, ok := model.LookupInstanceType(i.Type); ok {
		d.field("ENI limit", strconv.Itoa(t.MaxENIs)+" interfaces: "+strconv.Itoa(t.TasksWithoutTrunking())+" awsvpc tasks without trunking")
	}
	b := x.b
	var enis [][]cell
	for _, e := range st.InstanceENIs(i.ID) {
		pub := tone("no public IP", "bad")
		if p, ok := e.PublicIP(); ok {
			pub = tone(p.String(), "ok")
		}
		var groups []string
		for _, g := range e.SecurityGroups {
			groups = append(groups, x.sgName(g))
		}
		enis = append(enis, []cell{lnk("ENI "+strconv.Itoa(e.Attachment.DeviceIndex+1), string(e.ID)), txt(strconv.Itoa(e.Attachment.DeviceIndex)), txt(e.PrimaryIP().String()), pub, txt(strings.Join(groups, ", ")), txt(b.eniOwnerName(e))})
	}
	d.Sections = append(d.Sections, section{Title: "Network interfaces", Note: "the public IP belongs to one interface; a port exists only where something listens on it",
		Columns: []string{"ENI", "Device", "Private IP", "Public IP", "Security groups", "Belongs to"}, Rows: nonNil(enis)})
	var tasks [][]cell
	for _, tk := range sorted(st.Tasks) {
		ci := st.ContainerInstances[tk.ContainerInstanceARN]
		if ci == nil || ci.EC2InstanceID != i.ID || !tk.Active() {
			continue
		}
		tv := b.task(tk)
		where := "its own ENI " + tv.PrivateIP
		if tk.NetworkMode != model.NetworkModeAwsvpc {
			where = "the instance's addresses (" + string(tk.NetworkMode) + ")"
		}
		tasks = append(tasks, []cell{lnk(tv.Name, tk.ARN), txt(string(tk.NetworkMode)), txt(tv.Status), txt(portsSummary(tv)), txt(where)})
	}
	d.Sections = append(d.Sections, section{Title: "Tasks", Columns: []string{"Task", "Mode", "Status", "Ports", "Listens on"}, Rows: nonNil(tasks)})
	return d
}

// portsSummary is "3000/tcp" for awsvpc, "32768→3000/tcp" for bridge.
func portsSummary(t taskView) string {
	var parts []string
	for _, c := range t.Containers {
		for _, p := range c.Ports {
			s := strconv.Itoa(int(p.Container)) + "/" + p.Protocol
			if p.Host != 0 {
				s = strconv.Itoa(int(p.Host)) + "→" + s
			}
			parts = append(parts, s)
		}
	}
	return strings.Join(parts, ", ")
}

func (x *describer) task(tk *model.Task) *details {
	st := x.st
	tv := x.b.task(tk)
	d := &details{ID: tk.ARN, Kind: "task", Type: "ECS task", Title: tv.Name, Subtitle: tv.ID}
	d.field("Status", string(tk.LastStatus)+" (desired "+string(tk.DesiredStatus)+")")
	d.field("Launch type", string(tk.LaunchType))
	d.field("Network mode", string(tk.NetworkMode))
	d.field("Task definition", tv.TaskDefinition)
	if tk.ServiceName != "" {
		d.field("Service", tk.ServiceName+" (cluster "+lastPart(tk.ClusterARN)+")")
	}
	if ci := st.ContainerInstances[tk.ContainerInstanceARN]; ci != nil {
		d.link("Instance", x.nm.instances[ci.EC2InstanceID], string(ci.EC2InstanceID))
	}
	if eni := tk.ENI(); eni != "" {
		d.link("Network interface", string(eni)+" "+tv.PrivateIP, string(eni))
		if e := st.NetworkInterfaces[eni]; e != nil {
			if p, ok := e.PublicIP(); ok {
				d.Fields = append(d.Fields, field{Label: "Public IP", Value: p.String(), Tone: "ok"})
			} else {
				d.Fields = append(d.Fields, field{Label: "Public IP", Value: "none", Tone: "bad"})
			}
		}
	}
	if tk.StoppedReason != "" {
		d.Fields = append(d.Fields, field{Label: "Stopped reason", Value: tk.StoppedReason, Tone: "bad"})
	}
	var cs [][]cell
	td := st.TaskDefinitions[tk.TaskDefinitionARN]
	for _, c := range tv.Containers {
		image := ""
		if td != nil {
			if def, ok := td.Container(c.Name); ok {
				image = def.Image
			}
		}
		listen := txt(c.Listen)
		if strings.HasPrefix(c.Listen, "127.") {
			listen = tone(c.Listen+" (loopback only)", "bad")
		}
		cs = append(cs, []cell{txt(c.Name), txt(image), listen, txt(portsSummary(taskView{Containers: []containerView{c}}))})
	}
	note := "awsvpc: the ports exist on the task's own ENI only"
	switch tk.NetworkMode {
	case model.NetworkModeBridge:
		note = "bridge: Docker publishes host ports on every address of the instance"
	case model.NetworkModeHost:
		note = "host: the container ports are the instance's ports"
	case model.NetworkModeNone:
		note = "none: no network"
	}
	d.Sections = append(d.Sections, section{Title: "Containers", Note: note, Columns: []string{"Container", "Image", "Listens on", "Ports"}, Rows: nonNil(cs)})
	return d
}

func (x *describer) service(s *model.Service) *details {
	d := &details{ID: s.ARN, Kind: "service", Type: "ECS service", Title: s.Name, Subtitle: lastPart(s.ClusterARN)}
	d.field("Status", s.Status)
	d.field("Desired count", strconv.Itoa(s.DesiredCount))
	d.field("Launch type", string(s.LaunchType))
	var ev [][]cell
	for i, e := range s.Events {
		if i == 10 {
			break
		}
		ev = append(ev, []cell{txt(e.CreatedAt.UTC().Format("2006-01-02 15:04:05")), txt(e.Message)})
	}
	d.Sections = append(d.Sections, section{Title: "Events", Columns: []string{"Time", "Message"}, Rows: nonNil(ev)})
	return d
}

func (x *describer) healthRows(tg *model.TargetGroup) [][]cell {
	var out [][]cell
	for _, h := range reach.TargetHealth(x.n, tg.ARN) {
		name, ref := x.b.targetOwner(tg, model.Target{ID: h.Target.ID, Port: h.Target.Port})
		state := tone(h.State, "ok")
		if h.State != reach.HealthHealthy {
			state = tone(h.State, "bad")
		}
		reason := h.Reason
		if h.Description != "" {
			reason += ": " + h.Description
		}
		out = append(out, []cell{lnk(tg.Name, tg.ARN), txt(h.Target.ID + ":" + strconv.Itoa(int(h.Target.Port))), lnk(name, ref), txt(h.Target.AvailabilityZone), state, txt(reason)})
	}
	return nonNil(out)
}

func (x *describer) loadBalancer(lb *model.LoadBalancer) *details {
	if lb == nil {
		return nil
	}
	st := x.st
	d := &details{ID: lb.ARN, Kind: "load-balancer", Type: "Load balancer", Title: lb.Name, Subtitle: lb.Type + ", " + lb.Scheme}
	d.field("DNS name", lb.DNSName)
	d.field("State", lb.State)
	var groups []string
	for _, g := range lb.SecurityGroups {
		groups = append(groups, x.sgName(g))
	}
	if len(groups) > 0 {
		d.link("Security groups", strings.Join(groups, ", "), string(lb.SecurityGroups[0]))
	}
	var nodes [][]cell
	for _, nd := range lb.Nodes {
		e := st.NetworkInterfaces[nd.ENI]
		if e == nil {
			continue
		}
		pub := tone("none", "muted")
		if p, ok := e.PublicIP(); ok {
			pub = tone(p.String(), "ok")
		}
		nodes = append(nodes, []cell{txt(nd.AvailabilityZone), lnk(st.Subnets[nd.SubnetID].Tags.NameOr(string(nd.SubnetID)), string(nd.SubnetID)), lnk(string(nd.ENI), string(nd.ENI)), txt(e.PrimaryIP().String()), pub})
	}
	d.Sections = append(d.Sections, section{Title: "Nodes", Note: "one node ENI per subnet; the load balancer connects to targets from the node's private address", Columns: []string{"Zone", "Subnet", "ENI", "Private IP", "Public IP"}, Rows: nonNil(nodes)})
	lv := x.b.loadBalancer(lb)
	var ls [][]cell
	for _, l := range lv.Listeners {
		var tgs []string
		for _, arn := range l.TargetGroups {
			if tg := st.TargetGroups[arn]; tg != nil {
				tgs = append(tgs, tg.Name)
			}
		}
		ls = append(ls, []cell{txt(l.Protocol + ":" + strconv.Itoa(int(l.Port))), txt(l.Action), txt(strings.Join(tgs, ", "))})
	}
	d.Sections = append(d.Sections, section{Title: "Listeners", Columns: []string{"Listener", "Default action", "Target groups"}, Rows: nonNil(ls)})
	var health [][]cell
	for _, tg := range lv.TargetGroups {
		health = append(health, x.healthRows(st.TargetGroups[tg.ARN])...)
	}
	d.Sections = append(d.Sections, section{Title: "Target health", Note: "from the analyzer: health checks run from every node, with the load balancer's security groups",
		Columns: []string{"Target group", "Target", "Behind it", "Zone", "Health", "Reason"}, Rows: nonNil(health)})
	return d
}

// classicByARN returns the Classic Load Balancer an ARN names: its own
// (reach.ClassicLoadBalancerARN) or one of its listeners' (ARN/listener/PORT).
func (x *describer) classicByARN(id string) *model.ClassicLoadBalancer {
	name, ok := strings.CutPrefix(id, reach.ClassicLoadBalancerARN(x.st, ""))
	if !ok {
		return nil
	}
	name, _, _ = strings.Cut(name, "/listener/")
	return x.st.ClassicLoadBalancers[name]
}

// classic describes a Classic Load Balancer: its nodes, listeners (to
// instance ports), health check and each registered instance's health.
func (x *describer) classic(c *model.ClassicLoadBalancer) *details {
	st := x.st
	lv := x.b.classic(c)
	d := &details{ID: lv.ARN, Kind: "load-balancer", Type: "Load balancer", Title: c.Name, Subtitle: "classic, " + c.Scheme}
	d.field("DNS name", c.DNSName)
	var groups []string
	for _, g := range c.SecurityGroups {
		groups = append(groups, x.sgName(g))
	}
	if len(groups) > 0 {
		d.link("Security groups", strings.Join(groups, ", "), string(c.SecurityGroups[0]))
	}
	d.field("Health check", c.HealthCheck.Target+" every "+strconv.Itoa(c.HealthCheck.Interval)+" s, timeout "+strconv.Itoa(c.HealthCheck.Timeout)+
		" s, healthy after "+strconv.Itoa(c.HealthCheck.HealthyThreshold)+", unhealthy after "+strconv.Itoa(c.HealthCheck.UnhealthyThreshold))
	cross := "off"
	if lv.Classic.CrossZone {
		cross = "on"
	}
	d.field("Cross-zone load balancing", cross)
	var nodes [][]cell
	for _, nd := range lv.Nodes {
		pub := tone("none", "muted")
		if nd.PublicIP != "" {
			pub = tone(nd.PublicIP, "ok")
		}
		sub := nd.Subnet
		if s := st.Subnets[model.SubnetID(nd.Subnet)]; s != nil {
			sub = s.Tags.NameOr(nd.Subnet)
		}
		nodes = append(nodes, []cell{txt(nd.AZ), lnk(sub, nd.Subnet), lnk(nd.ENI, nd.ENI), txt(nd.PrivateIP), pub})
	}
	d.Sections = append(d.Sections, section{Title: "Nodes", Note: "one node ENI per subnet; the load balancer connects to instances from the node's private address", Columns: []string{"Zone", "Subnet", "ENI", "Private IP", "Public IP"}, Rows: nonNil(nodes)})
	var ls [][]cell
	for _, l := range lv.Listeners {
		ls = append(ls, []cell{txt(l.Protocol + ":" + strconv.Itoa(int(l.Port))), txt(l.InstanceProtocol + ":" + strconv.Itoa(int(l.InstancePort)))})
	}
	d.Sections = append(d.Sections, section{Title: "Listeners", Columns: []string{"Listener", "Instance protocol and port"}, Rows: nonNil(ls)})
	var health [][]cell
	for _, t := range lv.Classic.Instances {
		state := tone(t.Health, "ok")
		if t.Health != "InService" {
			state = tone(t.Health, "bad")
		}
		name := t.ID
		if t.Name != "" {
			name = t.Name
		}
		health = append(health, []cell{lnk(name, t.ID), txt(t.AZ), state, txt(t.Reason)})
	}
	d.Sections = append(d.Sections, section{Title: "Instance health", Note: "from the analyzer, as DescribeInstanceHealth reports it: health checks run from every node that sends to the instance; a Classic Load Balancer does not fail open",
		Columns: []string{"Instance", "Zone", "State", "Description"}, Rows: nonNil(health)})
	return d
}

func (x *describer) targetGroup(tg *model.TargetGroup) *details {
	d := &details{ID: tg.ARN, Kind: "target-group", Type: "Target group", Title: tg.Name, Subtitle: tg.Protocol + ":" + strconv.Itoa(int(tg.Port)) + ", target type " + tg.TargetType}
	hc := tg.HealthCheck
	d.field("Health check", hc.Protocol+" "+hc.Path+" on "+hc.Port)
	d.Sections = append(d.Sections, section{Title: "Target health", Note: "from the analyzer: health checks run from every node, with the load balancer's security groups",
		Columns: []string{"Target group", "Target", "Behind it", "Zone", "Health", "Reason"}, Rows: x.healthRows(tg)})
	return d
}

func (x *describer) natGateway(ng *model.NatGateway) *details {
	d := &details{ID: string(ng.ID), Kind: "nat-gateway", Type: "NAT gateway", Title: ng.Tags.NameOr(string(ng.ID)), Subtitle: string(ng.ID)}
	d.field("Connectivity", ng.ConnectivityType)
	d.field("State", ng.State)
	if ng.Regional() {
		// A regional NAT gateway: of the VPC, an address per zone.
		mode := "regional, zones as listed (AvailabilityZoneAddresses)"
		if ng.AutoProvisionZones {
			mode = "regional, every zone of the VPC's subnets (automatic)"
		}
		d.field("Availability mode", mode)
		var rows [][]cell
		for _, a := range ng.ZoneAddresses {
			rows = append(rows, []cell{txt(a.Zone), txt(a.PublicIP.String()), txt(string(a.AllocationID))})
		}
		d.Sections = append(d.Sections, section{Title: "Addresses", Columns: []string{"Zone", "Public IP", "Allocation"}, Rows: nonNil(rows)})
		d.field("Direction", "outbound only: nothing from the internet enters through a NAT gateway")
		return d
	}
	if s := x.st.Subnets[ng.SubnetID]; s != nil {
		d.link("Subnet", s.Tags.NameOr(string(s.ID)), string(s.ID))
	}
	d.field("Private IP", addrString(ng.PrivateIP))
	if ng.PublicIP.IsValid() {
		d.field("Public IP", ng.PublicIP.String())
	}
	d.field("Direction", "outbound only: nothing from the internet enters through a NAT gateway")
	return d
}

func (x *describer) endpoint(ep *model.VpcEndpoint) *details {
	d := &details{ID: string(ep.ID), Kind: "vpc-endpoint", Type: "VPC endpoint", Title: ep.Tags.NameOr(shortService(ep.ServiceName)), Subtitle: string(ep.ID)}
	d.field("Service", ep.ServiceName)
	d.field("Type", ep.Type)
	d.field("State", ep.State)
	if ep.Type == "Interface" {
		d.field("Private DNS", yesNo(ep.PrivateDNSEnabled))
		var groups []string
		for _, g := range ep.SecurityGroups {
			groups = append(groups, x.sgName(g))
		}
		d.field("Security groups", strings.Join(groups, ", "))
	}
	var rows [][]cell
	for _, rt := range ep.RouteTables {
		rows = append(rows, []cell{txt("route table"), lnk(string(rt), string(rt))})
	}
	for _, e := range ep.NetworkInterfaces {
		rows = append(rows, []cell{txt("network interface"), lnk(string(e), string(e))})
	}
	d.Sections = append(d.Sections, section{Title: "Attached to", Columns: []string{"Kind", "Id"}, Rows: nonNil(rows)})
	return d
}

func (x *describer) igw(g *model.InternetGateway) *details {
	d := &details{ID: string(g.ID), Kind: "internet-gateway", Type: "Internet gateway", Title: g.Tags.NameOr(string(g.ID)), Subtitle: string(g.ID)}
	if g.VpcID != "" {
		d.link("Attached to", string(g.VpcID), string(g.VpcID))
	} else {
		d.Fields = append(d.Fields, field{Label: "Attached to", Value: "nothing (detached)", Tone: "bad"})
	}
	d.field("Translation", "1:1 between each public IP and the private address it is associated with; an address without a public IP cannot be reached from the internet")
	return d
}

func (x *describer) vpc(v *model.VPC) *details {
	d := &details{ID: string(v.ID), Kind: "vpc", Type: "VPC", Title: v.Tags.NameOr(string(v.ID)), Subtitle: string(v.ID)}
	var cidrs []string
	for _, p := range v.CIDRs() {
		cidrs = append(cidrs, p.String())
	}
	d.field("CIDR", strings.Join(cidrs, ", "))
	d.field("DNS hostnames", yesNo(v.EnableDNSHostnames))
	x.blockPublicAccess(d, v.ID, "")
	var subs [][]cell
	for _, s := range sorted(x.st.Subnets) {
		if s.VpcID == v.ID {
			kind := tone("private", "muted")
			if x.st.PublicSubnet(s.ID) {
				kind = tone("public", "ok")
			}
			subs = append(subs, []cell{lnk(s.Tags.NameOr(string(s.ID)), string(s.ID)), txt(s.CIDR.String()), txt(s.AvailabilityZone), kind})
		}
	}
	d.Sections = append(d.Sections, section{Title: "Subnets", Columns: []string{"Subnet", "CIDR", "Zone", "Kind"}, Rows: nonNil(subs)})
	var sgs [][]cell
	for _, g := range sorted(x.st.SecurityGroups) {
		if g.VpcID == v.ID {
			sgs = append(sgs, []cell{lnk(g.Name, string(g.ID)), txt(strconv.Itoa(len(g.Ingress)) + " in, " + strconv.Itoa(len(g.Egress)) + " out"), txt(g.Description)})
		}
	}
	d.Sections = append(d.Sections, section{Title: "Security groups", Columns: []string{"Group", "Rules", "Description"}, Rows: nonNil(sgs)})
	return d
}
