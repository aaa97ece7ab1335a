package reach

import (
	"cmp"
	"hash/maphash"
	"maps"
	"net/netip"
	"slices"
	"strconv"
	"strings"

	"github.com/ecsnet/ecsnet/internal/model"
)

// Severity ranks a finding.
type Severity string

// Severities.
const (
	SeverityError   Severity = "error"   // something does not work
	SeverityWarning Severity = "warning" // something will surprise people or break soon
	SeverityInfo    Severity = "info"
)

// Finding is a known ECS networking pitfall found in a network.
type Finding struct {
	Severity Severity   `json:"severity"`
	Code     string     `json:"code"`
	Resource *Component `json:"resource"`
	Message  string     `json:"message"`
	Fix      string     `json:"fix"`
}

// Lint looks for the pitfalls people hit with ECS networking
// (reachability-analyzers.md §5): awsvpc tasks behind an instance's
// public IP, tasks that cannot pull their image, tasks without a public IP
// in public subnets, security groups that do not admit the load balancer,
// bridge dynamic ports, target types that do not fit the network mode,
// network ACLs without ephemeral return ports, load balancers that do not
// cover their targets' zones, applications listening on loopback, host
// port conflicts, ENI capacity and trunking on types that lack it.
func Lint(n *Network) []Finding {
	l := newLinter(n)
	l.run()
	return l.sorted()
}

// run runs every check.
func (l *linter) run() {
	l.awsvpcPublicInstances()
	l.pullPaths()
	l.publicSubnetsWithoutPublicIP()
	l.loadBalancedServices()
	l.targetHealth()
	l.nlbClients()
	l.lbListenersClosed()
	l.privateLinkEndpoints()
	l.internetFacingSubnets()
	l.networkACLs()
	l.loopbackApps()
	l.keepAliveTimeouts()
	l.serviceEvents()
	l.trunking()
	l.serviceConnect()
	l.staleELBNames()       // elbnames.go
	l.applianceModeOff()    // lintinspection.go
	l.ingressAsymmetric()   // ingressasym.go
	l.weightedEmptyGroups() // weightedforward.go
	l.unsteadyServices()    // last: it names what no other finding explains
}

// findingChunk is how many findings a linter keeps in one array: past the
// first, findings go to new arrays of this size, so that appending never
// copies the findings already made (the large estate has 10,000).
const findingChunk = 1024

func newLinter(n *Network) *linter {
	// A clean estate has few findings and the article's a handful: the
	// first chunk starts at the ENI count (as many as a finding per task)
	// and grows by append up to findingChunk.
	size := min(len(n.eniOrder), findingChunk)
	return &linter{n: n, chunks: [][]Finding{make([]Finding, 0, size)},
		seen: make(map[uint64]int32, size), next: make([]int32, 0, size), seed: maphash.MakeSeed()}
}

// sorted returns the findings in a stable order by severity, code and
// resource. The findings of one severity and code form a group (a check
// adds runs of one code, so a group is looked up once per run); the keys,
// computed once, compare group numbers first, then labels, and the
// position breaks ties.
func (l *linter) sorted() []Finding {
	type group struct {
		rank uint8
		code string
	}
	var groups []group
	ids := map[group]int32{}
	type sortKey struct {
		label string
		i     int32
		group int32
	}
	keys := make([]sortKey, l.count)
	last, lastID := group{rank: 255}, int32(-1)
	for i := range keys {
		f := l.at(int32(i))
		g := group{severityRank(f.Severity), f.Code}
		if g != last {
			id, ok := ids[g]
			if !ok {
				id = int32(len(groups))
				ids[g] = id
				groups = append(groups, g)
			}
			last, lastID = g, id
		}
		keys[i] = sortKey{f.Resource.Label(), int32(i), lastID}
	}
	// Number the groups in their order.
	order := make([]int32, len(groups))
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortFunc(order, func(a, b int32) int {
		if c := cmp.Compare(groups[a].rank, groups[b].rank); c != 0 {
			return c
		}
		return strings.Compare(groups[a].code, groups[b].code)
	})
	rank := make([]int32, len(groups))
	for r, id := range order {
		rank[id] = int32(r)
	}
	for i := range keys {
		keys[i].group = rank[keys[i].group]
	}
	slices.SortFunc(keys, func(a, b sortKey) int {
		if a.group != b.group {
			return cmp.Compare(a.group, b.group)
		}
		if c := strings.Compare(a.label, b.label); c != 0 {
			return c
		}
		return cmp.Compare(a.i, b.i)
	})
	out := make([]Finding, len(keys))
	for i, k := range keys {
		out[i] = *l.at(k.i)
	}
	return out
}

// severityRank orders severities, errors first.
func severityRank(s Severity) uint8 {
	switch s {
	case SeverityError:
		return 0
	case SeverityWarning:
		return 1
	case SeverityInfo:
		return 2
	}
	return 0
}

type linter struct {
	n *Network
	// chunks hold the findings in the order they were found: finding i
	// is chunks[i/findingChunk][i%findingChunk]; count is how many.
	chunks [][]Finding
	count  int32
	// seen indexes the findings by a hash of their code and resource (ARN
	// and id): the first one's position, and next chains the others with
	// that hash, so that the same message about the same resource is
	// reported once.
	seen map[uint64]int32
	next []int32
	seed maphash.Seed
	// buf is where a check builds a text before copying it out.
	buf []byte
	// raw, when set, receives every finding added, duplicates included
	// (tests rebuild Lint's output from it).
	raw *[]Finding
}

// findingKey is what makes two findings the same, with their message.
type findingKey struct{ code, arn, id string }

// at returns finding i.
func (l *linter) at(i int32) *Finding {
	return &l.chunks[i/findingChunk][i%findingChunk]
}

func (l *linter) add(sev Severity, code string, res *Component, msg, fix string) {
	if l.raw != nil {
		*l.raw = append(*l.raw, Finding{Severity: sev, Code: code, Resource: res, Message: msg, Fix: fix})
	}
	h := maphash.Comparable(l.seed, findingKey{code, res.ARN, res.ID})
	first, ok := l.seen[h]
	if ok {
		last := first
		for i := first; i >= 0; i = l.next[i] {
			if f := l.at(i); f.Message == msg && f.Code == code && f.Resource.ARN == res.ARN && f.Resource.ID == res.ID {
				return
			}
			last = i
		}
		l.next[last] = l.count
	} else {
		l.seen[h] = l.count
	}
	l.next = append(l.next, -1)
	c := &l.chunks[len(l.chunks)-1]
	if len(*c) == findingChunk {
		l.chunks = append(l.chunks, make([]Finding, 0, findingChunk))
		c = &l.chunks[len(l.chunks)-1]
	}
	*c = append(*c, Finding{Severity: sev, Code: code, Resource: res, Message: msg, Fix: fix})
	l.count++
}

// publicRoute reports whether a subnet routes the internet to an
// internet gateway (a public subnet, reference §8), directly or after
// Gateway Load Balancer endpoints hand the packet back.
func (n *Network) publicRoute(sn *subnetNode) bool {
	if sn == nil || sn.rt == nil {
		return false
	}
	rr := n.pastGWLBEndpoints(sn, DefaultInternetClient())
	return rr != nil && rr.active && rr.route.Target == model.TargetInternetGateway
}

// internetFacingSubnets: an internet-facing load balancer (IPv4) with a
// node in a subnet whose route table does not send 0.0.0.0/0 to an
// internet gateway. AWS accepts it (CreateLoadBalancer checks only that
// the VPC has an internet gateway), the DNS name resolves to the node's
// public address and the client's SYN arrives through the gateway, but
// the node's reply follows the subnet's route table (a NAT gateway, or no
// route) and never reaches the client: connections to that node time out.
func (l *linter) internetFacingSubnets() {
	for _, lb := range l.n.lbOrder {
		if lb.lb.Scheme != "internet-facing" || lb.lb.IPAddressType == "dualstack-without-public-ipv4" {
			continue
		}
		var bad []string
		for _, nd := range lb.nodes {
			if nd.subnet != nil && !l.n.publicRoute(nd.subnet) {
				bad = append(bad, l.n.subnetLabel(nd.subnet.subnet.ID)+" ("+nd.eni.AvailabilityZone+")")
			}
		}
		if len(bad) == 0 {
			continue
		}
		what := "a node in subnet " + bad[0] + ", whose route table does"
		if len(bad) > 1 {
			what = "nodes in subnets " + strings.Join(bad, ", ") + ", whose route tables do"
		}
		effect := "connections from the internet time out"
		if len(bad) < len(lb.nodes) {
			effect = "clients whose DNS answer names that node time out (some requests fail, some work)"
		}
		hint := "move the load balancer to public subnets (a route 0.0.0.0/0 to the internet gateway), one per zone: aws elbv2 set-subnets; the targets can stay in private subnets"
		if lb.lb.Type == "network" {
			// SetSubnets must name every subnet a Network Load Balancer has.
			hint = "create the Network Load Balancer again in public subnets (a route 0.0.0.0/0 to the internet gateway), one per zone, and move the clients to it: a Network Load Balancer keeps the subnets it has (SetSubnets must name them all); the targets can stay in private subnets"
		}
		l.add(SeverityError, CodeLBPrivateSubnet, lb.comp, "the internet-facing load balancer "+lb.lb.Name+" has "+what+
			" not send 0.0.0.0/0 to an internet gateway: the reply to a client follows the subnet's route table, not the internet gateway the request came in by, so "+effect, hint)
	}
}

// awsvpcPublicInstances: an instance with a public IP in a public subnet
// runs awsvpc tasks; people will try the instance's public IP (the
// article's trap, reference §1).
func (l *linter) awsvpcPublicInstances() {
	for _, i := range l.n.instanceOrder {
		e := i.primary
		if e == nil || !e.public.IsValid() || !l.n.publicRoute(e.subnet) {
			continue
		}
		pub := e.public.String()
		for _, tk := range i.tasks {
			if tk.eni == nil || len(tk.sockets) == 0 || !tk.tk.Active() {
				continue
			}
			// Each text is appended into one buffer and copied out once.
			b := append(l.buf[:0], "the instance "...)
			b = append(b, i.name...)
			b = append(b, " has the public IP "...)
			b = append(b, pub...)
			b = append(b, " and runs the awsvpc task "...)
			b = append(b, tk.name...)
			b = append(b, ", which listens on "...)
			b = appendSocketList(b, tk.sockets, "", "")
			b = append(b, " on its own ENI "...)
			b = tk.eni.appendLabel(b)
			b = append(b, " with no public IP: "...)
			b = append(b, pub...)
			b = append(b, " does not reach it (awsvpc task ENIs on EC2 never get a public IP)"...)
			if tk.eni.v6.IsValid() {
				b = append(b, "; its IPv6 address "...)
				b = appendAddr(b, tk.eni.v6)
				b = append(b, " needs none (ecsnet exposure lists whether the internet reaches it)"...)
			}
			msg := string(b)
			b = append(b[:0], "reach the task through an internet-facing load balancer (target type ip), from inside the VPC at "...)
			b = appendAddr(b, tk.eni.primary)
			b = append(b, ", or run it in bridge mode or on Fargate with assignPublicIp ENABLED"...)
			l.buf = b
			l.add(SeverityWarning, CodeAwsvpcPublicInstance, tk.comp, msg, string(b))
		}
	}
}

