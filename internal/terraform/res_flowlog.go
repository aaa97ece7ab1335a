package terraform

import (
	"github.com/ecsnet/ecsnet/internal/apierr"
	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

// aws_flow_log: one flow log of a VPC, subnet or network interface,
// stored (it changes no packet's path). The provider's arguments map onto
// CreateFlowLogs: iam_role_arn is DeliverLogsPermissionArn.
func createFlowLog(c *rctx) error {
	var in engine.FlowLogInput
	var res, key string
	for _, r := range []struct{ arg, typ string }{{"vpc_id", "VPC"}, {"subnet_id", "Subnet"}, {"eni_id", "NetworkInterface"},
		{"transit_gateway_id", "TransitGateway"}, {"transit_gateway_attachment_id", "TransitGatewayAttachment"}} {
		if c.o.has(r.arg) {
			if !c.o.get(r.arg).IsKnown() {
				c.skip = r.arg + " depends on a value ecsnet does not know (a resource it does not model)"
				return nil
			}
			res, key, in.ResourceType = c.o.str(r.arg), r.arg, r.typ
		}
	}
	if res == "" {
		return c.errf("vpc_id", "one of `eni_id,subnet_id,transit_gateway_attachment_id,transit_gateway_id,vpc_id` must be specified")
	}
	for _, a := range []string{"log_destination", "log_group_name", "iam_role_arn"} {
		if c.o.has(a) && !c.o.get(a).IsKnown() {
			c.skip = a + " depends on a value ecsnet does not know (a resource it does not model)"
			return nil
		}
	}
	in.TrafficType = c.o.str("traffic_type")
	in.DestinationType = c.o.str("log_destination_type")
	in.Destination = c.o.str("log_destination")
	in.LogGroupName = c.o.str("log_group_name")
	in.PermissionARN = c.o.str("iam_role_arn")
	in.CrossAccountRole = c.o.str("deliver_cross_account_role")
	in.Format = c.o.str("log_format")
	var err error
	if in.Aggregation, err = c.o.integer("max_aggregation_interval", 600); err != nil {
		return err
	}
	if in.DestinationType == "s3" {
		o := c.o.block("destination_options")
		in.FileFormat = o.str("file_format")
		in.HiveCompatible = o.flag("hive_compatible_partitions")
		in.PerHourPartition = o.flag("per_hour_partition")
	}
	in.Tags = c.plainTags()
	ids, failed, err := c.e().CreateFlowLogs([]string{res}, in)
	if err != nil {
		return c.fail(key, err)
	}
	if len(failed) > 0 {
		return c.fail(key, &unsuccessfulItem{resource: res, err: apierr.New(failed[0].Code, failed[0].Message)})
	}
	id := string(ids[0])
	c.created(id, id)
	c.set("arn", model.EC2ARN(c.l.region, c.l.account, "vpc-flow-log/"+id))
	return nil
}

// unsuccessfulItem is an item of CreateFlowLogs' Unsuccessful list as the
// provider's aws_flow_log reports it: "creating Flow Log (RESOURCE):
// RESOURCE: api error CODE: MESSAGE" (its unsuccessfulItemsError, each
// item a smithy GenericAPIError, under "creating Flow Log (%s): %s").
// On the analyzer an S3 destination is taken to exist (ecsnet knows no
// buckets from a configuration), so the items are the resource's own.
type unsuccessfulItem struct {
	resource string
	err      *apierr.Error
}

func (e *unsuccessfulItem) Error() string {
	return "creating Flow Log (" + e.resource + "): " + e.resource + ": api error " + e.err.Code + ": " + e.err.Message
}

func (e *unsuccessfulItem) Unwrap() error { return e.err }

// aws_vpc_endpoint_service: an endpoint service on Network Load
// Balancers or Gateway Load Balancers, stored; allowed_principals become its permissions.
func createEndpointService(c *rctx) error {
	for _, a := range []string{"network_load_balancer_arns", "gateway_load_balancer_arns", "allowed_principals"} {
		if c.o.has(a) && !c.o.get(a).IsWhollyKnown() {
			c.skip = a + " depends on a value ecsnet does not know (a resource it does not model)"
			return nil
		}
	}
	in := engine.EndpointServiceInput{
		NetworkLBs: c.o.strs("network_load_balancer_arns"), GatewayLBs: c.o.strs("gateway_load_balancer_arns"),
		AcceptanceRequired: c.o.flag("acceptance_required"), PrivateDNSName: c.o.str("private_dns_name"), Tags: c.plainTags(),
	}
	s, err := c.e().CreateEndpointService(in)
	if err != nil {
		key := "network_load_balancer_arns"
		if len(in.GatewayLBs) > 0 {
			key = "gateway_load_balancer_arns"
		}
		return c.fail(key, err)
	}
	if ps := c.o.strs("allowed_principals"); len(ps) > 0 {
		if _, err := c.e().ModifyEndpointServicePermissions(s.ID, ps, nil); err != nil {
			return c.fail("allowed_principals", err)
		}
	}
	id := string(s.ID)
	c.created(id, id)
	c.set("arn", model.EC2ARN(c.l.region, c.l.account, "vpc-endpoint-service/"+id))
	c.set("service_name", "com.amazonaws.vpce."+c.l.region+"."+id)
	c.set("service_type", s.Type)
	c.set("state", "Available")
	c.setList("availability_zones", s.Zones)
	if s.Type == "GatewayLoadBalancer" {
		c.setList("base_endpoint_dns_names", nil) // none for a Gateway Load Balancer service
	} else {
		c.setList("base_endpoint_dns_names", []string{id + "." + c.l.region + ".vpce.amazonaws.com"})
	}
	return nil
}
