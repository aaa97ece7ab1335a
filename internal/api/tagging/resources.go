package tagging

import (
	"sort"

	"github.com/ecsnet/ecsnet/internal/api"
	"github.com/ecsnet/ecsnet/internal/apierr"
	"github.com/ecsnet/ecsnet/internal/model"
)

// resource is one tagged resource as GetResources lists it: its ARN, its
// type ("service:type", as ResourceTypeFilters name it) and its tags.
type resource struct {
	ARN, Type string
	Tags      model.Tags
}

// tagged lists the resources of the state that carry tags, sorted by ARN
// (AWS's order is undocumented: [choice]). GetResources "returns all the
// tagged or previously tagged resources"; ecsnet does not remember a
// resource's past tags, so it lists the ones tagged now.
func tagged(st *model.State, region, account string) []resource {
	var out []resource
	add := func(arn, typ string, tags model.Tags) {
		if len(tags) > 0 {
			out = append(out, resource{arn, typ, tags})
		}
	}
	ec2ARN := func(kind, id string) string {
		return model.EC2ARN(region, account, kind+"/"+id)
	}
	for _, g := range st.AutoScalingGroups {
		tags := model.Tags{}
		for _, t := range g.Tags {
			tags[t.Key] = t.Value
		}
		add(g.ARN, "autoscaling:autoScalingGroup", tags)
	}
	for arn, cl := range st.Clusters {
		if cl.Status == "ACTIVE" {
			add(arn, "ecs:cluster", cl.Tags)
		}
	}
	for arn, s := range st.Services {
		if s.Status != "INACTIVE" {
			add(arn, "ecs:service", s.Tags)
		}
	}
	for arn, td := range st.TaskDefinitions {
		if td.Status == "ACTIVE" && !td.DaemonTaskDefinition {
			add(arn, "ecs:task-definition", td.Tags)
		}
	}
	for arn, cp := range st.CapacityProviders {
		add(arn, "ecs:capacity-provider", cp.Tags)
	}
	for arn, lb := range st.LoadBalancers {
		add(arn, "elasticloadbalancing:loadbalancer", lb.Tags)
	}
	for arn, tg := range st.TargetGroups {
		add(arn, "elasticloadbalancing:targetgroup", tg.Tags)
	}
	for id, v := range st.VPCs {
		add(ec2ARN("vpc", string(id)), "ec2:vpc", v.Tags)
	}
	for id, s := range st.Subnets {
		add(ec2ARN("subnet", string(id)), "ec2:subnet", s.Tags)
	}
	for id, g := range st.SecurityGroups {
		add(ec2ARN("security-group", string(id)), "ec2:security-group", g.Tags)
	}
	for id, v := range st.RouteTables {
		add(ec2ARN("route-table", string(id)), "ec2:route-table", v.Tags)
	}
	for id, v := range st.InternetGateways {
		add(ec2ARN("internet-gateway", string(id)), "ec2:internet-gateway", v.Tags)
	}
	for id, v := range st.NatGateways {
		add(ec2ARN("natgateway", string(id)), "ec2:natgateway", v.Tags)
	}
	for id, v := range st.Addresses {
		add(ec2ARN("elastic-ip", string(id)), "ec2:elastic-ip", v.Tags)
	}
	for id, v := range st.NetworkACLs {
		add(ec2ARN("network-acl", string(id)), "ec2:network-acl", v.Tags)
	}
	for id, v := range st.NetworkInterfaces {
		add(ec2ARN("network-interface", string(id)), "ec2:network-interface", v.Tags)
	}
	for id, v := range st.VpcEndpoints {
		add(ec2ARN("vpc-endpoint", string(id)), "ec2:vpc-endpoint", v.Tags)
	}
	for id, v := range st.DhcpOptions {
		add(ec2ARN("dhcp-options", string(id)), "ec2:dhcp-options", v.Tags)
	}
	for id, v := range st.Volumes {
		add(ec2ARN("volume", string(id)), "ec2:volume", v.Tags)
	}
	for id, v := range st.LaunchTemplates {
		add(ec2ARN("launch-template", string(id)), "ec2:launch-template", v.Tags)
	}
	for arn, v := range st.Tasks {
		add(arn, "ecs:task", v.Tags)
	}
	for arn, v := range st.ContainerInstances {
		add(arn, "ecs:container-instance", v.Tags)
	}
	for arn, v := range st.Listeners {
		add(arn, "elasticloadbalancing:listener", v.Tags)
	}
	for arn, v := range st.ListenerRules {
		add(arn, "elasticloadbalancing:listener-rule", v.Tags)
	}
	for id, i := range st.Instances {
		if i.State != model.InstanceTerminated {
			add(ec2ARN("instance", string(id)), "ec2:instance", i.Tags)
		}
	}
	for name, fn := range st.LambdaFunctions {
		add("arn:"+model.Partition(region)+":lambda:"+region+":"+account+":function:"+name, "lambda:function", fn.Tags)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ARN < out[j].ARN })
	return out
}

