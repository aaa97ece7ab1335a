package fix

import (
	"fmt"
	"slices"
	"strings"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/reach"
)

// classicStaticPort: a bridge service behind a Classic Load Balancer
// publishes its container port on a dynamic host port, which the load
// balancer's one instance port never reaches. The fix is a task definition
// revision whose hostPort is the probed listener's instance port (one task
// per instance), deployed to the service.
func (f *finder) classicStaticPort(x reach.Explanation) []Fix {
	if x.Component == nil {
		return nil
	}
	lb := f.st.ClassicLoadBalancers[x.Component.ID]
	if lb == nil {
		return nil
	}
	i := lb.ListenerIndex(int(f.res.Port))
	if i < 0 {
		return nil
	}
	port := uint16(lb.Listeners[i].InstancePort)
	var out []Fix
	for _, svc := range sortedServices(f.st) {
		if svc.Status != "ACTIVE" {
			continue
		}
		td := f.st.TaskDefinitions[runTaskDefinition(svc, nil)]
		if td == nil || td.NetworkMode != model.NetworkModeBridge {
			continue
		}
		for _, slb := range runLoadBalancers(svc, nil) {
			if slb.LoadBalancerName != lb.Name {
				continue
			}
			if fx, ok := f.staticHostPort(svc, td, slb, port, lb.Name); ok {
				out = append(out, fx)
			}
		}
	}
	return out
}

func (f *finder) staticHostPort(svc *model.Service, td *model.TaskDefinition, slb model.ServiceLoadBalancer, port uint16, lbName string) (Fix, bool) {
	containers := slices.Clone(td.Containers)
	changed := false
	for i := range containers {
		if containers[i].Name != slb.ContainerName {
			continue
		}
		containers[i].PortMappings = slices.Clone(containers[i].PortMappings)
		for j := range containers[i].PortMappings {
			pm := &containers[i].PortMappings[j]
			if pm.ContainerPort == slb.ContainerPort && pm.HostPort != port {
				pm.HostPort, changed = port, true
			}
		}
	}
	if !changed {
		return Fix{}, false
	}
	in := revisionOf(td, td.NetworkMode, containers)
	cluster := clusterName(svc.ClusterARN)
	return Fix{
		score: 20, Kind: "task-definition",
		Title: fmt.Sprintf("Publish container port %d of %s on host port %d (the Classic Load Balancer %s's instance port) and redeploy %s",
			slb.ContainerPort, slb.ContainerName, port, lbName, svc.Name),
		Detail: "A Classic Load Balancer sends to and health-checks one fixed port on each registered instance; a dynamic host port (0) is never that port. " +
			"With a static host port, each instance runs at most one of the service's tasks. An Application Load Balancer with a target group takes each task's own host port instead.",
		Commands: append([]string{
			fmt.Sprintf("aws ecs register-task-definition --cli-input-json file://%s.json   # the same definition with \"hostPort\": %d for container port %d", td.Family, port, slb.ContainerPort),
		}, redeployCommands(f.st, svc, td.Family)...),
		Scenario: fmt.Sprintf("task_definitions:\n  %s:\n    containers:\n      %s:\n        ports: [\"%d:%d\"]\n", td.Family, slb.ContainerName, port, slb.ContainerPort),
		apply:    redeployWith(in, cluster, svc.Name),
	}, true
}

// classicHealthPath: a Classic Load Balancer whose HTTP or HTTPS health
// check asks a path the application does not answer with 200 (a Classic
// Load Balancer's health check passes on 200 only, ts-elb-healthcheck.html),
// so no instance is InService. The fix is the same check on a path the
// containers of the services behind it serve with 200, health-looking
// paths first; verified by probing again (a 503 becomes the answer).
func (f *finder) classicHealthPath(x reach.Explanation) []Fix {
	if x.Component == nil {
		return nil
	}
	lb := f.st.ClassicLoadBalancers[x.Component.ID]
	if lb == nil {
		return nil
	}
	hc := lb.HealthCheck
	proto, rest, ok := strings.Cut(hc.Target, ":")
	if !ok || (proto != "HTTP" && proto != "HTTPS") {
		return nil
	}
	port, old, ok := strings.Cut(rest, "/")
	if !ok {
		return nil
	}
	old = "/" + old
	var paths []string
	for _, svc := range sortedServices(f.st) {
		td := f.st.TaskDefinitions[runTaskDefinition(svc, nil)]
		if svc.Status != "ACTIVE" || td == nil {
			continue
		}
		for _, slb := range runLoadBalancers(svc, nil) {
			if slb.LoadBalancerName != lb.Name {
				continue
			}
			c, ok := td.Container(slb.ContainerName)
			if !ok {
				continue
			}
			for p, code := range c.Serves {
				if code == 200 && p != old && !strings.ContainsAny(p, "*?") && !slices.Contains(paths, p) {
					paths = append(paths, p)
				}
			}
		}
	}
	if len(paths) == 0 {
		return nil
	}
	slices.SortFunc(paths, func(a, b string) int {
		ha, hb := strings.Contains(a, "health"), strings.Contains(b, "health")
		if ha != hb {
			if ha {
				return -1
			}
			return 1
		}
		return strings.Compare(a, b)
	})
	nhc := hc
	nhc.Target = proto + ":" + port + paths[0]
	// verified by the probe (verifyHealth is the target groups')
	return []Fix{classicHealthCheckFix(lb.Name, nhc,
		fmt.Sprintf("Check the health of the Classic Load Balancer %s on %s, which the application answers with 200 (it checks %s)", lb.Name, nhc.Target, hc.Target),
		"A Classic Load Balancer's HTTP health check passes on 200 only, and with no instance InService it answers 503: it does not fail open as an Application Load Balancer does.")}
}

