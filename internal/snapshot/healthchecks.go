package snapshot

import (
	"slices"

	"github.com/ecsnet/ecsnet/internal/model"
)

// Route 53 health checks in a snapshot (round thirty-five; both collectors,
// beside the hosted zones):
//
//	route53-list-health-checks.json   aws route53 list-health-checks (every page)
//
// A record set's HealthCheckId names one: Route 53 answers a failover
// primary (and a weighted, latency or multivalue record) only while its
// check is healthy, which the engine judges from the check's
// configuration (engine/route53_healthchecks.go). Health checks are
// global: every region's folder holds the account's.

// HealthChecksFileName is the file of list-health-checks' output.
const HealthChecksFileName = "route53-list-health-checks.json"

// HealthCheckTagsFileName is the file of the health checks' tags (format
// thirty-six): every list-tags-for-resources --resource-type healthcheck
// output (at most 10 ids a call), merged under "ResourceTagSets".
const HealthCheckTagsFileName = "route53-list-tags-for-resources-healthcheck.json"

// r53TagSet is list-tags-for-resources' ResourceTagSet.
type r53TagSet struct {
	ResourceType string   `json:"ResourceType"`
	ResourceId   string   `json:"ResourceId"`
	Tags         []ec2Tag `json:"Tags"`
}

// r53HealthCheck is an item of list-health-checks (or get-health-check's
// HealthCheck).
type r53HealthCheck struct {
	ID                 string  `json:"Id"`
	CallerReference    string  `json:"CallerReference,omitempty"`
	HealthCheckVersion flexInt `json:"HealthCheckVersion"`
	HealthCheckConfig  struct {
		Type                         string   `json:"Type"`
		IPAddress                    string   `json:"IPAddress,omitempty"`
		Port                         flexInt  `json:"Port"`
		ResourcePath                 string   `json:"ResourcePath,omitempty"`
		FullyQualifiedDomainName     string   `json:"FullyQualifiedDomainName,omitempty"`
		SearchString                 string   `json:"SearchString,omitempty"`
		RequestInterval              flexInt  `json:"RequestInterval"`
		FailureThreshold             flexInt  `json:"FailureThreshold"`
		MeasureLatency               bool     `json:"MeasureLatency"`
		Inverted                     bool     `json:"Inverted"`
		Disabled                     bool     `json:"Disabled"`
		EnableSNI                    bool     `json:"EnableSNI"`
		Regions                      []string `json:"Regions,omitempty"`
		HealthThreshold              flexInt  `json:"HealthThreshold"`
		ChildHealthChecks            []string `json:"ChildHealthChecks,omitempty"`
		InsufficientDataHealthStatus string   `json:"InsufficientDataHealthStatus,omitempty"`
		RoutingControlArn            string   `json:"RoutingControlArn,omitempty"`
		AlarmIdentifier              *struct {
			Name   string `json:"Name"`
			Region string `json:"Region"`
		} `json:"AlarmIdentifier,omitempty"`
	} `json:"HealthCheckConfig"`
}

// dispatchHealthChecks reads list-health-checks' HealthChecks.
func (rd *regionData) dispatchHealthChecks(f *fileInfo, data []byte, m member) (ok, handled bool) {
	switch m.key {
	case "HealthChecks":
		return decodeList(rd, f, data, m, &rd.r53Checks), true
	case "ResourceTagSets":
		return decodeList(rd, f, data, m, &rd.r53TagSets), true
	}
	return true, false
}

