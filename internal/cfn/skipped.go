package cfn

import (
	"strings"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

// nameProps are the properties that name a resource of a skipped type:
// when the template sets one, Ref returns it, as on AWS.
func nameProps() []string {
	return []string{"RoleName", "InstanceProfileName", "PolicyName", "ManagedPolicyName", "LogGroupName",
		"BucketName", "TopicName", "QueueName", "FunctionName", "RepositoryName", "Name", "AlarmName", "KeyName",
		"TableName", "StateMachineName"}
}

// skippedName returns the name a skipped resource has: its name property
// when the template sets one to a plain string, else a generated name.
func skippedName(s *stack, r *resource, max int) string {
	if r.def.props != nil {
		for _, k := range nameProps() {
			if v := r.def.props.get(k); v != nil {
				ev, err := s.eval(v, blockResources)
				if err == nil {
					// the name CloudFormation would give it, dynamic
					// references resolved
					ev, err = s.resolveDynamic(ev)
				}
				if err == nil && ev != nil && ev.kind == scalarNode && ev.str != "" {
					return ev.str
				}
			}
		}
	}
	return s.physicalName(r.def.name, max)
}

// placeholderRef returns what Ref returns for a resource ecsnet does not
// model, in the shape CloudFormation's documentation gives for its type
// (an ARN, a URL, an id or a name).
func placeholderRef(s *stack, r *resource) string {
	cfg := s.l.e.Config()
	part, region, acct := model.Partition(cfg.Region), cfg.Region, cfg.Account
	switch r.def.typ {
	case typeWaitConditionHandle:
		return waitHandleURL(s, r)
	case typeWaitCondition:
		return waitConditionRef(s, r)
	case "AWS::StepFunctions::StateMachine":
		// Ref returns the state machine's ARN; without StateMachineName
		// CloudFormation names it "<logical id>-<12 characters>"
		// ("arn:aws:states:us-east-1:…:stateMachine:StateMachine2E01A3A5-3epBHl7DlSTJ"),
		// without the stack's name.
		name := r.def.name + "-" + s.l.suffix(12)
		if r.def.props.get("StateMachineName") != nil {
			name = skippedName(s, r, 80)
		}
		return "arn:" + part + ":states:" + region + ":" + acct + ":stateMachine:" + name
	case "AWS::SNS::Topic":
		return "arn:" + part + ":sns:" + region + ":" + acct + ":" + skippedName(s, r, 256)
	case "AWS::SQS::Queue":
		return "https://sqs." + region + ".amazonaws.com/" + acct + "/" + skippedName(s, r, 80)
	case "AWS::ACMPCA::CertificateAuthority":
		// Ref and Fn::GetAtt Arn return the private CA's ARN, service
		// acm-pca: "arn:aws:acm-pca:us-east-1:…:certificate-authority/<uuid>"
		// (what a Service Connect TLS IssuerCertificateAuthority takes).
		return "arn:" + part + ":acm-pca:" + region + ":" + acct + ":certificate-authority/" + uuidFrom(s.l.names)
	case "AWS::SecretsManager::Secret":
		return "arn:" + part + ":secretsmanager:" + region + ":" + acct + ":secret:" + skippedName(s, r, 256) + "-" + s.l.suffix(6)
	case "AWS::KMS::Key":
		return uuidFrom(s.l.names)
	case "AWS::Cloud9::EnvironmentEC2":
		// Ref returns the environment's ID, 32 hexadecimal digits (what
		// a console URL ".../cloud9/ide/<id>" names), not its Name.
		return strings.ReplaceAll(uuidFrom(s.l.names), "-", "")
	case "AWS::IAM::ManagedPolicy":
		return "arn:" + part + ":iam::" + acct + ":policy/" + skippedName(s, r, 128)
	case "AWS::ServiceDiscovery::Service":
		return "srv-" + strings.ToLower(s.l.suffix(16))
	case "AWS::ServiceDiscovery::PrivateDnsNamespace", "AWS::ServiceDiscovery::PublicDnsNamespace", "AWS::ServiceDiscovery::HttpNamespace":
		return "ns-" + strings.ToLower(s.l.suffix(16))
	case "AWS::EC2::TransitGateway":
		return "tgw-" + strings.ToLower(s.l.suffix(17))
	case "AWS::EC2::VPCPeeringConnection":
		return "pcx-" + strings.ToLower(s.l.suffix(17))
	case "AWS::EC2::VPNGateway":
		return "vgw-" + strings.ToLower(s.l.suffix(17))
	case "AWS::EC2::EgressOnlyInternetGateway":
		return "eigw-" + strings.ToLower(s.l.suffix(17))
	case "AWS::EC2::NetworkInterface":
		return "eni-" + strings.ToLower(s.l.suffix(17))
	case "AWS::EC2::KeyPair":
		return skippedName(s, r, 255)
	case "AWS::S3::Bucket":
		return strings.ToLower(skippedName(s, r, 63))
	case "AWS::ECR::Repository":
		// Repository names are lowercase: a generated one is lowercased,
		// as for a bucket ("stack-repo-1a2b3c4d5e6f").
		if n := propString(s, r, "RepositoryName"); n != "" {
			return n
		}
		return strings.ToLower(s.physicalName(r.def.name, 256))
	case "AWS::EFS::FileSystem":
		return "fs-" + strings.ToLower(s.l.suffix(17))
	case "AWS::EFS::MountTarget":
		return "fsmt-" + strings.ToLower(s.l.suffix(17))
	case "AWS::EFS::AccessPoint":
		return "fsap-" + strings.ToLower(s.l.suffix(17))
	case "AWS::SSM::PatchBaseline":
		// Ref returns the baseline's ID ("pb-0e392de35e7c563b7"), not
		// its Name.
		return "pb-" + strings.ToLower(s.l.suffix(17))
	case "AWS::SSM::MaintenanceWindow":
		// Ref returns the window's ID, "mw-" and 17 hexadecimal digits.
		return "mw-" + strings.ToLower(s.l.suffix(17))
	case "AWS::SSM::MaintenanceWindowTarget", "AWS::SSM::MaintenanceWindowTask", "AWS::SSM::Association":
		// Ref returns the target's, task's or association's ID, a UUID
		// (an association's Name is its document's).
		return uuidFrom(s.l.names)
	case "AWS::ApiGatewayV2::Api", "AWS::ApiGateway::RestApi":
		// Ref returns the API's ID ("a1bcdef2gh"), not its name.
		return strings.ToLower(s.l.suffix(10))
	case "AWS::ApiGatewayV2::VpcLink", "AWS::ApiGateway::VpcLink", "AWS::ApiGateway::Resource", "AWS::ApiGateway::Deployment":
		return strings.ToLower(s.l.suffix(6))
	case "AWS::ApiGatewayV2::Integration", "AWS::ApiGatewayV2::Route", "AWS::ApiGatewayV2::Authorizer", "AWS::ApiGatewayV2::Deployment":
		return strings.ToLower(s.l.suffix(7))
	case "AWS::ApiGatewayV2::Stage", "AWS::ApiGateway::Stage":
		// Ref returns the stage's name.
		if n := propString(s, r, "StageName"); n != "" {
			return n
		}
	case "AWS::OpenSearchServerless::Collection":
		// Ref returns the collection's ID ("07tjusf2h91cunochc"), not its
		// Name.
		return strings.ToLower(s.l.suffix(20))
	case "AWS::OpenSearchServerless::VpcEndpoint":
		// Ref returns the endpoint's ID ("vpce-050f79086ee71ac05").
		return "vpce-" + strings.ToLower(s.l.suffix(17))
	case "AWS::ElastiCache::CacheCluster", "AWS::ElastiCache::SubnetGroup":
		// Cache cluster and subnet group names are lowercase.
		return strings.ToLower(skippedName(s, r, 40))
	case "AWS::ApplicationAutoScaling::ScalableTarget":
		// Ref returns "ResourceId|ScalableDimension|ServiceNamespace".
		return propString(s, r, "ResourceId") + "|" + propString(s, r, "ScalableDimension") + "|" + propString(s, r, "ServiceNamespace")
	case "AWS::ApplicationAutoScaling::ScalingPolicy":
		// Ref returns the policy's ARN.
		ns, res := propString(s, r, "ServiceNamespace"), propString(s, r, "ResourceId")
		if t := strings.Split(propString(s, r, "ScalingTargetId"), "|"); len(t) == 3 {
			res, ns = t[0], t[2]
		}
		return "arn:" + part + ":autoscaling:" + region + ":" + acct + ":scalingPolicy:" + uuidFrom(s.l.names) +
			":resource/" + ns + "/" + res + ":policyName/" + skippedName(s, r, 256)
	}
	return skippedName(s, r, 128)
}

// propString returns a skipped resource's string property, evaluated, or
// "" when it is not a plain string.
func propString(s *stack, r *resource, key string) string {
	if r.def.props == nil {
		return ""
	}
	v := r.def.props.get(key)
	if v == nil {
		return ""
	}
	ev, err := s.eval(v, blockResources)
	if err != nil || ev == nil || ev.kind != scalarNode {
		return ""
	}
	return ev.str
}

// placeholderAttr returns what Fn::GetAtt returns for a resource ecsnet
// does not model: an ARN of the type's shape for Arn, the name otherwise.
func placeholderAttr(s *stack, r *resource, attr string) string {
	cfg := s.l.e.Config()
	part, region, acct := model.Partition(cfg.Region), cfg.Region, cfg.Account
	name := r.physical
	if r.def.typ == typeWaitCondition && attr == "Data" {
		// The JSON object of the signals' UniqueId and Data: ecsnet
		// receives none, so it is empty [choice].
		return "{}"
	}
	if strings.HasPrefix(name, "arn:") || strings.HasPrefix(name, "https://") {
		// Ref gives an ARN or a URL (SNS, SQS, …): the name is its last part.
		base := name[strings.LastIndexAny(name, ":/")+1:]
		if attr != "Arn" && !strings.HasSuffix(attr, "Arn") {
			return base
		}
		if strings.HasPrefix(name, "arn:") {
			return name
		}
		name = base
	}
	if attr != "Arn" && !strings.HasSuffix(attr, "Arn") {
		switch {
		case r.def.typ == "AWS::ECR::Repository" && attr == "RepositoryUri":
			return acct + ".dkr.ecr." + region + ".amazonaws.com/" + name
		case r.def.typ == "AWS::S3::Bucket" && attr == "DomainName":
			return name + ".s3.amazonaws.com"
		case r.def.typ == "AWS::IAM::Role" && attr == "RoleId":
			return "AROA" + s.l.suffix(17)
		case r.def.typ == "AWS::ApiGatewayV2::Api" && attr == "ApiEndpoint":
			return "https://" + name + ".execute-api." + region + ".amazonaws.com"
		case r.def.typ == "AWS::ApiGateway::RestApi" && attr == "RootResourceId":
			return strings.ToLower(s.l.suffix(10))
		case r.def.typ == "AWS::OpenSearchServerless::Collection" && attr == "CollectionEndpoint":
			return "https://" + name + "." + region + ".aoss.amazonaws.com"
		case r.def.typ == "AWS::OpenSearchServerless::Collection" && attr == "DashboardEndpoint":
			return "https://" + name + "." + region + ".aoss.amazonaws.com/_dashboards"
		case r.def.typ == "AWS::ElastiCache::CacheCluster" && (attr == "RedisEndpoint.Address" || attr == "ConfigurationEndpoint.Address"):
			// "<cluster>.<id>.0001.<region code>.cache.amazonaws.com" for a
			// node; a memcached configuration endpoint has "cfg" for the node.
			node := "0001"
			if attr == "ConfigurationEndpoint.Address" {
				node = "cfg"
			}
			return name + "." + strings.ToLower(s.l.suffix(6)) + "." + node + "." + regionCode(region) + ".cache.amazonaws.com"
		case r.def.typ == "AWS::ElastiCache::CacheCluster" && (attr == "RedisEndpoint.Port" || attr == "ConfigurationEndpoint.Port"):
			if attr == "RedisEndpoint.Port" {
				return "6379"
			}
			return "11211"
		}
		return name
	}
	switch r.def.typ {
	case "AWS::IAM::Role":
		return "arn:" + part + ":iam::" + acct + ":role/" + name
	case "AWS::IAM::InstanceProfile":
		return "arn:" + part + ":iam::" + acct + ":instance-profile/" + name
	case "AWS::IAM::User":
		return "arn:" + part + ":iam::" + acct + ":user/" + name
	case "AWS::Logs::LogGroup":
		return "arn:" + part + ":logs:" + region + ":" + acct + ":log-group:" + name + ":*"
	case "AWS::S3::Bucket":
		return "arn:" + part + ":s3:::" + name
	case "AWS::ECR::Repository":
		return "arn:" + part + ":ecr:" + region + ":" + acct + ":repository/" + name
	case "AWS::SQS::Queue":
		return "arn:" + part + ":sqs:" + region + ":" + acct + ":" + name[strings.LastIndexByte(name, '/')+1:]
	case "AWS::KMS::Key":
		return "arn:" + part + ":kms:" + region + ":" + acct + ":key/" + name
	case "AWS::ServiceDiscovery::Service":
		return "arn:" + part + ":servicediscovery:" + region + ":" + acct + ":service/" + name
	case "AWS::EFS::FileSystem":
		return "arn:" + part + ":elasticfilesystem:" + region + ":" + acct + ":file-system/" + name
	case "AWS::EFS::AccessPoint":
		return "arn:" + part + ":elasticfilesystem:" + region + ":" + acct + ":access-point/" + name
	case "AWS::DynamoDB::Table", "AWS::DynamoDB::GlobalTable":
		arn := "arn:" + part + ":dynamodb:" + region + ":" + acct + ":table/" + name
		if attr == "StreamArn" {
			// The stream's ARN ends in its label, the time it was
			// created: "table/NAME/stream/2015-11-30T20:10:00.000".
			return arn + "/stream/" + epoch().Format("2006-01-02T15:04:05.000")
		}
		return arn
	case "AWS::OpenSearchServerless::Collection":
		return "arn:" + part + ":aoss:" + region + ":" + acct + ":collection/" + name
	case "AWS::Cloud9::EnvironmentEC2":
		return "arn:" + part + ":cloud9:" + region + ":" + acct + ":environment:" + name
	}
	// arn:<partition>:<service>:<region>:<account>:<type>/<name>, from
	// AWS::<Service>::<Type>.
	service, typ := "cloudformation", "resource"
	if parts := strings.Split(r.def.typ, "::"); len(parts) == 3 {
		service, typ = strings.ToLower(parts[1]), strings.ToLower(parts[2])
	}
	return "arn:" + part + ":" + service + ":" + region + ":" + acct + ":" + typ + "/" + name
}

// isCustom reports whether typ is a custom resource type.
func isCustom(typ string) bool {
	return strings.HasPrefix(typ, "Custom::") || typ == "AWS::CloudFormation::CustomResource"
}

// customOutput answers Fn::GetAtt attr of a custom resource r, whose
// function ecsnet does not run, with the output attr of a stack that one
// of r's properties names, when there is one: the answer of a custom
// resource that reads or updates another stack and returns that stack's
// outputs (Copilot's environment controller is given the environment
// stack's name as EnvStack and answers its outputs, HTTPListenerArn among
// them) [choice]. The stacks looked at are those deployed before this one
// in the same run, then the engine's live stacks (the emulator's).
func customOutput(s *stack, r *resource, attr string) (value, stackName string, ok bool) {
	if r.def.props == nil || r.def.props.kind != mapNode {
		return "", "", false
	}
	for _, f := range r.def.props.fields {
		if f.key == "ServiceToken" {
			continue
		}
		s.quiet = true
		v, err := s.eval(f.val, blockResources)
		s.quiet = false
		if err != nil || v == nil || v.kind != scalarNode || v.str == "" {
			continue
		}
		name := v.str
		for _, st := range s.l.deployed {
			if st.Name != name {
				continue
			}
			for _, o := range st.Outputs {
				if o.Name == attr {
					return o.Value, name, true
				}
			}
		}
		var live *model.Stack
		s.l.e.Read(func(state *model.State) { live = engine.LiveStack(state, name) })
		if live == nil || len(live.Waiting) > 0 {
			continue
		}
		for _, o := range live.Outputs {
			if o.Key == attr {
				return o.Value, name, true
			}
		}
	}
	return "", "", false
}

// regionCode is the short code ElastiCache endpoints name a region by
// ("use1" for us-east-1, "apse1" for ap-southeast-1): the country, the
// first letter of each direction word, and the number.
func regionCode(region string) string {
	parts := strings.Split(region, "-")
	if len(parts) < 3 {
		return region
	}
	code := parts[0]
	for _, p := range parts[1 : len(parts)-1] {
		// "southeast" is "se", "central" is "c"
		for _, w := range []string{"north", "south", "east", "west", "central"} {
			if strings.HasPrefix(p, w) {
				code += w[:1]
				p = p[len(w):]
			}
		}
		code += p
	}
	return code + parts[len(parts)-1]
}
