// Package snapshot reads AWS account snapshots: folders of the JSON that the
// aws CLI prints for the ec2, ecs, elbv2, elb, autoscaling and efs
// describe-* calls (and Cloud Map's list-namespaces, get-service and
// list-instances, and Route 53's zones and records),
// in the layout Batfish reads (aws_configs/<region>/*.json), and turns them
// into a model.State inside an engine, so every analyzer command works on a
// real account exactly as it does on a scenario file.
//
// Files may have any name: the top-level keys say what a file holds
// ("Vpcs", "NetworkInterfaces", "tasks", …). Several files of one kind
// merge, as pagination output does. Resources are tied together the way AWS
// ties them: tasks to their ENIs by attachment details, container
// instances to EC2 instances, ENIs to instances by attachment, to load
// balancer nodes by description, to NAT gateways and to endpoints; Cloud
// Map instances to the tasks ECS registered, and a private DNS namespace to
// the VPC its instances live in (Cloud Map's answers do not name it).
//
// A snapshot is judged, never trusted: JSON that cannot be parsed is an
// error naming the file, line and column; JSON that parses but is not
// understood (unknown keys, a top-level array, a value of the wrong type, a
// reference to a resource that is not in the snapshot) is a Warning, and the
// rest still loads. Security groups that ENIs name but the snapshot lacks
// become placeholders without rules, listed in Result.Unknown, so a probe
// that depends on them can be reported as undecidable rather than as a
// verdict. docs/import.md describes the layout, the keys read and these rules.
//
// Write is the inverse: it prints a State as the same describe-* files, for
// round-trip tests and benchmark input.
package snapshot
