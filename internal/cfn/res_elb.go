package cfn

import (
	"fmt"
	"strings"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

// lbNameMax is the longest ELBv2 load balancer or target group name.
const lbNameMax = 32

// AWS::ElasticLoadBalancingV2::LoadBalancer. Ref: the ARN; Fn::GetAtt
// DNSName, CanonicalHostedZoneID, LoadBalancerArn, LoadBalancerFullName,
// LoadBalancerName and SecurityGroups (a list).
func createLoadBalancer(c *rctx) error {
	p := c.p
	name, err := c.name("Name", lbNameMax)
	if err != nil {
		return err
	}
	in := engine.CreateLoadBalancerInput{Name: name}
	if in.Type, err = p.str("Type"); err != nil {
		return err
	}
	if in.Scheme, err = p.str("Scheme"); err != nil {
		return err
	}
	if in.IPAddressType, err = p.str("IpAddressType"); err != nil {
		return err
	}
	subnets, err := p.strs("Subnets")
	if err != nil {
		return err
	}
	in.Subnets = toSubnetIDs(subnets)
	if in.SubnetMappings, err = subnetMappings(p); err != nil {
		return err
	}
	groups, err := p.strs("SecurityGroups")
	if err != nil {
		return err
	}
	in.SecurityGroups = toGroupIDs(groups)
	if in.Tags, err = p.tags(); err != nil {
		return err
	}
	lb, err := c.e().CreateLoadBalancer(in)
	if err != nil {
		key := "Subnets"
		switch msg := err.Error(); {
		case strings.Contains(msg, "name"):
			key = "Name"
		case strings.Contains(msg, "ecurity group"):
			key = "SecurityGroups"
		case strings.Contains(msg, "scheme"), strings.Contains(msg, "internet gateway"):
			key = "Scheme"
		case strings.Contains(msg, "'type'"):
			key = "Type"
		}
		if !p.has(key) && p.has("SubnetMappings") {
			key = "SubnetMappings"
		}
		return p.at(key, err)
	}
	modify := func(arn string, attrs [][2]string) ([][2]string, error) {
		if err := c.checkAccessLogs(arn, attrs); err != nil {
			return nil, err
		}
		return c.e().ModifyLoadBalancerAttributes(arn, attrs)
	}
	if err := applyAttributes(p, "LoadBalancerAttributes", lb.ARN, modify); err != nil {
		_ = c.e().DeleteLoadBalancer(lb.ARN)
		return err
	}
	// EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic is set as AWS
	// sets it, by SetSecurityGroups after the load balancer is made.
	if enforce, err := p.str("EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic"); err != nil || enforce != "" {
		if err == nil {
			_, err = c.e().SetSecurityGroups(lb.ARN, lb.SecurityGroups, enforce)
		}
		if err != nil {
			_ = c.e().DeleteLoadBalancer(lb.ARN)
			return p.at("EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic", err)
		}
	}
	c.setRef(lb.ARN)
	c.set("LoadBalancerArn", lb.ARN)
	c.set("DNSName", lb.DNSName)
	c.set("CanonicalHostedZoneID", lb.CanonicalHostedZoneID)
	c.set("LoadBalancerName", lb.Name)
	c.set("LoadBalancerFullName", lbFullName(lb.ARN))
	var sgs []string
	for _, g := range lb.SecurityGroups {
		sgs = append(sgs, string(g))
	}
	c.setList("SecurityGroups", sgs)
	return nil
}

// subnetMappings reads a load balancer's SubnetMappings.
func subnetMappings(p obj) ([]engine.SubnetMapping, error) {
	maps, err := p.objects("SubnetMappings")
	if err != nil {
		return nil, err
	}
	var out []engine.SubnetMapping
	for _, m := range maps {
		var sm engine.SubnetMapping
		s, err := m.req("SubnetId")
		if err != nil {
			return nil, err
		}
		sm.SubnetID = model.SubnetID(s)
		a, err := m.str("AllocationId")
		if err != nil {
			return nil, err
		}
		sm.AllocationID = model.AllocationID(a)
		if sm.PrivateIPv4, err = m.str("PrivateIPv4Address"); err != nil {
			return nil, err
		}
		out = append(out, sm)
	}
	return out, nil
}

// lbFullName returns the LoadBalancerFullName of an ARN: "app/<name>/<id>".
func lbFullName(arn string) string {
	if _, after, ok := strings.Cut(arn, ":loadbalancer/"); ok {
		return after
	}
	return arn
}

// tgFullName returns the TargetGroupFullName of an ARN:
// "targetgroup/<name>/<id>".
func tgFullName(arn string) string {
	if i := strings.Index(arn, ":targetgroup/"); i >= 0 {
		return arn[i+1:]
	}
	return arn
}

// AWS::ElasticLoadBalancingV2::TargetGroup. Ref: the ARN; Fn::GetAtt
// TargetGroupArn, TargetGroupFullName, TargetGroupName and
// LoadBalancerArns.
func createTargetGroup(c *rctx) error {
	p := c.p
	name, err := c.name("Name", lbNameMax)
	if err != nil {
		return err
	}
	in := engine.CreateTargetGroupInput{Name: name}
	if in.Protocol, err = p.str("Protocol"); err != nil {
		return err
	}
	if in.ProtocolVersion, err = p.str("ProtocolVersion"); err != nil {
		return err
	}
	port, err := p.integer("Port", 0)
	if err != nil {
		return err
	}
	if port < 0 || port > 65535 {
		return p.invalid("Port", "expected a port from 1 to 65535, found %d", port)
	}
	in.Port = uint16(port)
	vpc, err := p.str("VpcId")
	if err != nil {
		return err
	}
	in.VpcID = model.VpcID(vpc)
	if in.TargetType, err = p.str("TargetType"); err != nil {
		return err
	}
	if in.IPAddressType, err = p.str("IpAddressType"); err != nil {
		return err
	}
	if in.HealthCheckEnabled, err = p.boolean("HealthCheckEnabled"); err != nil {
		return err
	}
	if in.HealthCheckProtocol, err = p.str("HealthCheckProtocol"); err != nil {
		return err
	}
	if in.HealthCheckPort, err = p.str("HealthCheckPort"); err != nil {
		return err
	}
	if in.HealthCheckPath, err = p.str("HealthCheckPath"); err != nil {
		return err
	}
	if in.HealthCheckIntervalSeconds, err = p.integer("HealthCheckIntervalSeconds", 0); err != nil {
		return err
	}
	if in.HealthCheckTimeoutSeconds, err = p.integer("HealthCheckTimeoutSeconds", 0); err != nil {
		return err
	}
	if in.HealthyThresholdCount, err = p.integer("HealthyThresholdCount", 0); err != nil {
		return err
	}
	if in.UnhealthyThresholdCount, err = p.integer("UnhealthyThresholdCount", 0); err != nil {
		return err
	}
	matcher, err := p.object("Matcher")
	if err != nil {
		return err
	}
	if in.Matcher, err = matcher.str("HttpCode"); err != nil {
		return err
	}
	if in.Matcher == "" {
		if in.Matcher, err = matcher.str("GrpcCode"); err != nil {
			return err
		}
	}
	if in.Tags, err = p.tags(); err != nil {
		return err
	}
	items, err := p.objects("Targets")
	if err != nil {
		return err
	}
	targets, err := targetsOf(p)
	if err != nil {
		return err
	}
	tg, err := c.e().CreateTargetGroup(in)
	if err != nil {
		key := ""
		switch msg := err.Error(); {
		case strings.Contains(msg, "name"):
			key = "Name"
		case strings.Contains(msg, "protocol") || strings.Contains(msg, "Protocol"):
			key = "Protocol"
		case strings.Contains(msg, "port"):
			key = "Port"
		case strings.Contains(msg, "VPC"):
			key = "VpcId"
		case strings.Contains(msg, "targetType"):
			key = "TargetType"
		case strings.Contains(msg, "ealth"):
			key = "HealthCheckTimeoutSeconds"
		}
		return p.at(key, err)
	}
	if err := applyAttributes(p, "TargetGroupAttributes", tg.ARN, c.e().ModifyTargetGroupAttributes); err != nil {
		_ = c.e().DeleteTargetGroup(tg.ARN)
		return err
	}
	for i, t := range targets {
		if err := c.e().RegisterTargets(tg.ARN, []engine.TargetDescription{t}); err != nil {
			return &lineErr{line: items[i].line, err: err}
		}
	}
	c.setRef(tg.ARN)
	c.set("TargetGroupArn", tg.ARN)
	c.set("TargetGroupName", tg.Name)
	c.set("TargetGroupFullName", tgFullName(tg.ARN))
	c.setList("LoadBalancerArns", nil)
	return nil
}

// actions reads listener or rule actions.
func (c *rctx) actions(o obj, key string) ([]model.ListenerAction, error) {
	list, err := o.objects(key)
	if err != nil {
		return nil, err
	}
	var out []model.ListenerAction
	for _, a := range list {
		var x model.ListenerAction
		if x.Type, err = a.req("Type"); err != nil {
			return nil, err
		}
		if x.Order, err = a.integer("Order", 0); err != nil { // as the API: the engine numbers several, a lone action has none
			return nil, err
		}
		switch x.Type {
		case "forward":
			if x.TargetGroupARN, err = a.str("TargetGroupArn"); err != nil {
				return nil, err
			}
			fc, err := a.object("ForwardConfig")
			if err != nil {
				return nil, err
			}
			tgs, err := fc.objects("TargetGroups")
			if err != nil {
				return nil, err
			}
			for _, t := range tgs {
				arn, err := t.req("TargetGroupArn")
				if err != nil {
					return nil, err
				}
				w, err := t.integer("Weight", 1)
				if err != nil {
					return nil, err
				}
				x.TargetGroups = append(x.TargetGroups, model.WeightedTargetGroup{ARN: arn, Weight: w})
			}
		case "fixed-response":
			fr, err := a.object("FixedResponseConfig")
			if err != nil {
				return nil, err
			}
			x.FixedResponse = &model.FixedResponse{}
			if x.FixedResponse.StatusCode, err = fr.req("StatusCode"); err != nil {
				return nil, err
			}
			if x.FixedResponse.ContentType, err = fr.str("ContentType"); err != nil {
				return nil, err
			}
			if x.FixedResponse.MessageBody, err = fr.str("MessageBody"); err != nil {
				return nil, err
			}
		case "redirect":
			rc, err := a.object("RedirectConfig")
			if err != nil {
				return nil, err
			}
			x.Redirect = map[string]string{}
			for _, k := range []string{"Protocol", "Port", "Host", "Path", "Query", "StatusCode"} {
				v, err := rc.str(k)
				if err != nil {
					return nil, err
				}
				if v != "" {
					x.Redirect[k] = v
				}
			}
		case "authenticate-oidc", "authenticate-cognito":
			c.s.warnf(a.line, "%s: %s actions are not modeled; ecsnet treats requests as authenticated", c.r.def.name, x.Type)
			continue
		case "jwt-validation":
			jc, err := a.object("JwtValidationConfig")
			if err != nil {
				return nil, err
			}
			x.JwtValidation = &model.JwtValidationConfig{}
			if x.JwtValidation.Issuer, err = jc.str("Issuer"); err != nil {
				return nil, err
			}
			if x.JwtValidation.JwksEndpoint, err = jc.str("JwksEndpoint"); err != nil {
				return nil, err
			}
		}
		out = append(out, x)
	}
	return out, nil
}

// AWS::ElasticLoadBalancingV2::Listener. Ref: the ARN; Fn::GetAtt
// ListenerArn.
func createListener(c *rctx) error {
	p := c.p
	in := engine.CreateListenerInput{}
	var err error
	if in.LoadBalancerARN, err = p.req("LoadBalancerArn"); err != nil {
		return err
	}
	if in.Protocol, err = p.str("Protocol"); err != nil {
		return err
	}
	port, err := p.integer("Port", 0)
	if err != nil {
		return err
	}
	if port < 0 || port > 65535 {
		return p.invalid("Port", "expected a port from 1 to 65535, found %d", port)
	}
	in.Port = uint16(port)
	if in.SSLPolicy, err = p.str("SslPolicy"); err != nil {
		return err
	}
	certs, err := p.objects("Certificates")
	if err != nil {
		return err
	}
	for _, cert := range certs {
		arn, err := cert.str("CertificateArn")
		if err != nil {
			return err
		}
		in.Certificates = append(in.Certificates, arn)
	}
	if in.DefaultActions, err = c.actions(p, "DefaultActions"); err != nil {
		return err
	}
	if !p.has("DefaultActions") {
		_, err := p.req("DefaultActions")
		return err
	}
	if c.s.l.certificates {
		// Read before CreateListener, which asks under the engine's lock.
		known := map[string]bool{}
		for _, arn := range in.Certificates {
			known[arn] = c.certificateKnown(arn)
		}
		in.CertificateKnown = func(arn string) bool { return known[arn] }
	} else {
		c.warnUnknownCertificates(certs, in.Certificates)
	}
	l, err := c.e().CreateListener(in)
	if err != nil {
		key := "DefaultActions"
		switch msg := err.Error(); {
		case strings.Contains(msg, "ertificate"):
			key = "Certificates"
		case strings.Contains(msg, "port") || strings.Contains(msg, "Port"):
			key = "Port"
		case strings.Contains(msg, "rotocol"):
			key = "Protocol"
		case strings.Contains(msg, "load balancer"):
			key = "LoadBalancerArn"
		}
		return p.at(key, err)
	}
	if err := applyAttributes(p, "ListenerAttributes", l.ARN, c.e().ModifyListenerAttributes); err != nil {
		_ = c.e().DeleteListener(l.ARN)
		return err
	}
	c.setRef(l.ARN)
	c.set("ListenerArn", l.ARN)
	return nil
}

// AWS::ElasticLoadBalancingV2::ListenerRule. Ref: the ARN; Fn::GetAtt
// RuleArn and IsDefault.
func createListenerRule(c *rctx) error {
	p := c.p
	in := engine.CreateRuleInput{}
	var err error
	if in.ListenerARN, err = p.req("ListenerArn"); err != nil {
		return err
	}
	if v := p.get("Priority"); v != nil && v.kind == scalarNode && v.answer != "" {
		// The priority is a custom resource's answer (Copilot's
		// RulePriorityFunction picks a free one on the listener), which
		// ecsnet does not run: take the highest priority the listener does
		// not use, so that a later rule goes before an earlier catch-all,
		// and say so [choice].
		in.Priority = freeRulePriority(c, in.ListenerARN)
		c.s.warnf(p.line_("Priority"), "%s: %s/Priority is Fn::GetAtt %s, the answer of a custom resource's function, which ecsnet does not run; it is read as %d, the highest priority listener %s does not use",
			c.r.def.name, p.path, v.answer, in.Priority, in.ListenerARN)
	} else if in.Priority, err = p.integer("Priority", 0); err != nil {
		return err
	}
	if !p.has("Priority") {
		_, err := p.req("Priority")
		return err
	}
	if in.Conditions, err = ruleConditions(p); err != nil {
		return err
	}
	if in.Actions, err = c.actions(p, "Actions"); err != nil {
		return err
	}
	if in.Transforms, err = ruleTransforms(p); err != nil {
		return err
	}
	r, err := c.e().CreateRule(in)
	if err != nil {
		key := "Actions"
		switch msg := err.Error(); {
		case strings.Contains(msg, "ransform"), strings.Contains(msg, "egex"), strings.Contains(msg, "'Replace'"):
			key = "Transforms"
		case strings.Contains(msg, "riority"):
			key = "Priority"
		case strings.Contains(msg, "ondition"):
			key = "Conditions"
		case strings.Contains(msg, "istener"):
			key = "ListenerArn"
		}
		return p.at(key, err)
	}
	c.setRef(r.ARN)
	c.set("RuleArn", r.ARN)
	c.set("IsDefault", "false")
	return nil
}

// freeRulePriority returns the highest rule priority (at most 50000)
// that listener does not use yet, or 50000 when it has no rules or is
// not known (CreateRule then says what is wrong with it).
func freeRulePriority(c *rctx, listener string) int {
	used := map[int]bool{}
	c.read(func(st *model.State) {
		for _, r := range st.ListenerRules {
			if r.ListenerARN == listener {
				used[r.Priority] = true
			}
		}
	})
	for p := 50000; p > 1; p-- {
		if !used[p] {
			return p
		}
	}
	return 1
}

// ruleConditions reads a listener rule's Conditions.
func ruleConditions(p obj) ([]model.RuleCondition, error) {
	conds, err := p.objects("Conditions")
	if err != nil {
		return nil, err
	}
	var out []model.RuleCondition
	for _, cond := range conds {
		var rc model.RuleCondition
		if rc.Field, err = cond.str("Field"); err != nil {
			return nil, err
		}
		if rc.Values, err = cond.strs("Values"); err != nil {
			return nil, err
		}
		if rc.RegexValues, err = cond.strs("RegexValues"); err != nil {
			return nil, err
		}
		for key, field := range map[string]string{"HostHeaderConfig": "host-header", "PathPatternConfig": "path-pattern",
			"HttpRequestMethodConfig": "http-request-method", "SourceIpConfig": "source-ip", "HttpHeaderConfig": "http-header"} {
			sub, err := cond.object(key)
			if err != nil {
				return nil, err
			}
			if sub.n == nil {
				continue
			}
			if rc.Field == "" {
				rc.Field = field
			}
			vs, err := sub.strs("Values")
			if err != nil {
				return nil, err
			}
			rc.Values = append(rc.Values, vs...)
			// RegexValues in HostHeaderConfig, PathPatternConfig and
			// HttpHeaderConfig; the engine refuses them elsewhere.
			res, err := sub.strs("RegexValues")
			if err != nil {
				return nil, err
			}
			rc.RegexValues = append(rc.RegexValues, res...)
			if key == "HttpHeaderConfig" {
				if rc.HeaderName, err = sub.str("HttpHeaderName"); err != nil {
					return nil, err
				}
			}
		}
		if qs, err := cond.object("QueryStringConfig"); err != nil {
			return nil, err
		} else if qs.n != nil {
			if rc.Field == "" {
				rc.Field = "query-string"
			}
			pairs, err := qs.objects("Values")
			if err != nil {
				return nil, err
			}
			for _, kv := range pairs {
				k, err := kv.str("Key")
				if err != nil {
					return nil, err
				}
				v, err := kv.str("Value")
				if err != nil {
					return nil, err
				}
				rc.Values = append(rc.Values, fmt.Sprintf("%s=%s", k, v))
			}
		}
		out = append(out, rc)
	}
	return out, nil
}

// ruleTransforms reads a listener rule's Transforms: each a Type with its
// HostHeaderRewriteConfig or UrlRewriteConfig of one rewrite (Regex,
// Replace); the engine checks the rest as the ELB API does.
func ruleTransforms(p obj) ([]model.RuleTransform, error) {
	list, err := p.objects("Transforms")
	if err != nil {
		return nil, err
	}
	var out []model.RuleTransform
	for _, t := range list {
		var rt model.RuleTransform
		if rt.Type, err = t.req("Type"); err != nil {
			return nil, err
		}
		key := "UrlRewriteConfig"
		if rt.Type == model.TransformHostHeaderRewrite {
			key = "HostHeaderRewriteConfig"
		}
		cfg, err := t.object(key)
		if err != nil {
			return nil, err
		}
		if cfg.n == nil {
			return nil, t.invalid(key, "required key [%s] not found for Type %s", key, rt.Type)
		}
		rws, err := cfg.objects("Rewrites")
		if err != nil {
			return nil, err
		}
		if len(rws) != 1 {
			return nil, cfg.invalid("Rewrites", "expected exactly one rewrite, found %d", len(rws))
		}
		if rt.Regex, err = rws[0].req("Regex"); err != nil {
			return nil, err
		}
		if rt.Replace, err = rws[0].req("Replace"); err != nil {
			return nil, err
		}
		out = append(out, rt)
	}
	return out, nil
}

// applyAttributes sets a load balancer's, target group's or listener's
// attributes (a list of Key and Value), as CloudFormation does right after
// creating it; an attribute the API refuses fails the resource.
func applyAttributes(p obj, prop, arn string, modify func(arn string, attrs [][2]string) ([][2]string, error)) error {
	items, err := p.objects(prop)
	if err != nil || len(items) == 0 {
		return err
	}
	attrs := make([][2]string, 0, len(items))
	for _, it := range items {
		k, err := it.req("Key")
		if err != nil {
			return err
		}
		v, err := it.str("Value")
		if err != nil {
			return err
		}
		attrs = append(attrs, [2]string{k, v})
	}
	if _, err := modify(arn, attrs); err != nil {
		return p.at(prop, err)
	}
	return nil
}

// warnUnknownCertificates warns, where check accepts any certificate (it
// cannot see the account's), of a listener's certificate ARN that no
// certificate of the template or its engine is: the deploy fails unless
// the account holds it (ELB's CertificateNotFound), as an AMI lookup's
// result is the account's to know.
func (c *rctx) warnUnknownCertificates(certs []obj, arns []string) {
	for i, arn := range arns {
		line := c.r.def.line
		if i < len(certs) {
			line = certs[i].line_("CertificateArn")
		}
		if arn == "" {
			continue
		}
		if c.certificateKnown(arn) {
			// A certificate of the system the template is checked on
			// (--base) that ACM has not issued: ELB refuses it. One the
			// template requests is said at its own resource.
			status := ""
			c.read(func(st *model.State) {
				if x := st.Certificates[arn]; x != nil {
					status = x.Status
				}
			})
			ours := false
			for _, id := range c.s.l.res.PhysicalIDs {
				ours = ours || id == arn
			}
			if status != "" && status != "ISSUED" && !ours {
				c.s.warnf(line, "%s: certificate %s is %s, not ISSUED: the deploy fails (UnsupportedCertificate: The certificate '%s' must have a fully-qualified domain name, a supported signature, and a supported key size.); ecsnet checks the listener as if it were issued",
					c.r.def.name, arn, status, arn)
			}
			continue
		}
		c.s.warnf(line, "%s: certificate %s is not one the template creates: ecsnet checks the listener as if the account held it; the deploy fails (CertificateNotFound: Certificate '%s' not found) unless ACM or IAM has it in the stack's region",
			c.r.def.name, arn, arn)
	}
}

// certificateKnown reports whether arn names an ACM certificate of the
// account or an IAM server certificate, as ELB checks a listener's
// certificates (anything else is not found).
func (c *rctx) certificateKnown(arn string) bool {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) != 6 || parts[0] != "arn" {
		return false
	}
	known := false
	switch {
	case parts[2] == "acm" && strings.HasPrefix(parts[5], "certificate/"):
		c.read(func(st *model.State) { known = st.Certificates[arn] != nil })
	case parts[2] == "iam" && strings.HasPrefix(parts[5], "server-certificate/") && c.iam() != nil:
		c.iam().Read(func(st *model.State) { known = c.iam().ServerCertificateByARN(st, arn) != nil })
	}
	return known
}
