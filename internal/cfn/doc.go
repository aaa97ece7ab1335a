// Package cfn reads AWS CloudFormation templates as an ecsnet SOURCE: it
// parses a template (YAML with the short-form intrinsics, or JSON), resolves
// its parameters, conditions, mappings and intrinsic functions, and deploys
// its resources through the engine in dependency order, as CloudFormation
// would create them on AWS. A template that asks for something AWS rejects
// fails where CloudFormation would fail, with the resource's logical id,
// the file and line, and AWS's error code and message.
//
// Resource types that shape the network (VPC, subnets, gateways, routes,
// security groups, network ACLs, launch templates, instances, Auto Scaling
// groups, ECS clusters, task definitions, services and capacity providers,
// ELBv2 load balancers, listeners, rules and target groups, VPC endpoints)
// are deployed; every other type is listed as skipped, and references to
// it resolve to a placeholder of the right shape. Nested stacks
// (AWS::CloudFormation::Stack) are read from local files relative to the
// parent template. docs/import.md describes what is supported.
package cfn
