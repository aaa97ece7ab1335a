package engine

import (
	"cmp"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ecsnet/ecsnet/internal/apierr"
	"github.com/ecsnet/ecsnet/internal/model"
)

// Classic Load Balancers (Elastic Load Balancing API 2012-06-01), in a VPC:
// listeners, a health check, registered instances, attributes and tags.
// Texts marked "probable" are ecsnet's best reading (docs/aws-behavior.md).

func errCLBNotFound(name string) error {
	return apierr.Newf("LoadBalancerNotFound", "There is no ACTIVE Load Balancer named '%s'", name)
}

func errCLBValidation(format string, args ...any) error {
	return apierr.Newf("ValidationError", format, args...)
}

var clbNameRE = regexp.MustCompile(`^[A-Za-z0-9](?:[A-Za-z0-9-]{0,30}[A-Za-z0-9])?$`)

// CreateClassicLoadBalancerInput is CreateLoadBalancer's input (Classic).
type CreateClassicLoadBalancerInput struct {
	Name              string
	Listeners         []model.ClassicListener
	AvailabilityZones []string
	Subnets           []model.SubnetID
	SecurityGroups    []model.SecurityGroupID
	Scheme            string
	Tags              model.Tags
	TagOrder          []string // Tags' keys in the request's order
}

// checkClassicListeners normalizes and validates listeners: protocols
// HTTP, HTTPS, TCP, SSL (any case), ports 1-65535, a certificate for HTTPS
// and SSL, and the instance protocol at the same layer.
func checkClassicListeners(ls []model.ClassicListener) ([]model.ClassicListener, error) {
	out := make([]model.ClassicListener, len(ls))
	for i, l := range ls {
		l.Protocol, l.InstanceProtocol = strings.ToUpper(l.Protocol), strings.ToUpper(l.InstanceProtocol)
		switch l.Protocol {
		case "HTTP", "HTTPS", "TCP", "SSL":
		default:
			return nil, errCLBValidation("Invalid protocol %s; valid protocols are HTTP, HTTPS, TCP and SSL.", ls[i].Protocol) // probable
		}
		if l.InstanceProtocol == "" {
			l.InstanceProtocol = l.Protocol
		}
		layer := func(p string) int {
			if p == "HTTP" || p == "HTTPS" {
				return 7
			}
			return 4
		}
		if l.InstanceProtocol != "HTTP" && l.InstanceProtocol != "HTTPS" && l.InstanceProtocol != "TCP" && l.InstanceProtocol != "SSL" ||
			layer(l.InstanceProtocol) != layer(l.Protocol) {
			return nil, errCLBValidation("Listener protocol %s and instance protocol %s are not compatible.", l.Protocol, l.InstanceProtocol) // probable
		}
		if l.LoadBalancerPort < 1 || l.LoadBalancerPort > 65535 || l.InstancePort < 1 || l.InstancePort > 65535 {
			return nil, errCLBValidation("Port must be between 1 and 65535.") // probable
		}
		if (l.Protocol == "HTTPS" || l.Protocol == "SSL") && l.SSLCertificateID == "" {
			return nil, errCLBValidation("SSLCertificateId is required for an %s listener.", l.Protocol) // probable
		}
		out[i] = l
	}
	return out, nil
}

