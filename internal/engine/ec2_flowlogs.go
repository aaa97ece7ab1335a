package engine

import (
	"strings"

	"github.com/ecsnet/ecsnet/internal/apierr"
	"github.com/ecsnet/ecsnet/internal/model"
)

// DefaultFlowLogFormat is the record format of a flow log created without
// LogFormat: the version 2 fields (flow-log-records.md, "Default format").
const DefaultFlowLogFormat = "${version} ${account-id} ${interface-id} ${srcaddr} ${dstaddr} ${srcport} ${dstport} ${protocol} ${packets} ${bytes} ${start} ${end} ${action} ${log-status}"

func errFlowLogNotFound(id model.FlowLogID) error {
	return apierr.Newf("InvalidFlowLogId.NotFound", "These flow log ids in the input list are not found: [TotalCount: 1] %s", id)
}

func errFlowLogParam(msg string) error { return apierr.New("InvalidParameter", msg) }

// FlowLogInput is CreateFlowLogs' request, less its resources.
type FlowLogInput struct {
	ResourceType     string // VPC, Subnet or NetworkInterface
	TrafficType      string
	DestinationType  string // empty: cloud-watch-logs
	Destination      string
	LogGroupName     string
	PermissionARN    string
	CrossAccountRole string
	Format           string
	Aggregation      int // 0: 600
	FileFormat       string
	HiveCompatible   bool
	PerHourPartition bool
	Tags             model.Tags
	// BucketMissing, set by a caller that can see S3's buckets (they live
	// in the partition's global region, not in this engine), says that the
	// bucket of an s3 Destination does not exist: each resource is then an
	// unsuccessful item, "LogDestination: BUCKET does not exist".
	BucketMissing bool
}

// FlowLogBucket returns the bucket an s3 LogDestination ARN names
// (arn:PARTITION:s3:::BUCKET[/FOLDER/], any partition), "" for another
// destination.
func FlowLogBucket(destinationType, destination string) string {
	if destinationType != "s3" {
		return ""
	}
	rest, ok := model.CutS3ARN(destination)
	if !ok {
		return ""
	}
	bucket, _, _ := strings.Cut(rest, "/")
	return bucket
}

// SeeBuckets sets BucketMissing from st, the state of the engine that
// holds S3's buckets (the partition's global region on the emulator):
// EC2's check, shared by its API, CloudFormation's AWS::EC2::FlowLog and
// whatever else creates a flow log where the buckets are known.
func (in *FlowLogInput) SeeBuckets(st *model.State) {
	if bucket := FlowLogBucket(in.DestinationType, in.Destination); bucket != "" {
		in.BucketMissing = st.Buckets[bucket] == nil
	}
}

// FlowLogFailure is one resource CreateFlowLogs could not log.
type FlowLogFailure struct {
	ResourceID string
	Code       string
	Message    string
}

