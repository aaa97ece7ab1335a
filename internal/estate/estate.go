// Package estate generates large, realistic AWS estates through the engine:
// many VPCs and subnets, thousands of security groups with many rules, ECS
// clusters on EC2 instances with awsvpc tasks, Fargate tasks, and load
// balancers. Benchmarks of the engine, the analyzer, the importers and the
// emulator all build their input with it, so they measure the same thing.
package estate

import (
	"encoding/base64"
	"fmt"
	"net/netip"
	"slices"
	"strings"
	"time"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

// Size says how big an estate is.
type Size struct {
	VPCs             int
	SubnetsPerVPC    int // /24 subnets spread over the region's zones
	SecurityGroups   int // spread over the VPCs
	RulesPerGroup    int // ingress rules, a mix of CIDRs and group references
	Clusters         int
	Instances        int    // ECS container instances, spread over subnets and clusters
	InstanceType     string // decides the awsvpc task capacity per instance
	TasksPerInstance int    // awsvpc tasks on each instance
	FargateTasks     int
	LoadBalancers    int // internet-facing ALBs, each in two subnets with a target group of ip targets
}

// Large is the estate the benchmarks use: 500 subnets, 2,000 security
// groups of 20 rules, 2,000 instances running 6,000 awsvpc tasks, 2,000
// Fargate tasks and 50 load balancers: 10,100 ENIs, 8,000 tasks.
func Large() Size {
	return Size{VPCs: 5, SubnetsPerVPC: 100, SecurityGroups: 2000, RulesPerGroup: 20, Clusters: 10,
		Instances: 2000, InstanceType: "m5.xlarge", TasksPerInstance: 3, FargateTasks: 2000, LoadBalancers: 50}
}

// Small is a quick estate for tests: the same shape, a hundredth the size.
func Small() Size {
	return Size{VPCs: 1, SubnetsPerVPC: 6, SecurityGroups: 20, RulesPerGroup: 5, Clusters: 1,
		Instances: 20, InstanceType: "m5.xlarge", TasksPerInstance: 3, FargateTasks: 20, LoadBalancers: 2}
}

// Build creates the estate in a new engine (deterministic ids and clock) and
// runs it to its steady state.
func Build(size Size, opts ...engine.Option) (*engine.Engine, error) {
	base := []engine.Option{
		engine.WithIDs(engine.SeededIDs(42)),
		engine.WithClock(func() time.Time { return time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC) }),
	}
	e := engine.New(append(base, opts...)...)
	g := &gen{e: e, size: size}
	if err := g.build(); err != nil {
		return nil, err
	}
	return e, nil
}

type gen struct {
	e       *engine.Engine
	size    Size
	vpcs    []*model.VPC
	subnets [][]*model.Subnet // per VPC
	groups  [][]model.SecurityGroupID
	tds     map[string]string
}

func (g *gen) build() error {
	s := g.size
	zones := g.e.AvailabilityZones()
	for v := 0; v < s.VPCs; v++ {
		vpc, err := g.e.CreateVpc(engine.CreateVpcInput{CIDR: fmt.Sprintf("10.%d.0.0/16", v), Tags: model.Tags{"Name": fmt.Sprintf("vpc-%d", v)}})
		if err != nil {
			return err
		}
		igw, err := g.e.CreateInternetGateway(model.Tags{"Name": fmt.Sprintf("igw-%d", v)})
		if err != nil {
			return err
		}
		if err := g.e.AttachInternetGateway(igw.ID, vpc.ID); err != nil {
			return err
		}
		if err := g.e.CreateRoute(engine.RouteInput{RouteTableID: vpc.MainRouteTable, DestinationCIDR: "0.0.0.0/0", GatewayID: string(igw.ID)}); err != nil {
			return err
		}
		g.vpcs = append(g.vpcs, vpc)
		var subs []*model.Subnet
		for i := 0; i < s.SubnetsPerVPC; i++ {
			if i >= 256 {
				return fmt.Errorf("estate: at most 256 /24 subnets fit a /16, got %d", s.SubnetsPerVPC)
			}
			sub, err := g.e.CreateSubnet(engine.CreateSubnetInput{VpcID: vpc.ID, CIDR: fmt.Sprintf("10.%d.%d.0/24", v, i),
				AvailabilityZone: zones[i%len(zones)].Name, Tags: model.Tags{"Name": fmt.Sprintf("subnet-%d-%d", v, i)}})
			if err != nil {
				return err
			}
			if err := g.e.ModifySubnetAttribute(sub.ID, i%2 == 0); err != nil {
				return err
			}
			subs = append(subs, sub)
		}
		g.subnets = append(g.subnets, subs)
		g.groups = append(g.groups, nil)
	}
	if err := g.securityGroups(); err != nil {
		return err
	}
	return g.ecs()
}

