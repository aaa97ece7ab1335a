package fix

import (
	"fmt"
	"maps"
	"slices"
	"strconv"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/reach"
)

// keepAliveFixes: a target's application closes idle keep-alive
// connections no later than the load balancer's idle timeout
// (reach.CodeKeepAliveShorterThanIdle), so now and then a request gets
// 502. ELB's advice is a keep-alive longer than the idle timeout ("make
// sure that the value you set for the HTTP keep-alive time is greater
// than the idle timeout setting", Classic Load Balancers User Guide,
// config-idle-timeout; the Application Load Balancers User Guide says the
// same): either the application's keep-alive goes above the idle timeout
// (a new task definition revision standing for the application's
// setting, redeployed), or the load balancer's idle timeout goes below
// the keep-alive (ALB: idle_timeout.timeout_seconds; Classic:
// ConnectionSettings.IdleTimeout). Each is verified: the probe answers
// without the warning.
func (f *finder) keepAliveFixes() []Fix {
	var x *reach.Explanation
	for i := range f.res.Explanations {
		if f.res.Explanations[i].Code == reach.CodeKeepAliveShorterThanIdle {
			x = &f.res.Explanations[i]
			break
		}
	}
	if x == nil || x.Component == nil {
		return nil
	}
	idle, ok := reach.KeepAliveIdleTimeout(f.n, x.Component.ARN)
	if !ok {
		return nil
	}
	clb := f.st.ClassicLoadBalancers[x.Component.Name]
	if clb != nil && reach.ClassicLoadBalancerARN(f.st, clb.Name) != x.Component.ARN {
		clb = nil
	}
	// The services behind the load balancer whose container's keep-alive
	// is too short, and the shortest such keep-alive.
	var out []Fix
	shortest := 0
	for _, sc := range reach.KeepAliveShortServices(f.n, x.Component.ARN) {
		svc := f.st.Services[sc[0]]
		if svc == nil {
			continue
		}
		tdARN := svc.TaskDefinitionARN
		if ts := serviceTaskSet(svc, nil); ts != nil {
			tdARN = ts.TaskDefinitionARN // the primary task set's (taskset.go)
		}
		td := f.st.TaskDefinitions[tdARN]
		if td == nil {
			continue
		}
		c, ok := td.Container(sc[1])
		if !ok {
			continue
		}
		if shortest == 0 || c.KeepAliveTimeout < shortest {
			shortest = c.KeepAliveTimeout
		}
		containers := slices.Clone(td.Containers)
		for i := range containers {
			if containers[i].Name == c.Name {
				containers[i].KeepAliveTimeout = idle + 5
			}
		}
		cluster := clusterName(svc.ClusterARN)
		out = append(out, Fix{
			score: 20, Kind: "application",
			Title: fmt.Sprintf("Make container %s of %s keep idle connections open longer than the load balancer's idle timeout (%d s or more), and redeploy", c.Name, svc.Name, idle+5),
			Detail: fmt.Sprintf("The load balancer %s reuses its connections to targets for up to %d s idle; an application that closes one sooner (after %d s) races the next request on it, which gets 502. "+
				"Set the application's keep-alive timeout above the idle timeout (Node.js: server.keepAliveTimeout = %d000 and server.headersTimeout above it; gunicorn: --keep-alive %d; Go: http.Server IdleTimeout).", x.Component.Name, idle, c.KeepAliveTimeout, idle+5, idle+5),
			Commands: append([]string{
				"# change the application's keep-alive timeout, build and push the image, then:",
				fmt.Sprintf("aws ecs register-task-definition --cli-input-json file://%s.json   # the same definition with the new image", td.Family)},
				redeployCommands(f.st, svc, td.Family)...),
			Scenario: fmt.Sprintf("task_definitions:\n  %s:\n    containers:\n      %s:\n        keep_alive_timeout: %d\n", td.Family, c.Name, idle+5),
			apply:    redeployWith(revisionOf(td, td.NetworkMode, containers), cluster, svc.Name),
		})
	}
	if shortest < 2 {
		return out // an idle timeout is at least 1 s: none is below a keep-alive of 1 s
	}
	lower := shortest - 1
	if clb != nil {
		name := clb.Name
		out = append(out, Fix{
			score: 10, Kind: "load-balancer",
			Title:    fmt.Sprintf("Lower the Classic Load Balancer %s's idle timeout to %d s, below the application's keep-alive (%d s)", name, lower, shortest),
			Detail:   "With the idle timeout below the target's keep-alive, the load balancer closes idle back-end connections itself, before the target does. A client request idle longer than the new timeout is cut too: long uploads and slow responses must send data more often.",
			Commands: []string{fmt.Sprintf(`aws elb modify-load-balancer-attributes --load-balancer-name %s --load-balancer-attributes '{"ConnectionSettings":{"IdleTimeout":%d}}'`, name, lower)},
			apply: func(e *engine.Engine) error {
				_, err := e.UpdateClassicLoadBalancer(name, func(lb *model.ClassicLoadBalancer) error {
					lb.Attributes = maps.Clone(lb.Attributes)
					if lb.Attributes == nil {
						lb.Attributes = map[string]string{}
					}
					lb.Attributes["ConnectionSettings.IdleTimeout"] = strconv.Itoa(lower)
					return nil
				})
				return err
			},
		})
		return out
	}
	arn := x.Component.ARN
	out = append(out, Fix{
		score: 10, Kind: "load-balancer",
		Title:    fmt.Sprintf("Lower the load balancer %s's idle timeout to %d s, below the application's keep-alive (%d s)", x.Component.Name, lower, shortest),
		Detail:   "With the idle timeout below the target's keep-alive, the load balancer closes idle connections itself, before the target does. A client request idle longer than the new timeout is cut too: long uploads and slow responses must send data more often.",
		Commands: []string{fmt.Sprintf("aws elbv2 modify-load-balancer-attributes --load-balancer-arn %s --attributes Key=idle_timeout.timeout_seconds,Value=%d", arn, lower)},
		Scenario: fmt.Sprintf("load_balancers:\n  %s:\n    attributes: {idle_timeout.timeout_seconds: \"%d\"}\n", x.Component.Name, lower),
		apply: func(e *engine.Engine) error {
			_, err := e.ModifyLoadBalancerAttributes(arn, [][2]string{{"idle_timeout.timeout_seconds", strconv.Itoa(lower)}})
			return err
		},
	})
	return out
}

// verifyKeepAlive applies c to a clone and probes again: the answer must
// still reach, without the keep-alive warning.
func (f *finder) verifyKeepAlive(c Fix) (Verification, bool) {
	_, r, ok := f.probeFixed(c, f.from, f.to, f.proto)
	if !ok {
		return Verification{}, false
	}
	v := Verification{From: f.from, To: f.to, Protocol: f.proto, Verdict: r.Verdict, Summary: r.Summary}
	return v, r.Reachable && !r.HasCode(reach.CodeKeepAliveShorterThanIdle)
}