// typeMatches tells whether a ResourceTypeFilters entry ("ec2" or
// "ec2:instance") selects typ.
func typeMatches(filters []string, typ string) bool {
	if len(filters) == 0 {
		return true
	}
	for _, f := range filters {
		if f == typ || (len(typ) > len(f) && typ[:len(f)] == f && typ[len(f)] == ':') {
			return true
		}
	}
	return false
}

// tagFilter is one TagFilters entry: a key and the values it may have
// (none: any value).
type tagFilter struct {
	key    string
	values []string
}

func (f tagFilter) matches(tags model.Tags) bool {
	v, ok := tags[f.key]
	if !ok {
		return false
	}
	if len(f.values) == 0 {
		return true
	}
	for _, want := range f.values {
		if want == v {
			return true
		}
	}
	return false
}

// selected returns the tagged resources the request's ResourceTypeFilters,
// ResourceARNList and TagFilters select (every tag filter must match).
func selected(c *api.Call) ([]resource, error) {
	if c.In.Has("ResourceARNList") && (c.In.Has("TagFilters") || c.In.Has("ResourceTypeFilters")) {
		return nil, invalid("ResourceARNList cannot be specified together with TagFilters or ResourceTypeFilters")
	}
	var filters []tagFilter
	for _, f := range c.In.Structs("TagFilters") {
		filters = append(filters, tagFilter{f.String("Key"), f.Strings("Values")})
	}
	types := c.In.Strings("ResourceTypeFilters")
	arns := map[string]bool{}
	for _, a := range c.In.Strings("ResourceARNList") {
		arns[a] = true
	}
	var all []resource
	c.Engine.Read(func(st *model.State) { all = tagged(st, c.Region, c.Account) })
	var out []resource
	for _, r := range all {
		if len(arns) > 0 && !arns[r.ARN] {
			continue
		}
		if !typeMatches(types, r.Type) {
			continue
		}
		ok := true
		for _, f := range filters {
			ok = ok && f.matches(r.Tags)
		}
		if ok {
			out = append(out, r)
		}
	}
	return out, nil
}

// pageOf cuts one page of at most size items from the PaginationToken on;
// the token is the key of the page's first item, so a page goes on from
// there when items come or go between pages ("" at the end).
func pageOf[T any](c *api.Call, items []T, key func(T) string, size int) ([]T, string, error) {
	page, next, ok := api.Paginate(items, key, c.In.String("PaginationToken"), size)
	if !ok {
		return nil, "", apierr.New("PaginationTokenExpiredException", "Invalid pagination token")
	}
	return page, next, nil
}

func tagList(tags model.Tags) []any {
	keys := make([]string, 0, len(tags))
	for k := range tags {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := make([]any, len(keys))
	for i, k := range keys {
		out[i] = map[string]any{"Key": k, "Value": tags[k]}
	}
	return out
}

func getResources(c *api.Call) (map[string]any, error) {
	rs, err := selected(c)
	if err != nil {
		return nil, err
	}
	size := int(c.In.IntOr("ResourcesPerPage", 50))
	if size < 1 || size > 100 {
		return nil, invalid("ResourcesPerPage must be between 1 and 100")
	}
	rs, next, err := pageOf(c, rs, func(r resource) string { return r.ARN }, size)
	if err != nil {
		return nil, err
	}
	list := make([]any, 0, len(rs))
	for _, r := range rs {
		list = append(list, map[string]any{"ResourceARN": r.ARN, "Tags": tagList(r.Tags)})
	}
	return map[string]any{"ResourceTagMappingList": list, "PaginationToken": next}, nil
}

func getTagKeys(c *api.Call) (map[string]any, error) {
	var all []resource
	c.Engine.Read(func(st *model.State) { all = tagged(st, c.Region, c.Account) })
	seen := map[string]bool{}
	for _, r := range all {
		for k := range r.Tags {
			seen[k] = true
		}
	}
	return stringPage(c, seen, "TagKeys")
}

func getTagValues(c *api.Call) (map[string]any, error) {
	key := c.In.String("Key")
	var all []resource
	c.Engine.Read(func(st *model.State) { all = tagged(st, c.Region, c.Account) })
	seen := map[string]bool{}
	for _, r := range all {
		if v, ok := r.Tags[key]; ok {
			seen[v] = true
		}
	}
	return stringPage(c, seen, "TagValues")
}

func stringPage(c *api.Call, set map[string]bool, member string) (map[string]any, error) {
	list := make([]string, 0, len(set))
	for s := range set {
		list = append(list, s)
	}
	list, next, err := pageOf(c, list, func(s string) string { return s }, 1000)
	if err != nil {
		return nil, err
	}
	out := make([]any, 0, len(list))
	for _, s := range list {
		out = append(out, s)
	}
	return map[string]any{member: out, "PaginationToken": next}, nil
}
