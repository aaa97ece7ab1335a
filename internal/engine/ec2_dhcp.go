package engine

import (
	"crypto/sha256"
	"encoding/hex"
	"net/netip"
	"slices"
	"strings"

	"github.com/ecsnet/ecsnet/internal/apierr"
	"github.com/ecsnet/ecsnet/internal/model"
)

// dhcpOptionNames are the options a DHCP options set may carry
// (API_CreateDhcpOptions.html).
var dhcpOptionNames = []string{"domain-name", "domain-name-servers", "ntp-servers", "netbios-name-servers", "netbios-node-type", "ipv6-address-preferred-lease-time"}

func errDhcpOptionsNotFound(id model.DhcpOptionsID) error {
	return apierr.Newf("InvalidDhcpOptionID.NotFound", "The dhcpOption ID '%s' does not exist", id)
}

// defaultDhcpOptions returns the region's default DHCP options set,
// creating it the first time a VPC needs it: the domain name EC2 gives
// the region and the Amazon-provided DNS server (DHCPOptionSet.md).
func (t *txn) defaultDhcpOptions() model.DhcpOptionsID {
	for _, d := range sortedValues(t.st.DhcpOptions) {
		if d.IsDefault {
			return d.ID
		}
	}
	domain := t.e.cfg.Region + ".compute.internal"
	if t.e.cfg.Region == "us-east-1" {
		domain = "ec2.internal"
	}
	// Its id is derived from the account and region, not drawn from the id
	// source: creating it does not shift the ids of a scenario's resources.
	sum := sha256.Sum256([]byte(t.e.cfg.Account + "/" + t.e.cfg.Region + "/dhcp-options"))
	d := &model.DhcpOptions{ID: model.DhcpOptionsID("dopt-" + hex.EncodeToString(sum[:])[:17]), IsDefault: true,
		Options: map[string][]string{"domain-name": {domain}, "domain-name-servers": {"AmazonProvidedDNS"}}}
	put(t, model.KindDhcpOptions, t.st.DhcpOptions, d.ID, d)
	return d.ID
}

// CreateDhcpOptions creates a DHCP options set.
func (e *Engine) CreateDhcpOptions(opts map[string][]string, tags model.Tags) (*model.DhcpOptions, error) {
	if len(opts) == 0 {
		return nil, errMissingParameter("dhcpConfiguration")
	}
	for k, v := range opts {
		if !slices.Contains(dhcpOptionNames, k) {
			return nil, errInvalidParameterValue("Value (%s) for parameter name is invalid. Unrecognized DHCP option name", k)
		}
		if len(v) == 0 {
			return nil, errInvalidParameterValue("Value for parameter %s is invalid. The value must not be empty.", k)
		}
		if (k == "domain-name-servers" || k == "ntp-servers" || k == "netbios-name-servers") && len(v) > 4 {
			return nil, errInvalidParameterValue("Value (%s) for parameter %s is invalid. It can contain at most 4 addresses.", strings.Join(v, ","), k)
		}
		if k == "netbios-node-type" {
			for _, x := range v {
				if x != "1" && x != "2" && x != "4" && x != "8" {
					return nil, errInvalidParameterValue("Value (%s) for parameter netbios-node-type is invalid. Valid values are 1, 2, 4 and 8.", x)
				}
			}
		}
		if k == "ntp-servers" || k == "netbios-name-servers" {
			for _, x := range v {
				if _, err := netip.ParseAddr(x); err != nil {
					return nil, errInvalidParameterValue("Value (%s) for parameter %s is invalid. It must be an IP address.", x, k)
				}
			}
		}
	}
	var out *model.DhcpOptions
	err := e.write(func(t *txn) error {
		d := &model.DhcpOptions{ID: model.DhcpOptionsID(t.newID("dopt")), Options: map[string][]string{}, Tags: tags.Clone()}
		for k, v := range opts {
			d.Options[k] = slices.Clone(v)
		}
		put(t, model.KindDhcpOptions, t.st.DhcpOptions, d.ID, d)
		out = d
		return nil
	})
	return out, err
}

func (t *txn) dhcpOptions(id model.DhcpOptionsID) (*model.DhcpOptions, error) {
	if !strings.HasPrefix(string(id), "dopt-") || len(id) == len("dopt-") {
		// AWS's text (aws-samples/aws-control-tower-account-setup-using-step-functions#9).
		return nil, apierr.Newf("InvalidDhcpOptionsId.Malformed", "The dhcp-options ID '%s' is malformed", id)
	}
	d := t.st.DhcpOptions[id]
	if d == nil {
		return nil, errDhcpOptionsNotFound(id)
	}
	return d, nil
}

// DeleteDhcpOptions deletes a set no VPC uses.
func (e *Engine) DeleteDhcpOptions(id model.DhcpOptionsID) error {
	return e.write(func(t *txn) error {
		if _, err := t.dhcpOptions(id); err != nil {
			return err
		}
		for _, v := range t.st.VPCs {
			if v.DhcpOptions == id {
				return apierr.Newf("DependencyViolation", "The dhcpOptions '%s' has dependencies and cannot be deleted.", id)
			}
		}
		del(t, model.KindDhcpOptions, t.st.DhcpOptions, id)
		return nil
	})
}

// AssociateDhcpOptions makes a VPC use a set, or none ("default").
func (e *Engine) AssociateDhcpOptions(id model.DhcpOptionsID, vpc model.VpcID) error {
	return e.write(func(t *txn) error {
		v, err := t.vpc(vpc)
		if err != nil {
			return err
		}
		if id != "default" {
			if _, err := t.dhcpOptions(id); err != nil {
				return err
			}
		}
		nv := *v
		nv.DhcpOptions = id
		put(t, model.KindVPC, t.st.VPCs, nv.ID, &nv)
		return nil
	})
}

// SetDhcpOptionsResolverForwarding records whether a set's own DNS
// servers forward private hosted zone names to the Route 53 Resolver
// (model.DhcpOptions.NoResolverForwarding; a scenario's knob, not an AWS
// call).
func (e *Engine) SetDhcpOptionsResolverForwarding(id model.DhcpOptionsID, forwards bool) error {
	return e.write(func(t *txn) error {
		d, err := t.dhcpOptions(id)
		if err != nil {
			return err
		}
		nd := *d
		nd.NoResolverForwarding = !forwards
		put(t, model.KindDhcpOptions, t.st.DhcpOptions, nd.ID, &nd)
		return nil
	})
}
