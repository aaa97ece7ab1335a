package model

import "time"

// ClassicLoadBalancerARN is a Classic Load Balancer's ARN, the one its
// tags and the certificates' InUseBy name it by:
// arn:PARTITION:elasticloadbalancing:REGION:ACCOUNT:loadbalancer/NAME.
func ClassicLoadBalancerARN(region, account, name string) string {
	return "arn:" + Partition(region) + ":elasticloadbalancing:" + region + ":" + account + ":loadbalancer/" + name
}

// ListenerIndex returns the index of lb's listener on load balancer port
// port, or -1.
func (lb *ClassicLoadBalancer) ListenerIndex(port int) int {
	for i, l := range lb.Listeners {
		if l.LoadBalancerPort == port {
			return i
		}
	}
	return -1
}

// ClassicLoadBalancer is a Classic Load Balancer (Elastic Load Balancing
// API 2012-06-01), in a VPC. The emulator stores it, registers instances
// (by hand, from Auto Scaling groups and from ECS services that name it)
// and reports their health; the analyzer follows it from its nodes to
// its listeners' instance ports (internal/reach/clb.go).
type ClassicLoadBalancer struct {
	Name              string
	DNSName           string
	Scheme            string // internet-facing, internal
	VpcID             VpcID
	Subnets           []SubnetID
	AvailabilityZones []string
	SecurityGroups    []SecurityGroupID
	Listeners         []ClassicListener
	HealthCheck       ClassicHealthCheck
	Instances         []InstanceID
	// RegisteredAt is when each instance was registered (its first health
	// checks count from then); an instance missing from it is settled.
	RegisteredAt map[InstanceID]time.Time
	// Deregistering are the instances deregistered while connection
	// draining is enabled, each with when its draining ends: no longer
	// registered (not in Instances), DescribeInstanceHealth reports them
	// InService, "Instance deregistration currently in progress.", until
	// then.
	Deregistering map[InstanceID]time.Time `json:",omitempty"`
	// Attributes are the attributes set with ModifyLoadBalancerAttributes
	// by name (CrossZoneLoadBalancing.Enabled, ConnectionDraining.Timeout,
	// …); the others have AWS's defaults.
	Attributes map[string]string
	// Policies are the load balancer's policies (stickiness, proxy
	// protocol, SSL negotiation, …), in creation order.
	Policies []ClassicPolicy
	// ListenerPolicies are the policies of each listener (by load balancer
	// port), BackendPolicies those of each instance port.
	ListenerPolicies map[int][]string
	BackendPolicies  map[int][]string
	CreatedAt        time.Time
	Tags             Tags
	// TagOrder is the order AWS answers Tags in (TagKeysInOrder).
	TagOrder []string
	// Nodes are the load balancer's network interfaces, one in each of
	// its subnets ("ELB <name>", requester amazon-elb).
	Nodes []LoadBalancerNode
}

// ClassicListener is a Classic Load Balancer listener.
type ClassicListener struct {
	Protocol         string // HTTP, HTTPS, TCP, SSL
	LoadBalancerPort int
	InstanceProtocol string
	InstancePort     int
	SSLCertificateID string
}

// ClassicHealthCheck is a Classic Load Balancer's health check.
type ClassicHealthCheck struct {
	Target             string // TCP:80, HTTP:80/index.html, …
	Interval, Timeout  int
	UnhealthyThreshold int
	HealthyThreshold   int
}

// ClassicPolicy is a Classic Load Balancer policy. TypeName is
// LBCookieStickinessPolicyType, AppCookieStickinessPolicyType,
// ProxyProtocolPolicyType, SSLNegotiationPolicyType, ….
type ClassicPolicy struct {
	Name       string
	TypeName   string
	Attributes [][2]string
	// CookieExpirationPeriod (LB cookie stickiness; 0 when none) and
	// CookieName (application cookie stickiness).
	CookieExpirationPeriod int64
	CookieName             string
}
