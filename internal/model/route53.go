package model

import (
	"fmt"
	"net/netip"
	"slices"
	"strings"
	"time"
)

// Route53Change is a change Route 53 answered with a ChangeInfo
// (CreateHostedZone, ChangeResourceRecordSets, DeleteHostedZone, a VPC
// association): GetChange answers it by its id, and NoSuchChange for an id
// Route 53 never issued (Route 53 API Reference, GetChange).
type Route53Change struct {
	ID          string
	Comment     string
	SubmittedAt time.Time
}

// HostedZone is an Amazon Route 53 hosted zone: the records of one
// domain. A public zone answers the internet (and every VPC whose
// Resolver finds no private zone for the name); a private zone answers
// only in the VPCs associated with it (Route 53 Developer Guide, "Working
// with private hosted zones").
type HostedZone struct {
	// ID is the zone's id ("Z0123…"), without the "/hostedzone/" prefix.
	ID string
	// Name is the domain, lower case, without the trailing dot.
	Name    string
	Private bool
	// VPCs are the VPCs a private zone is associated with.
	VPCs    []VpcID
	Comment string
	Tags    Tags
	// CallerReference is the idempotency token CreateHostedZone was
	// called with ("" for zones made from templates and scenarios).
	CallerReference string
	// Records are the zone's record sets (the SOA and NS records Route 53
	// creates are not kept).
	Records []RecordSet
}

// RecordSet is one Route 53 record set: a name and type with values, or
// an alias to an AWS resource or another record.
type RecordSet struct {
	// Name is lower case, without the trailing dot.
	Name string
	Type string // A, AAAA, CNAME (others are kept, and not resolved)
	TTL  int64
	// Addrs are an A or AAAA record's addresses.
	Addrs []netip.Addr
	// Values are the record's values as written (a CNAME's target; the
	// text of a type ecsnet does not resolve).
	Values []string
	Alias  *AliasTarget
	// SetIdentifier and Weight make a weighted record set: several of
	// one name and type, told apart by SetIdentifier.
	SetIdentifier string
	Weight        *int64
	// The other routing policies a record with a SetIdentifier may have
	// (exactly one policy each): Failover ("PRIMARY" or "SECONDARY"),
	// Region (latency), GeoLocation, MultiValueAnswer; and the health
	// check Route 53 consults for it.
	Failover         string
	Region           string
	GeoLocation      *GeoLocation
	MultiValueAnswer *bool
	HealthCheckID    string
}

// GeoLocation is a geolocation record's location: a continent, or a
// country (and, in the United States, a subdivision); CountryCode "*" is
// the default location.
type GeoLocation struct {
	ContinentCode, CountryCode, SubdivisionCode string
}

// AliasTarget is an alias record's target.
type AliasTarget struct {
	// DNSName is the target's DNS name (a load balancer's DNSName,
	// another record's name), lower case, without the trailing dot.
	DNSName              string
	HostedZoneID         string
	EvaluateTargetHealth bool
}

// CanonicalDNSName returns a DNS name as Route 53 keeps it: lower case,
// without the trailing dot.
func CanonicalDNSName(s string) string {
	return strings.ToLower(strings.TrimSuffix(strings.TrimSpace(s), "."))
}

// HostedZoneRef strips the "/hostedzone/" prefix an API answer or a
// template may carry.
func HostedZoneRef(s string) string {
	return strings.TrimPrefix(strings.TrimPrefix(s, "/hostedzone/"), "hostedzone/")
}

// Covers reports whether name is the zone's domain or a name under it.
func (z *HostedZone) Covers(name string) bool {
	name = CanonicalDNSName(name)
	return name == z.Name || strings.HasSuffix(name, "."+z.Name)
}

// AssociatedWith reports whether a private zone is associated with vpc.
func (z *HostedZone) AssociatedWith(vpc VpcID) bool {
	return z.Private && vpc != "" && slices.Contains(z.VPCs, vpc)
}

