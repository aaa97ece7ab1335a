package engine

import (
	"maps"
	"slices"
	"strconv"

	"github.com/ecsnet/ecsnet/internal/apierr"
	"github.com/ecsnet/ecsnet/internal/model"
)

// Classic Load Balancer policies, Availability Zones and listener
// certificates. Texts marked "probable" are ecsnet's best reading.

// ClassicPolicyAttributeType describes one attribute of a policy type.
type ClassicPolicyAttributeType struct {
	Name, Type, Description, Default, Cardinality string
}

// ClassicPolicyType is a policy type of Classic Load Balancers.
type ClassicPolicyType struct {
	Name, Description string
	Attributes        []ClassicPolicyAttributeType
}

// classicCiphers are the SSL ciphers an SSLNegotiationPolicyType policy
// switches on and off, each an attribute of the type (Boolean): those
// Elastic Load Balancing's predefined policies name
// (elb-security-policy-table.html, "Ciphers by policy"), then the older
// ones a custom policy may still name (elb-ssl-security-policy.html, "SSL
// ciphers", its earlier editions' list).
var classicCiphers = []string{
	"ECDHE-ECDSA-AES128-GCM-SHA256", "ECDHE-RSA-AES128-GCM-SHA256", "ECDHE-ECDSA-AES128-SHA256", "ECDHE-RSA-AES128-SHA256",
	"ECDHE-ECDSA-AES128-SHA", "ECDHE-RSA-AES128-SHA", "DHE-RSA-AES128-SHA", "ECDHE-ECDSA-AES256-GCM-SHA384",
	"ECDHE-RSA-AES256-GCM-SHA384", "ECDHE-ECDSA-AES256-SHA384", "ECDHE-RSA-AES256-SHA384", "ECDHE-RSA-AES256-SHA",
	"ECDHE-ECDSA-AES256-SHA", "AES128-GCM-SHA256", "AES128-SHA256", "AES128-SHA", "AES256-GCM-SHA384", "AES256-SHA256",
	"AES256-SHA", "DHE-RSA-AES256-SHA", "DHE-DSS-AES128-SHA", "CAMELLIA128-SHA", "EDH-RSA-DES-CBC3-SHA", "DES-CBC3-SHA",
	"ECDHE-RSA-RC4-SHA", "RC4-SHA",
	"ECDHE-ECDSA-RC4-SHA", "DHE-DSS-AES256-GCM-SHA384", "DHE-RSA-AES256-GCM-SHA384", "DHE-RSA-AES256-SHA256",
	"DHE-DSS-AES256-SHA256", "DHE-DSS-AES256-SHA", "DHE-RSA-CAMELLIA256-SHA", "DHE-DSS-CAMELLIA256-SHA", "CAMELLIA256-SHA",
	"EDH-DSS-DES-CBC3-SHA", "DHE-DSS-AES128-GCM-SHA256", "DHE-RSA-AES128-GCM-SHA256", "DHE-RSA-AES128-SHA256",
	"DHE-DSS-AES128-SHA256", "DHE-RSA-CAMELLIA128-SHA", "DHE-DSS-CAMELLIA128-SHA", "ADH-AES128-GCM-SHA256", "ADH-AES128-SHA",
	"ADH-AES128-SHA256", "ADH-AES256-GCM-SHA384", "ADH-AES256-SHA", "ADH-AES256-SHA256", "ADH-CAMELLIA128-SHA",
	"ADH-CAMELLIA256-SHA", "ADH-DES-CBC3-SHA", "ADH-DES-CBC-SHA", "ADH-RC4-MD5", "ADH-SEED-SHA", "DES-CBC-SHA",
	"DHE-DSS-SEED-SHA", "DHE-RSA-SEED-SHA", "EDH-DSS-DES-CBC-SHA", "EDH-RSA-DES-CBC-SHA", "IDEA-CBC-SHA", "RC4-MD5",
	"SEED-SHA", "DES-CBC3-MD5", "DES-CBC-MD5", "RC2-CBC-MD5", "PSK-AES256-CBC-SHA", "PSK-3DES-EDE-CBC-SHA",
	"KRB5-DES-CBC3-SHA", "KRB5-DES-CBC3-MD5", "PSK-AES128-CBC-SHA", "PSK-RC4-SHA", "KRB5-RC4-SHA", "KRB5-RC4-MD5",
	"KRB5-DES-CBC-SHA", "KRB5-DES-CBC-MD5", "EXP-EDH-RSA-DES-CBC-SHA", "EXP-EDH-DSS-DES-CBC-SHA", "EXP-ADH-DES-CBC-SHA",
	"EXP-DES-CBC-SHA", "EXP-RC2-CBC-MD5", "EXP-KRB5-RC2-CBC-SHA", "EXP-KRB5-DES-CBC-SHA", "EXP-KRB5-RC2-CBC-MD5",
	"EXP-KRB5-DES-CBC-MD5", "EXP-ADH-RC4-MD5", "EXP-RC4-MD5", "EXP-KRB5-RC4-SHA", "EXP-KRB5-RC4-MD5",
}