// securityGroups creates the groups round-robin over the VPCs, then their
// rules: CIDR rules on assorted ports and references to earlier groups.
func (g *gen) securityGroups() error {
	s := g.size
	for i := 0; i < s.SecurityGroups; i++ {
		v := i % len(g.vpcs)
		sg, err := g.e.CreateSecurityGroup(engine.CreateSecurityGroupInput{VpcID: g.vpcs[v].ID, Name: fmt.Sprintf("group-%d", i), Description: "generated"})
		if err != nil {
			return err
		}
		g.groups[v] = append(g.groups[v], sg.ID)
	}
	for v := range g.vpcs {
		for i, id := range g.groups[v] {
			perms := make([]engine.IPPermission, 0, s.RulesPerGroup)
			for r := 0; r < s.RulesPerGroup; r++ {
				port := 1000 + (i*7+r*13)%60000
				p := engine.IPPermission{Protocol: "tcp", FromPort: &port, ToPort: &port}
				switch {
				case r%4 == 3 && i > 0:
					p.Groups = []engine.RuleSource{{Value: string(g.groups[v][(i+r)%i])}}
				case r%4 == 2:
					p.CIDRs = []engine.RuleSource{{Value: fmt.Sprintf("10.%d.%d.0/24", v, (i+r)%256)}}
				default:
					p.CIDRs = []engine.RuleSource{{Value: fmt.Sprintf("%d.%d.0.0/16", 11+(i+r)%200, r%256)}}
				}
				perms = append(perms, p)
			}
			if i%10 == 0 {
				web := 3000
				perms[0] = engine.IPPermission{Protocol: "tcp", FromPort: &web, ToPort: &web, CIDRs: []engine.RuleSource{{Value: "0.0.0.0/0"}}}
			}
			if _, err := g.e.AuthorizeSecurityGroup(id, false, perms); err != nil {
				return err
			}
		}
	}
	return nil
}

func (g *gen) ecs() error {
	s := g.size
	ud := base64.StdEncoding.EncodeToString
	var clusters []string
	for c := 0; c < s.Clusters; c++ {
		name := fmt.Sprintf("cluster-%d", c)
		if _, err := g.e.CreateCluster(engine.CreateClusterInput{Name: name}); err != nil {
			return err
		}
		clusters = append(clusters, name)
	}
	for i := 0; i < s.Instances; i++ {
		v := i % len(g.vpcs)
		sub := g.subnets[v][(i/len(g.vpcs))%len(g.subnets[v])]
		cluster := clusters[i%len(clusters)]
		_, err := g.e.RunInstances(engine.RunInstancesInput{ImageID: "ami-0c1f2a3b4d5e6f708", InstanceType: s.InstanceType, SubnetID: sub.ID,
			SecurityGroupIDs: []model.SecurityGroupID{g.groups[v][i%len(g.groups[v])]},
			UserData:         ud([]byte("#!/bin/bash\necho ECS_CLUSTER=" + cluster + " >> /etc/ecs/ecs.config\n"))})
		if err != nil {
			return fmt.Errorf("instance %d: %w", i, err)
		}
	}
	if err := g.e.Converge(); err != nil {
		return err
	}
	awsvpc, err := g.e.RegisterTaskDefinition(engine.RegisterTaskDefinitionInput{Family: "web", NetworkMode: "awsvpc", CPU: "256", Memory: "512",
		RequiresCompatibilities: []string{"EC2", "FARGATE"},
		Containers:              []model.ContainerDefinition{{Name: "web", Image: "public.ecr.aws/docker/library/nginx:latest", Essential: true, PortMappings: []model.PortMapping{{ContainerPort: 3000}}}}})
	if err != nil {
		return err
	}
	// EC2 tasks: per cluster and per VPC, fill the instances.
	for ci, cluster := range clusters {
		for v := range g.vpcs {
			n := 0
			for i := 0; i < s.Instances; i++ {
				if i%len(g.vpcs) == v && i%len(clusters) == ci {
					n++
				}
			}
			remaining := n * s.TasksPerInstance
			netw := &model.AwsVpcConfiguration{Subnets: subnetIDs(g.subnets[v], 16, ci), SecurityGroups: []model.SecurityGroupID{g.groups[v][ci%len(g.groups[v])]}}
			for remaining > 0 {
				out, err := g.e.RunTask(engine.RunTaskInput{Cluster: cluster, TaskDefinition: awsvpc.ARN, Count: min(remaining, 10), LaunchType: model.LaunchEC2, Network: netw})
				if err != nil {
					return err
				}
				if len(out.Tasks) == 0 {
					break
				}
				remaining -= len(out.Tasks)
			}
		}
	}
	// Fargate tasks, in public subnets with public IPs.
	for i := 0; i < s.FargateTasks; i += 10 {
		v := (i / 10) % len(g.vpcs)
		sub := g.subnets[v][((i/10)/len(g.vpcs)*2)%len(g.subnets[v])]
		netw := &model.AwsVpcConfiguration{Subnets: []model.SubnetID{sub.ID}, SecurityGroups: []model.SecurityGroupID{g.groups[v][(i/10)%len(g.groups[v])]}, AssignPublicIP: true}
		if _, err := g.e.RunTask(engine.RunTaskInput{Cluster: clusters[(i/10)%len(clusters)], TaskDefinition: awsvpc.ARN, Count: min(10, s.FargateTasks-i),
			LaunchType: model.LaunchFargate, Network: netw}); err != nil {
			return err
		}
	}
	if err := g.loadBalancers(); err != nil {
		return err
	}
	return g.e.Converge()
}