// healthChecks puts the Route 53 health checks into the state, and warns
// of record sets naming a check the snapshot lacks when it has the call.
func (b *builder) healthChecks() {
	for _, it := range b.rd.r53Checks {
		v := it.v
		if v.ID == "" || v.HealthCheckConfig.Type == "" {
			b.rd.warn(it.at.warning(CodeBadValue, v.ID, "a health check without an Id or a HealthCheckConfig.Type skipped"))
			continue
		}
		c := v.HealthCheckConfig
		cfg := model.Route53HealthCheckConfig{Type: c.Type, IPAddress: c.IPAddress, Port: int(c.Port.V), ResourcePath: c.ResourcePath,
			FQDN: c.FullyQualifiedDomainName, SearchString: c.SearchString, RequestInterval: int(c.RequestInterval.V),
			FailureThreshold: int(c.FailureThreshold.V), MeasureLatency: c.MeasureLatency, Inverted: c.Inverted, Disabled: c.Disabled,
			EnableSNI: c.EnableSNI, Regions: slices.Clone(c.Regions), HealthThreshold: int(c.HealthThreshold.V),
			ChildHealthChecks: slices.Clone(c.ChildHealthChecks), InsufficientDataHealthStatus: c.InsufficientDataHealthStatus,
			RoutingControlArn: c.RoutingControlArn}
		// Route 53's defaults (API_HealthCheckConfig: RequestInterval 30,
		// FailureThreshold 3), which it keeps but does not answer for a
		// CALCULATED, CLOUDWATCH_METRIC or RECOVERY_CONTROL check.
		if !c.RequestInterval.Set {
			cfg.RequestInterval = 30
		}
		if !c.FailureThreshold.Set {
			cfg.FailureThreshold = 3
		}
		if a := c.AlarmIdentifier; a != nil {
			cfg.AlarmName, cfg.AlarmRegion = a.Name, a.Region
		}
		version := int(v.HealthCheckVersion.V)
		if version == 0 {
			version = 1
		}
		b.st.HealthChecks[v.ID] = &model.Route53HealthCheck{ID: v.ID, CallerReference: v.CallerReference, Version: version, Config: cfg}
	}
	for _, it := range b.rd.r53TagSets {
		if h := b.st.HealthChecks[it.v.ResourceId]; h != nil && it.v.ResourceType == "healthcheck" {
			h.Tags = ec2Tags(it.v.Tags)
		}
	}
	if !b.rd.seen["HealthChecks"] && !b.rd.collected["route53 list-health-checks"] {
		return
	}
	for _, id := range sortedKeys(b.st.HostedZones) {
		z := b.st.HostedZones[id]
		for _, r := range z.Records {
			if r.HealthCheckID != "" && b.st.HealthChecks[r.HealthCheckID] == nil {
				b.note("dangling-health-check", "record sets naming health checks not in the snapshot", Warning{Code: CodeDangling, Resource: z.ID,
					Message: "record " + r.Name + " " + r.Type + " of " + z.Name + " names health check " + r.HealthCheckID + ", which is not in route53 list-health-checks: Route 53 takes it as healthy"})
			}
		}
	}
}

// healthCheckFiles writes the state's health checks as list-health-checks
// prints them, when it has any (older snapshots lack the file, which is
// optional).
func (w *writer) healthCheckFiles(files map[string]any) {
	if len(w.st.HealthChecks) == 0 {
		return
	}
	var out []any
	for _, h := range sortedValues(w.st.HealthChecks) {
		c := h.Config
		cfg := map[string]any{"Type": c.Type, "MeasureLatency": c.MeasureLatency, "Inverted": c.Inverted, "Disabled": c.Disabled, "EnableSNI": c.EnableSNI}
		set := func(k, v string) {
			if v != "" {
				cfg[k] = v
			}
		}
		num := func(k string, v int) {
			if v != 0 {
				cfg[k] = v
			}
		}
		set("IPAddress", c.IPAddress)
		set("ResourcePath", c.ResourcePath)
		set("FullyQualifiedDomainName", c.FQDN)
		set("SearchString", c.SearchString)
		set("InsufficientDataHealthStatus", c.InsufficientDataHealthStatus)
		set("RoutingControlArn", c.RoutingControlArn)
		num("Port", c.Port)
		num("RequestInterval", c.RequestInterval)
		num("FailureThreshold", c.FailureThreshold)
		num("HealthThreshold", c.HealthThreshold)
		if len(c.Regions) > 0 {
			cfg["Regions"] = c.Regions
		}
		if len(c.ChildHealthChecks) > 0 {
			cfg["ChildHealthChecks"] = c.ChildHealthChecks
		}
		if c.AlarmName != "" {
			cfg["AlarmIdentifier"] = map[string]any{"Name": c.AlarmName, "Region": c.AlarmRegion}
		}
		out = append(out, map[string]any{"Id": h.ID, "CallerReference": h.CallerReference, "HealthCheckConfig": cfg, "HealthCheckVersion": h.Version})
	}
	files[HealthChecksFileName] = map[string]any{"HealthChecks": out, "IsTruncated": false, "MaxItems": "100", "Marker": ""}
	sets := []any{}
	for _, h := range sortedValues(w.st.HealthChecks) {
		tags := []any{}
		for _, k := range sortedKeys(h.Tags) {
			tags = append(tags, map[string]any{"Key": k, "Value": h.Tags[k]})
		}
		sets = append(sets, map[string]any{"ResourceType": "healthcheck", "ResourceId": h.ID, "Tags": tags})
	}
	files[HealthCheckTagsFileName] = map[string]any{"ResourceTagSets": sets}
}
