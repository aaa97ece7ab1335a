package model

import (
	"net/netip"
	"time"
)

// LoadBalancerNode is a load balancer's presence in one subnet: a node ENI
// with a private address (and a public one when internet-facing).
type LoadBalancerNode struct {
	SubnetID         SubnetID
	AvailabilityZone string
	ENI              NetworkInterfaceID
	// AllocationID is an Elastic IP an NLB was given in this subnet.
	AllocationID AllocationID
	// FixedPrivateIPv4 and FixedIPv6 are the addresses an NLB's subnet
	// mapping gave this node (PrivateIPv4Address, IPv6Address): only those
	// are answered as its LoadBalancerAddresses, not ones ELB picked.
	FixedPrivateIPv4 netip.Addr
	FixedIPv6        netip.Addr
}

// LoadBalancer is an Application, Network or Gateway Load Balancer.
type LoadBalancer struct {
	ARN                   string
	Name                  string
	DNSName               string
	CanonicalHostedZoneID string
	Type                  string // "application", "network", "gateway"
	// Scheme is "internet-facing" or "internal"; a Gateway Load Balancer
	// has none (""), and no DNS name or hosted zone either.
	Scheme         string
	VpcID          VpcID
	Nodes          []LoadBalancerNode
	SecurityGroups []SecurityGroupID
	// PrivateLinkInboundOff: an NLB's security groups do not evaluate
	// inbound rules for traffic through PrivateLink
	// (EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic "off"; "on"
	// when false).
	PrivateLinkInboundOff bool
	State                 string // "provisioning", "active", "failed"
	IPAddressType         string
	CrossZone             bool
	// Attributes are the attributes set with ModifyLoadBalancerAttributes
	// (the others have AWS's defaults).
	Attributes map[string]string
	// MinCapacityUnits is the load balancer capacity reservation
	// (ModifyCapacityReservation), 0 when none; CapacityModifiedAt is when
	// it last changed.
	MinCapacityUnits   int
	CapacityModifiedAt time.Time
	CreatedAt          time.Time
	Tags               Tags
	// TagOrder is the order AWS answers Tags in (TagKeysInOrder).
	TagOrder []string
}

// IsALB reports whether lb is an Application Load Balancer.
func (lb *LoadBalancer) IsALB() bool { return lb.Type == "application" }

// IsGWLB reports whether lb is a Gateway Load Balancer.
func (lb *LoadBalancer) IsGWLB() bool { return lb.Type == "gateway" }

// ListenerAction is a listener's or rule's action.
type ListenerAction struct {
	Type           string // forward, fixed-response, redirect, authenticate-oidc, authenticate-cognito, jwt-validation
	Order          int
	TargetGroupARN string
	// Weighted forward targets (ForwardConfig).
	TargetGroups []WeightedTargetGroup
	// Stickiness is a forward action's target group stickiness (nil: off).
	Stickiness    *ForwardStickiness
	FixedResponse *FixedResponse
	Redirect      map[string]string
	// Authenticate is an authenticate-oidc or authenticate-cognito
	// action's configuration. It passes the request on to the action after
	// it: ecsnet's analyzer and data plane treat the client as signed in.
	Authenticate *AuthenticateConfig
	// JwtValidation is a jwt-validation action's configuration: the
	// load balancer checks the bearer token the request carries against
	// the issuer's keys and passes the request on to the next action.
	// ecsnet's analyzer and data plane treat the token as valid.
	JwtValidation *JwtValidationConfig
}

// JwtValidationConfig is a jwt-validation action's issuer and key set
// endpoint (both required by the API).
type JwtValidationConfig struct {
	Issuer, JwksEndpoint string
}

// AuthenticateConfig is the configuration of an authenticate-oidc
// (Issuer … ClientID) or authenticate-cognito (UserPool…) action. The
// client secret is write-only on AWS: only whether one was given is kept.
type AuthenticateConfig struct {
	Issuer, AuthorizationEndpoint, TokenEndpoint, UserInfoEndpoint, ClientID string
	ClientSecretSet                                                          bool
	UserPoolARN, UserPoolClientID, UserPoolDomain                            string
	SessionCookieName, Scope, OnUnauthenticatedRequest                       string
	SessionTimeout                                                           int64
	ExtraParams                                                              map[string]string
}

// ForwardStickiness keeps a client on one target group of a weighted
// forward action for DurationSeconds (1-604800).
type ForwardStickiness struct {
	Enabled         bool
	DurationSeconds int
}

// WeightedTargetGroup is one target group of a weighted forward action.
type WeightedTargetGroup struct {
	ARN    string
	Weight int
}

// FixedResponse is a fixed-response action.
type FixedResponse struct {
	StatusCode  string
	ContentType string
	MessageBody string
}

// MainTargetGroup returns the target group that gets the largest share of
// a forward action's requests: of weighted target groups the heaviest (the
// first of equal weights; a weight of 0 gets nothing), else
// TargetGroupARN; "" when the action forwards nowhere.
func (a ListenerAction) MainTargetGroup() string {
	best, weight := "", 0
	for _, w := range a.TargetGroups {
		if w.Weight > weight {
			best, weight = w.ARN, w.Weight
		}
	}
	if best == "" {
		return a.TargetGroupARN
	}
	return best
}