// CreateClassicLoadBalancer creates a Classic Load Balancer in the subnets
// given (or, with AvailabilityZones, the default subnets of those zones),
// with the VPC's default security group when none is given and AWS's
// default health check (TCP on the first listener's instance port, every
// 30 s, timeout 5 s, thresholds 10 healthy / 2 unhealthy). Creating it
// again with the same settings returns it.
func (e *Engine) CreateClassicLoadBalancer(in CreateClassicLoadBalancerInput) (*model.ClassicLoadBalancer, error) {
	if !clbNameRE.MatchString(in.Name) {
		return nil, errCLBValidation("LoadBalancerName must contain only alphanumeric characters or hyphens, and cannot begin or end with a hyphen or exceed 32 characters.") // probable
	}
	if len(in.Listeners) == 0 {
		return nil, errCLBValidation("At least one listener is required.") // probable
	}
	if len(in.Subnets) > 0 && len(in.AvailabilityZones) > 0 {
		// hashicorp/terraform-provider-aws#12635 (status 400).
		return nil, errCLBValidation("Only one of SubnetIds or AvailabilityZones may be specified")
	}
	if clbTagCount(in.Tags) > 10 {
		return nil, errCLBTooManyTags()
	}
	listeners, err := checkClassicListeners(in.Listeners)
	if err != nil {
		return nil, err
	}
	scheme := in.Scheme
	if scheme == "" {
		scheme = "internet-facing"
	}
	if scheme != "internet-facing" && scheme != "internal" {
		return nil, errCLBValidation("Invalid scheme %s; valid schemes are internet-facing and internal.", scheme) // probable
	}
	var out *model.ClassicLoadBalancer
	err = e.write(func(t *txn) error {
		subnets, vpc, zones, err := t.clbSubnets(in.Subnets, in.AvailabilityZones)
		if err != nil {
			return err
		}
		groups, err := t.clbGroups(vpc, in.SecurityGroups)
		if err != nil {
			return err
		}
		if old := t.st.ClassicLoadBalancers[in.Name]; old == nil && len(in.SecurityGroups) == 0 {
			if v := t.st.VPCs[vpc]; v != nil && v.IsDefault {
				groups = []model.SecurityGroupID{t.defaultELBGroup(vpc, listeners)}
			}
		}
		if old := t.st.ClassicLoadBalancers[in.Name]; old != nil {
			if slices.Equal(old.Listeners, listeners) && slices.Equal(old.Subnets, subnets) && old.Scheme == scheme {
				out = old
				return nil
			}
			return apierr.Newf("DuplicateLoadBalancerName", "Load Balancer named '%s' already exists and it is configured with different parameters.", in.Name) // probable
		}
		dns := fmt.Sprintf("%s-%d.%s.elb.%s", in.Name, t.e.ids.Uint64()%1_000_000_000, t.e.cfg.Region, model.DNSSuffix(t.e.cfg.Region))
		if scheme == "internal" {
			dns = "internal-" + dns
		}
		lb := &model.ClassicLoadBalancer{
			Name: in.Name, DNSName: dns, Scheme: scheme, VpcID: vpc, Subnets: subnets, AvailabilityZones: zones,
			SecurityGroups: groups, Listeners: listeners, CreatedAt: t.now, Tags: in.Tags.Clone(), TagOrder: model.TagOrderAfter(nil, in.TagOrder, in.Tags),
			HealthCheck: model.ClassicHealthCheck{Target: "TCP:" + strconv.Itoa(listeners[0].InstancePort), Interval: 30, Timeout: 5,
				UnhealthyThreshold: 2, HealthyThreshold: 10},
		}
		for _, l := range listeners {
			clbDefaultSSLPolicy(lb, l)
		}
		if err := t.clbSyncNodes(lb); err != nil {
			return err
		}
		put(t, model.KindClassicLoadBalancer, t.st.ClassicLoadBalancers, lb.Name, lb)
		out = lb
		return nil
	})
	return out, err
}

