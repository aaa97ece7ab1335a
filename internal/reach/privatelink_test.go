package reach

import (
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/scenario"
)

// privateLinkStory builds the PrivateLink story (an orders task in one
// VPC calling the ledger service's NLB in another through an interface
// endpoint) with edits, pairs of old and new text.
func privateLinkStory(t *testing.T, edits ...string) (*Network, error) {
	t.Helper()
	path := repoFile("examples/failures/analyzer-only/privatelink-nlb-sg-client-cidr.yaml")
	data := readFile(t, path)
	for i := 0; i+1 < len(edits); i += 2 {
		if !strings.Contains(data, edits[i]) {
			t.Fatalf("edit %q: not in the story", edits[i])
		}
		data = strings.Replace(data, edits[i], edits[i+1], 1)
	}
	data = data[:strings.Index(data, "\nexpect:")]
	sc, err := scenario.Parse(path, []byte(data))
	if err != nil {
		t.Fatal(err)
	}
	b, err := sc.Build(engine.WithStartCheck(StartCheck))
	if err != nil {
		return nil, err
	}
	return compileEngine(b.Engine), nil
}

const nlbSGVPCOnly = "ledger-nlb-sg: {vpc: ledger-vpc, ingress: [{protocol: tcp, ports: 8443, cidr: 10.2.0.0/16}]}"

