package engine_test

import (
	"errors"
	"testing"

	"github.com/ecsnet/ecsnet/internal/apierr"
	"github.com/ecsnet/ecsnet/internal/engine"
)

// taskStopped is an "ECS Task State Change" in the shape of the ECS
// developer guide's example.
const taskStopped = `{"version":"0","id":"3317b2af-7005-947d-b652-f55e762e571a","detail-type":"ECS Task State Change",
"source":"aws.ecs","account":"111122223333","time":"2020-01-23T17:57:58Z","region":"us-west-2",
"resources":["arn:aws:ecs:us-west-2:111122223333:task/FargateCluster/c13b4cb40f1f4fe4a2971f76ae5a47ad"],
"detail":{"clusterArn":"arn:aws:ecs:us-west-2:111122223333:cluster/FargateCluster","lastStatus":"STOPPED","desiredStatus":"STOPPED",
"stopCode":"EssentialContainerExited","launchType":"FARGATE","cpu":"256","group":"family:sample-fargate","version":4,
"containers":[{"name":"app","exitCode":1,"lastStatus":"STOPPED","networkBindings":[]},{"name":"sidecar","exitCode":0,"lastStatus":"STOPPED"}],
"attachments":[{"type":"eni","status":"DELETED","details":[{"name":"privateIPv4Address","value":"10.0.1.17"}]}],
"nothing":null,"tags":{"team":"web"}}}`

// The event patterns of EventBridge's documentation (content filtering:
// exact, prefix, suffix, equals-ignore-case, wildcard, anything-but,
// numeric, exists, cidr, $or, nested fields, arrays) against one ECS
// event.
func TestEventPatternMatches(t *testing.T) {
	ev, err := engine.DecodeEvent([]byte(taskStopped))
	if err != nil {
		t.Fatal(err)
	}
	for pattern, want := range map[string]bool{
		`{"source":["aws.ecs"]}`: true,
		`{"source":["aws.ec2"]}`: false,
		`{"source":["aws.ecs"],"detail-type":["ECS Task State Change"],"detail":{"lastStatus":["STOPPED"]}}`: true,
		`{"source":["aws.ecs"],"detail-type":["ECS Task State Change"],"detail":{"lastStatus":["RUNNING"]}}`: false,
		`{"detail":{"lastStatus":["RUNNING","STOPPED"]}}`:                                                    true,
		`{"detail":{"stopCode":[{"prefix":"Essential"}]}}`:                                                   true,
		`{"detail":{"stopCode":[{"prefix":"essential"}]}}`:                                                   false,
		`{"detail":{"stopCode":[{"prefix":{"equals-ignore-case":"ESSENTIAL"}}]}}`:                            true,
		`{"detail":{"stopCode":[{"suffix":"Exited"}]}}`:                                                      true,
		`{"detail":{"stopCode":[{"equals-ignore-case":"essentialcontainerexited"}]}}`:                        true,
		`{"resources":[{"wildcard":"arn:aws:ecs:*:task/FargateCluster/*"}]}`:                                 true,
		`{"resources":[{"wildcard":"arn:aws:ecs:*:task/Other/*"}]}`:                                          false,
		`{"detail":{"lastStatus":[{"anything-but":"RUNNING"}]}}`:                                             true,
		`{"detail":{"lastStatus":[{"anything-but":["STOPPED","RUNNING"]}]}}`:                                 false,
		`{"detail":{"lastStatus":[{"anything-but":{"prefix":"STOP"}}]}}`:                                     false,
		`{"detail":{"missing":[{"anything-but":"x"}]}}`:                                                      false,
		`{"detail":{"version":[4]}}`:                                                                         true,
		`{"detail":{"version":[4.0]}}`:                                                                       true,
		`{"detail":{"version":["4"]}}`:                                                                       false,
		`{"detail":{"cpu":["256"]}}`:                                                                         true,
		`{"detail":{"cpu":[256]}}`:                                                                           false,
		`{"detail":{"version":[{"numeric":[">",0,"<=",4]}]}}`:                                                true,
		`{"detail":{"version":[{"numeric":[">",4]}]}}`:                                                       false,
		`{"detail":{"cpu":[{"numeric":[">",0]}]}}`:                                                           false,
		`{"detail":{"stopCode":[{"exists":true}]}}`:                                                          true,
		`{"detail":{"stoppedReason":[{"exists":false}]}}`:                                                    true,
		`{"detail":{"stopCode":[{"exists":false}]}}`:                                                         false,
		`{"detail":{"tags":[{"exists":true}]}}`:                                                              false, // exists works on leaves only
		`{"nothere":{"x":[{"exists":false}]}}`:                                                               true,
		`{"detail":{"nothing":[null]}}`:                                                                      true,
		`{"detail":{"stopCode":[null]}}`:                                                                     false,
		`{"detail":{"containers":{"exitCode":[1]}}}`:                                                         true,
		`{"detail":{"containers":{"name":["app"],"exitCode":[0]}}}`:                                          false, // one element must match it all
		`{"detail":{"containers":{"name":["sidecar"],"exitCode":[0]}}}`:                                      true,
		`{"detail":{"attachments":{"details":{"value":[{"cidr":"10.0.0.0/16"}]}}}}`:                          true,
		`{"detail":{"attachments":{"details":{"value":[{"cidr":"10.1.0.0/16"}]}}}}`:                          false,
		`{"detail":{"tags":{"team":["web"]}}}`:                                                               true,
		`{"$or":[{"source":["aws.ec2"]},{"source":["aws.s3"]}]}`:                                             false,
		`{"$or":[{"source":["aws.ec2"]},{"detail":{"lastStatus":["STOPPED"]}}]}`:                             true,
		`{"source":["aws.ecs"],"$or":[{"region":["us-east-1"]},{"account":["111122223333"]}]}`:               true,
	} {
		p, err := engine.ParseEventPattern(pattern)
		if err != nil {
			t.Errorf("%s: %v", pattern, err)
			continue
		}
		if got := p.Matches(ev); got != want {
			t.Errorf("%s: matches %v, want %v", pattern, got, want)
		}
	}
}