// clbSubnets resolves a load balancer's subnets (or zones) and VPC.
func (t *txn) clbSubnets(ids []model.SubnetID, zones []string) ([]model.SubnetID, model.VpcID, []string, error) {
	if len(ids) == 0 && len(zones) == 0 {
		// AWS's text (chef-boneyard/chef-provisioning-aws#243).
		return nil, "", nil, errCLBValidation("Either AvailabilityZones or SubnetIds must be specified")
	}
	if len(ids) == 0 {
		for _, z := range zones {
			var def *model.Subnet
			for _, s := range sortedValues(t.st.Subnets) {
				if s.DefaultForAZ && s.AvailabilityZone == z && def == nil {
					def = s
				}
			}
			if def == nil {
				return nil, "", nil, errCLBValidation("No default subnet for availability zone: '%s'", z) // probable
			}
			ids = append(ids, def.ID)
		}
	}
	var vpc model.VpcID
	var out []model.SubnetID
	var az []string
	for _, id := range ids {
		s := t.st.Subnets[id]
		if s == nil {
			return nil, "", nil, apierr.Newf("SubnetNotFound", "The specified subnet does not exist: %s", id) // probable
		}
		if vpc != "" && s.VpcID != vpc {
			return nil, "", nil, apierr.New("InvalidConfigurationRequest", "The subnets must be in the same VPC.") // probable
		}
		vpc = s.VpcID
		if slices.Contains(az, s.AvailabilityZone) {
			// AWS's text and status (kubernetes/kubernetes#22004).
			e := apierr.New("InvalidConfigurationRequest", "ELB cannot be attached to multiple subnets in the same AZ.")
			e.HTTPStatus = 409
			return nil, "", nil, e
		}
		az = append(az, s.AvailabilityZone)
		out = append(out, id)
	}
	return out, vpc, az, nil
}

// clbGroups checks security groups (the VPC's default group when none).
func (t *txn) clbGroups(vpc model.VpcID, ids []model.SecurityGroupID) ([]model.SecurityGroupID, error) {
	if len(ids) == 0 {
		if v := t.st.VPCs[vpc]; v != nil && v.DefaultSecurityGroup != "" {
			return []model.SecurityGroupID{v.DefaultSecurityGroup}, nil
		}
		return nil, nil
	}
	for _, g := range ids {
		sg := t.st.SecurityGroups[g]
		if sg == nil {
			return nil, apierr.New("InvalidSecurityGroup", "One or more of the specified security groups do not exist.") // probable
		}
		if sg.VpcID != vpc {
			// AWS's text and status (hashicorp/terraform#30261, chef-boneyard/chef-provisioning-aws#24).
			e := apierr.Newf("InvalidConfigurationRequest", "Security group \"%s\" does not belong to VPC \"%s\"", g, vpc)
			e.HTTPStatus = 409
			return nil, e
		}
	}
	return slices.Clone(ids), nil
}

// defaultELBGroupPrefix names the group Elastic Load Balancing creates for
// Classic Load Balancers of the default VPC created without security groups.
const defaultELBGroupPrefix = "default_elb_"

// defaultELBGroup returns the account's default_elb_<uuid> group of the
// default VPC, creating it the first time with inbound rules for the
// listeners' ports from anywhere: AWS creates one such group per account
// and gives it to every later load balancer of the default VPC without
// changing its rules (elb-vpc-security-groups.html).
func (t *txn) defaultELBGroup(vpc model.VpcID, listeners []model.ClassicListener) model.SecurityGroupID {
	for _, g := range sortedValues(t.st.SecurityGroups) {
		if g.VpcID == vpc && strings.HasPrefix(g.Name, defaultELBGroupPrefix) {
			return g.ID
		}
	}
	g := &model.SecurityGroup{ID: model.SecurityGroupID(t.newID("sg")), VpcID: vpc, Name: defaultELBGroupPrefix + t.uuid(),
		// The description AWS gives it ([choice]: as seen in accounts, not documented).
		Description: "ELB created security group used when no security group is specified during ELB creation - modifications could impact traffic to future ELBs",
		Egress:      []model.SecurityGroupRule{allEgress(t)}}
	seen := map[int]bool{}
	for _, l := range listeners {
		if seen[l.LoadBalancerPort] {
			continue
		}
		seen[l.LoadBalancerPort] = true
		p := uint16(l.LoadBalancerPort)
		g.Ingress = append(g.Ingress, model.SecurityGroupRule{ID: model.SecurityGroupRuleID(t.newID("sgr")), Protocol: model.TCP,
			Ports: model.PortRange{First: p, Last: p}, CIDR: anyIPv4})
	}
	put(t, model.KindSecurityGroup, t.st.SecurityGroups, g.ID, g)
	return g.ID
}