// ClassicPolicyTypes are the policy types AWS offers Classic Load Balancers
// (DescribeLoadBalancerPolicyTypes): SSLNegotiationPolicyType's attributes
// are the reference policy, the protocols, the server order preference and
// one per cipher (elb-security-policy-table.html, ssl-config-update.html).
func ClassicPolicyTypes() []ClassicPolicyType {
	ssl := []ClassicPolicyAttributeType{
		{"Reference-Security-Policy", "String", "", "", "ZERO_OR_ONE"},
		{"Protocol-SSLv2", "Boolean", "", "false", "ZERO_OR_ONE"},
		{"Protocol-SSLv3", "Boolean", "", "false", "ZERO_OR_ONE"},
		{"Protocol-TLSv1", "Boolean", "", "false", "ZERO_OR_ONE"},
		{"Protocol-TLSv1.1", "Boolean", "", "false", "ZERO_OR_ONE"},
		{"Protocol-TLSv1.2", "Boolean", "", "false", "ZERO_OR_ONE"},
		{"Server-Defined-Cipher-Order", "Boolean", "", "false", "ZERO_OR_ONE"},
	}
	for _, c := range classicCiphers {
		ssl = append(ssl, ClassicPolicyAttributeType{c, "Boolean", "", "false", "ZERO_OR_ONE"})
	}
	return []ClassicPolicyType{
		{"AppCookieStickinessPolicyType", "Stickiness policy with session lifetimes controlled by the lifetime of the application-generated cookie. This policy can be associated only with HTTP/HTTPS listeners.",
			[]ClassicPolicyAttributeType{{"CookieName", "String", "", "", "ONE"}}},
		{"BackendServerAuthenticationPolicyType", "Policy that controls authentication to back-end server(s) and contains one or more policies, such as an instance of a PublicKeyPolicyType. This policy can be associated only with back-end servers that are using HTTPS/SSL.",
			[]ClassicPolicyAttributeType{{"PublicKeyPolicyName", "PolicyName", "", "", "ONE_OR_MORE"}}},
		{"LBCookieStickinessPolicyType", "Stickiness policy with session lifetimes controlled by the browser (user-agent) or a specified expiration period. This policy can be associated only with HTTP/HTTPS listeners.",
			[]ClassicPolicyAttributeType{{"CookieExpirationPeriod", "Long", "", "", "ZERO_OR_ONE"}}},
		{"ProxyProtocolPolicyType", "Policy that controls whether to include the IP address and port of the originating request for TCP messages. This policy operates on TCP/SSL listeners only",
			[]ClassicPolicyAttributeType{{"ProxyProtocol", "Boolean", "", "", "ONE"}}},
		{"PublicKeyPolicyType", "Policy containing a list of public keys to accept when authenticating the back-end server(s). This policy cannot be applied directly to back-end servers or listeners but must be part of a BackendServerAuthenticationPolicyType.",
			[]ClassicPolicyAttributeType{{"PublicKey", "String", "", "", "ONE"}}},
		{"SSLNegotiationPolicyType", "Listener policy that defines the ciphers and protocols that will be accepted by the load balancer. This policy can be associated only with HTTPS/SSL listeners.", ssl},
	}
}

