package collect

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/autoscaling"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
	elbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	"github.com/aws/smithy-go"

	"github.com/ecsnet/ecsnet/internal/snapshot"
)

// regionRun collects one region.
type regionRun struct {
	region, dir, out string
	progress         *progress
	ec2              *ec2.Client
	ecs              *ecs.Client
	elb              *elbv2.Client
	asg              *autoscaling.Client
}

// counter counts the pages and items of one call and reports them.
type counter struct {
	r           *regionRun
	call        string
	pages, item int
	notes       []string
}

// note records something about the call for the manifest (once).
func (c *counter) note(s string) {
	if s != "" && !slices.Contains(c.notes, s) {
		c.notes = append(c.notes, s)
	}
}

func (c *counter) page(items int) {
	c.pages++
	c.item += items
	c.r.progress.page(c.r.region, c.call, c.pages, c.item)
}

// files is what one call writes: file name → content.
type files map[string]any

// run makes one logical call (its pages, or its requests per resource)
// and writes what fetch returns. A failed call writes nothing and is
// recorded with its error.
func (r *regionRun) run(ctx context.Context, call snapshot.Call, fetch func(ctx context.Context, c *counter) (files, error)) bool {
	c := &counter{r: r, call: call.Command()}
	entry := snapshot.ManifestCall{Region: r.region, Call: call.Command()}
	out, err := fetch(ctx, c)
	if err == nil {
		for _, name := range sortedNames(out) {
			if werr := r.write(name, out[name]); werr != nil {
				r.progress.failWrite(werr)
				err = werr
				break
			}
		}
		if call.File != "" {
			entry.File = filepath.ToSlash(filepath.Join("aws_configs", r.region, call.File))
		}
	}
	entry.Pages, entry.Items, entry.Notes = c.pages, c.item, c.notes
	if err != nil {
		entry.Error = errorText(err)
	}
	r.progress.done(entry, err)
	return err == nil
}