// ForwardTargetGroups returns every target group an action forwards to.
func (a ListenerAction) ForwardTargetGroups() []string {
	if a.Type != "forward" {
		return nil
	}
	var out []string
	if a.TargetGroupARN != "" {
		out = append(out, a.TargetGroupARN)
	}
	for _, w := range a.TargetGroups {
		if w.ARN != a.TargetGroupARN {
			out = append(out, w.ARN)
		}
	}
	return out
}

// Listener is a load balancer listener.
type Listener struct {
	ARN             string
	LoadBalancerARN string
	Port            uint16
	Protocol        string // HTTP, HTTPS, TCP, TLS, UDP, TCP_UDP
	DefaultActions  []ListenerAction
	SSLPolicy       string
	Certificates    []string
	// AlpnPolicy is a TLS listener's ALPN policy (HTTP2Preferred, …).
	AlpnPolicy string
	// MutualAuth is an HTTPS listener's mutual TLS setting, nil when never
	// set (mode off).
	MutualAuth *MutualAuthentication
	// Attributes are the listener attributes set with
	// ModifyListenerAttributes (the others have AWS's defaults).
	Attributes map[string]string
	Tags       Tags
	// TagOrder is the order AWS answers Tags in (TagKeysInOrder).
	TagOrder []string
}

// MutualAuthentication is an HTTPS listener's mutual TLS mode: off,
// passthrough, or verify against a trust store.
type MutualAuthentication struct {
	Mode                          string
	TrustStoreARN                 string
	IgnoreClientCertificateExpiry bool
	AdvertiseTrustStoreCaNames    string // "on" or "off" (verify mode)
}

// TrustStore is an ELBv2 trust store: a CA certificate bundle (read from
// S3) that verify-mode listeners check client certificates against, with
// revocation lists.
type TrustStore struct {
	ARN    string
	Name   string
	Status string // ACTIVE (ecsnet creates trust stores at once)
	// The CA bundle's S3 location.
	BundleBucket, BundleKey, BundleVersion string
	NumberOfCaCertificates                 int
	Revocations                            []TrustStoreRevocation
	// NextRevocationID numbers the next revocation list (from 1).
	NextRevocationID int64
	CreatedAt        time.Time
	Tags             Tags
}

// TrustStoreRevocation is one certificate revocation list of a trust store.
type TrustStoreRevocation struct {
	ID                         int64
	Type                       string // CRL
	S3Bucket, S3Key, S3Version string
	NumberOfRevokedEntries     int64
}

// RuleCondition is a listener rule condition.
type RuleCondition struct {
	Field string
	// HeaderName is the header an http-header condition tests.
	HeaderName string
	// Values are the patterns; for query-string, "key=value" pairs (an
	// empty key matches any key).
	Values []string
	// RegexValues are regular expressions a host-header, path-pattern or
	// http-header condition tests instead of Values (a condition has one
	// or the other); the condition matches when one of them matches.
	RegexValues []string
}

// ListenerRule is a non-default listener rule.
type ListenerRule struct {
	ARN         string
	ListenerARN string
	Priority    int
	Conditions  []RuleCondition
	Actions     []ListenerAction
	// Transforms rewrite the requests the rule matches (at most one of
	// each type).
	Transforms []RuleTransform
	Tags       Tags
	// TagOrder is the order AWS answers Tags in (TagKeysInOrder).
	TagOrder []string
}

// HealthCheck holds a target group's health check settings.
type HealthCheck struct {
	Enabled            bool
	Protocol           string
	Port               string // "traffic-port" or a number
	Path               string
	IntervalSeconds    int
	TimeoutSeconds     int
	HealthyThreshold   int
	UnhealthyThreshold int
	Matcher            string // HTTP codes, e.g. "200" or "200-399"
}

// Target is a registered target: an instance id or an IP address, with a
// port. AWS keys targets by id and port.
type Target struct {
	ID               string // instance id or IP address
	Port             uint16
	AvailabilityZone string // "all" for IP targets outside the VPC
	RegisteredAt     time.Time
	// Draining is set between deregistration and removal.
	Draining bool
	// DrainUntil is when a target deregistered with DeregisterTargets
	// leaves the group (its deregistration delay ends); zero for a
	// terminated instance's target, which drains until deregistered.
	DrainUntil time.Time
}

// TargetGroup is an ELBv2 target group.
type TargetGroup struct {
	ARN             string
	Name            string
	Protocol        string
	ProtocolVersion string
	Port            uint16
	VpcID           VpcID
	TargetType      string // instance, ip, lambda, alb
	HealthCheck     HealthCheck
	// Targets are the registered targets, in registration order.
	Targets       TargetList
	IPAddressType string
	// Attributes are the attributes set with ModifyTargetGroupAttributes
	// (the others have AWS's defaults).
	Attributes map[string]string
	CreatedAt  time.Time
	Tags       Tags
	// TagOrder is the order AWS answers Tags in (TagKeysInOrder).
	TagOrder []string
}

// TargetAddr returns an IP target's address.
func (t Target) TargetAddr() (netip.Addr, bool) {
	a, err := netip.ParseAddr(t.ID)
	return a, err == nil
}