// pullPaths: services whose tasks cannot start (image, secrets, logs),
// and container instances whose agent cannot register.
func (l *linter) pullPaths() {
	n := l.n
	for _, s := range n.serviceOrder {
		fs := ServiceStartFailures(n, s.svc)
		for i, f := range fs {
			label := n.subnetLabel(f.Subnet)
			// The subnets whose tasks fail for the same cause (the same
			// words but for the subnet's name) are said once, at the
			// first of them.
			same := []string{label}
			first := true
			for j, g := range fs {
				if j != i && g.Code == f.Code && g.Pulls == f.Pulls && g.TaskSet == f.TaskSet && sameFailure(f, label, g, n.subnetLabel(g.Subnet)) {
					if j < i {
						first = false
						break
					}
					same = append(same, n.subnetLabel(g.Subnet))
				}
			}
			if !first {
				continue
			}
			where := "in subnet " + label
			if len(same) > 1 {
				where = "in subnets " + strings.Join(same, ", ") + " (the same cause in each; " + label + "'s is shown)"
			}
			switch {
			case failsEverywhere(f.Code):
				where = "in any subnet"
			case f.Pulls == "instance":
				where = "on instances " + where
			}
			of, fix := "", StartFixHint(&f)
			if f.TaskSet != "" {
				of = " (task set " + f.TaskSet + ", " + f.TaskSetStatus + ")"
			}
			msg := "tasks of the service " + s.svc.Name + of + " " + where + " cannot start: " + f.Why + ". They stop with: " + f.Reason
			l.add(SeverityError, f.Code, s.comp, msg, fix)
		}
	}
	// Standalone tasks (RunTask): ECS does not start them again, so the
	// task that failed is the finding.
	for _, tk := range n.taskOrder {
		if tk.service != nil {
			continue
		}
		if x := n.stoppedCause(tk); x != nil && x.Failure != nil {
			f := x.Failure
			msg := "the task " + tk.name + " stopped before it ran: " + f.Why + ". It stopped with: " + x.Reason
			l.add(SeverityError, f.Code, tk.comp, msg, StartFixHint(f)+"; then run the task again (RunTask)")
		}
	}
	l.scheduledTasks()
	var agents []*instanceNode
	for _, i := range n.instanceOrder {
		if registers(i.inst) {
			agents = append(agents, i)
		}
	}
	if len(agents) == 0 {
		return
	}
	// One lazy network for every instance, as InstanceRegisterFailure
	// compiles. VPC, subnet, route table, network ACL and security group
	// nodes are immutable and the same in either network: start from n's
	// (copies of the maps, as reg writes). Each instance adds its primary
	// ENI and the ENI's addresses.
	reg := newNetwork(n.st, nil)
	reg.lazy = true
	reg.sgs, reg.sgSets = maps.Clone(n.sgs), maps.Clone(n.sgSets)
	reg.vpcs, reg.subnets = maps.Clone(n.vpcs), maps.Clone(n.subnets)
	reg.rts, reg.acls = maps.Clone(n.rts), maps.Clone(n.acls)
	reg.enis = make(map[model.NetworkInterfaceID]*eniNode, len(agents))
	reg.byAddr = make(map[vpcAddr]*eniNode, len(agents))
	reg.byPublic = make(map[netip.Addr]publicRef, len(agents))
	scratch := &traceScratch{}
	for _, i := range agents {
		if f := reg.instanceRegisterFailure(i.inst, scratch); f != nil {
			msg := "the ECS agent on " + i.name + " cannot reach ECS (" + f.Why + "), so the instance never registers with its cluster and no task is placed on it. The agent logs: " + f.Reason
			if f.Code == CodeAgentNoCredentials {
				msg = "the ECS agent on " + i.name + " cannot call ECS: " + f.Why + ", so the instance never registers with its cluster and no task is placed on it. The agent logs: " + f.Reason
			}
			if f.Code == CodeAgentDisconnected {
				msg = "the ECS agent on " + i.name + " registers the instance through the ecs endpoint but cannot reach its communication service (" + f.Why + "), so the instance shows agentConnected false and no task is placed on it. The agent logs: " + f.Reason
			}
			l.add(SeverityError, f.Code, i.comp, msg, StartFixHint(f))
		}
	}
}

// registers reports whether an instance's ECS agent registers it: a
// running instance whose user data names a cluster.
func registers(i *model.Instance) bool {
	return i.State == model.InstanceRunning && model.UserDataECSCluster(i.UserData) != ""
}

// subnetLabel returns a subnet's name, else its id.
func (n *Network) subnetLabel(id model.SubnetID) string {
	if sn := n.subnet(id); sn != nil {
		return sn.comp.Label()
	}
	return string(id)
}

