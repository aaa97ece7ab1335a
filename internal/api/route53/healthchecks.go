package route53

import (
	"strconv"

	"github.com/ecsnet/ecsnet/internal/api"
	"github.com/ecsnet/ecsnet/internal/apierr"
	"github.com/ecsnet/ecsnet/internal/awsproto"
	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

// registerHealthChecks adds the health check operations.
func registerHealthChecks(add func(string, api.Handler)) {
	add("CreateHealthCheck", createHealthCheck)
	add("GetHealthCheck", getHealthCheck)
	add("ListHealthChecks", listHealthChecks)
	add("UpdateHealthCheck", updateHealthCheck)
	add("DeleteHealthCheck", deleteHealthCheck)
	add("GetHealthCheckCount", getHealthCheckCount)
	add("GetHealthCheckStatus", getHealthCheckStatus)
	add("GetHealthCheckLastFailureReason", getHealthCheckLastFailureReason)
	add("GetCheckerIpRanges", getCheckerIPRanges)
}

// healthCheckConfig reads a HealthCheckConfig (CreateHealthCheck's).
func healthCheckConfig(p awsproto.Params) model.Route53HealthCheckConfig {
	return model.Route53HealthCheckConfig{Type: p.String("Type"), IPAddress: p.String("IPAddress"), Port: int(p.Int("Port")),
		ResourcePath: p.String("ResourcePath"), FQDN: p.String("FullyQualifiedDomainName"), SearchString: p.String("SearchString"),
		RequestInterval: int(p.Int("RequestInterval")), FailureThreshold: int(p.Int("FailureThreshold")),
		MeasureLatency: p.Bool("MeasureLatency"), Inverted: p.Bool("Inverted"), Disabled: p.Bool("Disabled"), EnableSNI: p.Bool("EnableSNI"),
		Regions: p.Strings("Regions"), HealthThreshold: int(p.Int("HealthThreshold")), ChildHealthChecks: p.Strings("ChildHealthChecks"),
		AlarmName: p.Struct("AlarmIdentifier").String("Name"), AlarmRegion: p.Struct("AlarmIdentifier").String("Region"),
		InsufficientDataHealthStatus: p.String("InsufficientDataHealthStatus"), RoutingControlArn: p.String("RoutingControlArn")}
}

func healthCheckOut(h *model.Route53HealthCheck) map[string]any {
	c := h.Config
	cfg := map[string]any{"Type": c.Type, "RequestInterval": c.RequestInterval, "FailureThreshold": c.FailureThreshold,
		"MeasureLatency": c.MeasureLatency, "Inverted": c.Inverted, "Disabled": c.Disabled}
	set := func(k, v string) {
		if v != "" {
			cfg[k] = v
		}
	}
	set("IPAddress", c.IPAddress)
	set("ResourcePath", c.ResourcePath)
	set("FullyQualifiedDomainName", c.FQDN)
	set("SearchString", c.SearchString)
	set("InsufficientDataHealthStatus", c.InsufficientDataHealthStatus)
	set("RoutingControlArn", c.RoutingControlArn)
	if c.Port != 0 {
		cfg["Port"] = c.Port
	}
	if c.Type == "HTTPS" || c.Type == "HTTPS_STR_MATCH" {
		cfg["EnableSNI"] = c.EnableSNI
	}
	// A check that probes no endpoint (calculated, CloudWatch alarm,
	// recovery control) has no request interval or failure threshold: the
	// provider reads RequestInterval back into request_interval (not
	// computed; TestAccRoute53HealthCheck_withChildHealthChecks plans
	// nothing on AWS), where an answered default forces a replacement.
	if c.Type == "CALCULATED" || c.Type == "CLOUDWATCH_METRIC" || c.Type == "RECOVERY_CONTROL" {
		delete(cfg, "RequestInterval")
		delete(cfg, "FailureThreshold")
	}
	if c.Type == "CALCULATED" {
		cfg["HealthThreshold"] = c.HealthThreshold
		cfg["ChildHealthChecks"] = c.ChildHealthChecks
	}
	if len(c.Regions) > 0 {
		cfg["Regions"] = c.Regions
	}
	if c.AlarmName != "" {
		cfg["AlarmIdentifier"] = map[string]any{"Name": c.AlarmName, "Region": c.AlarmRegion}
	}
	return map[string]any{"Id": h.ID, "CallerReference": h.CallerReference, "HealthCheckConfig": cfg, "HealthCheckVersion": h.Version}
}

func createHealthCheck(c *api.Call) (map[string]any, error) {
	// A calculated check names its threshold, 0 included
	// (hashicorp/terraform-provider-aws#44004: the provider left out 0).
	if in := c.In.Struct("HealthCheckConfig"); in.String("Type") == "CALCULATED" && !in.Has("HealthThreshold") {
		return nil, apierr.New("InvalidInput", "Invalid parameter : Calculated health checks must have a health threshold specified.")
	}
	// A CallerReference is the account's: a check of another region
	// created with it answers (or refuses) the request there.
	home := c.Engine
	for _, r := range regionEngines(c) {
		r.e.Read(func(st *model.State) {
			for _, h := range st.HealthChecks {
				if h.CallerReference == c.In.String("CallerReference") && home == c.Engine {
					home = r.e
				}
			}
		})
	}
	h, _, err := home.CreateHealthCheck(c.In.String("CallerReference"), healthCheckConfig(c.In.Struct("HealthCheckConfig")))
	if err != nil {
		return nil, err
	}
	return map[string]any{"HealthCheck": healthCheckOut(h),
		"Location": "https://route53.amazonaws.com/2013-04-01/healthcheck/" + h.ID}, nil
}

func getHealthCheck(c *api.Call) (map[string]any, error) {
	copies, err := checkCopies(c, c.In.String("HealthCheckId"))
	if err != nil {
		return nil, err
	}
	return map[string]any{"HealthCheck": healthCheckOut(copies[0].h)}, nil
}

// listHealthChecks lists the health checks of every region in id order,
// MaxItems (100 by default) from the one the Marker names.
func listHealthChecks(c *api.Call) (map[string]any, error) {
	limit, err := maxItems(c, 100)
	if err != nil {
		return nil, err
	}
	marker := c.In.String("Marker")
	out := map[string]any{"MaxItems": strconv.Itoa(limit), "IsTruncated": false, "Marker": marker}
	list := []any{}
	for _, h := range allHealthChecks(c) {
		if h.ID < marker {
			continue
		}
		if len(list) == limit {
			out["IsTruncated"], out["NextMarker"] = true, h.ID
			break
		}
		list = append(list, healthCheckOut(h))
	}
	out["HealthChecks"] = list
	return out, nil
}

func updateHealthCheck(c *api.Call) (map[string]any, error) {
	in := c.In
	id := in.String("HealthCheckId")
	copies, err := checkCopies(c, id)
	if err != nil {
		return nil, err
	}
	change := func(cfg *model.Route53HealthCheckConfig) {
		for _, k := range []string{"IPAddress", "ResourcePath", "FullyQualifiedDomainName", "SearchString", "InsufficientDataHealthStatus"} {
			if in.Has(k) {
				v := in.String(k)
				switch k {
				case "IPAddress":
					cfg.IPAddress = v
				case "ResourcePath":
					cfg.ResourcePath = v
				case "FullyQualifiedDomainName":
					cfg.FQDN = v
				case "SearchString":
					cfg.SearchString = v
				default:
					cfg.InsufficientDataHealthStatus = v
				}
			}
		}
		if in.Has("Port") {
			cfg.Port = int(in.Int("Port"))
		}
		if in.Has("FailureThreshold") {
			cfg.FailureThreshold = int(in.Int("FailureThreshold"))
		}
		if in.Has("HealthThreshold") {
			cfg.HealthThreshold = int(in.Int("HealthThreshold"))
		}
		for k, b := range map[string]*bool{"Inverted": &cfg.Inverted, "Disabled": &cfg.Disabled, "EnableSNI": &cfg.EnableSNI} {
			if in.Has(k) {
				*b = in.Bool(k)
			}
		}
		if in.Has("ChildHealthChecks") {
			cfg.ChildHealthChecks = in.Strings("ChildHealthChecks")
		}
		if in.Has("Regions") {
			cfg.Regions = in.Strings("Regions")
		}
		if a := in.Struct("AlarmIdentifier"); a.String("Name") != "" {
			cfg.AlarmName, cfg.AlarmRegion = a.String("Name"), a.String("Region")
		}
		for _, r := range in.Strings("ResetElements") {
			switch r {
			case "FullyQualifiedDomainName":
				cfg.FQDN = ""
			case "Regions":
				cfg.Regions = nil
			case "ResourcePath":
				cfg.ResourcePath = ""
			case "ChildHealthChecks":
				cfg.ChildHealthChecks = nil
			}
		}
	}
	if _, err := writeAll(c, checkWrites(copies, func(e *engine.Engine) error {
		_, err := e.UpdateHealthCheck(id, int(in.Int("HealthCheckVersion")), change)
		return err
	}), nil); err != nil {
		return nil, err
	}
	var out map[string]any
	copies[0].e.Read(func(st *model.State) {
		if h := st.HealthChecks[id]; h != nil {
			out = map[string]any{"HealthCheck": healthCheckOut(h)}
		}
	})
	if out == nil {
		return nil, apierr.Newf("NoSuchHealthCheck", "No health check exists with the specified ID %s", id)
	}
	return out, nil
}

func deleteHealthCheck(c *api.Call) (map[string]any, error) {
	id := c.In.String("HealthCheckId")
	copies, err := checkCopies(c, id)
	if err != nil {
		return nil, err
	}
	if _, err := writeAll(c, checkWrites(copies, func(e *engine.Engine) error { return e.DeleteHealthCheck(id) }), nil); err != nil {
		return nil, err
	}
	return map[string]any{}, nil
}

func getHealthCheckCount(c *api.Call) (map[string]any, error) {
	return map[string]any{"HealthCheckCount": len(allHealthChecks(c))}, nil
}

// checkerRegions are the regions of Route 53's health checkers, one
// observation each (the API reference's HealthCheckRegion enum, its
// default eight).
var checkerRegions = []string{"us-east-1", "us-west-1", "us-west-2", "eu-west-1", "ap-southeast-1", "ap-southeast-2", "ap-northeast-1", "sa-east-1"}

// getHealthCheckStatus answers one observation per checker region. ecsnet
// runs no checkers: each reports success, or failure for a disabled
// check inverted [choice].
func getHealthCheckStatus(c *api.Call) (map[string]any, error) {
	copies, err := checkCopies(c, c.In.String("HealthCheckId"))
	if err != nil {
		return nil, err
	}
	h, now := copies[0].h, c.Engine.Now()
	regions := checkerRegions
	if len(h.Config.Regions) > 0 {
		regions = h.Config.Regions
	}
	status := "Success: HTTP Status Code 200, OK"
	switch h.Config.Type {
	case "TCP":
		status = "Success: TCP connection established"
	case "CALCULATED", "CLOUDWATCH_METRIC", "RECOVERY_CONTROL":
		status = "Success"
	}
	if h.Config.Inverted && !h.Config.Disabled {
		status = "Failure: the health check is inverted"
	}
	list := []any{}
	for i, r := range regions {
		list = append(list, map[string]any{"Region": r, "IPAddress": checkerAddress(i),
			"StatusReport": map[string]any{"Status": status, "CheckedTime": now}})
	}
	return map[string]any{"HealthCheckObservations": list}, nil
}

// checkerAddress is a stand-in address of a checker (documentation range).
func checkerAddress(i int) string { return "192.0.2." + strconv.Itoa(10+i) }

// getHealthCheckLastFailureReason answers the checkers' last failures.
// ecsnet runs no checkers: a check that reports success has never failed
// and answers no observation ([choice]); an inverted, enabled one answers
// the failure GetHealthCheckStatus reports, from each checker region.
func getHealthCheckLastFailureReason(c *api.Call) (map[string]any, error) {
	copies, err := checkCopies(c, c.In.String("HealthCheckId"))
	if err != nil {
		return nil, err
	}
	h, now := copies[0].h, c.Engine.Now()
	list := []any{}
	if h.Config.Inverted && !h.Config.Disabled {
		regions := checkerRegions
		if len(h.Config.Regions) > 0 {
			regions = h.Config.Regions
		}
		for i, r := range regions {
			list = append(list, map[string]any{"Region": r, "IPAddress": checkerAddress(i),
				"StatusReport": map[string]any{"Status": "Failure: the health check is inverted", "CheckedTime": now}})
		}
	}
	return map[string]any{"HealthCheckObservations": list}, nil
}

// checkerIPRanges are the ranges of Route 53's health checkers, as
// GetCheckerIpRanges answers them (sorted): the sixteen /23s of
// 15.177.0.0/18 the SDK lists, then the older per-region /26s of
// ip-ranges.json's ROUTE53_HEALTHCHECKS service.
func checkerIPRanges() []string {
	var out []string
	for third := 2; third < 64; third += 4 {
		out = append(out, "15.177."+strconv.Itoa(third)+".0/23")
	}
	return append(out, "54.183.255.128/26", "54.228.16.0/26", "54.232.40.64/26", "54.241.32.64/26", "54.243.31.192/26",
		"54.244.52.192/26", "54.245.168.0/26", "54.248.220.0/26", "54.250.253.192/26", "54.251.31.128/26",
		"54.252.79.128/26", "54.252.254.192/26", "54.255.254.192/26", "107.23.255.0/26", "176.34.159.192/26",
		"177.71.207.128/26",
		// The IPv6 ranges of ip-ranges.json's ROUTE53_HEALTHCHECKS: two
		// /56s in each region with checkers (the aws partition's).
		"2406:da14:7ff:f800::/56", "2406:da14:fff:f800::/56", "2406:da18:7ff:f800::/56", "2406:da18:fff:f800::/56",
		"2406:da1c:7ff:f800::/56", "2406:da1c:fff:f800::/56", "2600:1f14:7ff:f800::/56", "2600:1f14:fff:f800::/56",
		"2600:1f18:3fff:f800::/56", "2600:1f18:7fff:f800::/56", "2600:1f1c:7ff:f800::/56", "2600:1f1c:fff:f800::/56",
		"2600:1f1e:7ff:f800::/56", "2600:1f1e:fff:f800::/56", "2a05:d018:7ff:f800::/56", "2a05:d018:fff:f800::/56")
}

// getCheckerIPRanges answers the health checkers' ranges (public data:
// Route 53 authorizes no caller for it).
func getCheckerIPRanges(c *api.Call) (map[string]any, error) {
	return map[string]any{"CheckerIpRanges": checkerIPRanges()}, nil
}
