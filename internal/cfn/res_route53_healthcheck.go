package cfn

import (
	"strings"

	"github.com/ecsnet/ecsnet/internal/model"
)

// typeHealthCheck is a Route 53 health check (CreateHealthCheck). Ref and
// Fn::GetAtt HealthCheckId are its id, which record sets name in their
// HealthCheckId (CloudFormation User Guide, AWS::Route53::HealthCheck).
const typeHealthCheck = "AWS::Route53::HealthCheck"

// createHealthCheck: AWS::Route53::HealthCheck. CloudFormation makes the
// CreateHealthCheck request's CallerReference itself (the template has
// none): the stack's and the resource's names, unique per deploy.
func createHealthCheck(c *rctx) error {
	p := c.p
	if !p.has("HealthCheckConfig") {
		return p.missing("HealthCheckConfig")
	}
	o, err := p.object("HealthCheckConfig")
	if err != nil {
		return err
	}
	var cfg model.Route53HealthCheckConfig
	for _, f := range []struct {
		key string
		dst *string
	}{{"Type", &cfg.Type}, {"IPAddress", &cfg.IPAddress}, {"ResourcePath", &cfg.ResourcePath}, {"FullyQualifiedDomainName", &cfg.FQDN},
		{"SearchString", &cfg.SearchString}, {"InsufficientDataHealthStatus", &cfg.InsufficientDataHealthStatus},
		{"RoutingControlArn", &cfg.RoutingControlArn}} {
		if *f.dst, err = o.str(f.key); err != nil {
			return err
		}
	}
	for _, f := range []struct {
		key string
		dst *int
	}{{"Port", &cfg.Port}, {"RequestInterval", &cfg.RequestInterval}, {"FailureThreshold", &cfg.FailureThreshold},
		{"HealthThreshold", &cfg.HealthThreshold}} {
		if *f.dst, err = o.integer(f.key, 0); err != nil {
			return err
		}
	}
	for _, f := range []struct {
		key string
		dst *bool
	}{{"MeasureLatency", &cfg.MeasureLatency}, {"Inverted", &cfg.Inverted}, {"EnableSNI", &cfg.EnableSNI}} {
		b, err := o.boolean(f.key)
		if err != nil {
			return err
		}
		*f.dst = b != nil && *b
	}
	if cfg.Regions, err = o.strs("Regions"); err != nil {
		return err
	}
	if cfg.ChildHealthChecks, err = o.strs("ChildHealthChecks"); err != nil {
		return err
	}
	if o.has("AlarmIdentifier") {
		a, err := o.object("AlarmIdentifier")
		if err != nil {
			return err
		}
		if cfg.AlarmName, err = a.req("Name"); err != nil {
			return err
		}
		if cfg.AlarmRegion, err = a.req("Region"); err != nil {
			return err
		}
	}
	tags, err := p.tagListOf("HealthCheckTags")
	if err != nil {
		return err
	}
	ref := strings.Trim(c.s.physicalName(c.r.def.name, 64), "-")
	h, _, err := c.e().CreateHealthCheck(ref, cfg)
	if err != nil {
		return p.at("HealthCheckConfig", err)
	}
	if len(tags) > 0 {
		if err := c.e().ChangeHealthCheckTags(h.ID, tags, nil); err != nil {
			return p.at("HealthCheckTags", err)
		}
	}
	c.setRef(h.ID)
	c.set("HealthCheckId", h.ID)
	return nil
}