// StartFixHint says in one sentence what gives a start path its way out.
func StartFixHint(f *StartFailure) string {
	if h := efsFixHint(f); h != "" {
		return h
	}
	if f.Code == CodeImageRefInvalid {
		return ImageRefFixHint(f.Image)
	}
	if f.Blocked != nil && f.Blocked.Code == CodeNoRouteToDestination && f.Blocked.Address.Is6() && strings.Contains(f.Why, needsIPv6Route) {
		return "route ::/0 from the subnet " + string(f.Subnet) + "'s route table to an egress-only internet gateway (aws ec2 create-egress-only-internet-gateway, then create-route --destination-ipv6-cidr-block ::/0): " +
			"an IPv6-only subnet's start path goes over IPv6 to the dual-stack names; a NAT gateway carries no IPv6"
	}
	if f.Blocked != nil && f.Blocked.Code == CodeNoIPv6Address && f.Blocked.Component != nil && strings.Contains(f.Why, " interface endpoint ") {
		return endpointIPv6FixHint(f.Why)
	}
	if f.Blocked != nil && f.Blocked.Code == CodeIPv6OnlyNoNAT64 && f.DualStackImage != "" {
		return "pull the image by ECR's dual-stack registry name, " + f.DualStackImage + ", which an IPv6-only subnet reaches over IPv6 (or turn DNS64 on in the subnet " +
			string(f.Subnet) + " and route 64:ff9b::/96 to a NAT gateway in a public subnet: NAT64)"
	}
	if f.Blocked != nil && f.Blocked.Code == CodeIPv6OnlyNoNAT64 {
		return "turn DNS64 on in the IPv6-only subnet " + string(f.Subnet) + " (aws ec2 modify-subnet-attribute --subnet-id " + string(f.Subnet) +
			" --enable-dns64) and route 64:ff9b::/96 to a NAT gateway in a public subnet (NAT64), or use the service's dual-stack endpoint where it has one"
	}
	if f.Code == CodeAgentNoCredentials {
		return AgentCredentialsFixHint(f)
	}
	if f.Code == CodeLogGroupCreateDenied {
		return "allow logs:CreateLogGroup to the task execution role " + f.Role + " (an inline policy; AmazonECSTaskExecutionRolePolicy does not), or create the log group " +
			f.LogGroup + " and set awslogs-create-group to false"
	}
	if f.Code == CodeLogGroupNotFound {
		return "create the log group " + f.LogGroup + " in " + f.VpcRegion() + " (aws logs create-log-group --log-group-name " + f.LogGroup +
			"; Terraform aws_cloudwatch_log_group, CloudFormation AWS::Logs::LogGroup), or set awslogs-create-group to true (the execution role then needs logs:CreateLogGroup)"
	}
	if f.Code == CodeImageTagNotFound {
		return "push the image " + f.Image + " to the repository " + f.Repository + ", or name a tag it holds, and redeploy"
	}
	if f.Code == CodeImageRepositoryNotFound {
		return "create the repository " + f.Repository + " (aws ecr create-repository --repository-name " + f.Repository +
			"; Terraform aws_ecr_repository, CloudFormation AWS::ECR::Repository) and push the image to it, or name a repository that exists"
	}
	if f.Service == "logs" && strings.Contains(f.Why, notARegion) {
		return "set awslogs-region to a Region's name (" + f.VpcRegion() + ", the VPC's) in the task definition's logConfiguration and redeploy: " +
			strconv.Quote(f.ServiceRegion) + " is not one, so the driver finds no CloudWatch Logs endpoint"
	}
	who := "the tasks"
	if f.Pulls == "instance" || f.Code == CodeAgentCannotRegister || f.Code == CodeAgentDisconnected {
		who = "the instances"
	}
	if x := f.Blocked; x != nil && f.Code == CodeLogDriverUnreachable && x.Code == CodeSGRulesMismatch && x.Component != nil {
		// The log driver's collector, on its own port (the Docker
		// daemon's connection: the container instance's on EC2).
		port := strconv.Itoa(int(f.Port))
		if x.Direction == "egress" {
			return "allow outbound tcp/" + port + " on security group " + x.Component.Label() + " to the log driver's collector " + f.Service
		}
		return "allow inbound tcp/" + port + " from " + who + "' security group on security group " + x.Component.Label() + " (the log driver's collector " + f.Service + ")"
	}
	if f.PublicSubnet && !f.PublicIP {
		if f.Pulls == "task" {
			return "set assignPublicIp to ENABLED (the subnet routes to an internet gateway, which needs a public IP), or move " + who + " to a private subnet whose default route is a NAT gateway"
		}
		return "give " + who + " a public IP (the subnet routes to an internet gateway), or move them to a private subnet whose default route is a NAT gateway"
	}
	if x := f.Blocked; x != nil && x.Code == CodeDNSServerUnreachable {
		through := "the security groups, network ACLs and routes on the way"
		if x.Component != nil {
			through = x.Component.Label()
		}
		if x.Path == "return" {
			// The query got there; the server's answer (from udp/53 to
			// the client's ephemeral port) was dropped on its way back.
			return "let the DNS servers' answers back (udp from port 53 to ports 1024-65535 through " + through + "), or give the VPC DHCP options with AmazonProvidedDNS"
		}
		return "let the lookups reach the DNS servers of the VPC's DHCP options (udp/53 through " + through + "), or give the VPC DHCP options with AmazonProvidedDNS"
	}
	if x := f.Blocked; x != nil && x.Code == CodeReturnRouteMismatch && x.Path == "return" && x.Component != nil && x.Component.Type == "route-table" && x.Address.IsValid() {
		// The way out works; the reply's way back does not (a NAT
		// gateway of an egress VPC without a route back to the spokes).
		// The address may be a NAT gateway's that translated them before
		// (a private NAT gateway in front of the egress VPC, nattgw.go).
		return "add a route to the range of " + x.Address.String() + " (" + who + "' own, or that of a NAT gateway that translated them on the way) through the transit gateway to route table " + x.Component.Label() +
			", which the reply leaves by (the whitepaper's centralized egress: the egress VPC's public subnets route the spoke VPCs' ranges to the transit gateway)"
	}
	if x := f.Blocked; x != nil && x.Code == CodeVPCDNSOff {
		return "turn DNS resolution on in the VPC (aws ec2 modify-vpc-attribute --vpc-id " + string(f.VpcID) + " --enable-dns-support), or give it DHCP options with DNS servers that answer"
	}
	if x := f.Blocked; x != nil && x.Code == CodeEndpointPolicyDenied && x.Component != nil {
		actions, resource := []string{"s3:GetObject"}, ecrLayerBucket(f.region)
		switch f.Service {
		case "ecr.api":
			actions, resource = []string{"ecr:GetAuthorizationToken"}, "*"
		case "ecr.dkr":
			actions, resource = []string{"ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"}, "the repository"
		case "secretsmanager":
			actions, resource = []string{"secretsmanager:GetSecretValue"}, f.Secret
		case "ssm":
			actions, resource = []string{"ssm:GetParameters"}, f.Secret
		case "s3":
			if f.Code == CodeEnvFilesUnreachable && f.EnvFile != "" {
				resource = f.EnvFile
			}
			if f.Code == CodeFireLensConfigUnreachable && f.FireLensConfig != "" {
				resource = f.FireLensConfig
			}
		}
		return "add a statement to the policy of the endpoint " + x.Component.Label() + " that allows " + strings.Join(actions, ", ") + " on " + resource +
			" (aws ec2 modify-vpc-endpoint --vpc-endpoint-id " + x.Component.ID + " --policy-document …)"
	}
	if x := f.Blocked; x != nil && x.Code == CodeSGRulesMismatch && x.Component != nil {
		if x.Direction == "egress" {
			if f.Service == "s3" && !slices.Contains(f.Missing, "s3") {
				// The S3 gateway endpoint is on the route table: the layers'
				// addresses are S3's prefix list, not the VPC's.
				return "allow outbound tcp/443 on security group " + x.Component.Label() + " to the S3 prefix list (the gateway endpoint's destination, aws ec2 describe-prefix-lists), or to 0.0.0.0/0"
			}
			if x.Port != 0 && x.Port != 443 {
				// A registry named with its port (registry.example.com:5000).
				return "allow outbound tcp/" + strconv.Itoa(int(x.Port)) + " on security group " + x.Component.Label() + " (to 0.0.0.0/0, or to the registry's addresses)"
			}
			return "allow outbound tcp/443 on security group " + x.Component.Label() + " (to 0.0.0.0/0, or to the VPC's interface endpoints)"
		}
		if f.NATInstance != "" {
			// A NAT instance's group is checked for what it forwards:
			// AWS's NAT instance setup admits the private subnets'
			// ranges on HTTP and HTTPS.
			return "allow inbound tcp/443 from the VPC's range " + f.NATCIDR.String() + " (the private subnets the NAT instance serves) on security group " + x.Component.Label() +
				" of the NAT instance " + f.NATInstance + ": a NAT instance's security group is checked for the packets it forwards (a NAT gateway has none)"
		}
		return "allow inbound tcp/443 from " + who + "' security group on security group " + x.Component.Label() + " (the interface endpoint's)"
	}
	if x := f.Blocked; x != nil && x.Code == CodeSubnetACLRestriction && x.ACLRule != nil {
		acl := x.ACLRule.NetworkACLID
		if x.Component != nil {
			acl = x.Component.Label()
		}
		if x.Path == "return" {
			return "add an inbound entry to network ACL " + acl + " that allows tcp/" + model.EphemeralPorts().String() + " from the service's addresses (0.0.0.0/0 for public AWS endpoints): network ACLs are stateless, and the replies to the start path's HTTPS come back to ephemeral ports"
		}
		return "add an entry to network ACL " + acl + " that allows tcp/443 on the start path (outbound to the service, and inbound to an interface endpoint's subnet), and, when the ACL drops them too, one that lets the replies back in on tcp/" + model.EphemeralPorts().String() + " (network ACLs are stateless)"
	}
	if x := f.Blocked; x != nil && x.Code == CodeVPCBlockPublicAccess && x.Component != nil {
		excl := "allow-bidirectional"
		if f.bpaMode == model.BPABidirectional {
			excl = "allow-egress"
		}
		return "create a VPC Block Public Access exclusion " + excl + " for subnet " + x.Component.Label() +
			" (aws ec2 create-vpc-block-public-access-exclusion --subnet-id " + x.Component.ID + " --internet-gateway-exclusion-mode " + excl +
			"), or reach the start path through VPC endpoints, which Block Public Access does not touch"
	}
	if x := f.Blocked; x != nil && x.Code == CodeENISourceDestCheck && x.NetworkInterface != nil {
		return "turn off source/destination checking on the NAT instance that holds " + x.NetworkInterface.ID +
			" (aws ec2 modify-instance-attribute --instance-id … --no-source-dest-check), or route 0.0.0.0/0 to a NAT gateway in a public subnet"
	}
	if x := f.Blocked; x != nil && x.Code == CodeTGWRTBCannotRoute && x.Component != nil {
		// The subnets send 0.0.0.0/0 to a transit gateway (centralized
		// egress) whose route table has no default route.
		ep := endpointList(f)
		if ep != "" && !f.NeedsInternet {
			ep = ", or add the VPC endpoints " + ep + " in " + who + "' own VPC"
		} else {
			ep = ""
		}
		return "add a static route 0.0.0.0/0 to the egress VPC's attachment in transit gateway route table " + x.Component.Label() +
			" (aws ec2 create-transit-gateway-route --transit-gateway-route-table-id " + x.Component.ID + " --destination-cidr-block 0.0.0.0/0 --transit-gateway-attachment-id …): propagation adds a VPC's CIDR, never a default route" + ep
	}
	if x := f.Blocked; x != nil && f.Verdict == NXDomain && x.Component != nil && x.Component.Type == "route53-hosted-zone" {
		// A name of a hosted zone (a log collector's) that does not
		// resolve from the tasks' VPC: the zone's sentence says how.
		if x.Code == CodePrivateZoneNotAssociated {
			return "associate the private hosted zone " + x.Component.Name + " with the VPC " + string(f.VpcID) + " (aws route53 associate-vpc-with-hosted-zone --hosted-zone-id " + x.Component.ID +
				" --vpc VPCRegion=" + f.VpcRegion() + ",VPCId=" + string(f.VpcID) + ")"
		}
		return "create the name's record in the hosted zone " + x.Component.Name + " (" + x.Component.ID + ") that answers in the VPC, or point the log driver at a name that resolves there"
	}
	if x := f.Blocked; x != nil && x.Code == CodePCXAddressNotInVpcCIDR {
		ep := endpointList(f)
		if ep != "" && !f.NeedsInternet {
			ep = ", add the VPC endpoints " + ep
		} else {
			ep = ""
		}
		return "route 0.0.0.0/0 to a NAT gateway in a public subnet of " + who + "' own VPC" + ep + ", or reach a central NAT gateway through a transit gateway: a VPC peering connection carries only traffic to the peer VPC's own addresses"
	}
	if x := f.Blocked; x != nil && x.Code == CodeIngressAsymmetric && x.Component != nil {
		if x.Route != nil {
			return "route " + x.Route.DestinationCIDR.String() + " from route table " + x.Route.RouteTableID + " to " + x.Component.ID +
				" (aws ec2 replace-route), so both directions of the flow go through the endpoint the internet gateway's route table uses"
		}
		return "route the subnet's range to " + x.Component.ID + " in the internet gateway's route table (an edge association), so both directions of the flow go through it"
	}
	if x := f.Blocked; x != nil && x.Code == CodeNetworkFirewallDrop && x.Component != nil {
		what := "a stateful pass rule for tcp/443"
		if x.ServerName != "" {
			what = "the name " + x.ServerName + " in its domain allowlist (or the domain, .amazonaws.com for AWS's), or a stateful pass rule for it (pass tls $HOME_NET any -> $EXTERNAL_NET 443 (tls.sni; content:\"" + x.ServerName + "\"; startswith; endswith; sid:…;))"
		}
		return "pass the flow in AWS Network Firewall " + x.Component.Name + ": " + what + ", ahead of the rule or default action that drops it; or reach the start path through VPC endpoints, past the firewall"
	}
	if x := f.Blocked; x != nil && x.Code == CodeGWLBGeneveBlocked && x.Decided != nil {
		// The start path's packets go through a Gateway Load Balancer
		// whose appliance's group (or ACL) drops GENEVE.
		return "allow udp/" + strconv.Itoa(geneveUDPPort) + " (GENEVE) from the Gateway Load Balancer's subnets in " + x.Decided.Label() +
			", the appliances' side: the GWLB sends every packet it inspects there, and an appliance healthy on its health check port gets none of them"
	}
	if f.Verdict == Timeout && !strings.Contains(f.Why, "route") && !strings.Contains(f.Why, "public IP") {
		return "allow tcp/443 on the path named above (security group or network ACL)"
	}
	ep := endpointList(f)
	if f.PublicIP && !f.PublicSubnet && f.Verdict == NoRoute {
		return "the ENI has a public IP, but its subnet's route table has no 0.0.0.0/0 route to an internet gateway, so the public IP is never used: associate the subnet with a route table that has one, or route 0.0.0.0/0 to a NAT gateway in a public subnet (and drop the public IP)"
	}
	if strings.Contains(f.Why, CustomDNSMarker) {
		return "give the VPC a DHCP options set whose domain-name-servers is AmazonProvidedDNS (aws ec2 create-dhcp-options, then associate-dhcp-options), " +
			"or have your DNS servers forward the AWS service names (amazonaws.com) to the Route 53 Resolver (a conditional forwarder to a Resolver inbound endpoint): " +
			"the interface endpoints' private DNS names are answered by the Resolver only"
	}
	if strings.Contains(f.Why, noPrivateDNS) {
		return "enable private DNS on the VPC's interface endpoints (aws ec2 modify-vpc-endpoint --vpc-endpoint-id … --private-dns-enabled; the VPC needs enableDnsSupport and enableDnsHostnames), or route 0.0.0.0/0 to a NAT gateway in a public subnet"
	}
	if f.ServiceRegion != "" && f.Service == "logs" {
		return "route 0.0.0.0/0 to a NAT gateway in a public subnet: the log group is in " + f.ServiceRegion + " (awslogs-region), whose CloudWatch Logs no VPC endpoint in " +
			f.VpcRegion() + " serves (endpoints are regional); or set awslogs-region to " + f.VpcRegion() + " (the logs endpoint's region)"
	}
	if f.ServiceRegion != "" && f.Code == CodeEnvFilesUnreachable {
		return "route 0.0.0.0/0 to a NAT gateway in a public subnet: the environment file's bucket is in " + f.ServiceRegion + ", and the VPC's S3 endpoints serve " +
			f.VpcRegion() + "'s buckets only (endpoints are regional); or copy the file to a bucket of " + f.VpcRegion() + " and reference that object"
	}
	if f.ServiceRegion != "" {
		return "route 0.0.0.0/0 to a NAT gateway in a public subnet: the secret is in " + f.ServiceRegion + ", whose " + f.Service + " no VPC endpoint in " +
			f.VpcRegion() + " serves (endpoints are regional); or replicate the secret to " + f.VpcRegion() + " and reference the replica's ARN"
	}
	if f.RegistryRegion != "" {
		return "route 0.0.0.0/0 to a NAT gateway in a public subnet: the image's registry is in " + f.RegistryRegion + ", which no VPC endpoint in " +
			f.VpcRegion() + " serves (endpoints are regional); or replicate the repository to " + f.VpcRegion() + " (ECR replication) and pull it from that region's registry"
	}
	if f.NeedsInternet || ep == "" {
		return "route 0.0.0.0/0 to a NAT gateway in a public subnet (" + f.Service + " is on the internet)"
	}
	return "route 0.0.0.0/0 to a NAT gateway in a public subnet, or add " + endpointAdvice(f, who)
}

