package engine

import (
	"reflect"
	"slices"
	"strings"

	"github.com/ecsnet/ecsnet/internal/apierr"
	"github.com/ecsnet/ecsnet/internal/model"
)

// healthCheckQuota is Route 53's default quota of health checks per
// account (Route 53 Developer Guide, "Quotas on health checks": 200).
const healthCheckQuota = 200

// healthCheckTypes are HealthCheckConfig's Type values (botocore's
// HealthCheckType enum).
var healthCheckTypes = []string{"HTTP", "HTTPS", "HTTP_STR_MATCH", "HTTPS_STR_MATCH", "TCP", "CALCULATED", "CLOUDWATCH_METRIC", "RECOVERY_CONTROL"}

func errNoSuchHealthCheck(id string) error {
	return apierr.Newf("NoSuchHealthCheck", "No health check exists with the specified ID %s", id)
}

func healthCheckInvalid(format string, args ...any) error {
	return apierr.Newf("InvalidInput", format, args...)
}

// checkHealthCheckConfig validates a health check's configuration and
// fills its defaults (the API reference's HealthCheckConfig: a
// RequestInterval of 30, a FailureThreshold of 3, port 80 or 443 for an
// HTTP or HTTPS check by IP address).
func checkHealthCheckConfig(c *model.Route53HealthCheckConfig) error {
	if !slices.Contains(healthCheckTypes, c.Type) {
		return healthCheckInvalid("Invalid parameter value: Type must be one of %s", strings.Join(healthCheckTypes, ", "))
	}
	if c.RequestInterval == 0 {
		c.RequestInterval = 30
	}
	if c.RequestInterval != 10 && c.RequestInterval != 30 {
		return healthCheckInvalid("Invalid parameter value: RequestInterval must be 10 or 30")
	}
	if c.FailureThreshold == 0 {
		c.FailureThreshold = 3
	}
	if c.FailureThreshold < 1 || c.FailureThreshold > 10 {
		return healthCheckInvalid("Invalid parameter value: FailureThreshold must be between 1 and 10")
	}
	// AWS's texts for a configuration that mixes types' members
	// (aws/aws-sdk-php#1527 and #1528, aws/aws-cli#3188).
	if c.AlarmName != "" && c.Type != "CLOUDWATCH_METRIC" && c.Type != "CALCULATED" && c.Type != "RECOVERY_CONTROL" {
		return healthCheckInvalid("Invalid parameter : Basic health checks must not have an metric region specified.")
	}
	if c.Type == "TCP" && c.IPAddress != "" && c.FQDN != "" {
		return healthCheckInvalid("TCP health checks that have IP address must not have a fully qualified domain name specified.")
	}
	switch c.Type {
	case "CALCULATED":
		if c.HealthThreshold < 0 || c.HealthThreshold > 256 {
			return healthCheckInvalid("Invalid parameter value: HealthThreshold must be between 0 and 256")
		}
		return nil
	case "CLOUDWATCH_METRIC":
		if c.AlarmName == "" || c.AlarmRegion == "" {
			return healthCheckInvalid("Invalid parameter value: AlarmIdentifier is required for a health check of type CLOUDWATCH_METRIC")
		}
		return nil
	case "RECOVERY_CONTROL":
		if c.RoutingControlArn == "" {
			return healthCheckInvalid("Invalid parameter value: RoutingControlArn is required for a health check of type RECOVERY_CONTROL")
		}
		return nil
	}
	if c.IPAddress == "" && c.FQDN == "" {
		return healthCheckInvalid("Invalid parameter value: one of IPAddress or FullyQualifiedDomainName is required for a health check of type %s", c.Type)
	}
	if strings.HasSuffix(c.Type, "_STR_MATCH") && c.SearchString == "" {
		return healthCheckInvalid("Invalid parameter value: SearchString is required for a health check of type %s", c.Type)
	}
	if c.Port == 0 {
		switch {
		case c.Type == "TCP":
			return healthCheckInvalid("Invalid parameter value: Port is required for a health check of type TCP")
		case strings.HasPrefix(c.Type, "HTTPS"):
			c.Port = 443
		default:
			c.Port = 80
		}
	}
	if c.Port < 1 || c.Port > 65535 {
		return healthCheckInvalid("Invalid parameter value: Port must be between 1 and 65535")
	}
	if strings.HasPrefix(c.Type, "HTTPS") && !c.EnableSNI && c.FQDN != "" {
		c.EnableSNI = true
	}
	return nil
}