// validate checks a CreateFlowLogs request as EC2 does, before it looks at
// any resource (docs/aws-behavior.md, "Flow logs"), and fills defaults.
func (in *FlowLogInput) validate(region, account string) error {
	switch in.ResourceType {
	case "VPC", "Subnet", "NetworkInterface", "RegionalNatGateway":
	case "TransitGateway", "TransitGatewayAttachment":
		return apierr.Newf("UnsupportedOperation", "ecsnet does not model flow logs of resource type %s", in.ResourceType)
	default:
		return apierr.Newf("InvalidParameterValue", "Value (%s) for parameter resourceType is invalid. Valid values: VPC, Subnet, NetworkInterface, TransitGateway, TransitGatewayAttachment, RegionalNatGateway", in.ResourceType)
	}
	switch in.Aggregation {
	case 0:
		in.Aggregation = 600
	case 60, 600:
	default:
		return errFlowLogParam("Invalid Flow Log Max Aggregation Interval")
	}
	if in.DestinationType == "" {
		in.DestinationType = "cloud-watch-logs"
	}
	switch in.DestinationType {
	case "cloud-watch-logs", "s3", "kinesis-data-firehose":
	default:
		return apierr.Newf("InvalidParameterValue", "Value (%s) for parameter logDestinationType is invalid. Valid values: cloud-watch-logs, s3, kinesis-data-firehose", in.DestinationType)
	}
	if in.LogGroupName != "" && in.Destination != "" {
		return errFlowLogParam("Please only provide LogGroupName or only provide LogDestination.")
	}
	if in.LogGroupName != "" && in.DestinationType != "cloud-watch-logs" {
		return errFlowLogParam("LogDestination type must be cloud-watch-logs if LogGroupName is provided.")
	}
	if in.LogGroupName == "" && in.Destination == "" {
		return errFlowLogParam("LogDestination can't be empty if LogGroupName is not provided.")
	}
	switch in.DestinationType {
	case "cloud-watch-logs":
		if in.PermissionARN == "" {
			return errFlowLogParam("DeliverLogsPermissionArn can't be empty if LogDestinationType is cloud-watch-logs.")
		}
		if in.Destination != "" {
			// arn:aws:logs:REGION:ACCOUNT:log-group:NAME (no ":*").
			p := strings.SplitN(in.Destination, ":", 7)
			if len(p) != 7 || p[0] != "arn" || p[2] != "logs" || p[5] != "log-group" || p[6] == "" || strings.Contains(p[6], ":") {
				return errFlowLogParam("LogDestination: " + in.Destination + " is not a valid CloudWatch Logs log group ARN.")
			}
			if p[3] != region {
				return errFlowLogParam("LogDestination must be in the same region as the API caller.")
			}
			in.LogGroupName = p[6]
		} else {
			in.Destination = model.ARN(region, "logs", account, "log-group:"+in.LogGroupName)
		}
	case "s3":
		if in.PermissionARN != "" {
			return errFlowLogParam("DeliverLogsPermissionArn is not applicable for s3 delivery")
		}
		if rest, ok := model.CutS3ARN(in.Destination); !ok || rest == "" {
			return errFlowLogParam("LogDestination: " + in.Destination + " is not a valid S3 bucket ARN.")
		}
	case "kinesis-data-firehose":
		if _, ok := model.CutARN(in.Destination, "firehose"); !ok {
			return errFlowLogParam("LogDestination: " + in.Destination + " is not a valid Kinesis Data Firehose delivery stream ARN.")
		}
	}
	switch in.TrafficType {
	case "ACCEPT", "REJECT", "ALL":
	case "":
		return apierr.New("MissingParameter", "The request must contain the parameter TrafficType")
	default:
		return apierr.Newf("InvalidParameterValue", "Value (%s) for parameter trafficType is invalid. Valid values: ACCEPT, REJECT, ALL", in.TrafficType)
	}
	if in.Format == "" {
		in.Format = DefaultFlowLogFormat
	}
	if in.DestinationType == "s3" {
		if in.FileFormat == "" {
			in.FileFormat = "plain-text"
		}
	} else if in.FileFormat != "" || in.HiveCompatible || in.PerHourPartition {
		return errFlowLogParam("DestinationOptions is only applicable for s3 delivery")
	}
	return nil
}

// flowLogResource checks that the resource a flow log names exists.
func (t *txn) flowLogResource(typ, id string) error {
	var err error
	switch typ {
	case "VPC":
		_, err = t.vpc(model.VpcID(id))
	case "Subnet":
		_, err = t.subnet(model.SubnetID(id))
	case "NetworkInterface":
		_, err = t.eni(model.NetworkInterfaceID(id))
	case "RegionalNatGateway":
		// A regional NAT gateway has no interface of the account's
		// subnets, so its flow logs are its own resource type; a zonal
		// gateway's traffic is logged by its network interface
		// ([probable]: code and text).
		ng := t.st.NatGateways[model.NatGatewayID(id)]
		switch {
		case ng == nil || ng.State == "deleted":
			err = errNatNotFound(model.NatGatewayID(id))
		case !ng.Regional():
			err = errInvalidParameterValue("NAT gateway %s is not a regional NAT gateway; log its network interface (resource type NetworkInterface).", id)
		}
	}
	return err
}