// ClassicPredefinedPolicies are the SSL negotiation policies AWS
// predefines for Classic Load Balancers, newest first, with the sample
// policies (ELBSample-) last: their protocols and server order preference
// (elb-security-policy-table.html, "Protocols by policy"; the 2015 and
// older policies' and the samples' settings from the table's earlier
// editions). DescribeLoadBalancerPolicies without a load balancer lists
// them; an SSL negotiation policy of a load balancer names one as its
// Reference-Security-Policy.
func ClassicPredefinedPolicies() []model.ClassicPolicy {
	ref := func(name string, ssl3, tls10, tls11, tls12, order bool) model.ClassicPolicy {
		return model.ClassicPolicy{Name: name, TypeName: "SSLNegotiationPolicyType", Attributes: [][2]string{
			{"Protocol-SSLv3", strconv.FormatBool(ssl3)}, {"Protocol-TLSv1", strconv.FormatBool(tls10)},
			{"Protocol-TLSv1.1", strconv.FormatBool(tls11)}, {"Protocol-TLSv1.2", strconv.FormatBool(tls12)},
			{"Server-Defined-Cipher-Order", strconv.FormatBool(order)}}}
	}
	return []model.ClassicPolicy{
		ref(defaultSSLPolicy, false, true, true, true, true),
		ref("ELBSecurityPolicy-TLS-1-1-2017-01", false, false, true, true, true),
		ref("ELBSecurityPolicy-TLS-1-2-2017-01", false, false, false, true, true),
		ref("ELBSecurityPolicy-2015-05", false, true, true, true, true),
		ref("ELBSecurityPolicy-2015-03", false, true, true, true, true),
		ref("ELBSecurityPolicy-2015-02", false, true, true, true, true),
		ref("ELBSecurityPolicy-2014-10", false, true, true, true, true),
		ref("ELBSecurityPolicy-2014-01", true, true, true, true, true),
		ref("ELBSecurityPolicy-2011-08", true, true, false, false, false),
		ref("ELBSample-ELBDefaultCipherPolicy", true, true, false, false, false),
		ref("ELBSample-OpenSSLDefaultCipherPolicy", true, true, false, false, false),
	}
}

// checkClassicPolicyAttributes checks a new policy's attributes against
// its type: each must be an attribute of the type ([choice] text), and an
// SSL negotiation policy's Reference-Security-Policy must name a
// predefined policy (PolicyNotFound, AWS's text without a load balancer,
// [choice]).
func checkClassicPolicyAttributes(typ ClassicPolicyType, attrs [][2]string) error {
	for _, a := range attrs {
		if !slices.ContainsFunc(typ.Attributes, func(x ClassicPolicyAttributeType) bool { return x.Name == a[0] }) {
			return apierr.Newf("InvalidConfigurationRequest", "%s is not a valid attribute of the policy type %s", a[0], typ.Name) // [choice]
		}
		if a[0] == "Reference-Security-Policy" && !slices.ContainsFunc(ClassicPredefinedPolicies(), func(p model.ClassicPolicy) bool { return p.Name == a[1] }) {
			return apierr.Newf("PolicyNotFound", "There is no policy with name %s", a[1]) // [choice]
		}
	}
	return nil
}

// clbDefaultSSLPolicy gives an HTTPS or SSL listener without policies the
// default security policy, as Elastic Load Balancing does: the load
// balancer gets a policy named ELBSecurityPolicy-2016-08 (its
// Reference-Security-Policy, then the predefined policy's settings), and
// the listener lists it in its PolicyNames (ssl-config-update.html).
func clbDefaultSSLPolicy(lb *model.ClassicLoadBalancer, l model.ClassicListener) {
	if l.Protocol != "HTTPS" && l.Protocol != "SSL" || len(lb.ListenerPolicies[l.LoadBalancerPort]) > 0 {
		return
	}
	if !slices.ContainsFunc(lb.Policies, func(p model.ClassicPolicy) bool { return p.Name == defaultSSLPolicy }) {
		p := ClassicPredefinedPolicies()[0]
		p.Attributes = append([][2]string{{"Reference-Security-Policy", defaultSSLPolicy}}, p.Attributes...)
		lb.Policies = append(lb.Policies, p)
	}
	lb.ListenerPolicies = maps.Clone(lb.ListenerPolicies)
	if lb.ListenerPolicies == nil {
		lb.ListenerPolicies = map[int][]string{}
	}
	lb.ListenerPolicies[l.LoadBalancerPort] = []string{defaultSSLPolicy}
}

// errCLBPolicyNotFound names the policy and the load balancer, as AWS does
// ("There is no policy with name ELBSecurityPolicy-2015-05 for load balancer
// xyz-elb": cloud-custodian/cloud-custodian#207, aws/aws-cli#953).
func errCLBPolicyNotFound(name, lbName string) error {
	return apierr.Newf("PolicyNotFound", "There is no policy with name %s for load balancer %s", name, lbName)
}

// classicListenerPolicyFits reports whether a policy of the type can be
// enabled on a listener of the protocol: stickiness policies on HTTP and
// HTTPS listeners, SSL negotiation policies on HTTPS and SSL listeners (the
// policy types' own descriptions); proxy protocol, public key and back-end
// authentication policies go to back-end servers, never to a listener.
func classicListenerPolicyFits(typeName, protocol string) bool {
	switch typeName {
	case "AppCookieStickinessPolicyType", "LBCookieStickinessPolicyType":
		return protocol == "HTTP" || protocol == "HTTPS"
	case "SSLNegotiationPolicyType":
		return protocol == "HTTPS" || protocol == "SSL"
	}
	return false
}

