package scenario

import (
	"fmt"
	"slices"
	"strconv"

	"github.com/ecsnet/ecsnet/internal/model"
)

// S3 buckets in scenario files, for what the analyzer needs of them (the
// region of a bucket a task's environment files come from):
//
//	buckets:
//	  config-eu: {region: eu-west-1}   # CreateBucket; region defaults to the file's
//
// The bucket is created (CreateBucket) in the region given, which must be
// one of the partition's.

type bucketSpec struct {
	Region string            `yaml:"region"`
	Tags   map[string]string `yaml:"tags"`
}

// buckets creates the S3 buckets, before the services whose tasks read
// them start.
func (b *builder) buckets(sp *fileSpec) error {
	region := b.e.Config().Region
	for _, x := range sp.Buckets {
		owner := "bucket " + strconv.Quote(x.Name)
		r := x.Value.Region
		if r == "" {
			r = region
		}
		if !slices.Contains(model.Regions(model.Partition(region)), r) {
			return b.fail(x.line("region"), owner, fmt.Errorf("region %q is not a region of the partition %s", r, model.Partition(region)))
		}
		if _, err := b.e.CreateBucket(model.Bucket{Name: x.Name, Region: r, Tags: model.Tags(x.Value.Tags)}); err != nil {
			return b.fail(x.Line, owner, err)
		}
		b.set("bucket", x.Name, x.Name)
	}
	return nil
}
