package cfn

import (
	"github.com/ecsnet/ecsnet/internal/apierr"
	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

// AWS::EC2::FlowLog: one flow log of one VPC, subnet or network
// interface, stored (it changes no packet's path). Ref: the flow log id;
// Fn::GetAtt Id the same.
func createFlowLog(c *rctx) error {
	p := c.p
	res, err := p.req("ResourceId")
	if err != nil {
		return err
	}
	typ, err := p.req("ResourceType")
	if err != nil {
		return err
	}
	var in engine.FlowLogInput
	in.ResourceType = typ
	for key, dst := range map[string]*string{"TrafficType": &in.TrafficType, "LogDestinationType": &in.DestinationType,
		"LogDestination": &in.Destination, "LogGroupName": &in.LogGroupName, "DeliverLogsPermissionArn": &in.PermissionARN,
		"DeliverCrossAccountRole": &in.CrossAccountRole, "LogFormat": &in.Format} {
		if *dst, err = p.str(key); err != nil {
			return err
		}
	}
	if in.Aggregation, err = p.integer("MaxAggregationInterval", 0); err != nil {
		return err
	}
	if p.has("MaxAggregationInterval") && in.Aggregation == 0 {
		in.Aggregation = -1
	}
	opts, err := p.object("DestinationOptions")
	if err != nil {
		return err
	}
	if in.FileFormat, err = opts.str("FileFormat"); err != nil {
		return err
	}
	for key, dst := range map[string]*bool{"HiveCompatiblePartitions": &in.HiveCompatible, "PerHourPartition": &in.PerHourPartition} {
		b, err := opts.boolean(key)
		if err != nil {
			return err
		}
		*dst = b != nil && *b
	}
	if in.Tags, err = p.tags(); err != nil {
		return err
	}
	if c.s.l.iam != nil {
		// Where S3's buckets are all known (the emulator), a bucket that
		// does not exist fails the resource as EC2 fails each of its
		// resources. The analyzer knows only the template's buckets, so
		// one made elsewhere is taken to exist [choice], as for a load
		// balancer's access logs (checkAccessLogs).
		c.s3e().Read(in.SeeBuckets)
	}
	ids, failed, err := c.e().CreateFlowLogs([]string{res}, in)
	if err != nil {
		return p.at("ResourceId", err)
	}
	if len(failed) > 0 {
		// The handler fails the resource with the first unsuccessful
		// item's message, HandlerErrorCode GeneralServiceException
		// (aws-cloudformation-resource-providers-ec2-flowlog, CreateHandler).
		return p.at("ResourceId", &handlerFailure{code: "GeneralServiceException", err: apierr.New(failed[0].Code, failed[0].Message)})
	}
	c.setRef(string(ids[0]))
	c.set("Id", string(ids[0]))
	return nil
}

func deleteFlowLog(e *engine.Engine, id string) error {
	return e.DeleteFlowLogs([]model.FlowLogID{model.FlowLogID(id)})
}

// AWS::EC2::VPCEndpointService: an endpoint service on Network Load
// Balancers or Gateway Load Balancers, stored. Ref: the service id; Fn::GetAtt ServiceId the same.
func createEndpointService(c *rctx) error {
	p := c.p
	var in engine.EndpointServiceInput
	var err error
	if in.NetworkLBs, err = p.strs("NetworkLoadBalancerArns"); err != nil {
		return err
	}
	if in.GatewayLBs, err = p.strs("GatewayLoadBalancerArns"); err != nil {
		return err
	}
	acc, err := p.boolean("AcceptanceRequired")
	if err != nil {
		return err
	}
	in.AcceptanceRequired = acc == nil || *acc
	if in.Tags, err = p.tags(); err != nil {
		return err
	}
	s, err := c.e().CreateEndpointService(in)
	if err != nil {
		if len(in.GatewayLBs) > 0 {
			return p.at("GatewayLoadBalancerArns", err)
		}
		return p.at("NetworkLoadBalancerArns", err)
	}
	c.setRef(string(s.ID))
	c.set("ServiceId", string(s.ID))
	return nil
}

func deleteEndpointService(e *engine.Engine, id string) error {
	failed, err := e.DeleteEndpointServices([]model.EndpointServiceID{model.EndpointServiceID(id)})
	if err == nil && len(failed) > 0 {
		err = apierr.New(failed[0].Code, failed[0].Message)
	}
	return err
}
