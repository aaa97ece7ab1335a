package scenario_test

import (
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/scenario"
)

// buckets: each is created in its region (the file's by default); a
// region the partition lacks, or a name S3 refuses, is an error at the
// bucket's line.
func TestBuckets(t *testing.T) {
	sc, err := scenario.Parse("b.yaml", []byte(`
region: us-east-1
buckets:
  config-eu: {region: eu-west-1}
  config-here: {}
`))
	if err != nil {
		t.Fatal(err)
	}
	b, err := sc.Build()
	if err != nil {
		t.Fatal(err)
	}
	st, _ := b.Engine.Snapshot()
	if x := st.Buckets["config-eu"]; x == nil || x.Region != "eu-west-1" {
		t.Errorf("config-eu: %+v, want eu-west-1", x)
	}
	if x := st.Buckets["config-here"]; x == nil || x.Region != "us-east-1" {
		t.Errorf("config-here: %+v, want us-east-1", x)
	}
	for _, c := range []struct{ body, want string }{
		{"buckets:\n  config-cn: {region: cn-north-1}\n", `b.yaml:2: bucket "config-cn": region "cn-north-1" is not a region of the partition aws`},
		{"buckets:\n  Bad_Name: {}\n", "b.yaml:2: bucket \"Bad_Name\""},
	} {
		sc, err := scenario.Parse("b.yaml", []byte(c.body))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := sc.Build(); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: error %v, want %q", c.body, err, c.want)
		}
	}
}