func TestPrivateLinkNLB(t *testing.T) {
	story := func(t *testing.T, edits ...string) *Network {
		t.Helper()
		n, err := privateLinkStory(t, edits...)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	t.Run("the NLB's group judges the client's own address", func(t *testing.T) {
		r := probeSpec(t, story(t), "orders", "ledger.internal:8443", "tcp")
		ex := check(t, r, Timeout, CodeSGRulesMismatch)
		if m := ex[CodeSGRulesMismatch].Message; !strings.Contains(m, "ledger-nlb-sg") || !strings.Contains(m, "from 10.1.1.") {
			t.Errorf("message %q: want the NLB's group and the orders task's address", m)
		}
	})
	t.Run("inbound rules off for PrivateLink: the endpoint's group decides", func(t *testing.T) {
		n := story(t, "    security_groups: [ledger-nlb-sg]\n", "    security_groups: [ledger-nlb-sg]\n    enforce_security_group_inbound_rules_on_private_link_traffic: \"off\"\n")
		r := probeSpec(t, n, "orders", "ledger.internal:8443", "tcp")
		check(t, r, Connected)
		if !r.HasCode(CodePrivateLinkSource) || !strings.Contains(r.Summary, "ledger-nlb (through AWS PrivateLink) accepts") {
			t.Errorf("explanations %s, summary %q: want %s and the load balancer named", codeList(r), r.Summary, CodePrivateLinkSource)
		}
	})
	t.Run("the endpoint's group does not admit the client", func(t *testing.T) {
		n := story(t, nlbSGVPCOnly, strings.Replace(nlbSGVPCOnly, "10.2.0.0/16", "10.0.0.0/8", 1),
			"ingress: [{protocol: tcp, ports: 8443, group: orders-sg}]", "ingress: [{protocol: tcp, ports: 443, group: orders-sg}]")
		r := probeSpec(t, n, "orders", "ledger.internal:8443", "tcp")
		ex := check(t, r, Timeout, CodeSGRulesMismatch)
		if m := ex[CodeSGRulesMismatch].Message; !strings.Contains(m, "ledger-endpoint-sg") {
			t.Errorf("message %q: want the endpoint's group", m)
		}
	})
	t.Run("a target that admits the consumer, not the NLB", func(t *testing.T) {
		n := story(t, nlbSGVPCOnly, strings.Replace(nlbSGVPCOnly, "10.2.0.0/16", "10.0.0.0/8", 1),
			"ledger-task-sg: {vpc: ledger-vpc, ingress: [{protocol: tcp, ports: 8443, group: ledger-nlb-sg}]}",
			"ledger-task-sg: {vpc: ledger-vpc, ingress: [{protocol: tcp, ports: 8443, cidr: 10.1.0.0/16}]}")
		r := probeSpec(t, n, "orders", "ledger.internal:8443", "tcp")
		ex := check(t, r, Timeout, CodeSGRulesMismatch)
		if !r.HasCode(CodePrivateLinkSource) {
			t.Errorf("explanations %s: want %s", codeList(r), CodePrivateLinkSource)
		}
		if m := ex[CodeSGRulesMismatch].Message; !strings.Contains(m, "ledger-task-sg") {
			t.Errorf("message %q: want the task's group", m)
		}
		if len(r.Targets) == 0 || r.Targets[0].Health != "unhealthy" {
			t.Errorf("targets %+v: want unhealthy (the health checks come from the NLB too)", r.Targets)
		}
	})
	t.Run("pending acceptance", func(t *testing.T) {
		n := story(t, nlbSGVPCOnly, strings.Replace(nlbSGVPCOnly, "10.2.0.0/16", "10.0.0.0/8", 1),
			"ledger-svc: {network_load_balancers: [ledger-nlb]}", "ledger-svc: {network_load_balancers: [ledger-nlb], acceptance_required: true}")
		ex := check(t, probeSpec(t, n, "orders", "ledger.internal:8443", "tcp"), Timeout, CodeBadState)
		if m := ex[CodeBadState].Message; !strings.Contains(m, "pendingAcceptance") || !strings.Contains(m, "AcceptVpcEndpointConnections") {
			t.Errorf("message %q", m)
		}
		n = story(t, nlbSGVPCOnly, strings.Replace(nlbSGVPCOnly, "10.2.0.0/16", "10.0.0.0/8", 1),
			"ledger-svc: {network_load_balancers: [ledger-nlb]}", "ledger-svc: {network_load_balancers: [ledger-nlb], acceptance_required: true}",
			"    endpoint_service: ledger-svc\n", "    endpoint_service: ledger-svc\n    accepted: true\n")
		check(t, probeSpec(t, n, "orders", "ledger.internal:8443", "tcp"), Connected)
	})
	t.Run("no listener on the port", func(t *testing.T) {
		n := story(t, nlbSGVPCOnly, strings.Replace(nlbSGVPCOnly, "10.2.0.0/16", "10.0.0.0/8", 1),
			"ingress: [{protocol: tcp, ports: 8443, group: orders-sg}]", "ingress: [{protocol: tcp, ports: 0-65535, group: orders-sg}]")
		check(t, probeSpec(t, n, "orders", "ledger.internal:9000", "tcp"), Timeout, CodeListenerPortRestriction)
	})
	t.Run("a service the state does not hold (the consumer's snapshot)", func(t *testing.T) {
		n := story(t, nlbSGVPCOnly, strings.Replace(nlbSGVPCOnly, "10.2.0.0/16", "10.0.0.0/8", 1))
		st := n.st.Clone()
		clear(st.EndpointServices)
		ex := check(t, probeSpec(t, Compile(st), "orders", "ledger.internal:8443", "tcp"), Unknown, CodeUnsupportedComponent)
		if m := ex[CodeUnsupportedComponent].Message; !strings.Contains(m, "does not hold the endpoint service") {
			t.Errorf("message %q", m)
		}
	})
	t.Run("an endpoint in a zone the NLB does not serve cannot be created", func(t *testing.T) {
		_, err := privateLinkStory(t, "subnets: [ledger-a, ledger-b]\n    security_groups: [ledger-nlb-sg]", "subnets: [ledger-b]\n    security_groups: [ledger-nlb-sg]")
		if err == nil || !strings.Contains(err.Error(), "InvalidParameter") || !strings.Contains(err.Error(), "availability zone") ||
			!strings.Contains(err.Error(), ".yaml:") {
			t.Fatalf("err = %v, want a file:line InvalidParameter about the availability zone", err)
		}
	})
}