// classicHealthPlain: a Classic Load Balancer whose SSL (or HTTPS) health
// check fails its TLS handshake on an instance port that does not speak
// TLS, so no instance is InService. The fix checks the same port without
// TLS: TCP:port (HTTP:port/path); verified by probing again.
func (f *finder) classicHealthPlain(x reach.Explanation) []Fix {
	if x.Component == nil {
		return nil
	}
	lb := f.st.ClassicLoadBalancers[x.Component.ID]
	if lb == nil {
		return nil
	}
	hc := lb.HealthCheck
	proto, rest, ok := strings.Cut(hc.Target, ":")
	plain := map[string]string{"SSL": "TCP", "HTTPS": "HTTP"}[strings.ToUpper(proto)]
	if !ok || plain == "" {
		return nil
	}
	nhc := hc
	nhc.Target = plain + ":" + rest
	return []Fix{classicHealthCheckFix(lb.Name, nhc,
		fmt.Sprintf("Check the health of the Classic Load Balancer %s on %s, without TLS (it checks %s, whose handshake the instances' port does not answer)", lb.Name, nhc.Target, hc.Target),
		"A Classic Load Balancer's SSL health check passes only when the TLS handshake completes (HTTPS also wants 200), and with no instance InService it does not fail open.")}
}

// classicHealthCheckFix configures the Classic Load Balancer name's
// health check as nhc (configure-health-check), verified by the probe.
func classicHealthCheckFix(name string, nhc model.ClassicHealthCheck, title, detail string) Fix {
	return Fix{
		score: 15, Kind: "classic-health-check",
		Title:  title,
		Detail: detail,
		Commands: []string{fmt.Sprintf("aws elb configure-health-check --load-balancer-name %s --health-check Target=%s,Interval=%d,Timeout=%d,UnhealthyThreshold=%d,HealthyThreshold=%d",
			name, nhc.Target, nhc.Interval, nhc.Timeout, nhc.UnhealthyThreshold, nhc.HealthyThreshold)},
		Scenario: fmt.Sprintf("load_balancers:\n  %s:\n    health_check: {target: \"%s\"}\n", name, nhc.Target),
		apply: func(e *engine.Engine) error {
			_, err := e.ConfigureClassicHealthCheck(name, nhc)
			return err
		},
	}
}

// classicZones: a Classic Load Balancer routes only to registered
// instances in the Availability Zones it has a subnet in ("Instance is in
// the EC2 Availability Zone for which LoadBalancer is not configured to
// route traffic to"), cross-zone load balancing or not. The fix attaches a
// subnet of each such zone (AttachLoadBalancerToSubnets): a public one for
// an internet-facing load balancer.
func (f *finder) classicZones(x reach.Explanation) []Fix {
	if x.Component == nil || x.Component.Type != "load-balancer" {
		return nil
	}
	lb := f.st.ClassicLoadBalancers[x.Component.ID]
	if lb == nil {
		return nil
	}
	candidates := f.lbSubnetCandidates(lb.VpcID, lb.Scheme)
	has := map[string]bool{}
	for _, z := range lb.AvailabilityZones {
		has[z] = true
	}
	var ids []model.SubnetID
	var names, cli, zones []string
	for _, id := range lb.Instances {
		i := f.st.Instances[id]
		if i == nil || has[i.AvailabilityZone] {
			continue
		}
		for _, s := range candidates {
			if s.AvailabilityZone == i.AvailabilityZone {
				has[s.AvailabilityZone] = true
				ids = append(ids, s.ID)
				cli = append(cli, string(s.ID))
				names = append(names, s.Tags.NameOr(string(s.ID)))
				zones = append(zones, s.AvailabilityZone)
				break
			}
		}
	}
	if len(ids) == 0 {
		return nil // no subnet in those zones: a new one is a design choice
	}
	name := lb.Name
	all := slices.Clone(lb.Subnets)
	var allNames []string
	for _, id := range append(all, ids...) {
		if s := f.st.Subnets[id]; s != nil {
			allNames = append(allNames, s.Tags.NameOr(string(id)))
		}
	}
	return []Fix{{
		score: 20, Kind: "load-balancer",
		Title: fmt.Sprintf("Attach the subnets %s to the Classic Load Balancer %s (the zones %s of its registered instances)", strings.Join(names, ", "), name, strings.Join(zones, ", ")),
		Detail: "A Classic Load Balancer routes only to instances in the Availability Zones it has a subnet in; an instance elsewhere stays OutOfService " +
			"(\"Instance is in the EC2 Availability Zone for which LoadBalancer is not configured to route traffic to\"), cross-zone load balancing or not.",
		Commands: []string{fmt.Sprintf("aws elb attach-load-balancer-to-subnets --load-balancer-name %s --subnets %s", name, strings.Join(cli, " "))},
		Scenario: fmt.Sprintf("load_balancers:\n  %s:\n    subnets: [%s]\n", name, strings.Join(allNames, ", ")),
		apply: func(e *engine.Engine) error {
			_, err := e.SetClassicSubnets(name, ids, false)
			return err
		},
	}}
}