// CreateHealthCheck creates a Route 53 health check. A second request with
// the CallerReference of an existing check returns that check when its
// configuration is the same, else HealthCheckAlreadyExists.
func (e *Engine) CreateHealthCheck(callerReference string, cfg model.Route53HealthCheckConfig) (hc *model.Route53HealthCheck, created bool, err error) {
	if err := checkHealthCheckConfig(&cfg); err != nil {
		return nil, false, err
	}
	err = e.write(func(t *txn) error {
		for _, h := range t.st.HealthChecks {
			if h.CallerReference != callerReference {
				continue
			}
			if !reflect.DeepEqual(h.Config, cfg) {
				return apierr.Newf("HealthCheckAlreadyExists", "A health check with the CallerReference %s already exists and has a different configuration.", callerReference)
			}
			hc = h
			return nil
		}
		if len(t.st.HealthChecks) >= healthCheckQuota {
			return apierr.Newf("TooManyHealthChecks", "The maximum number of health checks (%d) has been reached.", healthCheckQuota)
		}
		hc = &model.Route53HealthCheck{ID: t.uuid(), CallerReference: callerReference, Version: 1, Config: cfg}
		put(t, model.KindHealthCheck, t.st.HealthChecks, hc.ID, hc)
		created = true
		return nil
	})
	return hc, created, err
}

// HealthCheck returns a health check by id.
func HealthCheck(st *model.State, id string) (*model.Route53HealthCheck, error) {
	if h := st.HealthChecks[id]; h != nil {
		return h, nil
	}
	return nil, errNoSuchHealthCheck(id)
}

// UpdateHealthCheck changes a health check's configuration with fn; a
// version other than 0 must be the check's (HealthCheckVersionMismatch).
// Type and RequestInterval cannot change (UpdateHealthCheckRequest has
// neither).
func (e *Engine) UpdateHealthCheck(id string, version int, fn func(*model.Route53HealthCheckConfig)) (*model.Route53HealthCheck, error) {
	var out *model.Route53HealthCheck
	err := e.write(func(t *txn) error {
		h, err := HealthCheck(t.st, id)
		if err != nil {
			return err
		}
		if version != 0 && version != h.Version {
			return apierr.Newf("HealthCheckVersionMismatch", "The value of HealthCheckVersion in the request (%d) doesn't match the value of HealthCheckVersion in the health check (%d).", version, h.Version)
		}
		c := *h
		c.Config.Regions = slices.Clone(h.Config.Regions)
		c.Config.ChildHealthChecks = slices.Clone(h.Config.ChildHealthChecks)
		fn(&c.Config)
		if err := checkHealthCheckConfig(&c.Config); err != nil {
			return err
		}
		c.Version++
		put(t, model.KindHealthCheck, t.st.HealthChecks, c.ID, &c)
		out = &c
		return nil
	})
	return out, err
}

// DeleteHealthCheck deletes a health check. Route 53 does not refuse one
// that record sets refer to (DeleteHealthCheck: "Amazon Route 53 does not
// prevent you from deleting a health check even if the health check is
// associated with one or more resource record sets"; HealthCheckInUse
// "is not in use").
func (e *Engine) DeleteHealthCheck(id string) error {
	return e.write(func(t *txn) error {
		if _, err := HealthCheck(t.st, id); err != nil {
			return err
		}
		del(t, model.KindHealthCheck, t.st.HealthChecks, id)
		return nil
	})
}

// ChangeHealthCheckTags adds and removes a health check's tags.
func (e *Engine) ChangeHealthCheckTags(id string, add model.Tags, remove []string) error {
	return e.write(func(t *txn) error {
		h, err := HealthCheck(t.st, id)
		if err != nil {
			return err
		}
		c := *h
		c.Tags = h.Tags.Changed(add, remove)
		put(t, model.KindHealthCheck, t.st.HealthChecks, c.ID, &c)
		return nil
	})
}

// checkRecordHealthCheck refuses a record set whose HealthCheckId names
// no health check (ChangeResourceRecordSets' NoSuchHealthCheck).
func checkRecordHealthCheck(st *model.State, id string) error {
	if id == "" || st.HealthChecks[id] != nil {
		return nil
	}
	return errNoSuchHealthCheck(id)
}