// HasName reports whether name exists in the zone though it may have no
// record of the type asked: the zone's apex (its SOA and NS records), a
// name with records, or an empty non-terminal (a name with records
// under it). DNS answers such a name NOERROR with no data (RFC 2308
// §2.2, RFC 8020), not NXDOMAIN.
func (z *HostedZone) HasName(name string) bool {
	name = CanonicalDNSName(name)
	if name == z.Name {
		return true
	}
	if !z.Covers(name) {
		return false
	}
	for _, r := range z.Records {
		if r.Name == name || strings.HasSuffix(r.Name, "."+name) {
			return true
		}
	}
	return false
}

// Lookup returns the zone's record sets for name (a wildcard record
// "*.domain" answers names under it that have no record of their own,
// RFC 4592 as Route 53 applies it), or nil.
func (z *HostedZone) Lookup(name string) []RecordSet {
	name = CanonicalDNSName(name)
	var out []RecordSet
	for _, r := range z.Records {
		if r.Name == name {
			out = append(out, r)
		}
	}
	if out != nil {
		return out
	}
	for parent := name; ; {
		i := strings.IndexByte(parent, '.')
		if i < 0 {
			return nil
		}
		parent = parent[i+1:]
		if !z.Covers(parent) {
			return nil
		}
		for _, r := range z.Records {
			if r.Name == "*."+parent {
				out = append(out, r)
			}
		}
		if out != nil {
			return out
		}
	}
}

// Route53NameServers are a public zone's four name servers (its
// delegation set), one per top-level domain as Route 53 assigns them
// (ns-N.awsdns-NN.com, .net, .org, .co.uk); the numbers come from the
// zone id [choice].
func Route53NameServers(id string) []string {
	h := 0
	for _, r := range id {
		h = (h*31 + int(r)) % 1000003
	}
	return []string{
		fmt.Sprintf("ns-%d.awsdns-%02d.com", h%512, h%64),
		fmt.Sprintf("ns-%d.awsdns-%02d.net", 512+h%512, (h/7)%64),
		fmt.Sprintf("ns-%d.awsdns-%02d.org", 1024+h%512, (h/11)%64),
		fmt.Sprintf("ns-%d.awsdns-%02d.co.uk", 1536+h%512, (h/13)%64),
	}
}

// Route53HealthCheck is a Route 53 health check (CreateHealthCheck). Route 53's
// checkers are not modelled: GetHealthCheckStatus answers what the
// configuration says a checker would see.
type Route53HealthCheck struct {
	ID              string
	CallerReference string
	// Version counts the updates, from 1 (UpdateHealthCheck's
	// HealthCheckVersion).
	Version int
	Config  Route53HealthCheckConfig
	Tags    Tags
}

// Route53HealthCheckConfig is a health check's HealthCheckConfig.
type Route53HealthCheckConfig struct {
	Type             string // HTTP, HTTPS, HTTP_STR_MATCH, HTTPS_STR_MATCH, TCP, CALCULATED, CLOUDWATCH_METRIC, RECOVERY_CONTROL
	IPAddress        string
	Port             int
	ResourcePath     string
	FQDN             string
	SearchString     string
	RequestInterval  int // 10 or 30 seconds
	FailureThreshold int // 1 to 10
	MeasureLatency   bool
	Inverted         bool
	Disabled         bool
	EnableSNI        bool
	Regions          []string
	// HealthThreshold and ChildHealthChecks are a CALCULATED check's.
	HealthThreshold   int
	ChildHealthChecks []string
	// AlarmName and AlarmRegion are a CLOUDWATCH_METRIC check's alarm,
	// InsufficientDataHealthStatus what it reports without data.
	AlarmName, AlarmRegion       string
	InsufficientDataHealthStatus string
	// RoutingControlArn is a RECOVERY_CONTROL check's routing control.
	RoutingControlArn string
}