func (t *txn) clb(name string) (*model.ClassicLoadBalancer, error) {
	lb := t.st.ClassicLoadBalancers[name]
	if lb == nil {
		return nil, errCLBNotFound(name)
	}
	return lb, nil
}

func cloneCLB(lb *model.ClassicLoadBalancer) *model.ClassicLoadBalancer {
	c := *lb
	c.Subnets, c.AvailabilityZones = slices.Clone(lb.Subnets), slices.Clone(lb.AvailabilityZones)
	c.SecurityGroups, c.Listeners, c.Instances = slices.Clone(lb.SecurityGroups), slices.Clone(lb.Listeners), slices.Clone(lb.Instances)
	c.Tags = lb.Tags.Clone()
	c.Policies = slices.Clone(lb.Policies)
	c.ListenerPolicies, c.BackendPolicies = maps.Clone(lb.ListenerPolicies), maps.Clone(lb.BackendPolicies)
	c.Nodes = slices.Clone(lb.Nodes)
	c.RegisteredAt = maps.Clone(lb.RegisteredAt)
	c.Deregistering = maps.Clone(lb.Deregistering)
	if lb.Attributes != nil {
		c.Attributes = map[string]string{}
		for k, v := range lb.Attributes {
			c.Attributes[k] = v
		}
	}
	return &c
}

// UpdateClassicLoadBalancer applies f to a copy of the named load balancer
// and stores it (attribute changes).
func (e *Engine) UpdateClassicLoadBalancer(name string, f func(lb *model.ClassicLoadBalancer) error) (*model.ClassicLoadBalancer, error) {
	return e.updateCLB(name, func(_ *txn, lb *model.ClassicLoadBalancer) error { return f(lb) })
}

func (e *Engine) updateCLB(name string, f func(t *txn, lb *model.ClassicLoadBalancer) error) (*model.ClassicLoadBalancer, error) {
	var out *model.ClassicLoadBalancer
	err := e.write(func(t *txn) error {
		lb, err := t.clb(name)
		if err != nil {
			return err
		}
		c := cloneCLB(lb)
		if err := f(t, c); err != nil {
			return err
		}
		if err := t.clbSyncNodes(c); err != nil {
			return err
		}
		put(t, model.KindClassicLoadBalancer, t.st.ClassicLoadBalancers, c.Name, c)
		out = c
		return nil
	})
	return out, err
}

// DeleteClassicLoadBalancer deletes a load balancer; deleting one that
// does not exist succeeds, as AWS documents.
func (e *Engine) DeleteClassicLoadBalancer(name string) error {
	return e.write(func(t *txn) error {
		if lb := t.st.ClassicLoadBalancers[name]; lb != nil {
			for _, n := range lb.Nodes {
				t.deleteLBNode(n)
			}
			del(t, model.KindClassicLoadBalancer, t.st.ClassicLoadBalancers, name)
		}
		return nil
	})
}

// CreateClassicListeners adds listeners. A port already used with other
// settings is DuplicateListener; the same listener again is accepted.
func (e *Engine) CreateClassicListeners(name string, ls []model.ClassicListener) error {
	listeners, err := checkClassicListeners(ls)
	if err != nil {
		return err
	}
	_, err = e.updateCLB(name, func(t *txn, lb *model.ClassicLoadBalancer) error {
		for _, l := range listeners {
			i := lb.ListenerIndex(l.LoadBalancerPort)
			switch {
			case i < 0:
				lb.Listeners = append(lb.Listeners, l)
				clbDefaultSSLPolicy(lb, l)
			case lb.Listeners[i] != l:
				return apierr.Newf("DuplicateListener", "A listener already exists for %s with LoadBalancerPort %d, but with a different InstancePort, Protocol, or SSLCertificateId", name, l.LoadBalancerPort)
			}
		}
		return nil
	})
	return err
}