func subnetIDs(subs []*model.Subnet, n, offset int) []model.SubnetID {
	var out []model.SubnetID
	for i := 0; i < len(subs) && len(out) < n; i++ {
		out = append(out, subs[(offset+i)%len(subs)].ID)
	}
	return out
}

// loadBalancers creates internet-facing ALBs with an ip target group
// holding a few task addresses each.
func (g *gen) loadBalancers() error {
	s := g.size
	var taskIPs [][]netip.Addr
	g.e.Read(func(st *model.State) {
		taskIPs = make([][]netip.Addr, len(g.vpcs))
		// By ARN, not in the map's order: the same targets every time, so
		// that benchmarks over the estate measure the same probes.
		tasks := make([]*model.Task, 0, len(st.Tasks))
		for _, tk := range st.Tasks {
			tasks = append(tasks, tk)
		}
		slices.SortFunc(tasks, func(a, b *model.Task) int { return strings.Compare(a.ARN, b.ARN) })
		for _, tk := range tasks {
			if len(tk.Attachments) == 0 {
				continue
			}
			for v, vpc := range g.vpcs {
				if vpc.Contains(tk.Attachments[0].PrivateIP) && len(taskIPs[v]) < 1000 {
					taskIPs[v] = append(taskIPs[v], tk.Attachments[0].PrivateIP)
				}
			}
		}
	})
	for i := 0; i < s.LoadBalancers; i++ {
		v := i % len(g.vpcs)
		subs := g.subnets[v]
		if len(subs) < 2 {
			return fmt.Errorf("estate: load balancers need two subnets per VPC")
		}
		lb, err := g.e.CreateLoadBalancer(engine.CreateLoadBalancerInput{Name: fmt.Sprintf("alb-%d", i),
			Subnets: []model.SubnetID{subs[(2*i)%len(subs)].ID, subs[(2*i+1)%len(subs)].ID}, SecurityGroups: []model.SecurityGroupID{g.groups[v][0]}})
		if err != nil {
			return err
		}
		tg, err := g.e.CreateTargetGroup(engine.CreateTargetGroupInput{Name: fmt.Sprintf("tg-%d", i), Protocol: "HTTP", Port: 3000, VpcID: g.vpcs[v].ID, TargetType: "ip"})
		if err != nil {
			return err
		}
		if _, err := g.e.CreateListener(engine.CreateListenerInput{LoadBalancerARN: lb.ARN, Protocol: "HTTP", Port: 80,
			DefaultActions: []model.ListenerAction{{Type: "forward", TargetGroupARN: tg.ARN}}}); err != nil {
			return err
		}
		var targets []engine.TargetDescription
		for k := 0; k < 4 && len(taskIPs[v]) > 0; k++ {
			targets = append(targets, engine.TargetDescription{ID: taskIPs[v][(i*4+k)%len(taskIPs[v])].String(), Port: 3000})
		}
		if len(targets) > 0 {
			if err := g.e.RegisterTargets(tg.ARN, targets); err != nil {
				return err
			}
		}
	}
	return nil
}
