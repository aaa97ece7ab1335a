// Package dataplane runs a system's network for real: from a converged
// model.State it computes a Plan (network namespaces, veths, bridges,
// addresses, policy routes, nftables rulesets and listeners, as plain
// data) and applies it on the local Linux kernel with netlink and
// nftables, so real packets meet the same security groups, network ACLs,
// route tables, internet gateway and NAT gateways the analyzer (reach)
// reasons about. Every object lives in namespaces it creates; nothing is
// added to the namespace the process started in. A write-ahead record
// lets Down remove a system even after a crash. See docs/dataplane.md.
package dataplane