// endpointAdvice names the VPC endpoints a start path needs, the
// interface endpoints apart from S3's gateway endpoint: "the VPC
// endpoints ecr.api, ecr.dkr (interface endpoints with private DNS, …)
// and s3 (a gateway endpoint on the subnet's route table)".
func endpointAdvice(f *StartFailure, who string) string {
	list := f.Missing
	if len(list) == 0 {
		list = f.Needs
	}
	var iface []string
	s3 := false
	for _, s := range list {
		if s == "s3" {
			s3 = true
			continue
		}
		iface = append(iface, s)
	}
	const gateway = "s3 (a gateway endpoint on the subnet's route table)"
	if len(iface) == 0 {
		return "the VPC endpoint " + gateway
	}
	out := "the VPC endpoints " + strings.Join(iface, ", ") + " (interface endpoints with private DNS, their security group allowing tcp/443 from " + who + ")"
	if s3 {
		out += " and " + gateway
	}
	return out
}

// ImageRefFixHint says how to correct an image reference that is not
// valid: an ECR repository ARN becomes its repository URI, an uppercase
// repository lowercase.
func ImageRefFixHint(img string) string {
	if uri, ok := ECRRepositoryURI(img); ok {
		return "set the container's image to the repository URI " + uri + ":TAG (the tag to run; without one, :latest), not the repository's ARN " +
			"(Terraform: aws_ecr_repository's repository_url, not arn; CloudFormation: !GetAtt Repository.RepositoryUri, not .Arn), and deploy the new task definition revision"
	}
	if fixed := lowerRepository(img); fixed != "" {
		return "set the container's image to " + fixed + " (repository names are lowercase; tags may have capitals), and deploy the new task definition revision"
	}
	return "set the container's image to a valid reference, [registry[:port]/]repository[:tag][@sha256:digest] (a lowercase repository; a tag of letters, digits, '_', '.', '-', at most 128), and deploy the new task definition revision"
}

// CorrectImageRef returns the reference an image that does not parse was
// meant to be, when that is clear: an ECR repository ARN's repository URI
// (no tag: latest), an uppercase repository lowercased; else "".
func CorrectImageRef(img string) string {
	if uri, ok := ECRRepositoryURI(img); ok {
		return uri
	}
	return lowerRepository(img)
}

// lowerRepository returns img with its repository lowercased when that
// makes it a valid reference, else "".
func lowerRepository(img string) string {
	domain, rest := "", img
	if i := strings.IndexByte(img, '/'); i >= 0 && (strings.ContainsAny(img[:i], ".:") || img[:i] == "localhost") {
		domain, rest = img[:i+1], img[i+1:]
	}
	repo, suffix := rest, ""
	if i := strings.IndexAny(rest, ":@"); i >= 0 {
		repo, suffix = rest[:i], rest[i:]
	}
	fixed := domain + strings.ToLower(repo) + suffix
	if fixed == img {
		return ""
	}
	if _, msg := ParseImageRef(fixed); msg != "" {
		return ""
	}
	return fixed
}

// VpcRegion is the region of the failure's VPC, from its subnet's zone.
func (f *StartFailure) VpcRegion() string { return f.region }

