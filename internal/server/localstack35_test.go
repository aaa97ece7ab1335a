package server_test

import (
	"errors"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge"
	"github.com/aws/smithy-go"
)

// Behaviours the round-thirty-five run of LocalStack's AWS-validated event
// pattern corpus found (docs/localstack-suite.md, "Round thirty-five";
// tests/aws/services/events/test_events_patterns.py's event_pattern_templates,
// whose names say AWS's answer: _NEG no match, _EXC refused, and
// test_events_patterns.snapshot.json, recorded 2024-12-05, the refusals'
// texts), through the Go SDK's TestEventPattern.

const ls35Envelope = `"id":"1","source":"test-source","detail-type":"test-detail-type","account":"123456789012","region":"us-east-2","time":"2022-07-13T13:48:01Z"`

func TestLocalStackEventPatternAnythingButForms(t *testing.T) {
	em := newEmulator(t, nil)
	eb := eventsClient(em.URL)
	cases := []struct {
		name, detail, pattern string
		want                  bool
	}{
		// anything-but of a prefix, suffix, wildcard or equals-ignore-case list
		{"prefix list", `{"state":"post-init"}`, `{"state":[{"anything-but":{"prefix":["init","test"]}}]}`, true},
		{"prefix list NEG", `{"state":"post-init"}`, `{"state":[{"anything-but":{"prefix":["init","post"]}}]}`, false},
		{"suffix list NEG", `{"FileName":"file.jpg"}`, `{"FileName":[{"anything-but":{"suffix":[".txt",".jpg"]}}]}`, false},
		{"wildcard list", `{"state":"dir/post/dir"}`, `{"state":[{"anything-but":{"wildcard":["*/init/*","*/dir/*"]}}]}`, true},
		{"ignorecase list NEG", `{"state":"Stopped"}`, `{"state":[{"anything-but":{"equals-ignore-case":["initializing","stopped"]}}]}`, false},
		// a null, or a number for a string matcher, is anything but it
		{"null string", `{"state":null}`, `{"state":[{"anything-but":"initializing"}]}`, true},
		{"null prefix", `{"state":null}`, `{"state":[{"anything-but":{"prefix":"init"}}]}`, true},
		{"number prefix", `{"state":12}`, `{"state":[{"anything-but":{"prefix":"init"}}]}`, true},
		{"number wildcard", `{"FilePath":123}`, `{"FilePath":[{"anything-but":{"wildcard":"*/dir/*"}}]}`, true},
		// a missing field matches no anything-but
		{"missing", `{}`, `{"state":[{"anything-but":{"prefix":"init"}}]}`, false},
		// field paths join with "."
		{"dotted event", `{"state.status":"running"}`, `{"state":{"status":["running"]}}`, true},
		{"dotted pattern", `{"state":{"status":"running"}}`, `{"state.status":["running"]}`, true},
		{"dotted event NEG", `{"state.status":{"status":"running"}}`, `{"state":{"status":["running"]}}`, false},
		{"dotted pattern NEG", `{"state":{"status":"running"}}`, `{"state.status":{"status":["running"]}}`, false},
		// Event Ruler's exact match
		{"exact", `{"state":"running"}`, `{"state":[{"exact":"running"}]}`, true},
	}
	for _, c := range cases {
		out, err := eb.TestEventPattern(ctx, &eventbridge.TestEventPatternInput{
			Event:        aws.String(`{` + ls35Envelope + `,"detail":` + c.detail + `}`),
			EventPattern: aws.String(`{"detail":` + c.pattern + `}`),
		})
		if err != nil {
			t.Errorf("%s: TestEventPattern: %v, want Result %v", c.name, err, c.want)
			continue
		}
		if out.Result != c.want {
			t.Errorf("%s: Result = %v, want %v", c.name, out.Result, c.want)
		}
	}
}

func TestLocalStackEventPatternRefusals(t *testing.T) {
	em := newEmulator(t, nil)
	eb := eventsClient(em.URL)
	cases := []struct{ pattern, reason string }{
		{`{"s":[{"anything-but":{"prefix":[123,"test"]}}]}`, "prefix/suffix match pattern must be a string"},
		{`{"s":[{"anything-but":{"suffix":123}}]}`, "prefix/suffix match pattern must be a string"},
		{`{"s":[{"anything-but":{"wildcard":[123,"*/dir/*"]}}]}`, "wildcard match pattern must be a string"},
		{`{"s":[{"anything-but":{"equals-ignore-case":[123,456]}}]}`, "Inside anything-but/equals-ignore-case list, number|start|null|boolean is not supported."},
		{`{"s":[{"anything-but":{"prefix":{"equals-ignore-case":"file"}}}]}`, "Value of anything-but must be an array or single string/number value."},
		{`{"s":[{"anything-but":null}]}`, "Value of anything-but must be an array or single string/number value."},
		{`{"s":[{"anything-but":{"prefix":""}}]}`, "Null prefix/suffix not allowed"},
		{`{"s":[{"cidr":["bad-type"]}]}`, "prefix match pattern must be a string"},
		{`{"s":[{"cidr":"bad-filter"}]}`, "Malformed CIDR, one '/' required"},
		{`{"s":[{"cidr":"bad-/64filter"}]}`, "Malformed CIDR, mask bits must be an integer"},
		{`{"s":[{"cidr":"xx.11.xx/8"}]}`, "Nonstandard IP address: xx.11.xx"},
		{`{"s":[{"cidr":"xxxx:db8:1234:1a00::/64"}]}`, "Nonstandard IP address: xxxx:db8:1234:1a00::"},
		{`{"s":[{"numeric":[">",0,"<"]}]}`, "Value of < must be numeric"},
		// aws/event-ruler JsonRuleCompiler's texts
		{`{"s":[{"anything-but":["a",1]}]}`, "Inside anything but list, either all values are number or string, mixed type is not supported"},
		{`{"s":[{"prefix":{"wildcard":"a"}}]}`, "Unsupported prefix pattern: wildcard"},
		{`{"s":[{"exact":1}]}`, "exact match pattern must be a string"},
	}
	for _, c := range cases {
		_, err := eb.TestEventPattern(ctx, &eventbridge.TestEventPatternInput{
			Event:        aws.String(`{` + ls35Envelope + `,"detail":{"s":"pending"}}`),
			EventPattern: aws.String(`{"detail":` + c.pattern + `}`),
		})
		var ae smithy.APIError
		if !errors.As(err, &ae) {
			t.Errorf("%s: err = %v, want InvalidEventPatternException", c.pattern, err)
			continue
		}
		want := "Event pattern is not valid. Reason: " + c.reason
		if ae.ErrorCode() != "InvalidEventPatternException" || ae.ErrorMessage() != want {
			t.Errorf("%s: %s %q, want InvalidEventPatternException %q", c.pattern, ae.ErrorCode(), ae.ErrorMessage(), want)
		}
	}
}