// CreateClassicPolicy adds a policy of a known type to a load balancer.
func (e *Engine) CreateClassicPolicy(lbName string, p model.ClassicPolicy) error {
	if p.Name == "" {
		return errCLBValidation("1 validation error detected: Value null at 'policyName' failed to satisfy constraint: Member must not be null")
	}
	types := ClassicPolicyTypes()
	i := slices.IndexFunc(types, func(t ClassicPolicyType) bool { return t.Name == p.TypeName })
	if i < 0 {
		return apierr.Newf("PolicyTypeNotFound", "There is no policy type with name %s", p.TypeName) // probable
	}
	if err := checkClassicPolicyAttributes(types[i], p.Attributes); err != nil {
		return err
	}
	_, err := e.updateCLB(lbName, func(t *txn, lb *model.ClassicLoadBalancer) error {
		if slices.ContainsFunc(lb.Policies, func(x model.ClassicPolicy) bool { return x.Name == p.Name }) {
			return apierr.New("DuplicatePolicyName", "Policy with the same name exists for this LoadBalancer. Please choose another name.") // probable
		}
		lb.Policies = append(lb.Policies, p)
		return nil
	})
	return err
}

// DeleteClassicPolicy deletes a policy no listener or back-end port uses.
func (e *Engine) DeleteClassicPolicy(lbName, name string) error {
	_, err := e.updateCLB(lbName, func(t *txn, lb *model.ClassicLoadBalancer) error {
		i := slices.IndexFunc(lb.Policies, func(x model.ClassicPolicy) bool { return x.Name == name })
		if i < 0 {
			return nil // deleting a policy that does not exist succeeds (probable)
		}
		for _, m := range []map[int][]string{lb.ListenerPolicies, lb.BackendPolicies} {
			for _, names := range m {
				if slices.Contains(names, name) {
					return apierr.Newf("InvalidConfigurationRequest", "Policy %s is in use and cannot be deleted.", name) // probable
				}
			}
		}
		lb.Policies = slices.Delete(lb.Policies, i, i+1)
		return nil
	})
	return err
}

// ClassicPolicies returns a load balancer's policies: the named ones (each
// must exist) or all.
func (e *Engine) ClassicPolicies(lbName string, names []string) ([]model.ClassicPolicy, error) {
	var out []model.ClassicPolicy
	var err error
	e.Read(func(st *model.State) {
		lb := st.ClassicLoadBalancers[lbName]
		if lb == nil {
			err = errCLBNotFound(lbName)
			return
		}
		if len(names) == 0 {
			out = slices.Clone(lb.Policies)
			return
		}
		for _, n := range names {
			i := slices.IndexFunc(lb.Policies, func(x model.ClassicPolicy) bool { return x.Name == n })
			if i < 0 {
				err = errCLBPolicyNotFound(n, lbName)
				return
			}
			out = append(out, lb.Policies[i])
		}
	})
	return out, err
}

// checkClassicPolicyNames checks that every name is a policy of lb.
func checkClassicPolicyNames(lb *model.ClassicLoadBalancer, names []string) error {
	for _, n := range names {
		if !slices.ContainsFunc(lb.Policies, func(x model.ClassicPolicy) bool { return x.Name == n }) {
			return errCLBPolicyNotFound(n, lb.Name)
		}
	}
	return nil
}

// SetClassicListenerPolicies replaces the policies of the listener on a
// load balancer port (none: the listener has none).
func (e *Engine) SetClassicListenerPolicies(lbName string, port int, names []string) error {
	_, err := e.updateCLB(lbName, func(t *txn, lb *model.ClassicLoadBalancer) error {
		i := lb.ListenerIndex(port)
		if i < 0 {
			return apierr.Newf("ListenerNotFound", "There is no listener on port %d", port) // probable
		}
		if err := checkClassicPolicyNames(lb, names); err != nil {
			return err
		}
		// A policy of a type the listener cannot take is refused whole:
		// InvalidConfigurationRequest "<name> cannot be enabled" (a proxy
		// protocol policy on an HTTP listener: fog/fog-aws#193).
		for _, n := range names {
			p := lb.Policies[slices.IndexFunc(lb.Policies, func(x model.ClassicPolicy) bool { return x.Name == n })]
			if !classicListenerPolicyFits(p.TypeName, lb.Listeners[i].Protocol) {
				return apierr.Newf("InvalidConfigurationRequest", "%s cannot be enabled", n)
			}
		}
		lb.ListenerPolicies = setPortPolicies(lb.ListenerPolicies, port, names)
		return nil
	})
	return err
}

