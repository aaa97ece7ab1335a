package model

import "time"

// PlacementGroupID is an EC2 placement group id (pg-…).
type PlacementGroupID string

// PlacementGroup is an EC2 placement group: how instances launched into
// it are placed on hardware (cluster: close together in one Availability
// Zone; spread: each on its own rack; partition: in partitions that share
// no rack). ecsnet places nothing, but keeps the group, its instances and
// its rules.
type PlacementGroup struct {
	ID       PlacementGroupID
	Name     string
	Strategy string // cluster, spread or partition
	// PartitionCount is a partition group's number of partitions (1 to 7).
	PartitionCount int
	// SpreadLevel is a spread group's level (rack; host on Outposts).
	SpreadLevel string
	Created     time.Time
	Tags        Tags
}

// LaunchTemplatePlacement is a launch template's Placement: the placement
// group its instances launch into (by name) and their partition.
type LaunchTemplatePlacement struct {
	GroupName       string
	PartitionNumber int
	// AvailabilityZone is the template's Placement.AvailabilityZone, kept
	// and answered back; ecsnet's launches take the zone of their subnet.
	AvailabilityZone string `json:",omitempty"`
}
