package collect

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/ecsnet/ecsnet/internal/awsproto"
	"github.com/ecsnet/ecsnet/internal/snapshot"
)

// regionRun collects one region.
type regionRun struct {
	region, dir, out string
	progress         *progress
	client           *client
	// eventTaskDefinitions are the task definitions the EventBridge
	// rules' ECS targets name (collectEvents, before collectECS, which
	// describes them).
	eventTaskDefinitions []string
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
	var api *awsproto.ResponseError
	if errors.As(err, &api) && api.Code != "" {
		return api.Code + ": " + api.Message
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

// items returns out[key] as a list (an empty one when absent).
func items(out map[string]any, key string) []any {
	if l, ok := out[key].([]any); ok {
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

// operationName turns a CLI command (describe-vpcs) into its operation
// (DescribeVpcs).
func operationName(command string) string {
	var b []byte
	up := true
	for i := 0; i < len(command); i++ {
		ch := command[i]
		if ch == '-' {
			up = true
			continue
		}
		if up && 'a' <= ch && ch <= 'z' {
			ch -= 'a' - 'A'
		}
		up = false
		b = append(b, ch)
	}
	return string(b)
}

// all reads every page of a list call into its file, remembering the
// given field of each item in ids (when not nil).
func (r *regionRun) all(ctx context.Context, call snapshot.Call, in map[string]any, field string, ids *[]string) bool {
	return r.run(ctx, call, func(ctx context.Context, c *counter) (files, error) {
		var all []any
		err := r.client.pages(ctx, r, c, call.Service, operationName(call.Operation), in, func(out map[string]any) int {
			page := items(out, call.Key)
			all = append(all, page...)
			if ids != nil {
				for _, it := range page {
					*ids = append(*ids, fieldOf(it, field))
				}
			}
			return countItems(call, page)
		})
		return one(call, all), err
	})
}

// countItems counts the resources of a page: instances, for
// describe-instances' reservations.
func countItems(call snapshot.Call, page []any) int {
	if call.Key != "Reservations" {
		return len(page)
	}
	n := 0
	for _, res := range page {
		if m, ok := res.(map[string]any); ok {
			if l, ok := m["Instances"].([]any); ok {
				n += len(l)
			}
		}
	}
	return n
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

// fieldOf returns a string field of a decoded item.
func fieldOf(item any, key string) string {
	if m, ok := item.(map[string]any); ok {
		if s, ok := m[key].(string); ok {
			return s
		}
	}
	return ""
}

// ---- EC2 ----

func (r *regionRun) collectEC2(ctx context.Context) {
	// VPCs, then each one's DNS attributes, which describe-vpcs does not
	// answer (one attribute a request; snapshot.VPCAttributeFileName).
	var vpcs []string
	vpcOK := r.all(ctx, callOf("ec2", "describe-vpcs"), nil, "VpcId", &vpcs)
	r.run(ctx, callOf("ec2", "describe-vpc-attribute"), func(ctx context.Context, c *counter) (files, error) {
		if !vpcOK {
			return nil, errors.New("skipped: describe-vpcs failed")
		}
		out := files{}
		for _, id := range vpcs {
			for _, attr := range []string{"enableDnsSupport", "enableDnsHostnames"} {
				o, err := r.client.call(ctx, r.region, "ec2", "DescribeVpcAttribute", map[string]any{"VpcId": id, "Attribute": attr})
				if err != nil {
					return nil, fmt.Errorf("%s %s: %w", id, attr, err)
				}
				c.page(1)
				out[snapshot.VPCAttributeFileName(id, attr)] = o
			}
		}
		return out, nil
	})
	for _, op := range []string{"describe-subnets", "describe-route-tables", "describe-internet-gateways",
		"describe-egress-only-internet-gateways", "describe-nat-gateways", "describe-network-acls", "describe-security-groups", "describe-network-interfaces"} {
		r.all(ctx, callOf("ec2", op), nil, "", nil)
	}
	// Instances, then each one's user data, which describe-instances
	// does not answer (snapshot.UserDataFileName).
	di := callOf("ec2", "describe-instances")
	var instances, profiles []string
	instOK := r.run(ctx, di, func(ctx context.Context, c *counter) (files, error) {
		var all []any
		err := r.client.pages(ctx, r, c, "ec2", "DescribeInstances", nil, func(out map[string]any) int {
			page := items(out, di.Key)
			all = append(all, page...)
			for _, res := range page {
				m, _ := res.(map[string]any)
				for _, in := range items(m, "Instances") {
					if im, _ := in.(map[string]any); fieldOf(im["State"], "Name") != "terminated" {
						instances = append(instances, fieldOf(in, "InstanceId"))
						if p := fieldOf(im["IamInstanceProfile"], "Arn"); p != "" && !slices.Contains(profiles, p) {
							profiles = append(profiles, p)
						}
					}
				}
			}
			return countItems(di, page)
		})
		return one(di, all), err
	})
	udCall := callOf("ec2", "describe-instance-attribute")
	r.run(ctx, udCall, func(ctx context.Context, c *counter) (files, error) {
		if !instOK {
			return nil, errors.New("skipped: describe-instances failed")
		}
		out := files{}
		for _, id := range instances {
			o, err := r.client.call(ctx, r.region, "ec2", "DescribeInstanceAttribute", map[string]any{"InstanceId": id, "Attribute": "userData"})
			if err != nil {
				return nil, fmt.Errorf("%s: %w", id, err)
			}
			c.page(1)
			ud, _ := o["UserData"].(map[string]any)
			if ud == nil {
				ud = map[string]any{}
			}
			out[snapshot.UserDataFileName(id)] = map[string]any{"InstanceId": id, "UserData": ud}
		}
		return out, nil
	})
	r.collectPrincipalSettings(ctx, instOK, profiles)
	for _, op := range []string{"describe-addresses", "describe-vpc-endpoints", "describe-dhcp-options", "describe-vpc-peering-connections"} {
		r.all(ctx, callOf("ec2", op), nil, "", nil)
	}
	// Endpoint services, then each one's allowed principals, and the
	// endpoints connected to them (of this account and others).
	var services []string
	svcOK := r.all(ctx, callOf("ec2", "describe-vpc-endpoint-service-configurations"), nil, "ServiceId", &services)
	perms := callOf("ec2", "describe-vpc-endpoint-service-permissions")
	r.run(ctx, perms, func(ctx context.Context, c *counter) (files, error) {
		if !svcOK {
			return nil, errors.New("skipped: describe-vpc-endpoint-service-configurations failed")
		}
		out := files{}
		for _, id := range services {
			all := []any{}
			err := r.client.pages(ctx, r, c, "ec2", "DescribeVpcEndpointServicePermissions", map[string]any{"ServiceId": id}, func(o map[string]any) int {
				page := items(o, perms.Key)
				all = append(all, page...)
				return len(page)
			})
			if err != nil {
				return nil, fmt.Errorf("%s: %w", id, err)
			}
			out[snapshot.EndpointServicePermissionsFileName(id)] = map[string]any{"ServiceId": id, perms.Key: all}
		}
		return out, nil
	})
	r.all(ctx, callOf("ec2", "describe-vpc-endpoint-connections"), nil, "", nil)
	var withCIDRs []string
	r.all(ctx, callOf("ec2", "describe-prefix-lists"), nil, "PrefixListId", &withCIDRs)
	// Every prefix list (AWS's and the account's), then the entries of
	// each one describe-prefix-lists did not answer with its CIDRs:
	// describe-managed-prefix-lists names the lists, not their CIDRs. A
	// list deleted a short while ago is still described (delete-complete)
	// and has no entries.
	var lists []string
	mpl := callOf("ec2", "describe-managed-prefix-lists")
	plOK := r.run(ctx, mpl, func(ctx context.Context, c *counter) (files, error) {
		var all []any
		err := r.client.pages(ctx, r, c, "ec2", "DescribeManagedPrefixLists", nil, func(out map[string]any) int {
			page := items(out, mpl.Key)
			all = append(all, page...)
			for _, p := range page {
				if id := fieldOf(p, "PrefixListId"); fieldOf(p, "State") != "delete-complete" && !slices.Contains(withCIDRs, id) {
					lists = append(lists, id)
				}
			}
			return len(page)
		})
		return one(mpl, all), err
	})
	ent := callOf("ec2", "get-managed-prefix-list-entries")
	r.run(ctx, ent, func(ctx context.Context, c *counter) (files, error) {
		if !plOK {
			return nil, errors.New("skipped: describe-managed-prefix-lists failed")
		}
		out := files{}
		for _, id := range lists {
			all := []any{}
			err := r.client.pages(ctx, r, c, "ec2", "GetManagedPrefixListEntries", map[string]any{"PrefixListId": id}, func(o map[string]any) int {
				page := items(o, ent.Key)
				all = append(all, page...)
				return len(page)
			})
			if err != nil {
				return nil, fmt.Errorf("%s: %w", id, err)
			}
			out[snapshot.ManagedPrefixListEntriesFileName(id)] = map[string]any{"PrefixListId": id, ent.Key: all}
		}
		return out, nil
	})
	r.all(ctx, callOf("ec2", "describe-vpc-block-public-access-exclusions"), nil, "", nil)
	// VPC Block Public Access: the account's options are one object.
	bpa := callOf("ec2", "describe-vpc-block-public-access-options")
	r.run(ctx, bpa, func(ctx context.Context, c *counter) (files, error) {
		var v any
		err := r.client.pages(ctx, r, c, "ec2", operationName(bpa.Operation), nil, func(out map[string]any) int {
			v = out[bpa.Key]
			return 1
		})
		return files{bpa.File: map[string]any{bpa.Key: v}}, err
	})
	// Launch templates, then the versions instances and groups launch
	// from ($Default and $Latest of each).
	var templates []string
	ok := r.all(ctx, callOf("ec2", "describe-launch-templates"), nil, "LaunchTemplateId", &templates)
	ltv := callOf("ec2", "describe-launch-template-versions")
	r.run(ctx, ltv, func(ctx context.Context, c *counter) (files, error) {
		if !ok {
			return nil, errors.New("skipped: describe-launch-templates failed")
		}
		var all []any
		for _, id := range templates {
			err := r.client.pages(ctx, r, c, "ec2", "DescribeLaunchTemplateVersions",
				map[string]any{"LaunchTemplateId": id, "Versions": []string{"$Default", "$Latest"}}, func(out map[string]any) int {
					page := items(out, ltv.Key)
					all = append(all, page...)
					return len(page)
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
	r.all(ctx, callOf("autoscaling", "describe-auto-scaling-groups"), nil, "", nil)
	r.all(ctx, callOf("autoscaling", "describe-launch-configurations"), nil, "", nil)
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

// listAndDescribe lists a cluster's resources (or the clusters, when
// cluster is "") and describes them in batches of n, with include.
func (r *regionRun) listAndDescribe(ctx context.Context, c *counter, call snapshot.Call, cluster, list, listKey, idsKey string, n int, include ...string) (its, fails []any, err error) {
	var arns []string
	in := map[string]any{}
	if cluster != "" {
		in["cluster"] = cluster
	}
	err = r.client.pages(ctx, r, c, "ecs", list, in, func(out map[string]any) int {
		for _, a := range items(out, listKey) {
			if s, ok := a.(string); ok {
				arns = append(arns, s)
			}
		}
		return 0
	})
	if err != nil {
		return nil, nil, err
	}
	for _, b := range batches(arns, n) {
		req := map[string]any{idsKey: b, "include": include}
		if cluster != "" {
			req["cluster"] = cluster
		}
		out, err := r.client.call(ctx, r.region, "ecs", operationName(call.Operation), req)
		if err != nil {
			return nil, nil, err
		}
		page := items(out, call.Key)
		c.page(len(page))
		its, fails = append(its, page...), append(fails, items(out, "failures")...)
	}
	return its, fails, nil
}

func (r *regionRun) collectECS(ctx context.Context) {
	var clusters []string
	clusterCall := callOf("ecs", "describe-clusters")
	ok := r.run(ctx, clusterCall, func(ctx context.Context, c *counter) (files, error) {
		its, fails, err := r.listAndDescribe(ctx, c, clusterCall, "", "ListClusters", "clusterArns", "clusters", 100, "SETTINGS", "TAGS")
		if err != nil {
			return nil, err
		}
		for _, it := range its {
			// ListClusters also lists deleted (INACTIVE) clusters, whose
			// services, tasks and instances ECS no longer answers for.
			if fieldOf(it, "status") == "INACTIVE" {
				continue
			}
			clusters = append(clusters, fieldOf(it, "clusterArn"))
		}
		return ecsFiles(clusterCall, its, fails), nil
	})
	cpCall := callOf("ecs", "describe-capacity-providers")
	r.run(ctx, cpCall, func(ctx context.Context, c *counter) (files, error) {
		// Every capacity provider of the account and region: services
		// name them in their strategies, and ECS scales their groups.
		var all []any
		err := r.client.pages(ctx, r, c, "ecs", "DescribeCapacityProviders", map[string]any{"include": []any{"TAGS"}}, func(out map[string]any) int {
			page := items(out, cpCall.Key)
			all = append(all, page...)
			return len(page)
		})
		if err != nil {
			return nil, err
		}
		return one(cpCall, all), nil
	})
	// The account settings, effective for the collector's principal
	// (awsvpcTrunking decides the awsvpc tasks an instance takes).
	r.all(ctx, ecsSettingsCall, map[string]any{"effectiveSettings": true}, "", nil)
	skipped := errors.New("skipped: describe-clusters failed")
	perCluster := func(call snapshot.Call, list, listKey, idsKey string, n int, include string, seen func([]any)) {
		r.run(ctx, call, func(ctx context.Context, c *counter) (files, error) {
			if !ok {
				return nil, skipped
			}
			var all, failures []any
			for _, cl := range clusters {
				its, fails, err := r.listAndDescribe(ctx, c, call, cl, list, listKey, idsKey, n, include)
				if err != nil {
					return nil, err
				}
				all, failures = append(all, its...), append(failures, fails...)
			}
			if seen != nil {
				seen(all)
			}
			return ecsFiles(call, all, failures), nil
		})
	}
	taskDefs := map[string]bool{}
	for _, arn := range r.eventTaskDefinitions {
		taskDefs[arn] = true
	}
	perCluster(callOf("ecs", "describe-container-instances"), "ListContainerInstances", "containerInstanceArns", "containerInstances", 100, "TAGS", nil)
	var services []any
	perCluster(callOf("ecs", "describe-services"), "ListServices", "serviceArns", "services", 10, "TAGS", func(all []any) {
		services = all
		for _, s := range all {
			taskDefs[fieldOf(s, "taskDefinition")] = true
			if m, ok := s.(map[string]any); ok {
				for _, d := range items(m, "deployments") {
					taskDefs[fieldOf(d, "taskDefinition")] = true
				}
			}
		}
	})
	r.collectTaskSets(ctx, ok, services) // tasksets.go
	perCluster(callOf("ecs", "describe-tasks"), "ListTasks", "taskArns", "tasks", 100, "TAGS", func(all []any) {
		for _, t := range all {
			taskDefs[fieldOf(t, "taskDefinitionArn")] = true
		}
	})

	tdCall := callOf("ecs", "describe-task-definition")
	r.run(ctx, tdCall, func(ctx context.Context, c *counter) (files, error) {
		if !ok {
			return nil, skipped
		}
		arns := make([]string, 0, len(taskDefs))
		for arn := range taskDefs {
			if arn != "" && !isDaemonTaskDefinition(arn) {
				arns = append(arns, arn)
			}
		}
		slices.Sort(arns)
		defs := []any{}
		for _, arn := range arns {
			out, err := r.client.call(ctx, r.region, "ecs", "DescribeTaskDefinition", map[string]any{"taskDefinition": arn})
			if err != nil {
				return nil, fmt.Errorf("%s: %w", arn, err)
			}
			c.page(1)
			if td, ok := out["taskDefinition"]; ok && td != nil {
				defs = append(defs, td)
			}
		}
		return files{tdCall.File: map[string]any{tdCall.Key: defs}}, nil
	})

	// ECS Managed Daemons, then the daemon task definitions their
	// revisions and daemon tasks run (DescribeTaskDefinition does not
	// know them).
	for _, arn := range r.collectDaemons(ctx) {
		taskDefs[arn] = true
	}
	dtdCall := callOf("ecs", "describe-daemon-task-definition")
	r.run(ctx, dtdCall, func(ctx context.Context, c *counter) (files, error) {
		if !ok {
			return nil, skipped
		}
		var arns []string
		for arn := range taskDefs {
			if isDaemonTaskDefinition(arn) {
				arns = append(arns, arn)
			}
		}
		slices.Sort(arns)
		defs := []any{}
		for _, arn := range arns {
			out, err := r.client.call(ctx, r.region, "ecs", "DescribeDaemonTaskDefinition", map[string]any{"daemonTaskDefinition": arn})
			if err != nil {
				return nil, fmt.Errorf("%s: %w", arn, err)
			}
			c.page(1)
			if td, ok := out["daemonTaskDefinition"]; ok && td != nil {
				defs = append(defs, td)
			}
		}
		return files{dtdCall.File: map[string]any{dtdCall.Key: defs}}, nil
	})
}

// isDaemonTaskDefinition reports whether arn is a daemon task
// definition's (arn:…:daemon-task-definition/<family>:<revision>).
func isDaemonTaskDefinition(arn string) bool {
	return strings.Contains(arn, ":daemon-task-definition/")
}

// ---- ELBv2 ----

func (r *regionRun) collectELB(ctx context.Context) {
	// each runs a call once per parent (a load balancer, a listener),
	// after the call that listed the parents.
	each := func(call snapshot.Call, parentOK bool, parents []string, parentKey, field string, ids *[]string) bool {
		return r.run(ctx, call, func(ctx context.Context, c *counter) (files, error) {
			if !parentOK {
				return nil, errors.New("skipped: the call listing its parents failed")
			}
			var all []any
			for _, p := range parents {
				err := r.client.pages(ctx, r, c, "elbv2", operationName(call.Operation), map[string]any{parentKey: p}, func(out map[string]any) int {
					page := items(out, call.Key)
					all = append(all, page...)
					if ids != nil {
						for _, it := range page {
							*ids = append(*ids, fieldOf(it, field))
						}
					}
					return len(page)
				})
				if err != nil {
					return nil, fmt.Errorf("%s: %w", p, err)
				}
			}
			return one(call, all), nil
		})
	}
	var lbs, listeners, tgs []string
	lbOK := r.all(ctx, callOf("elbv2", "describe-load-balancers"), nil, "LoadBalancerArn", &lbs)
	lOK := each(callOf("elbv2", "describe-listeners"), lbOK, lbs, "LoadBalancerArn", "ListenerArn", &listeners)
	each(callOf("elbv2", "describe-rules"), lOK, listeners, "ListenerArn", "", nil)
	tgOK := r.all(ctx, callOf("elbv2", "describe-target-groups"), nil, "TargetGroupArn", &tgs)
	// Classic Load Balancers, then each one's attributes (cross-zone,
	// connection draining, idle timeout) and policies (proxy protocol,
	// stickiness), one file each with its name beside them.
	var classics []string
	clbOK := r.all(ctx, callOf("elb", "describe-load-balancers"), nil, "LoadBalancerName", &classics)
	perClassic := func(call snapshot.Call, fileName func(string) string) {
		op := operationName(call.Operation)
		r.run(ctx, call, func(ctx context.Context, c *counter) (files, error) {
			if !clbOK {
				return nil, errors.New("skipped: elb describe-load-balancers failed")
			}
			out := files{}
			for _, name := range classics {
				o, err := r.client.call(ctx, r.region, "elb", op, map[string]any{"LoadBalancerName": name})
				if err != nil {
					return nil, fmt.Errorf("%s: %w", name, err)
				}
				c.page(1)
				v := o[call.Key]
				if v == nil && call.Key == "PolicyDescriptions" {
					v = []any{}
				}
				out[fileName(name)] = map[string]any{"LoadBalancerName": name, call.Key: v}
			}
			return out, nil
		})
	}
	perClassic(callOf("elb", "describe-load-balancer-attributes"), snapshot.ClassicAttributesFileName)
	perClassic(callOf("elb", "describe-load-balancer-policies"), snapshot.ClassicPoliciesFileName)
	thCall := callOf("elbv2", "describe-target-health")
	r.run(ctx, thCall, func(ctx context.Context, c *counter) (files, error) {
		if !tgOK {
			return nil, errors.New("skipped: describe-target-groups failed")
		}
		out := files{}
		for _, tg := range tgs {
			// One file per target group: describe-target-health's output
			// with the group's ARN beside it (snapshot.TargetHealthFileName).
			o, err := r.client.call(ctx, r.region, "elbv2", "DescribeTargetHealth", map[string]any{"TargetGroupArn": tg})
			if err != nil {
				return nil, fmt.Errorf("%s: %w", tg, err)
			}
			th := items(o, thCall.Key)
			c.page(len(th))
			out[snapshot.TargetHealthFileName(tg)] = map[string]any{"TargetGroupArn": tg, "TargetHealthDescriptions": th}
		}
		return out, nil
	})
	// Each group's and load balancer's attributes (preserve_client_ip,
	// proxy_protocol_v2, cross-zone, idle timeout, …), one file each with
	// the ARN beside them.
	attributes := func(call snapshot.Call, ok bool, parent string, arns []string, param string, fileName func(string) string) {
		op := operationName(call.Operation)
		r.run(ctx, call, func(ctx context.Context, c *counter) (files, error) {
			if !ok {
				return nil, errors.New("skipped: " + parent + " failed")
			}
			out := files{}
			for _, arn := range arns {
				o, err := r.client.call(ctx, r.region, "elbv2", op, map[string]any{param: arn})
				if err != nil {
					return nil, fmt.Errorf("%s: %w", arn, err)
				}
				as := items(o, call.Key)
				c.page(len(as))
				out[fileName(arn)] = map[string]any{param: arn, call.Key: as}
			}
			return out, nil
		})
	}
	attributes(callOf("elbv2", "describe-target-group-attributes"), tgOK, "describe-target-groups", tgs, "TargetGroupArn", snapshot.TargetGroupAttributesFileName)
	attributes(callOf("elbv2", "describe-load-balancer-attributes"), lbOK, "describe-load-balancers", lbs, "LoadBalancerArn", snapshot.LoadBalancerAttributesFileName)
}

// ---- Cloud Map ----

// collectCloudMap lists the namespaces, gets every service (ListServices'
// summaries do not name the namespace) and lists each service's
// instances. Cloud Map speaks AWS JSON 1.1; only DiscoverInstances uses
// the data- endpoint, and it is not called.
func (r *regionRun) collectCloudMap(ctx context.Context) {
	r.all(ctx, callOf("servicediscovery", "list-namespaces"), nil, "", nil)
	var ids []string
	gs := callOf("servicediscovery", "get-service")
	ok := r.run(ctx, gs, func(ctx context.Context, c *counter) (files, error) {
		err := r.client.pages(ctx, r, c, "servicediscovery", "ListServices", nil, func(out map[string]any) int {
			for _, it := range items(out, "Services") {
				ids = append(ids, fieldOf(it, "Id"))
			}
			return 0
		})
		if err != nil {
			return nil, err
		}
		var all []any
		for _, id := range ids {
			out, err := r.client.call(ctx, r.region, "servicediscovery", "GetService", map[string]any{"Id": id})
			if err != nil {
				return nil, fmt.Errorf("%s: %w", id, err)
			}
			c.page(1)
			if s, ok := out["Service"]; ok && s != nil {
				all = append(all, s)
			}
		}
		return one(gs, all), nil
	})
	li := callOf("servicediscovery", "list-instances")
	r.run(ctx, li, func(ctx context.Context, c *counter) (files, error) {
		if !ok {
			return nil, errors.New("skipped: servicediscovery get-service failed")
		}
		out := files{}
		for _, id := range ids {
			// One file per service: list-instances' output with the
			// service's id beside it (snapshot.ServiceInstancesFileName).
			all := []any{}
			err := r.client.pages(ctx, r, c, "servicediscovery", "ListInstances", map[string]any{"ServiceId": id}, func(o map[string]any) int {
				page := items(o, li.Key)
				all = append(all, page...)
				return len(page)
			})
			if err != nil {
				return nil, fmt.Errorf("%s: %w", id, err)
			}
			out[snapshot.ServiceInstancesFileName(id)] = map[string]any{"ServiceId": id, "Instances": all}
		}
		return out, nil
	})
}

// ---- Route 53 ----

// route53Calls are the Route 53 reads (REST-XML), in the files
// internal/snapshot/route53.go reads: the zones, each private zone's
// get-hosted-zone (its VPCs), each zone's record sets with its id beside
// them, and the health checks (internal/snapshot/healthchecks.go). They
// are not among snapshot.Calls: a snapshot without them is
// complete, as before Route 53 was collected.
// extraCallCount is how many calls outside snapshot.Calls a region's
// collection makes: collectRoute53's five, ECS's list-account-settings,
// the three list-tags calls (tags.go), collectECR's two (ecr.go) and
// collectCodeDeploy's two (codedeploy.go), the repositories' policies
// and the pull through cache rules (ecr.go), the instance roles' account settings
// (collectPrincipalSettings) and the task sets with their tags
// (tasksets.go), and collectNetworkFirewall's three (networkfirewall.go).
const extraCallCount = 20

var (
	r53ListZones    = snapshot.Call{Service: "route53", Operation: "list-hosted-zones", File: "route53-list-hosted-zones.json", Key: "HostedZones"}
	r53GetZone      = snapshot.Call{Service: "route53", Operation: "get-hosted-zone", Key: "VPCs"}
	r53Records      = snapshot.Call{Service: "route53", Operation: "list-resource-record-sets", Key: "ResourceRecordSets"}
	r53HealthChecks = snapshot.Call{Service: "route53", Operation: "list-health-checks", File: snapshot.HealthChecksFileName, Key: "HealthChecks"}
	// r53CheckTags is every health check's tags, merged as
	// list-tags-for-resources answers them (scripts/collect.sh: 10 ids a
	// call, the model's TagResourceIdList max; ecsnet collect: one
	// list-tags-for-resource a check).
	r53CheckTags = snapshot.Call{Service: "route53", Operation: "list-tags-for-resources", File: snapshot.HealthCheckTagsFileName, Key: "ResourceTagSets"}
	// ecsSettingsCall is not among snapshot.Calls either: a snapshot
	// without it is complete, as before round thirty-five.
	ecsSettingsCall = snapshot.Call{Service: "ecs", Operation: "list-account-settings", File: snapshot.ECSSettingsFileName, Key: "settings"}
	// ecsPrincipalSettingsCall is each instance role's own settings
	// (snapshot.ECSPrincipalSettingsFileName).
	ecsPrincipalSettingsCall = snapshot.Call{Service: "ecs", Operation: "list-account-settings --principal-arn", File: snapshot.ECSPrincipalSettingsFileName, Key: "principalSettings"}
)

// collectPrincipalSettings collects the own ECS account settings of the
// roles of the instance profiles the region's instances name: IAM's
// GetInstanceProfile (by the profile's name, the last part of its ARN's
// path) for its roles, then ListAccountSettings with each role as
// principalArn (every page; without effectiveSettings, only the role's
// own). A container instance registers with its role's settings.
func (r *regionRun) collectPrincipalSettings(ctx context.Context, instOK bool, profiles []string) {
	r.run(ctx, ecsPrincipalSettingsCall, func(ctx context.Context, c *counter) (files, error) {
		if !instOK {
			return nil, errors.New("skipped: describe-instances failed")
		}
		var roles []string
		for _, p := range profiles {
			name := p[strings.LastIndexByte(p, '/')+1:]
			out, err := r.client.call(ctx, r.region, "iam", "GetInstanceProfile", map[string]any{"InstanceProfileName": name})
			var api *awsproto.ResponseError
			switch {
			case errors.As(err, &api) && api.Code == "NoSuchEntity":
				// An instance keeps naming a profile deleted since: it has
				// no role.
				continue
			case err != nil:
				return nil, fmt.Errorf("iam get-instance-profile %s: %w", name, err)
			}
			ip, _ := out["InstanceProfile"].(map[string]any)
			for _, role := range items(ip, "Roles") {
				if a := fieldOf(role, "Arn"); a != "" && !slices.Contains(roles, a) {
					roles = append(roles, a)
				}
			}
		}
		all := []any{}
		for _, role := range roles {
			err := r.client.pages(ctx, r, c, "ecs", "ListAccountSettings", map[string]any{"principalArn": role}, func(out map[string]any) int {
				page := items(out, "settings")
				all = append(all, page...)
				return len(page)
			})
			if err != nil {
				return nil, fmt.Errorf("%s: %w", role, err)
			}
		}
		return one(ecsPrincipalSettingsCall, all), nil
	})
}

// collectRoute53 reads the hosted zones and their records. Route 53 is
// global: each region's folder gets the zones its endpoint answers (AWS:
// every zone; ecsnet serve: the region's).
func (r *regionRun) collectRoute53(ctx context.Context) {
	var ids []string
	var private []string
	ok := r.run(ctx, r53ListZones, func(ctx context.Context, c *counter) (files, error) {
		var all []any
		err := r.client.pages(ctx, r, c, "route53", "ListHostedZones", nil, func(out map[string]any) int {
			page := items(out, "HostedZones")
			all = append(all, page...)
			for _, z := range page {
				id := strings.TrimPrefix(fieldOf(z, "Id"), "/hostedzone/")
				ids = append(ids, id)
				if m, _ := z.(map[string]any); m != nil {
					if cfg, _ := m["Config"].(map[string]any); cfg != nil && cfg["PrivateZone"] == true {
						private = append(private, id)
					}
				}
			}
			return len(page)
		})
		return one(r53ListZones, all), err
	})
	r.run(ctx, r53GetZone, func(ctx context.Context, c *counter) (files, error) {
		if !ok {
			return nil, errors.New("skipped: route53 list-hosted-zones failed")
		}
		out := files{}
		for _, id := range private {
			z, err := r.client.call(ctx, r.region, "route53", "GetHostedZone", map[string]any{"Id": id})
			if err != nil {
				return nil, fmt.Errorf("%s: %w", id, err)
			}
			c.page(1)
			out["route53-get-hosted-zone-"+id+".json"] = z
		}
		return out, nil
	})
	r.run(ctx, r53Records, func(ctx context.Context, c *counter) (files, error) {
		if !ok {
			return nil, errors.New("skipped: route53 list-hosted-zones failed")
		}
		out := files{}
		for _, id := range ids {
			all := []any{}
			err := r.client.pages(ctx, r, c, "route53", "ListResourceRecordSets", map[string]any{"HostedZoneId": id}, func(o map[string]any) int {
				page := items(o, "ResourceRecordSets")
				all = append(all, page...)
				return len(page)
			})
			if err != nil {
				return nil, fmt.Errorf("%s: %w", id, err)
			}
			out["route53-list-resource-record-sets-"+id+".json"] = map[string]any{"HostedZoneId": id, "ResourceRecordSets": all}
		}
		return out, nil
	})
	// The health checks record sets name (failover, weighted, latency
	// and multivalue answers follow them).
	var checks []string
	listed := r.all(ctx, r53HealthChecks, nil, "Id", &checks)
	r.run(ctx, r53CheckTags, func(ctx context.Context, c *counter) (files, error) {
		if !listed {
			return nil, errors.New("skipped: route53 list-health-checks failed")
		}
		all := []any{}
		// One check a call (ListTagsForResource): the client encodes
		// path and query members only, and ListTagsForResources takes
		// its ids in an XML body. The file is the same: every
		// ResourceTagSet under "ResourceTagSets".
		for _, id := range checks {
			o, err := r.client.call(ctx, r.region, "route53", "ListTagsForResource", map[string]any{"ResourceType": "healthcheck", "ResourceId": id})
			if err != nil {
				return nil, fmt.Errorf("%s: %w", id, err)
			}
			c.page(1)
			if set, ok := o["ResourceTagSet"].(map[string]any); ok {
				all = append(all, set)
			}
		}
		return one(r53CheckTags, all), nil
	})
}