// SetClassicBackendPolicies replaces the policies of an instance port.
func (e *Engine) SetClassicBackendPolicies(lbName string, port int, names []string) error {
	if port < 1 || port > 65535 {
		return errCLBValidation("Port must be between 1 and 65535.") // probable
	}
	_, err := e.updateCLB(lbName, func(t *txn, lb *model.ClassicLoadBalancer) error {
		if err := checkClassicPolicyNames(lb, names); err != nil {
			return err
		}
		lb.BackendPolicies = setPortPolicies(lb.BackendPolicies, port, names)
		return nil
	})
	return err
}

func setPortPolicies(m map[int][]string, port int, names []string) map[int][]string {
	m = maps.Clone(m)
	if m == nil {
		m = map[int][]string{}
	}
	if len(names) == 0 {
		delete(m, port)
	} else {
		m[port] = slices.Clone(names)
	}
	return m
}

// SetClassicListenerCertificate replaces the certificate of the HTTPS or
// SSL listener on a port.
func (e *Engine) SetClassicListenerCertificate(lbName string, port int, cert string) error {
	if cert == "" {
		return errCLBValidation("1 validation error detected: Value null at 'sSLCertificateId' failed to satisfy constraint: Member must not be null")
	}
	_, err := e.updateCLB(lbName, func(t *txn, lb *model.ClassicLoadBalancer) error {
		i := lb.ListenerIndex(port)
		if i < 0 {
			return apierr.Newf("ListenerNotFound", "There is no listener on port %d", port) // probable
		}
		if p := lb.Listeners[i].Protocol; p != "HTTPS" && p != "SSL" {
			return apierr.Newf("InvalidConfigurationRequest", "The listener on port %d is %s; a certificate can only be set on an HTTPS or SSL listener", port, p) // probable
		}
		lb.Listeners[i].SSLCertificateID = cert
		return nil
	})
	return err
}

// SetClassicAvailabilityZones enables (or disables) Availability Zones for
// a load balancer in a default VPC: enabling a zone attaches the zone's
// default subnet. A load balancer in another VPC takes subnets
// (AttachLoadBalancerToSubnets) instead. At least one zone stays.
func (e *Engine) SetClassicAvailabilityZones(lbName string, zones []string, disable bool) (*model.ClassicLoadBalancer, error) {
	if len(zones) == 0 {
		return nil, errCLBValidation("1 validation error detected: Value null at 'availabilityZones' failed to satisfy constraint: Member must not be null")
	}
	return e.updateCLB(lbName, func(t *txn, lb *model.ClassicLoadBalancer) error {
		next := slices.Clone(lb.Subnets)
		for _, z := range zones {
			if disable {
				next = slices.DeleteFunc(next, func(id model.SubnetID) bool {
					s := t.st.Subnets[id]
					return s != nil && s.AvailabilityZone == z
				})
				continue
			}
			if slices.Contains(lb.AvailabilityZones, z) {
				continue
			}
			var def *model.Subnet
			for _, s := range sortedValues(t.st.Subnets) {
				if s.VpcID == lb.VpcID && s.DefaultForAZ && s.AvailabilityZone == z && def == nil {
					def = s
				}
			}
			if def == nil {
				if v := t.st.VPCs[lb.VpcID]; v == nil || !v.IsDefault {
					return apierr.New("InvalidConfigurationRequest", "Availability Zones cannot be enabled for a load balancer in a nondefault VPC; attach subnets instead.") // probable
				}
				return errCLBValidation("No default subnet for availability zone: '%s'", z) // probable
			}
			next = append(next, def.ID)
		}
		if len(next) == 0 {
			return errCLBValidation("A load balancer must be attached to at least one subnet.") // probable
		}
		subnets, _, az, err := t.clbSubnets(next, nil)
		if err != nil {
			return err
		}
		lb.Subnets, lb.AvailabilityZones = subnets, az
		return nil
	})
}

// ClassicPolicyAttributes returns a policy's attributes as AWS describes
// them (stickiness policies carry theirs as attributes too).
func ClassicPolicyAttributes(p model.ClassicPolicy) [][2]string {
	switch p.TypeName {
	case "LBCookieStickinessPolicyType":
		v := ""
		if p.CookieExpirationPeriod > 0 {
			v = strconv.FormatInt(p.CookieExpirationPeriod, 10)
		}
		return [][2]string{{"CookieExpirationPeriod", v}}
	case "AppCookieStickinessPolicyType":
		return [][2]string{{"CookieName", p.CookieName}}
	}
	return p.Attributes
}