// CreateFlowLogs creates one flow log per resource. A resource that does
// not exist is an unsuccessful item, not an error; a flow log that would
// repeat an existing one (same resource, traffic type and destination)
// fails the whole request with FlowLogAlreadyExists.
func (e *Engine) CreateFlowLogs(resources []string, in FlowLogInput) ([]model.FlowLogID, []FlowLogFailure, error) {
	if len(resources) == 0 {
		return nil, nil, apierr.New("MissingParameter", "The request must contain the parameter ResourceId")
	}
	var ids []model.FlowLogID
	var failed []FlowLogFailure
	err := e.write(func(t *txn) error {
		if err := in.validate(t.st.Region, t.st.Account); err != nil {
			return err
		}
		for _, r := range resources {
			if err := t.flowLogResource(in.ResourceType, r); err != nil {
				code, msg := "400", err.Error()
				if ae, ok := err.(*apierr.Error); ok {
					code, msg = ae.Code, ae.Message
				}
				failed = append(failed, FlowLogFailure{ResourceID: r, Code: code, Message: msg})
				continue
			}
			if in.BucketMissing {
				failed = append(failed, FlowLogFailure{ResourceID: r, Code: "400",
					Message: "LogDestination: " + FlowLogBucket(in.DestinationType, in.Destination) + " does not exist"})
				continue
			}
			for _, f := range t.st.FlowLogs {
				if f.ResourceID == r && f.TrafficType == in.TrafficType && f.DestinationType == in.DestinationType && f.Destination == in.Destination {
					return apierr.New("FlowLogAlreadyExists", "Error. There is an existing Flow Log with the same configuration and log destination.")
				}
			}
			f := &model.FlowLog{
				ID: model.FlowLogID(t.newID("fl")), ResourceID: r, ResourceType: in.ResourceType,
				TrafficType: in.TrafficType, DestinationType: in.DestinationType, Destination: in.Destination,
				LogGroupName: in.LogGroupName, PermissionARN: in.PermissionARN, CrossAccountRole: in.CrossAccountRole,
				Format: in.Format, AggregationSeconds: in.Aggregation, FileFormat: in.FileFormat,
				HiveCompatible: in.HiveCompatible, PerHourPartition: in.PerHourPartition,
				Created: t.now, Tags: in.Tags.Clone(),
			}
			put(t, model.KindFlowLog, t.st.FlowLogs, f.ID, f)
			ids = append(ids, f.ID)
		}
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	return ids, failed, nil
}

// DeleteFlowLogs deletes flow logs. If any id is unknown nothing is
// deleted and the error lists every unknown id.
func (e *Engine) DeleteFlowLogs(ids []model.FlowLogID) error {
	if len(ids) == 0 {
		return apierr.New("MissingParameter", "The request must contain the parameter FlowLogId")
	}
	return e.write(func(t *txn) error {
		var missing []string
		for _, id := range ids {
			if t.st.FlowLogs[id] == nil {
				missing = append(missing, string(id))
			}
		}
		if len(missing) > 0 {
			return apierr.Newf("InvalidFlowLogId.NotFound", "These flow log ids in the input list are not found: [TotalCount: %d] %s", len(missing), strings.Join(missing, " "))
		}
		for _, id := range ids {
			del(t, model.KindFlowLog, t.st.FlowLogs, id)
		}
		return nil
	})
}

func errCarrierGatewayNotFound(id model.CarrierGatewayID) error {
	return apierr.Newf("InvalidCarrierGatewayID.NotFound", "The CarrierGateway ID '%s' does not exist", id)
}

// CreateCarrierGateway creates a carrier gateway for vpc, available at
// once.
func (e *Engine) CreateCarrierGateway(vpc model.VpcID, tags model.Tags) (*model.CarrierGateway, error) {
	var out *model.CarrierGateway
	err := e.write(func(t *txn) error {
		if _, err := t.vpc(vpc); err != nil {
			return err
		}
		out = &model.CarrierGateway{ID: model.CarrierGatewayID(t.newID("cagw")), VpcID: vpc, Owner: t.st.Account, Tags: tags.Clone()}
		put(t, model.KindCarrierGateway, t.st.CarrierGateways, out.ID, out)
		return nil
	})
	return out, err
}

// DeleteCarrierGateway deletes a carrier gateway and returns it as it was.
func (e *Engine) DeleteCarrierGateway(id model.CarrierGatewayID) (*model.CarrierGateway, error) {
	var out *model.CarrierGateway
	err := e.write(func(t *txn) error {
		if err := checkID(string(id), "cagw", "InvalidCarrierGatewayID.Malformed"); err != nil {
			return err
		}
		out = t.st.CarrierGateways[id]
		if out == nil {
			return errCarrierGatewayNotFound(id)
		}
		del(t, model.KindCarrierGateway, t.st.CarrierGateways, id)
		return nil
	})
	return out, err
}

// dropFlowLogs removes the flow logs of a VPC, subnet or network interface
// being deleted: "flow logs for deleted VPCs are eventually automatically
// removed" (DeleteVpc); ecsnet removes them at once, and those of subnets
// and network interfaces likewise.
func (t *txn) dropFlowLogs(resource string) {
	if len(t.st.FlowLogs) == 0 {
		return
	}
	for id, f := range t.st.FlowLogs {
		if f.ResourceID == resource {
			del(t, model.KindFlowLog, t.st.FlowLogs, id)
		}
	}
}
