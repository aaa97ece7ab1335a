// Package model is ecsnet's typed picture of one AWS account in one region:
// VPC networking (VPCs, subnets, route tables, gateways, security groups,
// network ACLs, network interfaces, endpoints), EC2 instances and Auto Scaling
// groups, ECS (clusters, container instances, task definitions, tasks,
// services, capacity providers) and Elastic Load Balancing v2.
//
// The model holds data only: no rules, no I/O, no wire formats. Addresses and
// CIDRs are net/netip values, ports are PortRange, identifiers are distinct
// string types. Rules live in internal/engine, which is the only writer of a
// State; the analyzer in internal/reach only reads one.
//
// Values stored in a State are treated as immutable: the engine replaces a
// resource with a modified copy instead of editing it in place, so a pointer
// read from a State stays valid and unchanged after the engine moves on.
package model