// endpointList names the endpoints a start path needs.
func endpointList(f *StartFailure) string {
	var parts []string
	list := f.Missing
	if len(list) == 0 {
		list = f.Needs
	}
	for _, s := range list {
		if s == "s3" {
			parts = append(parts, "s3 (a gateway endpoint on the subnet's route table)")
			continue
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, ", ")
}

// hypotheticalENI returns an ENI a new task would get in a subnet, for
// checks that do not need a running task.
func (n *Network) hypotheticalENI(id model.SubnetID, groups []model.SecurityGroupID, public bool) *eniNode {
	sn := n.subnet(id)
	if sn == nil {
		return nil
	}
	// The lowest address no ENI holds, as EC2 would assign it.
	used := map[netip.Addr]bool{}
	for _, e := range n.st.NetworkInterfaces {
		if e.SubnetID == id {
			for _, p := range e.PrivateIPs {
				used[p.Addr] = true
			}
		}
	}
	addr := sn.subnet.CIDR.Masked().Addr()
	for range 4 {
		addr = addr.Next()
	}
	for used[addr] && sn.subnet.CIDR.Contains(addr.Next()) {
		addr = addr.Next()
	}
	if len(groups) == 0 && sn.vpc != nil {
		groups = []model.SecurityGroupID{sn.vpc.vpc.DefaultSecurityGroup}
	}
	eni := &model.NetworkInterface{ID: "eni-(new task)", SubnetID: id, VpcID: sn.subnet.VpcID, AvailabilityZone: sn.subnet.AvailabilityZone,
		PrivateIPs: []model.PrivateIP{{Addr: addr, Primary: true}}, SecurityGroups: groups, OwnerKind: model.OwnedByECSTask}
	x := &eniNode{eni: eni, subnet: sn, vpc: sn.vpc, sgs: n.groups(groups), primary: addr, kind: eniTask, device: -1,
		comp: &Component{Type: "network-interface", ID: string(eni.ID)}}
	if public {
		x.public = netip.AddrFrom4([4]byte{192, 0, 2, 254})
	}
	if sn.subnet.IPv6Native {
		// An IPv6-only subnet gives the interface an IPv6 address only.
		x.primary, eni.PrivateIPs = netip.Addr{}, nil
		if len(sn.subnet.IPv6) > 0 {
			a := sn.subnet.IPv6[0].CIDR.Masked().Addr()
			for range 4 {
				a = a.Next()
			}
			x.v6 = a
			eni.IPv6 = []netip.Addr{a}
		}
	}
	return x
}

// publicSubnetsWithoutPublicIP: awsvpc tasks without a public IP in a
// subnet whose default route is an internet gateway cannot reach the
// internet (pitfall 3; RA's IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS).
func (l *linter) publicSubnetsWithoutPublicIP() {
	// A service's tasks in one subnet give one finding: the message
	// depends only on these, so the others are skipped before it is built
	// (a task that is no service's is a resource of its own).
	type said struct {
		res  *Component
		sn   *subnetNode
		over bool
	}
	done := map[said]bool{}
	for _, tk := range l.n.taskOrder {
		e := tk.eni
		if e == nil || !tk.tk.Active() || e.public.IsValid() || !l.n.publicRoute(e.subnet) {
			continue
		}
		res := tk.comp
		if tk.service != nil {
			res = tk.service.comp
		}
		over := false // IPv6 reaches the internet
		if e.v6.IsValid() {
			rr := l.n.pastGWLBEndpoints(e.subnet, DefaultInternetClientV6())
			over = rr != nil && rr.active && (rr.route.Target == model.TargetInternetGateway || rr.route.Target == model.TargetEgressOnlyIGW)
		}
		if tk.service != nil {
			k := said{res, e.subnet, over}
			if done[k] {
				continue
			}
			done[k] = true
		}
		who, name := "the task ", tk.name
		if tk.service != nil {
			who, name = "tasks of the service ", tk.service.svc.Name
		}
		tail := ", whose default route is the internet gateway, without a public IP: they cannot reach the internet (the internet gateway translates only addresses that have a public IP)"
		if over {
			tail = ", whose default route is the internet gateway, without a public IP: they cannot reach the IPv4 internet (the internet gateway translates only addresses that have a public IP); over IPv6 they can, from their own IPv6 addresses"
		}
		msg := who + name + " run in subnet " + e.subnet.comp.Label() + tail // one allocation
		fix := "move the tasks to private subnets whose default route is a NAT gateway (awsvpc tasks on EC2 never get a public IP)"
		if tk.tk.LaunchType == model.LaunchFargate {
			fix = "route 0.0.0.0/0 of the tasks' subnets to a NAT gateway (in a public subnet), or set assignPublicIp to ENABLED"
		}
		l.add(SeverityWarning, CodePublicSubnetNoPublicIP, res, msg, fix)
	}
}

// loadBalancedServices: target type against network mode, and security
// groups between the load balancer and the targets (pitfalls 6-8).
func (l *linter) loadBalancedServices() {
	n := l.n
	for _, s := range n.serviceOrder {
		svc := s.svc
		// A service of task sets: each task set's own task definition
		// and load balancers, for the task set's tasks (servicerun.go).
		for _, run := range serviceRuns(svc) {
			td := n.st.TaskDefinitions[run.taskDefinitionARN]
			if td == nil {
				continue
			}
			for _, slb := range run.loadBalancers {
				if slb.TargetGroupARN == "" && slb.LoadBalancerName != "" {
					if lb := n.lbs[n.classicARN(slb.LoadBalancerName)]; lb != nil {
						l.classicService(s, slb, td, lb)
					}
					continue
				}
				tg := n.tgs[slb.TargetGroupARN]
				if tg == nil {
					continue
				}
				want := "instance"
				if td.NetworkMode == model.NetworkModeAwsvpc {
					want = "ip"
				}
				if tg.tg.TargetType != want {
					l.add(SeverityError, CodeTargetTypeMismatch, s.comp,
						"the service "+svc.Name+run.of()+" uses network mode "+string(td.NetworkMode)+", but its target group "+tg.comp.Name+" has target type "+tg.tg.TargetType,
						"use a target group with target type "+want+" (awsvpc tasks register by ENI address; bridge and host tasks by instance id and host port)"+run.replaceHint())
					continue
				}
				for _, lb := range tg.lbs {
					l.lbToTasks(s, &run, slb, td, tg, lb)
				}
			}
		}
	}
}

// lbToTasks checks that each node of a load balancer can open
// connections to the service's tasks on their registered ports.
func (l *linter) lbToTasks(s *serviceNode, run *serviceRun, slb model.ServiceLoadBalancer, td *model.TaskDefinition, tg *tgNode, lb *lbNode) {
	if len(lb.nodes) == 0 {
		return
	}
	node := lb.nodes[0]
	lbGroups := "the load balancer's security group"
	if !lb.isALB() {
		lbGroups = "the VPC's CIDR (the NLB has no security group)"
	}
	if len(node.sgs.groups) > 0 {
		lbGroups = "security group " + node.sgs.groupNames()
	}
	for _, tk := range run.tasks(s) {
		if !tk.running {
			continue
		}
		var target *eniNode
		port := slb.ContainerPort
		switch td.NetworkMode {
		case model.NetworkModeAwsvpc:
			target = tk.eni
		default:
			if tk.instance == nil {
				continue
			}
			target = tk.instance.primary
			port = 0
			for _, sk := range tk.sockets {
				if sk.container == slb.ContainerName && sk.containerPort == slb.ContainerPort {
					port = sk.port
				}
			}
		}
		if target == nil || port == 0 {
			continue
		}
		// An IPv6 target group takes the target by its IPv6 address,
		// and the nodes connect from theirs (an IPv4 client's connection
		// is translated): the groups see IPv6 addresses.
		nodeAddr, targetAddr := node.primary, target.primary
		if tg.tg.IPAddressType == "ipv6" && node.v6.IsValid() && target.v6.IsValid() {
			nodeAddr, targetAddr = node.v6, target.v6
		}
		l.lbBypass(s, run, lb, tk, target, port)
		if !slices.Contains(lb.zones, target.eni.AvailabilityZone) {
			l.add(SeverityWarning, CodeLBSubnetsMissTargetAZ, lb.comp, "the load balancer "+lb.lb.Name+" has no subnet in "+target.eni.AvailabilityZone+
				", where the task "+tk.name+" of the service "+s.svc.Name+run.of()+" runs: it never sends it traffic (Target.NotInUse)",
				"add a subnet in "+target.eni.AvailabilityZone+" to the load balancer, or run the service in the load balancer's zones ("+strings.Join(lb.zones, ", ")+")")
		}
		dynBlocked := false // an error already names the dynamic range
		trafficPort := port
		for k, hp := range []uint16{port, hcPort(tg.tg, model.Target{Port: port})} {
			if k == 0 && !lb.isALB() && preservesClientIP(tg.tg) {
				continue // the clients' addresses arrive, not the node's (nlbClients)
			}
			if k == 1 && hp == trafficPort && (lb.isALB() || !preservesClientIP(tg.tg)) {
				break // the health checks use the traffic port, checked above
			}
			port := strconv.Itoa(int(hp))
			if len(node.sgs.groups) > 0 && node.sgs.match(true, model.TCP, hp, targetAddr, target, nil) == nil {
				out := "tcp/" + port
				if hp == trafficPort && td.NetworkMode == model.NetworkModeBridge && tk.def != nil && hostPortDynamic(tk.def, slb) {
					// the next task's host port is another of the range
					out = "tcp/" + model.DynamicHostPortRule().String() + " (the dynamic host port range; " + port + " is this task's)"
				}
				l.add(SeverityError, CodeTaskSGBlocksLB, lb.comp, "the security groups of the load balancer "+lb.lb.Name+" ("+node.sgs.groupNames()+
					") do not allow outbound tcp/"+port+" to the task "+run.taskName(tk)+" ("+targetAddr.String()+")",
					"allow outbound "+out+" to the targets' security group on "+node.sgs.groupNames())
			}
			if target.sgs.match(false, model.TCP, hp, nodeAddr, node, nil) != nil {
				continue
			}
			what := "the task " + tk.name + "'s ENI " + target.label()
			if run.set != nil {
				what += ", of the task set " + run.set.ID + " (" + run.set.Status + "),"
			}
			code := CodeTaskSGBlocksLB
			fix := "allow tcp/" + port + " from " + lbGroups + " on " + target.sgs.groupNames()
			if td.NetworkMode == model.NetworkModeBridge && tk.def != nil && hostPortDynamic(tk.def, slb) {
				code = CodeDynamicPortsBlocked
				what = "the instance " + tk.instance.name + " (dynamic host port " + port + " of the task " + run.taskName(tk) + ")"
				fix = "allow the dynamic host port range (" + model.DynamicHostPortRule().String() + ") from " + lbGroups + " on " + target.sgs.groupNames()
				dynBlocked = true
			}
			effect := ": requests get 504 and health checks time out (Target.Timeout)"
			switch tp := strconv.Itoa(int(trafficPort)); {
			case k == 0 && hcPort(tg.tg, model.Target{Port: trafficPort}) != trafficPort:
				effect = ": requests get 504"
			case k == 1 && hp != trafficPort:
				// Only the health check port is closed: requests on the
				// traffic port get through, the targets are unhealthy.
				effect = ": its health checks on tcp/" + port + " time out (Target.Timeout) while requests on tcp/" + tp +
					" get through; ECS replaces the tasks as unhealthy"
			}
			if !lb.isALB() {
				effect = ": health checks time out (Target.Timeout)"
				if k == 0 {
					effect = ": connections through it time out and health checks time out (Target.Timeout)"
				}
				if len(node.sgs.groups) == 0 {
					var addrs []string
					for _, nd := range lb.nodes {
						if nodeAddr.Is6() && nd.v6.IsValid() {
							addrs = append(addrs, nd.v6.String())
						} else {
							addrs = append(addrs, nd.primary.String())
						}
					}
					cidr := "the VPC's CIDR"
					if nodeAddr.Is6() {
						cidr = "the VPC's IPv6 CIDR"
					} else if vpc := l.n.st.VPCs[node.eni.VpcID]; vpc != nil && !vpc.CIDR.Contains(nodeAddr) {
						// The nodes are in a secondary block, which
						// the primary one does not hold.
						for _, b := range vpc.Secondary {
							if b.Contains(nodeAddr) {
								cidr = "the VPC's secondary CIDR block " + b.String()
							}
						}
					}
					fix = "allow tcp/" + port + " from the NLB's private addresses (" + strings.Join(addrs, ", ") + ") or " + cidr + " on " + target.sgs.groupNames() +
						": the NLB has no security group to reference (an NLB created without security groups cannot get any later)"
				}
			}
			l.add(SeverityError, code, target.sgs.groups[0].comp, "security group "+target.sgs.groupNames()+" of "+what+" does not allow tcp/"+port+
				" from the load balancer "+lb.lb.Name+effect, fix)
		}
		if !dynBlocked && td.NetworkMode == model.NetworkModeBridge && tk.def != nil && hostPortDynamic(tk.def, slb) {
			for _, p := range []uint16{32768, 49153, 60999, 65535} {
				if target.sgs.match(false, model.TCP, p, node.primary, node, nil) == nil {
					l.add(SeverityWarning, CodeDynamicPortsBlocked, target.sgs.groups[0].comp,
						"the service "+s.svc.Name+run.of()+" uses dynamic host ports, but security group "+target.sgs.groupNames()+" does not allow tcp/"+strconv.Itoa(int(p))+
							" from the load balancer "+lb.lb.Name+": the next task may get a port the load balancer cannot reach",
						"allow tcp/"+model.DynamicHostPortRule().String()+" from "+lbGroups+" on "+target.sgs.groupNames())
					break
				}
			}
		}
	}
}

// lbBypass warns when a task that a load balancer serves on port (its
// ENI's for awsvpc, its instance's host port for bridge and host) also
// answers the internet at its public address: clients can skip the load
// balancer's listeners, rules, TLS and security group.
func (l *linter) lbBypass(s *serviceNode, run *serviceRun, lb *lbNode, tk *taskNode, target *eniNode, port uint16) {
	if !target.public.IsValid() || target.vpc == nil || target.vpc.igw == nil {
		return
	}
	to := netip.AddrPortFrom(target.public, port).String()
	q := Query{From: Endpoint{Kind: KindInternet, Spec: "internet", Name: "internet", Address: DefaultInternetClient()},
		To: l.n.addressEndpoint(Endpoint{Spec: to}, target.public), Protocol: model.TCP, Port: port}
	if r := Probe(l.n, q); r.Verdict != Connected {
		return
	}
	what := "the task " + run.taskName(tk)
	noPublic := "give the task no public IP (assignPublicIp DISABLED in a private subnet, with a NAT gateway or VPC endpoints for image pulls)" + run.replaceHint()
	if target.kind == eniHost && tk.instance != nil {
		what += " (on the instance " + tk.instance.name + ")"
		noPublic = "run the instances in private subnets without public IPs (with a NAT gateway or VPC endpoints for the ECS agent and image pulls)"
	}
	l.add(SeverityWarning, CodeLBBypass, tk.comp, what+" of the service "+s.svc.Name+" answers the internet at "+to+
		" directly, past the load balancer "+lb.lb.Name+" in front of it: its security group "+target.sgs.groupNames()+
		" lets tcp/"+strconv.Itoa(int(port))+" in from the internet",
		"allow tcp/"+strconv.Itoa(int(port))+" on "+target.sgs.groupNames()+" only from the load balancer's security group, "+
			"or "+noPublic)
}

func hostPortDynamic(td *model.TaskDefinition, slb model.ServiceLoadBalancer) bool {
	if c, ok := td.Container(slb.ContainerName); ok {
		for _, pm := range c.PortMappings {
			if pm.ContainerPort == slb.ContainerPort {
				return pm.HostPort == 0
			}
		}
	}
	return false
}

// targetHealth: targets that fail their health checks for a reason the
// other checks did not name.
func (l *linter) targetHealth() {
	for _, tg := range l.n.tgOrder {
		if len(tg.lbs) == 0 {
			continue
		}
		for _, h := range TargetHealth(l.n, tg.tg.ARN) {
			if h.State != HealthUnhealthy && !(h.State == HealthUnused && h.Reason == ReasonNotInUse && len(tg.lbs) > 0) {
				continue
			}
			who := h.Target.ID + ":" + strconv.Itoa(int(h.Target.Port))
			if h.Name != "" {
				who += " (" + h.Name + ")"
			}
			msg := "target " + who + " of " + tg.comp.Name + " is " + h.State + ": " + h.Reason + " (" + h.Description + ")"
			fix := "see the health check path"
			if h.Reason == ReasonResponseCodeMismatch {
				hc := tg.tg.HealthCheck
				fix = "make the health check ask a path the application answers with a status the matcher " + hc.Matcher +
					" accepts (aws elbv2 modify-target-group --target-group-arn " + tg.tg.ARN + " --health-check-path <path>), or make the application answer " + hc.Path
				if c := failedCode(h.Description); c >= 200 && c <= 299 {
					// A success the matcher does not list (204 No Content).
					m := hc.Matcher + "," + strconv.Itoa(c)
					fix = "accept " + strconv.Itoa(c) + " in the health check matcher (aws elbv2 modify-target-group --target-group-arn " + tg.tg.ARN +
						" --matcher HttpCode=" + m + "): " + hc.Path + " answers " + strconv.Itoa(c) + ", a success the matcher " + hc.Matcher + " does not list"
				}
				if grpcHealth(tg.tg) {
					// A gRPC health check's matcher lists gRPC codes (0-99).
					fix = "make the health check call a gRPC method the application answers with a code the matcher's gRPC codes " + healthMatcher(tg.tg) +
						" list (aws elbv2 modify-target-group --target-group-arn " + tg.tg.ARN + " --health-check-path /<package.Service>/<Method>)"
					if strings.Contains(h.Description, "codes: ["+strconv.Itoa(grpcOK)+"]") {
						fix = "accept gRPC code 0 in the health check matcher (aws elbv2 modify-target-group --target-group-arn " + tg.tg.ARN +
							" --matcher GrpcCode=0): " + hc.Path + " answers OK (0), which the matcher's gRPC codes " + healthMatcher(tg.tg) + " do not list"
					}
				}
			}
			if h.HostRefused != "" {
				msg += "; the application refuses the check's Host header " + h.HostRefused + " (the target's address, which a health check always sends) with 400: its allowed hosts do not name it"
				fix = "let the application answer its health check whatever the Host header: add the tasks' addresses (or their VPC's) to its allowed hosts, or answer " +
					tg.tg.HealthCheck.Path + " before the host check; no health check path or matcher change helps, as the host check answers 400 on every path"
			}
			if h.ProxyProtocol {
				sends := proxyProtocolV2(tg.tg)
				msg += map[bool]string{true: "; its application does not read the proxy protocol v2 header the target group sends (proxy_protocol_v2.enabled true), also on health checks",
					false: "; its application expects a proxy protocol header the target group does not send (proxy_protocol_v2.enabled is not true)"}[sends]
				fix = map[bool]string{true: "turn proxy protocol v2 off on the target group (aws elbv2 modify-target-group-attributes --target-group-arn " + tg.tg.ARN + " --attributes Key=proxy_protocol_v2.enabled,Value=false), or make the application read the header; no health check path or matcher change helps",
					false: "turn proxy protocol v2 on on the target group (aws elbv2 modify-target-group-attributes --target-group-arn " + tg.tg.ARN + " --attributes Key=proxy_protocol_v2.enabled,Value=true), or the application's proxy protocol off"}[sends]
			}
			if p := h.ProtocolMismatch; p != "" {
				msg += "; the application speaks " + p + " on the health check port, not the health check's protocol"
				fix = "check the health over " + p + " (aws elbv2 modify-target-group --target-group-arn " + tg.tg.ARN + " --health-check-protocol " + p + ")"
				if tg.tg.Protocol != p && (tg.tg.Protocol == "HTTP" || tg.tg.Protocol == "HTTPS") {
					// An ALB's group speaks its protocol to the target too; an
					// NLB's TCP or TLS group takes any health check protocol.
					fix += ", and forward to a target group of protocol " + p + " (a target group's protocol cannot be changed)"
				}
			}
			if h.Check != nil {
				msg += "; " + h.Check.Summary
				if b := h.Check.Blocking(); len(b) > 0 {
					fix = "let the health check through (" + b[0].Code + "): " + b[0].Message
				}
			}
			if h.State == HealthUnused {
				fix = "give the load balancer a subnet in " + h.Target.AvailabilityZone
				if h.Target.AvailabilityZone == "" {
					fix = "give the load balancer a subnet in the target's Availability Zone (the source does not say which it is)"
				}
				l.add(SeverityWarning, CodeLBSubnetsMissTargetAZ, tg.comp, msg, fix)
				continue
			}
			l.add(SeverityError, CodeTargetUnhealthy, tg.comp, msg, fix)
		}
	}
}

// nlbClients: an internet-facing NLB that keeps the client's address
// in front of targets whose security groups admit only the VPC (pitfall
// 9): health checks pass, clients time out.
func (l *linter) nlbClients() {
	n := l.n
	for _, lb := range n.lbOrder {
		if !lb.isNLB() || lb.lb.Scheme != "internet-facing" || len(lb.nodes) == 0 {
			continue
		}
		for _, ls := range lb.listeners {
			p := model.TCP
			if listenerProtocols(ls.l.Protocol)&tcpBit == 0 {
				p = model.UDP
			}
			q := Query{From: Endpoint{Kind: KindInternet, Spec: "internet", Name: "internet", Address: DefaultInternetClient()},
				To: Endpoint{Kind: KindLoadBalancer, Spec: lb.lb.Name, Name: lb.lb.Name, lb: lb}, Protocol: p, Port: ls.l.Port}
			r := probe(n, &q, 0, false)
			if !r.HasCode(CodePreserveClientIPEnabled) {
				continue
			}
			for _, x := range r.Blocking() {
				if x.Code != CodeSGRulesMismatch || x.NetworkInterface == nil || x.Address != DefaultInternetClient() {
					continue
				}
				other, only := "reference the NLB's security group", ""
				if len(lb.lb.SecurityGroups) == 0 {
					// An NLB created without security groups never gets
					// one: nothing to reference.
					other = "turn client IP preservation off on the target group (preserve_client_ip.enabled false, TCP and TLS target groups) so that the NLB's private addresses arrive"
					if act, ok := terminalAction(ls.l.DefaultActions); ok && act.Type == "forward" && n.tgs[act.MainTargetGroup()] != nil && n.tgs[act.MainTargetGroup()].tg.TargetType == "alb" {
						// An alb-type target group's attributes keep
						// their defaults: the ALB sees the client.
						other = ""
						only = ": an alb-type target group keeps the client's address (its attributes cannot be modified), and an NLB created without security groups has none to reference"
					} else if up := strings.ToUpper(ls.l.Protocol); up == "UDP" || up == "TCP_UDP" {
						// A UDP or TCP_UDP target group always keeps
						// the client's address: only the clients'
						// addresses can be admitted.
						other = ""
						only = ": a " + up + " target group keeps the client's address whatever its target type (its client IP preservation cannot be turned off), and an NLB created without security groups has none to reference"
					}
				}
				// The health checks pass unless the group drops the NLB's
				// own addresses too (a group that admits one office's
				// range only, Guimove/terraform-aws-bastion#52).
				checks := "health checks (from the NLB's private addresses) pass while clients time out"
				if r.HasCode(CodeTargetUnhealthy) {
					checks = "clients it does not name time out, and the health checks (from the NLB's private addresses) fail too"
				}
				l.add(SeverityError, CodeNLBClientIPNotAllowed, x.Component, "the NLB "+lb.lb.Name+" keeps the client's address, but security group "+
					x.Component.Label()+" of its target admits only other sources on "+x.Protocol+"/"+strconv.Itoa(int(x.Port))+
					": "+checks,
					"allow the clients' addresses on "+x.Protocol+"/"+strconv.Itoa(int(x.Port))+" in "+x.Component.Label()+orElse(other)+only)
			}
		}
	}
}

// lbListenersClosed: a load balancer with security groups none of which
// has an inbound rule for a listener's protocol and port from a source a
// client can be (a CIDR, a prefix list, or a group some interface other
// than the load balancer's nodes has): every connection to the listener is
// dropped at the load balancer, from the internet or inside the VPC, while
// its health checks, which leave through the groups' outbound rules,
// pass (the CDK's nlb-sg and canary-deployment integration tests as
// synthesized: an NLB group open on 32768-65535 only, an ALB group with
// no inbound rule). A group the system does not hold is not judged.
func (l *linter) lbListenersClosed() {
	n := l.n
	for _, lb := range n.lbOrder {
		if len(lb.lb.SecurityGroups) == 0 {
			continue
		}
		for _, ls := range lb.listeners {
			if ls.l == nil {
				continue
			}
			bits := listenerProtocols(ls.l.Protocol)
			open, known := false, true
			var memberless []string // groups the port's rules name that no interface carries
		groups:
			for _, id := range lb.lb.SecurityGroups {
				g := n.st.SecurityGroups[id]
				if g == nil {
					known = false
					break
				}
				for _, r := range g.Ingress {
					if !(r.Protocol == model.AllProtocols ||
						(r.Protocol == model.TCP && bits&tcpBit != 0 || r.Protocol == model.UDP && bits&udpBit != 0) &&
							r.Ports.First <= ls.l.Port && ls.l.Port <= r.Ports.Last) {
						continue
					}
					if l.ruleHasClients(lb, r) {
						open = true
						break groups // either way no warning
					}
					if c := n.sg(r.Group).comp.Label(); !slices.Contains(memberless, c) {
						memberless = append(memberless, c)
					}
				}
			}
			if open || !known {
				continue
			}
			proto := "tcp"
			if bits&tcpBit == 0 {
				proto = "udp"
			}
			port := strconv.Itoa(int(ls.l.Port))
			groups := make([]string, 0, len(lb.lb.SecurityGroups))
			for _, id := range lb.lb.SecurityGroups {
				groups = append(groups, n.sg(id).comp.Label())
			}
			if g, r, ok := l.unknownRuleFor(lb, bits, ls.l.Port); ok {
				// A rule that may admit the listener's port was left out
				// for its unknown source: not known to be closed.
				l.add(SeverityInfo, CodeLBListenerUndecided, lb.comp,
					"whether the load balancer "+lb.lb.Name+" admits "+proto+"/"+port+", its "+ls.l.Protocol+" listener's port, is unknown: no rule of its security groups ("+strings.Join(groups, ", ")+
						") that ecsnet knows admits it, but "+n.sg(g).comp.Label()+" has an inbound rule for "+unknownRuleText(r)+" whose source is unknown at analysis time ("+r.Description+")",
					"give the value (a variable's default, -var or a .tfvars file) to decide it")
				continue
			}
			who := "every client's connection is dropped"
			if lb.lb.PrivateLinkInboundOff {
				// EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic off:
				// PrivateLink clients pass the groups' inbound rules.
				who = "every client's connection but PrivateLink's (the NLB does not enforce its groups on PrivateLink traffic) is dropped"
			}
			named := ""
			if len(memberless) > 0 {
				// The rule names a group, but nothing carries it: a group
				// made for bridge- or host-mode tasks, which use their
				// container instance's groups, or one never attached.
				named = " (its rule for " + proto + "/" + port + " names the security group " + strings.Join(memberless, ", ") +
					", which no network interface carries: tasks in bridge or host mode use their container instance's security groups)"
			}
			l.add(SeverityWarning, CodeLBListenerClosed, lb.comp,
				"no security group of the load balancer "+lb.lb.Name+" ("+strings.Join(groups, ", ")+") admits "+proto+"/"+port+
					", its "+ls.l.Protocol+" listener's port, from any source"+named+": "+who+" at the load balancer (its health checks to the targets still pass)",
				"add an inbound rule for "+proto+"/"+port+" from the clients' addresses (or the security group they carry) to "+groups[0])
		}
	}
}

// unknownRuleText is a rule's protocol and ports ("tcp/80", "tcp/0-65535",
// "icmp type 8, any code", "all traffic").
func unknownRuleText(r model.SecurityGroupRule) string {
	switch {
	case r.Protocol == model.AllProtocols:
		return "all traffic"
	case isICMP(r.Protocol):
		return icmpRuleText(r.Protocol, r.Ports)
	case r.Ports.First == r.Ports.Last:
		return r.Protocol.String() + "/" + strconv.Itoa(int(r.Ports.First))
	}
	return r.Protocol.String() + "/" + strconv.Itoa(int(r.Ports.First)) + "-" + strconv.Itoa(int(r.Ports.Last))
}

// icmpRuleText is an ICMP rule's protocol, type and code as a sentence
// says them ("icmp type 8, any code", "icmp, all types"): the type in
// ports.First and the code in ports.Last, 0xFFFF for AWS's -1.
func icmpRuleText(p model.Protocol, ports model.PortRange) string {
	tc := icmpTypeCode(p, ports)
	if tc == nil || tc.Type < 0 {
		return p.String() + ", all types"
	}
	code := "any code"
	if tc.Code >= 0 {
		code = "code " + strconv.Itoa(tc.Code)
	}
	return p.String() + " type " + strconv.Itoa(tc.Type) + ", " + code
}

// unknownRuleFor returns an inbound rule of one of a load balancer's
// groups whose source is unknown (model.SecurityGroup.UnknownRules) and
// whose protocol and ports include the listener's port.
func (l *linter) unknownRuleFor(lb *lbNode, bits uint8, port uint16) (model.SecurityGroupID, model.SecurityGroupRule, bool) {
	for _, id := range lb.lb.SecurityGroups {
		g := l.n.st.SecurityGroups[id]
		if g == nil {
			continue
		}
		for _, r := range g.UnknownRules {
			if !r.Egress && (r.Protocol == model.AllProtocols || (r.Protocol == model.TCP && bits&tcpBit != 0 || r.Protocol == model.UDP && bits&udpBit != 0) &&
				r.Ports.First <= port && port <= r.Ports.Last) {
				return id, r, true
			}
		}
	}
	return "", model.SecurityGroupRule{}, false
}

// ruleHasClients reports whether an inbound rule of a load balancer's
// group can admit a client: a CIDR or prefix list can; a group only when
// a network interface other than the load balancer's own nodes has it (a
// group that admits itself and holds only the load balancer admits no
// client); a service's group counts for the tasks it will start, and a
// group the system does not hold is not judged.
func (l *linter) ruleHasClients(lb *lbNode, r model.SecurityGroupRule) bool {
	if r.Group == "" || l.n.st.SecurityGroups[r.Group] == nil {
		return true // not a group the system holds: not judged
	}
	for _, s := range l.n.st.Services {
		if runsNetworkWithGroup(s, r.Group) {
			return true // its tasks (or its task sets'), running or to come
		}
	}
	for _, e := range l.n.eniOrder {
		if e.inGroup(r.Group) && !slices.Contains(lb.nodes, e) {
			return true
		}
	}
	return false
}

// orElse is ", or " and an alternative fix, or "" when there is none.
func orElse(alt string) string {
	if alt == "" {
		return ""
	}
	return ", or " + alt
}

// networkACLs: custom network ACLs that admit connections but forget the
// ephemeral ports their replies use (pitfall 10).
func (l *linter) networkACLs() {
	n := l.n
	for _, a := range sortedMap(n.st.NetworkACLs) {
		if a.IsDefault || len(a.Associations) == 0 {
			continue
		}
		t := n.aclTable(a)
		vpc := n.st.VPCs[a.VpcID]
		peers := []netip.Addr{DefaultInternetClient()}
		if vpc != nil {
			p := vpc.CIDR.Masked().Addr()
			for range 10 {
				p = p.Next()
			}
			peers = append(peers, p)
		}
		// Inbound connections need outbound replies, and outbound
		// connections inbound replies, on 1024-65535 (ELB and NAT gateways
		// use the whole range; Linux 32768-60999: replyPorts).
		for _, dir := range []bool{false, true} {
			var who []string
			missing := map[string]bool{}
			var ports []string
			for _, peer := range peers {
				if len(t.admitted(dir, model.TCP, peer, model.PortRange{First: 1, Last: 1023})) == 0 {
					continue
				}
				bad := false
				for _, p := range n.replyPorts(a, dir) { // naclephemeral.go
					if t.eval(!dir, model.TCP, peer, p).action != model.Allow {
						bad = true
						if k := strconv.Itoa(int(p)); !missing[k] {
							missing[k] = true
							ports = append(ports, k)
						}
					}
				}
				if bad {
					who = append(who, peer.String())
				}
			}
			if len(who) == 0 {
				continue
			}
			way, back := "inbound", "outbound"
			if dir {
				way, back = "outbound", "inbound"
			}
			l.add(SeverityWarning, CodeNACLEphemeralReturn, t.comp, "network ACL "+t.comp.Label()+" allows "+way+" tcp connections ("+strings.Join(who, ", ")+
				") but denies the "+back+" replies to their ephemeral ports ("+strings.Join(ports, ", ")+"); network ACLs are stateless, so those connections time out",
				"add an "+back+" rule allowing tcp/"+model.EphemeralPorts().String()+" for the same sources")
		}
	}
}

// failedCode is the HTTP code of a health check's "Health checks failed
// with these codes: [204]", 0 when the description names none.
func failedCode(desc string) int {
	_, rest, ok := strings.Cut(desc, "codes: [")
	if !ok {
		return 0
	}
	digits, _, _ := strings.Cut(rest, "]")
	code, _ := strconv.Atoi(digits)
	return code
}

// loopbackApps: containers that listen on 127.0.0.1 yet publish ports or
// sit behind a load balancer.
func (l *linter) loopbackApps() {
	for _, td := range sortedMap(l.n.st.TaskDefinitions) {
		if td.Status != "ACTIVE" {
			continue
		}
		used := false
		for _, s := range l.n.serviceOrder {
			if runsTaskDefinition(s.svc, td.ARN) && s.svc.Status != "INACTIVE" {
				used = true
			}
		}
		for _, tk := range l.n.taskOrder {
			if tk.tk.TaskDefinitionARN == td.ARN && tk.tk.Active() {
				used = true
			}
		}
		if !used {
			continue
		}
		for _, c := range td.Containers {
			if !c.ListenAddress.IsValid() || !c.ListenAddress.IsLoopback() || len(c.PortMappings) == 0 {
				continue
			}
			res := &Component{Type: "task-definition", ID: td.Family + ":" + strconv.Itoa(td.Revision), ARN: td.ARN, Name: td.Family}
			l.add(SeverityError, CodeAppBoundToLoopback, res, "the container "+c.Name+" of "+td.Family+" listens on "+c.ListenAddress.String()+
				" but publishes port "+c.PortMappings[0].ContainerPorts().String()+": connections from outside the container (load balancer, port mapping, other tasks) are refused",
				"make the application listen on 0.0.0.0")
		}
	}
}

// keepAliveTimeouts: services behind an Application Load Balancer whose
// container closes idle keep-alive connections no later than the load
// balancer's idle timeout (ELB User Guide, "Connection idle timeout": the
// target's keep-alive should be longer than it), one finding per service,
// container and load balancer.
func (l *linter) keepAliveTimeouts() {
	n := l.n
	for _, s := range n.serviceOrder {
		if s.svc.Status == "INACTIVE" {
			continue
		}
		for _, run := range serviceRuns(s.svc) {
			td := n.st.TaskDefinitions[run.taskDefinitionARN]
			if td == nil {
				continue
			}
			seen := map[string]bool{}
			for _, slb := range run.loadBalancers {
				c, ok := td.Container(slb.ContainerName)
				if !ok {
					continue
				}
				for _, lb := range n.serviceLBs(slb) {
					k := c.Name + " " + lb.lb.ARN
					if seen[k] || !keepAliveTooShort(c, lb) {
						continue
					}
					seen[k] = true
					l.add(SeverityWarning, CodeKeepAliveShorterThanIdle, s.comp, "the service "+s.svc.Name+run.of()+" behind "+lb.lb.Name+": "+keepAliveShort(c, lb),
						keepAliveHint(c, lb)+run.replaceHint())
				}
			}
		}
	}
}

// serviceLBs are the load balancers a service's load balancer entry
// sends through: its target group's, or the Classic Load Balancer it
// names.
func (n *Network) serviceLBs(slb model.ServiceLoadBalancer) []*lbNode {
	if tg := n.tgs[slb.TargetGroupARN]; tg != nil {
		return tg.lbs
	}
	if clb := n.lbs[n.classicARN(slb.LoadBalancerName)]; slb.LoadBalancerName != "" && clb != nil {
		return []*lbNode{clb}
	}
	return nil
}

// KeepAliveShortServices lists the services behind the load balancer
// lbARN (an Application or Classic Load Balancer) and their containers
// that close idle keep-alive connections no later than its idle timeout
// (CodeKeepAliveShorterThanIdle): each service's ARN and container name.
func KeepAliveShortServices(n *Network, lbARN string) [][2]string {
	var out [][2]string
	for _, s := range n.serviceOrder {
		if s.svc.Status == "INACTIVE" {
			continue
		}
		for _, run := range serviceRuns(s.svc) {
			td := n.st.TaskDefinitions[run.taskDefinitionARN]
			if td == nil {
				continue
			}
			for _, slb := range run.loadBalancers {
				c, ok := td.Container(slb.ContainerName)
				if !ok {
					continue
				}
				for _, lb := range n.serviceLBs(slb) {
					if lb.lb.ARN == lbARN && keepAliveTooShort(c, lb) && !slices.Contains(out, [2]string{s.svc.ARN, c.Name}) {
						out = append(out, [2]string{s.svc.ARN, c.Name})
					}
				}
			}
		}
	}
	return out
}

// subnetFullHint is the remedy of ECS_SUBNET_NO_FREE_ADDRESSES.
const subnetFullHint = "give the service more subnets, or larger ones (aws ecs update-service --network-configuration; a subnet's CIDR cannot grow: create a new one, if need be in a secondary CIDR block of the VPC), or free addresses in them"

// serviceEvents: placement failures ECS reported.
func (l *linter) serviceEvents() {
	for _, s := range l.n.serviceOrder {
		if r, ok := subnetFullStop(s); ok && s.svc.Status == "ACTIVE" {
			l.add(SeverityError, CodeSubnetNoFreeAddresses, s.comp, "the service "+s.svc.Name+" cannot start all its tasks: its subnets "+l.n.serviceSubnetNames(s.svc)+
				" have no free IPv4 address left for another task's network interface (each awsvpc task takes one; load balancer nodes, endpoints and other tasks share them), so ECS accepts the tasks and they stop in PROVISIONING: "+r,
				subnetFullHint)
			continue
		}
		for _, ev := range s.svc.Events {
			switch {
			case strings.Contains(ev.Message, roleUnassumable):
				l.add(SeverityError, CodeTaskRoleUntrusted, s.comp, "ECS launches no task of the service "+s.svc.Name+": it cannot assume a role of the task definition; ECS reports: "+ev.Message,
					"let ecs-tasks.amazonaws.com assume the task definition's execution role and task role: a trust policy statement {\"Effect\": \"Allow\", \"Principal\": {\"Service\": \"ecs-tasks.amazonaws.com\"}, \"Action\": \"sts:AssumeRole\"} (aws iam update-assume-role-policy), or name a role that has it")
			case strings.Contains(ev.Message, "RESOURCE:ENI"):
				l.add(SeverityError, CodeENICapacity, s.comp, "the service "+s.svc.Name+" cannot place tasks: its container instances have no free ENI attachment points (\"RESOURCE:ENI\"); ECS reports: "+ev.Message,
					l.n.eniCapacityHint(s.svc)) // enihint.go
			case strings.Contains(ev.Message, "RESOURCE:PORTS") || strings.Contains(ev.Message, "already using a port"):
				if note := l.n.reservedPortNote(s.svc); note != "" {
					l.add(SeverityError, CodePortConflict, s.comp, "the service "+s.svc.Name+" cannot place tasks"+note+"; ECS reports: "+ev.Message,
						"publish the container on another host port (bridge mode with hostPort 0, or awsvpc)")
					break
				}
				l.add(SeverityError, CodePortConflict, s.comp, "the service "+s.svc.Name+" cannot place tasks: the host port it needs is already used on every instance (\"RESOURCE:PORTS\"); ECS reports: "+ev.Message,
					"use dynamic host ports (hostPort 0) in bridge mode, or awsvpc, or add instances (host mode runs one copy per port per instance)")
			case strings.Contains(ev.Message, subnetFull):
				l.add(SeverityError, CodeSubnetNoFreeAddresses, s.comp, "the service "+s.svc.Name+" cannot place tasks: its subnets "+l.n.serviceSubnetNames(s.svc)+
					" have no free IPv4 address left for another task's network interface (each awsvpc task takes one; load balancer nodes, endpoints and other tasks share them); ECS reports: "+ev.Message,
					subnetFullHint)
			case strings.Contains(ev.Message, `"LOCATION"`):
				why := ""
				if note := l.n.zoneNote(s.svc); note != "" {
					why = ": " + strings.TrimPrefix(note, "; ")
				}
				l.add(SeverityError, CodePlacementZone, s.comp, "the service "+s.svc.Name+" cannot place tasks"+why+" (\"LOCATION\"); ECS reports: "+ev.Message,
					"run the service in subnets of the container instances' zones (aws ecs update-service --network-configuration), or launch container instances in the subnets' zones")
			default:
				continue
			}
			break
		}
	}
}

// trunking: awsvpcTrunking is on but the instances cannot trunk.
func (l *linter) trunking() {
	on := false
	for _, s := range l.n.st.AccountSettings {
		if s.Name == "awsvpcTrunking" && s.Value == "enabled" {
			on = true
		}
	}
	if !on {
		return
	}
	for _, ci := range sortedMap(l.n.st.ContainerInstances) {
		if ci.TrunkingEnabled || ci.Status == "INACTIVE" {
			continue
		}
		it, ok := model.LookupInstanceType(ci.InstanceType)
		if !ok || it.TrunkTasks > 0 {
			continue
		}
		res := &Component{Type: "container-instance", ID: string(ci.EC2InstanceID), ARN: ci.ARN}
		if i := l.n.instances[ci.EC2InstanceID]; i != nil {
			res = i.comp
		}
		tasks := strconv.Itoa(it.TasksWithoutTrunking()) + " awsvpc tasks"
		if it.TasksWithoutTrunking() == 1 {
			tasks = "1 awsvpc task"
		}
		l.add(SeverityWarning, CodeTrunkingUnsupported, res, "awsvpcTrunking is enabled, but "+ci.InstanceType+" does not support ENI trunking: the instance holds only "+tasks,
			"use an instance type that supports trunking (m5, c5, r5, m6i …; t2 and t3 do not)")
	}
}

// serviceConnect: a service whose Service Connect configuration is
// modelled (its endpoints are named, see indexServiceConnect) needs no
// note; one whose source said only that it has one, or whose namespace
// ecsnet does not know, is not analysed.
func (l *linter) serviceConnect() {
	for _, s := range l.n.serviceOrder {
		if !s.svc.ServiceConnect || s.svc.Status == "INACTIVE" {
			continue
		}
		cfg := s.svc.ServiceConnectConfig
		switch {
		case cfg == nil:
			l.add(SeverityInfo, CodeServiceConnectUnmodelled, s.comp,
				"the service "+s.svc.Name+" uses ECS Service Connect, but its source gives no details of the configuration: its endpoint names are not analysed; probes to its tasks' addresses still are",
				"give the service's serviceConnectConfiguration (namespace and services)")
		case l.n.st.Namespaces[cfg.NamespaceID] == nil:
			l.add(SeverityInfo, CodeServiceConnectUnmodelled, s.comp,
				"the service "+s.svc.Name+" uses ECS Service Connect in the namespace "+cfg.Namespace+", which ecsnet does not know: its endpoint names are not analysed",
				"declare the Cloud Map namespace "+cfg.Namespace)
		}
	}
}

// unsteadyServices: services that run fewer tasks than they want and are
// stuck so, for a reason no error found above names (on the service, or
// on the container instances it waits for). A task only pending is not
// stuck: the evidence is a placement failure in the service's events,
// tasks stopped before they ran, or a capacity provider whose Auto
// Scaling group's latest launch failed while the service's tasks wait
// for it (in PROVISIONING).
func (l *linter) unsteadyServices() {
	var explained map[*Component]bool
	for _, s := range l.n.serviceOrder {
		if s.svc.Status != "ACTIVE" || s.svc.DesiredCount <= 0 {
			continue
		}
		running := 0
		waiting := map[string]bool{} // capacity providers the waiting tasks wait for
		for _, t := range s.tasks {
			switch {
			case t.running:
				running++
			case t.tk.LastStatus != model.TaskStopped && t.tk.CapacityProvider != "":
				waiting[t.tk.CapacityProvider] = true
			}
		}
		if running >= s.svc.DesiredCount {
			continue
		}
		if explained == nil {
			explained = map[*Component]bool{}
			for i := range l.count {
				if f := l.at(i); f.Severity == SeverityError {
					explained[f.Resource] = true
				}
			}
		}
		if explained[s.comp] {
			continue
		}
		var why, fix string
		if x := l.n.whyNoTasks(s); x != nil {
			if f := x.Failure; f != nil && (f.Code == CodeAgentCannotRegister || f.Code == CodeAgentDisconnected || f.Code == CodeAgentNoCredentials) {
				continue // the instances' finding names it
			}
			why, fix = x.Sentence(), "read the service's events (aws ecs describe-services) and the stopped tasks' stoppedReason; give the cluster container instances with the CPU, memory, ports and ENIs the task needs"
		} else if ev := placementFailure(s.svc); ev != "" {
			why, fix = "ECS reports: "+ev, "give the cluster container instances with the CPU, memory, ports and ENIs the task needs, or lower the task's requirements"
		}
		for _, f := range l.n.st.FailedLaunches(waiting) {
			if why != "" {
				why += "; "
			}
			why += "its tasks wait for capacity provider " + f.Provider.Name + ", whose Auto Scaling group " + f.Group.Name + " cannot launch instances: " + f.Group.LastActivity
			fix = "fix the launch of the Auto Scaling group " + f.Group.Name + " (its launch template: AMI, instance type, subnets), as its scaling activities say (aws autoscaling describe-scaling-activities)"
		}
		for _, f := range l.n.st.FullProviders(waiting) {
			if why != "" {
				why += "; "
			}
			why += "its tasks wait for capacity provider " + f.Provider.Name + ", whose Auto Scaling group " + f.Group.Name + " is at its maximum size (" +
				strconv.Itoa(f.Group.MaxSize) + ") with every instance registered, none able to take them: ECS stops such a task after up to 30 minutes in PROVISIONING (stopCode TaskFailedToStart)"
			fix = "raise the maximum size of the Auto Scaling group " + f.Group.Name + " (aws autoscaling update-auto-scaling-group --max-size), or give it an instance type with the CPU, memory, ports and ENIs the task needs"
		}
		if why == "" {
			continue // only pending: not stuck
		}
		l.add(SeverityError, CodeServiceNotSteady, s.comp,
			"the service "+s.svc.Name+" runs "+strconv.Itoa(running)+" of "+strconv.Itoa(s.svc.DesiredCount)+" tasks and stays so, which a deployment waits for (CloudFormation fails the stack; Terraform's wait_for_steady_state times out): "+why, fix)
	}
}

// placementFailure is the service's latest event saying a task could not
// be placed ("" when none does), or that the cluster's quota of tasks
// waiting for capacity stops it starting them.
func placementFailure(svc *model.Service) string {
	for _, ev := range svc.Events {
		if strings.Contains(ev.Message, "was unable to place a task") || strings.Contains(ev.Message, "was unable to place tasks") ||
			strings.Contains(ev.Message, "failed to launch a task") {
			return ev.Message
		}
	}
	return ""
}

// scheduledTasks: the ECS targets of enabled EventBridge rules are tasks
// the schedule will start (RunTask with the target's EcsParameters): a
// RunTask ECS refuses, and the start path (image, secrets, logs) from the
// target's subnets with its AssignPublicIp, as for a service.
func (l *linter) scheduledTasks() {
	n := l.n
	st := n.st
	for _, r := range sortedMap(st.EventRules) {
		if r.State != "ENABLED" {
			continue
		}
		comp := &Component{Type: "events-rule", ID: r.Name, ARN: r.ARN, Name: r.Name}
		for i := range r.Targets {
			tg := &r.Targets[i]
			if tg.ECS == nil {
				continue
			}
			td := TargetTaskDefinition(st, tg.ECS.TaskDefinitionARN)
			if td == nil {
				continue
			}
			if td.NetworkMode == model.NetworkModeAwsvpc && tg.ECS.Network == nil {
				l.add(SeverityError, CodeScheduledTaskRefused, comp, "the rule "+r.Name+" (target "+tg.ID+") runs the awsvpc task definition "+td.Family+
					" without NetworkConfiguration: ECS refuses every RunTask (\"Network Configuration must be provided when networkMode 'awsvpc' is specified.\"), "+
					"so no task ever starts and EventBridge counts a FailedInvocation each time the rule fires",
					"give the target an awsvpcConfiguration (EcsParameters.NetworkConfiguration: subnets, security groups, AssignPublicIp)")
				continue
			}
			for _, f := range ScheduledTaskStartFailures(n, tg) {
				where := "in subnet " + n.subnetLabel(f.Subnet)
				switch {
				case failsEverywhere(f.Code):
					where = "in any subnet"
				case f.Pulls == "instance":
					where = "on instances in subnet " + n.subnetLabel(f.Subnet)
				}
				msg := "tasks the rule " + r.Name + " starts (target " + tg.ID + ") " + where + " cannot start: " + f.Why + ". They stop with: " + f.Reason +
					" (EventBridge reports the invocation as successful: RunTask accepted the task)"
				l.add(SeverityError, f.Code, comp, msg, "in the rule's target "+tg.ID+" (EcsParameters): "+StartFixHint(&f))
			}
		}
	}
}

// sameFailure reports whether two subnets' start failures say the same
// but for the subnets' names.
func sameFailure(a StartFailure, aLabel string, b StartFailure, bLabel string) bool {
	same := func(x, y string) bool {
		return strings.ReplaceAll(x, aLabel, "\x00") == strings.ReplaceAll(y, bLabel, "\x00")
	}
	return same(a.Why, b.Why) && same(a.Reason, b.Reason) && same(StartFixHint(&a), StartFixHint(&b))
}
