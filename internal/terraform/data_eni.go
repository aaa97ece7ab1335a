package terraform

import (
	"sort"
	"strconv"

	"github.com/zclconf/go-cty/cty"

	"github.com/ecsnet/ecsnet/internal/model"
)

// data "aws_network_interface" and data "aws_network_interfaces": the
// account's ENIs by id, filter and tags, as DescribeNetworkInterfaces
// answers them. Configurations look up what AWS made for them this way:
// an NLB's node ENIs by their description ("ELB net/<name>/<id>", which
// is aws_lb's arn_suffix after "ELB ") and subnet, to let the NLB's
// private addresses into the targets' security group
// (turnerlabs/terraform-ecs-fargate-nlb's nsg.tf).

// eniFields are the DescribeNetworkInterfaces filters ecsnet answers, by
// name, for one ENI (single-valued ones; group-id and the address
// filters are matched separately).
func eniFields(n *model.NetworkInterface) map[string]string {
	f := map[string]string{
		"network-interface-id": string(n.ID), "subnet-id": string(n.SubnetID), "vpc-id": string(n.VpcID),
		"availability-zone": n.AvailabilityZone, "description": n.Description, "interface-type": string(n.Type),
		"mac-address": n.MAC, "owner-id": n.OwnerID, "requester-id": n.RequesterID,
		"requester-managed": boolStr(n.RequesterManaged), "source-dest-check": boolStr(n.SourceDestCheck),
		"status": "available",
	}
	if p := n.PrimaryIP(); p.IsValid() {
		f["private-ip-address"] = p.String()
	}
	if n.Attachment != nil {
		f["status"] = "in-use"
		f["attachment.attachment-id"] = string(n.Attachment.ID)
		f["attachment.instance-id"] = string(n.Attachment.InstanceID)
		f["attachment.device-index"] = strconv.Itoa(n.Attachment.DeviceIndex)
		f["attachment.status"] = n.Attachment.Status
	}
	return f
}

// eniMatches adds the multi-valued filters to matches: group-id (any of
// the ENI's groups) and addresses.private-ip-address (any of its
// addresses).
func eniMatches(n *model.NetworkInterface, fs map[string][]string, want map[string]string) bool {
	single := map[string][]string{}
	for k, v := range fs {
		switch k {
		case "group-id":
			ok := false
			for _, g := range n.SecurityGroups {
				ok = ok || matchAny(string(g), v)
			}
			if !ok {
				return false
			}
		case "addresses.private-ip-address", "private-ip-address":
			ok := false
			for _, p := range n.PrivateIPs {
				ok = ok || matchAny(p.Addr.String(), v)
			}
			if !ok {
				return false
			}
		default:
			single[k] = v
		}
	}
	return matches(eniFields(n), n.Tags, single, want)
}

func dataNetworkInterface(c *rctx) error {
	fs := filters(c.o)
	if v := c.o.str("id"); v != "" {
		fs["network-interface-id"] = []string{v}
	}
	want := stringMap(c.o.get("tags"))
	var found []*model.NetworkInterface
	c.read(func(st *model.State) {
		for _, n := range st.NetworkInterfaces {
			if eniMatches(n, fs, want) {
				found = append(found, n)
			}
		}
	})
	if len(found) != 1 {
		return c.dataErr(len(found), "EC2 Network Interface")
	}
	n := found[0]
	c.set("id", string(n.ID))
	c.set("arn", model.EC2ARN(c.l.region, c.l.account, "network-interface/"+string(n.ID)))
	c.set("subnet_id", string(n.SubnetID))
	c.set("vpc_id", string(n.VpcID))
	c.set("availability_zone", n.AvailabilityZone)
	c.set("description", n.Description)
	c.set("interface_type", string(n.Type))
	c.set("mac_address", n.MAC)
	c.set("owner_id", n.OwnerID)
	c.set("requester_id", n.RequesterID)
	c.set("outpost_arn", "")
	primary := n.PrimaryIP()
	c.set("private_ip", primary.String())
	c.set("private_dns_name", model.PrivateDNSName(c.l.region, primary))
	var ips, groups, v6 []string
	var assoc []cty.Value
	for _, p := range n.PrivateIPs {
		ips = append(ips, p.Addr.String())
		if p.Primary && p.PublicIP != nil {
			assoc = append(assoc, cty.ObjectVal(map[string]cty.Value{
				"allocation_id": cty.StringVal(string(p.PublicIP.AllocationID)), "association_id": cty.StringVal(string(p.PublicIP.AssociationID)),
				"carrier_ip": cty.StringVal(""), "customer_owned_ip": cty.StringVal(""), "ip_owner_id": cty.StringVal(p.PublicIP.IPOwnerID),
				"public_dns_name": cty.StringVal(""), "public_ip": cty.StringVal(p.PublicIP.PublicIP.String()),
			}))
		}
	}
	for _, g := range n.SecurityGroups {
		groups = append(groups, string(g))
	}
	for _, a := range n.IPv6 {
		v6 = append(v6, a.String())
	}
	c.out["private_ips"] = strList(ips)
	c.out["security_groups"] = strSet(groups)
	c.out["ipv6_addresses"] = strSet(v6)
	if len(assoc) > 0 {
		c.out["association"] = cty.ListVal(assoc)
	} else {
		c.out["association"] = cty.ListValEmpty(eniAssociationType)
	}
	if a := n.Attachment; a != nil {
		c.out["attachment"] = cty.ListVal([]cty.Value{cty.ObjectVal(map[string]cty.Value{
			"attachment_id": cty.StringVal(string(a.ID)), "device_index": cty.NumberIntVal(int64(a.DeviceIndex)),
			"instance_id": cty.StringVal(string(a.InstanceID)), "instance_owner_id": cty.StringVal(a.InstanceOwnerID),
		})})
	} else {
		c.out["attachment"] = cty.ListValEmpty(cty.Object(map[string]cty.Type{
			"attachment_id": cty.String, "device_index": cty.Number, "instance_id": cty.String, "instance_owner_id": cty.String}))
	}
	if tv := tagVals(n.Tags); len(tv) > 0 {
		c.out["tags"] = cty.MapVal(tv)
	} else {
		c.out["tags"] = cty.MapValEmpty(cty.String)
	}
	return nil
}

var eniAssociationType = cty.Object(map[string]cty.Type{
	"allocation_id": cty.String, "association_id": cty.String, "carrier_ip": cty.String, "customer_owned_ip": cty.String,
	"ip_owner_id": cty.String, "public_dns_name": cty.String, "public_ip": cty.String,
})

// dataNetworkInterfaces lists the ids of the ENIs that match, sorted (the
// provider answers them in DescribeNetworkInterfaces' order, which AWS
// does not document [choice]).
func dataNetworkInterfaces(c *rctx) error {
	fs := filters(c.o)
	want := stringMap(c.o.get("tags"))
	var ids []string
	c.read(func(st *model.State) {
		for _, n := range st.NetworkInterfaces {
			if eniMatches(n, fs, want) {
				ids = append(ids, string(n.ID))
			}
		}
	})
	sort.Strings(ids)
	c.out["ids"] = strList(ids)
	c.set("id", c.l.region)
	return nil
}

// strSet is a set of strings (an empty set for none).
func strSet(ss []string) cty.Value {
	if len(ss) == 0 {
		return cty.SetValEmpty(cty.String)
	}
	vals := make([]cty.Value, len(ss))
	for i, s := range ss {
		vals[i] = cty.StringVal(s)
	}
	return cty.SetVal(vals)
}