// DeleteClassicListeners removes the listeners on ports.
func (e *Engine) DeleteClassicListeners(name string, ports []int) error {
	_, err := e.updateCLB(name, func(t *txn, lb *model.ClassicLoadBalancer) error {
		lb.Listeners = slices.DeleteFunc(lb.Listeners, func(x model.ClassicListener) bool { return slices.Contains(ports, x.LoadBalancerPort) })
		for _, p := range ports {
			if _, ok := lb.ListenerPolicies[p]; ok {
				lb.ListenerPolicies = setPortPolicies(lb.ListenerPolicies, p, nil)
			}
		}
		return nil
	})
	return err
}

var clbTargetRE = regexp.MustCompile(`^(?:(HTTP|HTTPS):(\d+)(/.*)?|(TCP|SSL):(\d+))$`)

// ConfigureClassicHealthCheck sets a load balancer's health check: a target
// PROTOCOL:PORT[/path] (a path for HTTP and HTTPS only), an interval of
// 5-300 s above the 2-60 s timeout, thresholds 2-10.
func (e *Engine) ConfigureClassicHealthCheck(name string, hc model.ClassicHealthCheck) (*model.ClassicLoadBalancer, error) {
	m := clbTargetRE.FindStringSubmatch(hc.Target)
	if m != nil && m[1] != "" && m[3] == "" {
		// An HTTP or HTTPS target without a path: AWS's own text (goamz's
		// elb tests against AWS, TestConfigureHealthCheckBadRequest).
		// The HTTPS example's port is ecsnet's choice.
		example := map[string]string{"HTTP": "HTTP:80", "HTTPS": "HTTPS:443"}[m[1]]
		return nil, errCLBValidation("HealthCheck %s Target must specify a port followed by a path that begins with a slash. e.g. %s/ping/this/path", m[1], example)
	}
	if m == nil {
		return nil, errCLBValidation("HealthCheck Target must be specified as [PROTOCOL]:[PORT][/PATH], with a path for HTTP and HTTPS only.") // probable
	}
	switch {
	case hc.Interval < 5 || hc.Interval > 300:
		return nil, errCLBValidation("HealthCheck Interval must be between 5 and 300 seconds.") // probable
	case hc.Timeout < 2 || hc.Timeout > 60:
		return nil, errCLBValidation("HealthCheck Timeout must be between 2 and 60 seconds.") // probable
	case hc.Timeout >= hc.Interval:
		return nil, errCLBValidation("HealthCheck Timeout must be less than Interval") // probable
	case hc.HealthyThreshold < 2 || hc.HealthyThreshold > 10 || hc.UnhealthyThreshold < 2 || hc.UnhealthyThreshold > 10:
		return nil, errCLBValidation("HealthCheck thresholds must be between 2 and 10.") // probable
	}
	return e.updateCLB(name, func(t *txn, lb *model.ClassicLoadBalancer) error {
		lb.HealthCheck = hc
		return nil
	})
}

