package terraform

import (
	"github.com/ecsnet/ecsnet/internal/apierr"
	"github.com/ecsnet/ecsnet/internal/engine"
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
		return c.fail(key, apierr.New(failed[0].Code, failed[0].Message))
	}
	id := string(ids[0])
	c.created(id, id)
	c.set("arn", "arn:aws:ec2:"+c.l.region+":"+c.l.account+":vpc-flow-log/"+id)
	return nil
}
