package fix

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/reach"
)

// listenerPort: a connection to a load balancer port no listener takes
// (ELBV2_LISTENER_PORT_RESTRICTION). When a redirect sends clients to that
// port, the listener of the redirect's protocol moves there
// (ModifyListener keeps its rules and certificates); otherwise a new
// listener on the port does what the load balancer's first listener does.
func (f *finder) listenerPort(x reach.Explanation) []Fix {
	if x.Component == nil {
		return nil
	}
	lb := f.st.LoadBalancers[x.Component.ARN]
	port := f.probedPort()
	if lb == nil || port == 0 {
		return nil
	}
	var ls []*model.Listener
	for _, l := range f.st.Listeners {
		if l.LoadBalancerARN == lb.ARN {
			if l.Port == port {
				return nil
			}
			ls = append(ls, l)
		}
	}
	slices.SortFunc(ls, func(a, b *model.Listener) int { return int(a.Port) - int(b.Port) })
	// The protocol of a redirect to the port, if any.
	redirect := ""
	consider := func(acts []model.ListenerAction) {
		for _, a := range acts {
			if a.Type == "redirect" && a.Redirect["Port"] == strconv.Itoa(int(port)) && redirect == "" {
				redirect = a.Redirect["Protocol"]
			}
		}
	}
	for _, l := range ls {
		consider(l.DefaultActions)
		for _, r := range f.st.ListenerRules {
			if r.ListenerARN == l.ARN {
				consider(r.Actions)
			}
		}
	}
	var out []Fix
	for _, l := range ls {
		if redirect == "" || redirect == "#{protocol}" || l.Protocol != redirect {
			continue
		}
		arn := l.ARN
		out = append(out, Fix{
			score: 20, Kind: "listener",
			Title: fmt.Sprintf("Move the listener %s:%d of %s to port %d, where its redirect sends clients (ModifyListener)", l.Protocol, l.Port, lb.Name, port),
			Detail: "A load balancer takes connections only on its listeners' ports and drops the rest, so a redirect to a port without a listener ends in a timeout. " +
				"The load balancer's security groups must admit the new port too.",
			Commands: []string{fmt.Sprintf("aws elbv2 modify-listener --listener-arn %s --port %d", arn, port)},
			Scenario: fmt.Sprintf("load_balancers:\n  %s:\n    listeners:\n      - {port: %d, protocol: %s, …}   # was %d\n", lb.Name, port, l.Protocol, l.Port),
			apply: func(e *engine.Engine) error {
				_, err := e.ModifyListener(engine.ModifyListenerInput{ListenerARN: arn, Port: port})
				return err
			},
		})
	}
	if len(out) > 0 || len(ls) == 0 {
		return out
	}
	// No redirect names the port: a listener like the first one.
	l := ls[0]
	proto := l.Protocol
	in := engine.CreateListenerInput{LoadBalancerARN: lb.ARN, Protocol: proto, Port: port, DefaultActions: l.DefaultActions, Certificates: l.Certificates, SSLPolicy: l.SSLPolicy}
	var acts []string
	for _, a := range l.DefaultActions {
		acts = append(acts, a.Type)
	}
	cli := fmt.Sprintf("aws elbv2 create-listener --load-balancer-arn %s --protocol %s --port %d --default-actions <the default actions of listener %s>", lb.ARN, proto, port, l.ARN)
	if len(l.Certificates) > 0 {
		cli += " --certificates CertificateArn=" + l.Certificates[0]
	}
	return []Fix{{
		score: 25, Kind: "listener",
		Title:    fmt.Sprintf("Add a listener %s:%d to %s with the default actions of its listener %s:%d (%s)", proto, port, lb.Name, l.Protocol, l.Port, strings.Join(acts, ", ")),
		Detail:   "A load balancer takes connections only on its listeners' ports and drops the rest. The load balancer's security groups must admit the port too.",
		Commands: []string{cli},
		Scenario: fmt.Sprintf("load_balancers:\n  %s:\n    listeners:\n      - {port: %d, protocol: %s, …}\n", lb.Name, port, proto),
		apply: func(e *engine.Engine) error {
			_, err := e.CreateListener(in)
			return err
		},
	}}
}
