package collect_test

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
	"github.com/google/go-cmp/cmp"

	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/snapshot"
)

// A task set's tags are describe-task-sets --include TAGS' only
// (describe-services answers a service's task sets without them): the
// collector describes the task sets of each service that has any, and the
// snapshot's task sets carry their tags. Before round thirty-seven they
// were read back untagged.
func TestCollectTaskSetTagsFromServe(t *testing.T) {
	testCredentials(t)
	srv, url := startStepped(t)
	cfg := sdkConfig(t, url)
	deployStepped(t, srv, cfg, corpusStack{name: "shop", template: "internal/cfn/testdata/sweep28/bluegreen.yaml"}, nil)
	e, err := srv.Engine("us-east-1")
	if err != nil {
		t.Fatal(err)
	}
	st, _ := e.Snapshot()
	tagged := 0
	client := ecs.NewFromConfig(cfg)
	for _, s := range st.Services {
		for _, ts := range s.TaskSets {
			_, err := client.TagResource(context.Background(), &ecs.TagResourceInput{ResourceArn: aws.String(ts.ARN),
				Tags: []ecstypes.Tag{{Key: aws.String("team"), Value: aws.String("shop")}, {Key: aws.String("color"), Value: aws.String(ts.Status)}}})
			if err != nil {
				t.Fatal(err)
			}
			tagged++
		}
	}
	if tagged == 0 {
		t.Fatal("no task set to tag")
	}
	live, snap, _ := collectBoth(t, srv, url, nil)
	compareTaskSetTags(t, live, snap, tagged)
	t.Run("scripts/collect.sh", func(t *testing.T) {
		dir, b, err := runCollectScript(t, url)
		if err != nil {
			t.Fatalf("collect.sh: %v\n%s", err, b)
		}
		res, err := snapshot.Load(dir)
		if err != nil {
			t.Fatal(err)
		}
		got, _ := res.Engine.Snapshot()
		compareTaskSetTags(t, live, got, tagged)
	})
}

// compareTaskSetTags compares the tags of live's task sets with snap's.
func compareTaskSetTags(t *testing.T, live, snap *model.State, tagged int) {
	t.Helper()
	n := 0
	for arn, s := range live.Services {
		for _, ts := range s.TaskSets {
			if ts.Tags["team"] != "shop" {
				t.Errorf("live task set %s: tags %v", ts.ID, ts.Tags)
			}
			got := snap.Services[arn]
			if got == nil {
				t.Fatalf("service %s is not in the snapshot", s.Name)
			}
			for _, g := range got.TaskSets {
				if g.ID == ts.ID {
					n++
					if diff := cmp.Diff(ts.Tags, g.Tags); diff != "" {
						t.Errorf("task set %s's tags (-live +snapshot):\n%s", ts.ID, diff)
					}
				}
			}
		}
	}
	if n != tagged {
		t.Errorf("%d task sets compared, %d tagged", n, tagged)
	}
}