// The patterns EventBridge refuses answer InvalidEventPatternException,
// with its reason where public reports show it.
func TestEventPatternInvalid(t *testing.T) {
	for pattern, reason := range map[string]string{
		`{"detail":{"pipeline":{"slug":"some-pipeline"}}}`: `Event pattern is not valid. Reason: "slug" must be an object or an array`,
		`{"detail":{"x":[{"suffix":["created"]}]}}`:        `Event pattern is not valid. Reason: suffix match pattern must be a string`,
		`[]`:                                  "",
		`not json`:                            "",
		`{}`:                                  "",
		`{"source":[]}`:                       "",
		`{"a":[{"numeric":[">"]}]}`:           "",
		`{"a":[{"numeric":["<",5,">",1]}]}`:   "",
		`{"a":[{"nope":1}]}`:                  "",
		`{"a":[{"exists":"yes"}]}`:            "",
		`{"a":[{"prefix":"a","suffix":"b"}]}`: "",
		`{"$or":[{"a":["b"]}]}`:               "",
		`{"a":[{"anything-but":[true]}]}`:     "",
		`{"a":[[1]]}`:                         "",
	} {
		_, err := engine.ParseEventPattern(pattern)
		var ae *apierr.Error
		if !errors.As(err, &ae) || ae.Code != "InvalidEventPatternException" {
			t.Errorf("%s: %v", pattern, err)
			continue
		}
		if reason != "" && ae.Message != reason {
			t.Errorf("%s: %q, want %q", pattern, ae.Message, reason)
		}
	}
}

// Any pattern and event: parsing never panics, and a pattern that parses
// matches without panicking.
func FuzzEventPattern(f *testing.F) {
	f.Add(`{"source":["aws.ecs"],"detail":{"lastStatus":[{"anything-but":"RUNNING"}]}}`, taskStopped)
	f.Add(`{"$or":[{"a":[{"numeric":[">",1,"<",9]}]},{"b":[{"wildcard":"x*y\\*"}]}]}`, `{"a":5,"b":["x1y*"]}`)
	f.Add(`{"a":{"b":[{"exists":false}]},"c":[{"cidr":"10.0.0.0/8"}]}`, `{"a":[{"b":1},{}],"c":"10.2.3.4"}`)
	f.Add(`{"a.b":[{"anything-but":{"prefix":["x","y"]}}],"a":{"c":[1]}}`, `{"a.b":null,"a":{"c":1},"a.c":2}`)
	f.Fuzz(func(t *testing.T, pattern, event string) {
		p, err := engine.ParseEventPattern(pattern)
		if err != nil {
			return
		}
		ev, err := engine.DecodeEvent([]byte(event))
		if err != nil {
			return
		}
		p.Matches(ev)
	})
}