func sortedNames(f files) []string {
	out := make([]string, 0, len(f))
	for k := range f {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// write writes one file atomically (a temporary file renamed into place).
func (r *regionRun) write(name string, v any) error {
	b, err := MarshalCLI(v)
	if err != nil {
		return err
	}
	path := filepath.Join(r.dir, name)
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, b, 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// errorText keeps an AWS error's code and message, without the SDK's
// request bookkeeping.
func errorText(err error) string {
	var api smithy.APIError
	if errors.As(err, &api) {
		return api.ErrorCode() + ": " + api.ErrorMessage()
	}
	return err.Error()
}

func callOf(service, op string) snapshot.Call {
	for _, c := range snapshot.Calls() {
		if c.Service == service && c.Operation == op {
			return c
		}
	}
	panic("collect: no call " + service + " " + op)
}

// list converts a slice of SDK values to the CLI's list.
func list(v any, style KeyStyle) []any {
	if l, ok := CLIValue(v, style).([]any); ok {
		return l
	}
	return []any{}
}

// one is the usual content of a call's file: its key and its items.
func one(call snapshot.Call, items []any) files {
	if items == nil {
		items = []any{}
	}
	return files{call.File: map[string]any{call.Key: items}}
}

// pager is what every SDK paginator offers, for one service's options.
type pager[O, Opt any] interface {
	HasMorePages() bool
	NextPage(ctx context.Context, optFns ...func(*Opt)) (O, error)
}

// allPages reads every page of p, calling each on every page; each returns
// how many items the page held.
func allPages[O, Opt any](ctx context.Context, p pager[O, Opt], c *counter, each func(O) int) error {
	for p.HasMorePages() {
		out, err := p.NextPage(ctx)
		if err != nil {
			return err
		}
		c.page(each(out))
	}
	return nil
}

// batches splits ids into groups of at most n (ECS describes 10 services
// or 100 tasks, container instances or clusters per request).
func batches(ids []string, n int) [][]string {
	var out [][]string
	for len(ids) > n {
		out = append(out, ids[:n])
		ids = ids[n:]
	}
	if len(ids) > 0 {
		out = append(out, ids)
	}
	return out
}

// ---- EC2 ----

func (r *regionRun) collectEC2(ctx context.Context) {
	type simple struct {
		op    string
		fetch func(context.Context, *counter) ([]any, error)
	}
	e := r.ec2
	for _, s := range []simple{
		{"describe-vpcs", func(ctx context.Context, c *counter) (all []any, err error) {
			err = allPages(ctx, ec2.NewDescribeVpcsPaginator(e, &ec2.DescribeVpcsInput{}), c, func(o *ec2.DescribeVpcsOutput) int {
				all = append(all, list(o.Vpcs, Pascal)...)
				return len(o.Vpcs)
			})
			return
		}},
		{"describe-subnets", func(ctx context.Context, c *counter) (all []any, err error) {
			err = allPages(ctx, ec2.NewDescribeSubnetsPaginator(e, &ec2.DescribeSubnetsInput{}), c, func(o *ec2.DescribeSubnetsOutput) int {
				all = append(all, list(o.Subnets, Pascal)...)
				return len(o.Subnets)
			})
			return
		}},
		{"describe-route-tables", func(ctx context.Context, c *counter) (all []any, err error) {
			err = allPages(ctx, ec2.NewDescribeRouteTablesPaginator(e, &ec2.DescribeRouteTablesInput{}), c, func(o *ec2.DescribeRouteTablesOutput) int {
				all = append(all, list(o.RouteTables, Pascal)...)
				return len(o.RouteTables)
			})
			return
		}},
		{"describe-internet-gateways", func(ctx context.Context, c *counter) (all []any, err error) {
			err = allPages(ctx, ec2.NewDescribeInternetGatewaysPaginator(e, &ec2.DescribeInternetGatewaysInput{}), c, func(o *ec2.DescribeInternetGatewaysOutput) int {
				all = append(all, list(o.InternetGateways, Pascal)...)
				return len(o.InternetGateways)
			})
			return
		}},
		{"describe-nat-gateways", func(ctx context.Context, c *counter) (all []any, err error) {
			err = allPages(ctx, ec2.NewDescribeNatGatewaysPaginator(e, &ec2.DescribeNatGatewaysInput{}), c, func(o *ec2.DescribeNatGatewaysOutput) int {
				all = append(all, list(o.NatGateways, Pascal)...)
				return len(o.NatGateways)
			})
			return
		}},
		{"describe-network-acls", func(ctx context.Context, c *counter) (all []any, err error) {
			err = allPages(ctx, ec2.NewDescribeNetworkAclsPaginator(e, &ec2.DescribeNetworkAclsInput{}), c, func(o *ec2.DescribeNetworkAclsOutput) int {
				all = append(all, list(o.NetworkAcls, Pascal)...)
				return len(o.NetworkAcls)
			})
			return
		}},
		{"describe-security-groups", func(ctx context.Context, c *counter) (all []any, err error) {
			err = allPages(ctx, ec2.NewDescribeSecurityGroupsPaginator(e, &ec2.DescribeSecurityGroupsInput{}), c, func(o *ec2.DescribeSecurityGroupsOutput) int {
				all = append(all, list(o.SecurityGroups, Pascal)...)
				return len(o.SecurityGroups)
			})
			return
		}},
		{"describe-network-interfaces", func(ctx context.Context, c *counter) (all []any, err error) {
			err = allPages(ctx, ec2.NewDescribeNetworkInterfacesPaginator(e, &ec2.DescribeNetworkInterfacesInput{}), c, func(o *ec2.DescribeNetworkInterfacesOutput) int {
				all = append(all, list(o.NetworkInterfaces, Pascal)...)
				return len(o.NetworkInterfaces)
			})
			return
		}},
		{"describe-instances", func(ctx context.Context, c *counter) (all []any, err error) {
			err = allPages(ctx, ec2.NewDescribeInstancesPaginator(e, &ec2.DescribeInstancesInput{}), c, func(o *ec2.DescribeInstancesOutput) int {
				all = append(all, list(o.Reservations, Pascal)...)
				n := 0
				for _, res := range o.Reservations {
					n += len(res.Instances)
				}
				return n
			})
			return
		}},
		{"describe-addresses", func(ctx context.Context, c *counter) ([]any, error) {
			// DescribeAddresses does not paginate: one request answers.
			o, err := e.DescribeAddresses(ctx, &ec2.DescribeAddressesInput{})
			if err != nil {
				return nil, err
			}
			c.page(len(o.Addresses))
			return list(o.Addresses, Pascal), nil
		}},
		{"describe-vpc-endpoints", func(ctx context.Context, c *counter) (all []any, err error) {
			err = allPages(ctx, ec2.NewDescribeVpcEndpointsPaginator(e, &ec2.DescribeVpcEndpointsInput{}), c, func(o *ec2.DescribeVpcEndpointsOutput) int {
				all = append(all, list(o.VpcEndpoints, Pascal)...)
				return len(o.VpcEndpoints)
			})
			return
		}},
		{"describe-prefix-lists", func(ctx context.Context, c *counter) (all []any, err error) {
			err = allPages(ctx, ec2.NewDescribePrefixListsPaginator(e, &ec2.DescribePrefixListsInput{}), c, func(o *ec2.DescribePrefixListsOutput) int {
				all = append(all, list(o.PrefixLists, Pascal)...)
				return len(o.PrefixLists)
			})
			return
		}},
	} {
		call := callOf("ec2", s.op)
		r.run(ctx, call, func(ctx context.Context, c *counter) (files, error) {
			items, err := s.fetch(ctx, c)
			if err != nil {
				return nil, err
			}
			return one(call, items), nil
		})
	}

	// Launch templates, then the versions instances and groups launch
	// from ($Default and $Latest of each).
	var templates []string
	lt := callOf("ec2", "describe-launch-templates")
	ok := r.run(ctx, lt, func(ctx context.Context, c *counter) (files, error) {
		var all []any
		err := allPages(ctx, ec2.NewDescribeLaunchTemplatesPaginator(e, &ec2.DescribeLaunchTemplatesInput{}), c, func(o *ec2.DescribeLaunchTemplatesOutput) int {
			all = append(all, list(o.LaunchTemplates, Pascal)...)
			for _, t := range o.LaunchTemplates {
				templates = append(templates, aws.ToString(t.LaunchTemplateId))
			}
			return len(o.LaunchTemplates)
		})
		return one(lt, all), err
	})
	ltv := callOf("ec2", "describe-launch-template-versions")
	r.run(ctx, ltv, func(ctx context.Context, c *counter) (files, error) {
		if !ok {
			return nil, errors.New("skipped: describe-launch-templates failed")
		}
		var all []any
		for _, id := range templates {
			err := allPages(ctx, ec2.NewDescribeLaunchTemplateVersionsPaginator(e, &ec2.DescribeLaunchTemplateVersionsInput{
				LaunchTemplateId: aws.String(id), Versions: []string{"$Default", "$Latest"}}), c, func(o *ec2.DescribeLaunchTemplateVersionsOutput) int {
				all = append(all, list(o.LaunchTemplateVersions, Pascal)...)
				return len(o.LaunchTemplateVersions)
			})
			if err != nil {
				return nil, fmt.Errorf("%s: %w", id, err)
			}
		}
		return one(ltv, all), nil
	})
}

// ---- Auto Scaling ----

func (r *regionRun) collectAutoScaling(ctx context.Context) {
	a := r.asg
	groups := callOf("autoscaling", "describe-auto-scaling-groups")
	r.run(ctx, groups, func(ctx context.Context, c *counter) (files, error) {
		var all []any
		err := allPages(ctx, autoscaling.NewDescribeAutoScalingGroupsPaginator(a, &autoscaling.DescribeAutoScalingGroupsInput{}), c,
			func(o *autoscaling.DescribeAutoScalingGroupsOutput) int {
				all = append(all, list(o.AutoScalingGroups, Pascal)...)
				return len(o.AutoScalingGroups)
			})
		return one(groups, all), err
	})
	lcs := callOf("autoscaling", "describe-launch-configurations")
	r.run(ctx, lcs, func(ctx context.Context, c *counter) (files, error) {
		var all []any
		err := allPages(ctx, autoscaling.NewDescribeLaunchConfigurationsPaginator(a, &autoscaling.DescribeLaunchConfigurationsInput{}), c,
			func(o *autoscaling.DescribeLaunchConfigurationsOutput) int {
				all = append(all, list(o.LaunchConfigurations, Pascal)...)
				return len(o.LaunchConfigurations)
			})
		return one(lcs, all), err
	})
}

// ---- ECS ----

// ecsFiles is the content of an ECS describe-* file: the items and the
// failures ECS reported, as describe-* prints them.
func ecsFiles(call snapshot.Call, items, failures []any) files {
	if items == nil {
		items = []any{}
	}
	if failures == nil {
		failures = []any{}
	}
	return files{call.File: map[string]any{call.Key: items, "failures": failures}}
}

// describeECS makes one ECS describe request and returns its items and
// failures as the aws CLI prints them, decoding leniently (see lenient).
func describeECS[O any](ctx context.Context, c *counter, key string, call func(context.Context) (O, error), typed func(O) (items, failures any)) ([]any, []any, error) {
	o, raw, failures, note, err := lenient(ctx, call, key)
	if err != nil {
		return nil, nil, err
	}
	if raw != nil {
		c.note(note)
		c.page(len(raw))
		return raw, failures, nil
	}
	items, fails := typed(o)
	l := list(items, Camel)
	c.page(len(l))
	return l, list(fails, Camel), nil
}

// field returns a string field of an item printed by CLIValue (or kept raw).
func field(item any, key string) string {
	if m, ok := item.(map[string]any); ok {
		if s, ok := m[key].(string); ok {
			return s
		}
	}
	return ""
}

func (r *regionRun) collectECS(ctx context.Context) {
	e := r.ecs
	var clusters []string
	clusterCall := callOf("ecs", "describe-clusters")
	ok := r.run(ctx, clusterCall, func(ctx context.Context, c *counter) (files, error) {
		var arns []string
		err := allPages(ctx, ecs.NewListClustersPaginator(e, &ecs.ListClustersInput{}), c, func(o *ecs.ListClustersOutput) int {
			arns = append(arns, o.ClusterArns...)
			return 0
		})
		if err != nil {
			return nil, err
		}
		var items, failures []any
		for _, b := range batches(arns, 100) {
			it, f, err := describeECS(ctx, c, "clusters", func(ctx context.Context) (*ecs.DescribeClustersOutput, error) {
				return e.DescribeClusters(ctx, &ecs.DescribeClustersInput{Clusters: b,
					Include: []ecstypes.ClusterField{ecstypes.ClusterFieldSettings, ecstypes.ClusterFieldTags}})
			}, func(o *ecs.DescribeClustersOutput) (any, any) { return o.Clusters, o.Failures })
			if err != nil {
				return nil, err
			}
			items, failures = append(items, it...), append(failures, f...)
		}
		for _, it := range items {
			clusters = append(clusters, field(it, "clusterArn"))
		}
		return ecsFiles(clusterCall, items, failures), nil
	})
	skipped := errors.New("skipped: describe-clusters failed")

	ciCall := callOf("ecs", "describe-container-instances")
	r.run(ctx, ciCall, func(ctx context.Context, c *counter) (files, error) {
		if !ok {
			return nil, skipped
		}
		var items, failures []any
		for _, cl := range clusters {
			var arns []string
			err := allPages(ctx, ecs.NewListContainerInstancesPaginator(e, &ecs.ListContainerInstancesInput{Cluster: aws.String(cl)}), c,
				func(o *ecs.ListContainerInstancesOutput) int {
					arns = append(arns, o.ContainerInstanceArns...)
					return 0
				})
			if err != nil {
				return nil, err
			}
			for _, b := range batches(arns, 100) {
				it, f, err := describeECS(ctx, c, "containerInstances", func(ctx context.Context) (*ecs.DescribeContainerInstancesOutput, error) {
					return e.DescribeContainerInstances(ctx, &ecs.DescribeContainerInstancesInput{Cluster: aws.String(cl), ContainerInstances: b,
						Include: []ecstypes.ContainerInstanceField{ecstypes.ContainerInstanceFieldTags}})
				}, func(o *ecs.DescribeContainerInstancesOutput) (any, any) { return o.ContainerInstances, o.Failures })
				if err != nil {
					return nil, err
				}
				items, failures = append(items, it...), append(failures, f...)
			}
		}
		return ecsFiles(ciCall, items, failures), nil
	})

	taskDefs := map[string]bool{}
	svcCall := callOf("ecs", "describe-services")
	r.run(ctx, svcCall, func(ctx context.Context, c *counter) (files, error) {
		if !ok {
			return nil, skipped
		}
		var items, failures []any
		for _, cl := range clusters {
			var arns []string
			err := allPages(ctx, ecs.NewListServicesPaginator(e, &ecs.ListServicesInput{Cluster: aws.String(cl)}), c, func(o *ecs.ListServicesOutput) int {
				arns = append(arns, o.ServiceArns...)
				return 0
			})
			if err != nil {
				return nil, err
			}
			for _, b := range batches(arns, 10) {
				it, f, err := describeECS(ctx, c, "services", func(ctx context.Context) (*ecs.DescribeServicesOutput, error) {
					return e.DescribeServices(ctx, &ecs.DescribeServicesInput{Cluster: aws.String(cl), Services: b,
						Include: []ecstypes.ServiceField{ecstypes.ServiceFieldTags}})
				}, func(o *ecs.DescribeServicesOutput) (any, any) { return o.Services, o.Failures })
				if err != nil {
					return nil, err
				}
				items, failures = append(items, it...), append(failures, f...)
			}
		}
		for _, s := range items {
			taskDefs[field(s, "taskDefinition")] = true
			if m, ok := s.(map[string]any); ok {
				if ds, ok := m["deployments"].([]any); ok {
					for _, d := range ds {
						taskDefs[field(d, "taskDefinition")] = true
					}
				}
			}
		}
		return ecsFiles(svcCall, items, failures), nil
	})

	taskCall := callOf("ecs", "describe-tasks")
	r.run(ctx, taskCall, func(ctx context.Context, c *counter) (files, error) {
		if !ok {
			return nil, skipped
		}
		var items, failures []any
		for _, cl := range clusters {
			var arns []string
			err := allPages(ctx, ecs.NewListTasksPaginator(e, &ecs.ListTasksInput{Cluster: aws.String(cl)}), c, func(o *ecs.ListTasksOutput) int {
				arns = append(arns, o.TaskArns...)
				return 0
			})
			if err != nil {
				return nil, err
			}
			for _, b := range batches(arns, 100) {
				it, f, err := describeECS(ctx, c, "tasks", func(ctx context.Context) (*ecs.DescribeTasksOutput, error) {
					return e.DescribeTasks(ctx, &ecs.DescribeTasksInput{Cluster: aws.String(cl), Tasks: b,
						Include: []ecstypes.TaskField{ecstypes.TaskFieldTags}})
				}, func(o *ecs.DescribeTasksOutput) (any, any) { return o.Tasks, o.Failures })
				if err != nil {
					return nil, err
				}
				items, failures = append(items, it...), append(failures, f...)
			}
		}
		for _, t := range items {
			taskDefs[field(t, "taskDefinitionArn")] = true
		}
		return ecsFiles(taskCall, items, failures), nil
	})

	tdCall := callOf("ecs", "describe-task-definition")
	r.run(ctx, tdCall, func(ctx context.Context, c *counter) (files, error) {
		if !ok {
			return nil, skipped
		}
		arns := make([]string, 0, len(taskDefs))
		for arn := range taskDefs {
			if arn != "" {
				arns = append(arns, arn)
			}
		}
		slices.Sort(arns)
		items := []any{}
		for _, arn := range arns {
			o, raw, _, note, err := lenient(ctx, func(ctx context.Context) (*ecs.DescribeTaskDefinitionOutput, error) {
				return e.DescribeTaskDefinition(ctx, &ecs.DescribeTaskDefinitionInput{TaskDefinition: aws.String(arn)})
			}, "taskDefinition")
			if err != nil {
				return nil, fmt.Errorf("%s: %w", arn, err)
			}
			c.page(1)
			switch {
			case raw != nil:
				c.note(note)
				items = append(items, raw...)
			case o.TaskDefinition != nil:
				items = append(items, CLIValue(o.TaskDefinition, Camel))
			}
		}
		return files{tdCall.File: map[string]any{tdCall.Key: items}}, nil
	})
}

// ---- ELBv2 ----

func (r *regionRun) collectELB(ctx context.Context) {
	e := r.elb
	var lbs []string
	lbCall := callOf("elbv2", "describe-load-balancers")
	lbOK := r.run(ctx, lbCall, func(ctx context.Context, c *counter) (files, error) {
		var all []any
		err := allPages(ctx, elbv2.NewDescribeLoadBalancersPaginator(e, &elbv2.DescribeLoadBalancersInput{}), c, func(o *elbv2.DescribeLoadBalancersOutput) int {
			all = append(all, list(o.LoadBalancers, Pascal)...)
			for _, lb := range o.LoadBalancers {
				lbs = append(lbs, aws.ToString(lb.LoadBalancerArn))
			}
			return len(o.LoadBalancers)
		})
		return one(lbCall, all), err
	})
	var listeners []string
	lCall := callOf("elbv2", "describe-listeners")
	lOK := r.run(ctx, lCall, func(ctx context.Context, c *counter) (files, error) {
		if !lbOK {
			return nil, errors.New("skipped: describe-load-balancers failed")
		}
		var all []any
		for _, lb := range lbs {
			err := allPages(ctx, elbv2.NewDescribeListenersPaginator(e, &elbv2.DescribeListenersInput{LoadBalancerArn: aws.String(lb)}), c,
				func(o *elbv2.DescribeListenersOutput) int {
					all = append(all, list(o.Listeners, Pascal)...)
					for _, l := range o.Listeners {
						listeners = append(listeners, aws.ToString(l.ListenerArn))
					}
					return len(o.Listeners)
				})
			if err != nil {
				return nil, fmt.Errorf("%s: %w", lb, err)
			}
		}
		return one(lCall, all), nil
	})
	rCall := callOf("elbv2", "describe-rules")
	r.run(ctx, rCall, func(ctx context.Context, c *counter) (files, error) {
		if !lOK {
			return nil, errors.New("skipped: describe-listeners failed")
		}
		var all []any
		for _, l := range listeners {
			err := allPages(ctx, elbv2.NewDescribeRulesPaginator(e, &elbv2.DescribeRulesInput{ListenerArn: aws.String(l)}), c,
				func(o *elbv2.DescribeRulesOutput) int {
					all = append(all, list(o.Rules, Pascal)...)
					return len(o.Rules)
				})
			if err != nil {
				return nil, fmt.Errorf("%s: %w", l, err)
			}
		}
		return one(rCall, all), nil
	})
	var tgs []string
	tgCall := callOf("elbv2", "describe-target-groups")
	tgOK := r.run(ctx, tgCall, func(ctx context.Context, c *counter) (files, error) {
		var all []any
		err := allPages(ctx, elbv2.NewDescribeTargetGroupsPaginator(e, &elbv2.DescribeTargetGroupsInput{}), c, func(o *elbv2.DescribeTargetGroupsOutput) int {
			all = append(all, list(o.TargetGroups, Pascal)...)
			for _, tg := range o.TargetGroups {
				tgs = append(tgs, aws.ToString(tg.TargetGroupArn))
			}
			return len(o.TargetGroups)
		})
		return one(tgCall, all), err
	})
	thCall := callOf("elbv2", "describe-target-health")
	r.run(ctx, thCall, func(ctx context.Context, c *counter) (files, error) {
		if !tgOK {
			return nil, errors.New("skipped: describe-target-groups failed")
		}
		out := files{}
		for _, tg := range tgs {
			// One file per target group: describe-target-health's output
			// with the group's ARN beside it (snapshot.TargetHealthFileName).
			o, err := e.DescribeTargetHealth(ctx, &elbv2.DescribeTargetHealthInput{TargetGroupArn: aws.String(tg)})
			if err != nil {
				return nil, fmt.Errorf("%s: %w", tg, err)
			}
			c.page(len(o.TargetHealthDescriptions))
			out[snapshot.TargetHealthFileName(tg)] = map[string]any{"TargetGroupArn": tg, "TargetHealthDescriptions": list(o.TargetHealthDescriptions, Pascal)}
		}
		return out, nil
	})
}