// RegisterClassicInstances registers instances (of the load balancer's
// VPC) with a load balancer, or deregisters them; it returns the
// registered instances.
func (e *Engine) RegisterClassicInstances(name string, ids []model.InstanceID, deregister bool) ([]model.InstanceID, error) {
	lb, err := e.updateCLB(name, func(t *txn, lb *model.ClassicLoadBalancer) error {
		for _, id := range ids {
			i := t.st.Instances[id]
			if deregister {
				if !slices.Contains(lb.Instances, id) {
					return apierr.Newf("InvalidInstance", "The requested instance(s) are not registered with the load balancer: %s", id) // probable
				}
				t.clbDrain(lb, id)
				continue
			}
			if i == nil || i.State == model.InstanceTerminated || i.VpcID != lb.VpcID {
				return apierr.Newf("InvalidInstance", "EC2 instance %s is not in the same VPC as the ELB.", id) // probable
			}
			if !slices.Contains(lb.Instances, id) {
				// Registered again while draining: back, its first health
				// checks from now.
				delete(lb.Deregistering, id)
				lb.Instances = append(lb.Instances, id)
				clbRegisteredAt(lb, id, t.now)
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return lb.Instances, nil
}

// clbRegisteredAt records when an instance was registered with lb (a copy
// the caller puts): its first health checks count from then.
func clbRegisteredAt(lb *model.ClassicLoadBalancer, id model.InstanceID, at time.Time) {
	if lb.RegisteredAt == nil {
		lb.RegisteredAt = map[model.InstanceID]time.Time{}
	}
	lb.RegisteredAt[id] = at
}

// clbRegister registers (or deregisters) an instance, quietly: Auto
// Scaling's registrations. Deregistering here takes the instance out at
// once (an instance that is gone, or leaves a group that no longer names
// the load balancer); drainClassicInstance deregisters through connection
// draining.
func (t *txn) clbRegister(name string, id model.InstanceID, register bool) {
	lb := t.st.ClassicLoadBalancers[name]
	if lb == nil {
		return
	}
	_, draining := lb.Deregistering[id]
	if registered := slices.Contains(lb.Instances, id); register == registered && (register || !draining) {
		return
	}
	c := cloneCLB(lb)
	if register {
		c.Instances = append(c.Instances, id)
		clbRegisteredAt(c, id, t.now)
		delete(c.Deregistering, id)
	} else {
		c.Instances = slices.DeleteFunc(c.Instances, func(x model.InstanceID) bool { return x == id })
		delete(c.RegisteredAt, id)
		delete(c.Deregistering, id)
	}
	put(t, model.KindClassicLoadBalancer, t.st.ClassicLoadBalancers, c.Name, c)
}

// classicDrainTimeout is how long lb drains an instance it deregisters:
// its ConnectionDraining.Timeout (default 300 seconds) on the ELB clock
// when ConnectionDraining.Enabled is true (default false); zero otherwise
// or when the engine scales no time.
func (t *txn) classicDrainTimeout(lb *model.ClassicLoadBalancer) time.Duration {
	if lb.Attributes["ConnectionDraining.Enabled"] != "true" {
		return 0
	}
	s, err := strconv.Atoi(cmp.Or(lb.Attributes["ConnectionDraining.Timeout"], "300"))
	if err != nil {
		return 0
	}
	return t.e.cfg.elbDuration(s)
}

// clbDrain deregisters instance id from lb (a copy the caller puts):
// with connection draining it stays Deregistering until the timeout
// ends, when Step forgets it (endClassicDraining). It returns when its
// draining ends (zero: it left at once).
func (t *txn) clbDrain(lb *model.ClassicLoadBalancer, id model.InstanceID) time.Time {
	lb.Instances = slices.DeleteFunc(lb.Instances, func(x model.InstanceID) bool { return x == id })
	delete(lb.RegisteredAt, id)
	d := t.classicDrainTimeout(lb)
	if d <= 0 {
		return time.Time{}
	}
	if lb.Deregistering == nil {
		lb.Deregistering = map[model.InstanceID]time.Time{}
	}
	until := t.now.Add(d)
	lb.Deregistering[id] = until
	return until
}

// drainClassicInstance deregisters an instance from the named load
// balancer through connection draining (Auto Scaling taking it out of
// service) and returns when its draining ends: zero when it left at
// once, its running draining's end when it drains already.
func (t *txn) drainClassicInstance(name string, id model.InstanceID) time.Time {
	lb := t.st.ClassicLoadBalancers[name]
	if lb == nil {
		return time.Time{}
	}
	if !slices.Contains(lb.Instances, id) {
		return lb.Deregistering[id]
	}
	c := cloneCLB(lb)
	until := t.clbDrain(c, id)
	put(t, model.KindClassicLoadBalancer, t.st.ClassicLoadBalancers, c.Name, c)
	return until
}

// endClassicDraining forgets the instances whose connection draining has
// ended: DescribeInstanceHealth no longer reports them.
func (t *txn) endClassicDraining() {
	for _, name := range sortedKeys(t.st.ClassicLoadBalancers) {
		lb := t.st.ClassicLoadBalancers[name]
		if len(lb.Deregistering) == 0 {
			continue
		}
		var c *model.ClassicLoadBalancer
		for id, until := range lb.Deregistering {
			if t.due(until) {
				if c == nil {
					c = cloneCLB(lb)
				}
				delete(c.Deregistering, id)
			}
		}
		if c != nil {
			put(t, model.KindClassicLoadBalancer, t.st.ClassicLoadBalancers, c.Name, c)
		}
	}
}

// ClassicInstanceHealth is an instance's state behind a Classic Load
// Balancer: InService when the instance runs, OutOfService otherwise
// (ecsnet does not probe the health check target).
func ClassicInstanceHealth(st *model.State, id model.InstanceID) (state, reason, desc string) {
	i := st.Instances[id]
	switch {
	case i == nil || i.State == model.InstanceTerminated:
		return "OutOfService", "Instance", "Instance is in terminated state."
	case i.State == model.InstanceRunning:
		return "InService", "N/A", "N/A"
	}
	// Any other state, pending too, is the instance's: "Instance is in
	// pending state." with ReasonCode Instance (goamz's elb tests against
	// AWS, TestDescribeInstanceHealth; API_InstanceState).
	return "OutOfService", "Instance", "Instance is in " + string(i.State) + " state."
}

// TagClassicLoadBalancers applies c to load balancers (at most 10 tags on
// each, AWS's limit).
func (e *Engine) TagClassicLoadBalancers(names []string, c TagChange) error {
	return e.write(func(t *txn) error {
		for _, n := range names {
			lb, err := t.clb(n)
			if err != nil {
				return err
			}
			x := cloneCLB(lb)
			if x.Tags == nil {
				x.Tags = model.Tags{}
			}
			for k, v := range c.Add {
				x.Tags[k] = v
			}
			for k := range c.Remove {
				delete(x.Tags, k)
			}
			if clbTagCount(x.Tags) > 10 {
				return errCLBTooManyTags()
			}
			x.TagOrder = model.TagOrderAfter(x.TagOrder, c.Order, x.Tags)
			put(t, model.KindClassicLoadBalancer, t.st.ClassicLoadBalancers, x.Name, x)
		}
		return nil
	})
}

// clbTagCount counts the tags that count toward a load balancer's 10:
// the ones with the reserved aws: prefix (CloudFormation's) do not.
func clbTagCount(tags model.Tags) int {
	n := 0
	for k := range tags {
		if !strings.HasPrefix(k, "aws:") {
			n++
		}
	}
	return n
}

// errCLBTooManyTags is the answer past 10 tags (the model's
// TooManyTagsException text).
func errCLBTooManyTags() error {
	return apierr.New("TooManyTags", "The quota for the number of tags that can be assigned to a load balancer has been reached.")
}

// SetClassicSecurityGroups replaces a load balancer's security groups.
func (e *Engine) SetClassicSecurityGroups(name string, ids []model.SecurityGroupID) (*model.ClassicLoadBalancer, error) {
	return e.updateCLB(name, func(t *txn, lb *model.ClassicLoadBalancer) error {
		if len(ids) == 0 {
			return errCLBValidation("SecurityGroups must not be empty.") // probable
		}
		groups, err := t.clbGroups(lb.VpcID, ids)
		lb.SecurityGroups = groups
		return err
	})
}

// SetClassicSubnets attaches subnets to a load balancer (one per zone, in
// its VPC) or detaches them (at least one stays).
func (e *Engine) SetClassicSubnets(name string, ids []model.SubnetID, detach bool) (*model.ClassicLoadBalancer, error) {
	return e.updateCLB(name, func(t *txn, lb *model.ClassicLoadBalancer) error {
		next := slices.Clone(lb.Subnets)
		for _, id := range ids {
			if detach {
				next = slices.DeleteFunc(next, func(x model.SubnetID) bool { return x == id })
			} else if !slices.Contains(next, id) {
				next = append(next, id)
			}
		}
		if len(next) == 0 {
			return errCLBValidation("A load balancer must be attached to at least one subnet.") // probable
		}
		subnets, vpc, zones, err := t.clbSubnets(next, nil)
		if err != nil {
			return err
		}
		if vpc != lb.VpcID {
			return apierr.New("InvalidConfigurationRequest", "The subnets must be in the load balancer's VPC.") // probable
		}
		lb.Subnets, lb.AvailabilityZones = subnets, zones
		return nil
	})
}

// clbSyncNodes gives lb a network interface in each of its subnets (and
// none in others), with its security groups, as Elastic Load Balancing
// does: "ELB <name>", requester and attachment owner amazon-elb, a public
// address when internet-facing. They hold the subnets, groups and
// internet gateway as AWS's do (DeleteSubnet, DeleteSecurityGroup and
// DetachInternetGateway refuse while the load balancer exists).
func (t *txn) clbSyncNodes(lb *model.ClassicLoadBalancer) error {
	keep := lb.Nodes[:0:0]
	for _, n := range lb.Nodes {
		if !slices.Contains(lb.Subnets, n.SubnetID) {
			t.deleteLBNode(n)
			continue
		}
		if eni := t.st.NetworkInterfaces[n.ENI]; eni != nil && !slices.Equal(eni.SecurityGroups, lb.SecurityGroups) {
			c := cloneENI(eni)
			c.SecurityGroups = slices.Clone(lb.SecurityGroups)
			t.putENI(c)
		}
		keep = append(keep, n)
	}
	for _, id := range lb.Subnets {
		if slices.ContainsFunc(keep, func(n model.LoadBalancerNode) bool { return n.SubnetID == id }) {
			continue
		}
		s := t.st.Subnets[id]
		if s == nil {
			return apierr.Newf("SubnetNotFound", "The specified subnet does not exist: %s", id) // probable
		}
		eni, err := t.newENI(eniSpec{
			attachment: &model.ENIAttachment{ID: model.ENIAttachmentID(t.newID("eni-attach")), InstanceOwnerID: elbRequesterID, DeviceIndex: 1,
				Status: "attached", AttachedAt: t.now},
			subnet: s, groups: lb.SecurityGroups, description: "ELB " + lb.Name, ownerKind: model.OwnedByClassicLoadBalancer,
			managedBy: lb.Name, requester: elbRequesterID, publicIP: lb.Scheme == lbInternetFacing,
		})
		if err != nil {
			if apierr.HasCode(err, "InsufficientFreeAddressesInSubnet") {
				return apierr.Newf("InvalidSubnet", "Not enough IP space available in %s. ELB requires at least 8 free IP addresses in each subnet.", id) // probable
			}
			return err
		}
		keep = append(keep, model.LoadBalancerNode{SubnetID: id, AvailabilityZone: s.AvailabilityZone, ENI: eni.ID})
	}
	lb.Nodes = keep
	return nil
}

// ClassicHostedZone is the Route 53 hosted zone of Classic (and
// Application) Load Balancers in region.
func ClassicHostedZone(region string) string { return lbHostedZone(lbApplication, region) }
