package server_test

import (
	"slices"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge"
	ebtypes "github.com/aws/aws-sdk-go-v2/service/eventbridge/types"
)

// Behaviours the round-thirty-one run of LocalStack's AWS-validated tests
// found (docs/localstack-suite.md, "Round thirty-one"), through the Go SDK.

// A transit gateway without CIDR blocks has no TransitGatewayCidrBlocks in
// its options: AWS leaves the element out rather than answering an empty
// list (tests/aws/services/ec2/resources/test_ec2.snapshot.json,
// test_transit_gateway_attachment, recorded 2025-04-11: the gateway's
// Options have no such key). One with blocks lists them.
func TestLocalStackTransitGatewayWithoutCIDRBlocks(t *testing.T) {
	em := newEmulator(t, nil)
	e := sdkClients(em.URL).ec2
	plain, err := e.CreateTransitGateway(ctx, &ec2.CreateTransitGatewayInput{Description: aws.String("no blocks")})
	must(t, err)
	if got := plain.TransitGateway.Options.TransitGatewayCidrBlocks; got != nil {
		t.Errorf("CreateTransitGateway: TransitGatewayCidrBlocks = %#v, want the element left out", got)
	}
	withBlocks, err := e.CreateTransitGateway(ctx, &ec2.CreateTransitGatewayInput{Description: aws.String("blocks"),
		Options: &ec2types.TransitGatewayRequestOptions{TransitGatewayCidrBlocks: []string{"10.99.0.0/24"}}})
	must(t, err)
	d, err := e.DescribeTransitGateways(ctx, &ec2.DescribeTransitGatewaysInput{
		TransitGatewayIds: []string{aws.ToString(plain.TransitGateway.TransitGatewayId), aws.ToString(withBlocks.TransitGateway.TransitGatewayId)}})
	must(t, err)
	if len(d.TransitGateways) != 2 {
		t.Fatalf("DescribeTransitGateways: %d gateways, want 2", len(d.TransitGateways))
	}
	for _, g := range d.TransitGateways {
		got := g.Options.TransitGatewayCidrBlocks
		switch aws.ToString(g.TransitGatewayId) {
		case aws.ToString(plain.TransitGateway.TransitGatewayId):
			if got != nil {
				t.Errorf("DescribeTransitGateways: TransitGatewayCidrBlocks = %#v, want the element left out", got)
			}
		default:
			if !slices.Equal(got, []string{"10.99.0.0/24"}) {
				t.Errorf("DescribeTransitGateways: TransitGatewayCidrBlocks = %q, want [10.99.0.0/24]", got)
			}
		}
	}
}

// The tags of a rule that is gone: EventBridge names the rule and the bus
// its ARN is of (rule/BUS/NAME), "Rule NAME does not exist on EventBus
// BUS." (tests/aws/services/events/test_events_tags.snapshot.json,
// TestRuleTags::test_list_tags_for_deleted_rule, recorded 2024-05-15).
func TestLocalStackEventsTagsOfDeletedRuleOnCustomBus(t *testing.T) {
	em := newEmulator(t, nil)
	eb := eventsClient(em.URL)
	_, err := eb.CreateEventBus(ctx, &eventbridge.CreateEventBusInput{Name: aws.String("orders")})
	must(t, err)
	rule, err := eb.PutRule(ctx, &eventbridge.PutRuleInput{Name: aws.String("paid"), EventBusName: aws.String("orders"),
		EventPattern: aws.String(`{"source":["shop"]}`)})
	must(t, err)
	_, err = eb.DeleteRule(ctx, &eventbridge.DeleteRuleInput{Name: aws.String("paid"), EventBusName: aws.String("orders")})
	must(t, err)
	_, err = eb.ListTagsForResource(ctx, &eventbridge.ListTagsForResourceInput{ResourceARN: rule.RuleArn})
	wantEventsError(t, "ListTagsForResource of a deleted rule", err, "ResourceNotFoundException", "Rule paid does not exist on EventBus orders.")
	_, err = eb.TagResource(ctx, &eventbridge.TagResourceInput{ResourceARN: rule.RuleArn,
		Tags: []ebtypes.Tag{{Key: aws.String("k"), Value: aws.String("v")}}})
	wantEventsError(t, "TagResource of a deleted rule", err, "ResourceNotFoundException", "Rule paid does not exist on EventBus orders.")
}

// The default event bus is tagged like a custom one: TagResource,
// ListTagsForResource and UntagResource on its ARN
// (tests/aws/services/events/test_events_tags.snapshot.json,
// tests_tag_untag_resource[event_bus-event_bus_default] and
// test_recreate_tagged_resource_without_tags[event_bus-event_bus_default],
// recorded 2024-05-16); it is still listed once by ListEventBuses.
func TestLocalStackEventsTagDefaultBus(t *testing.T) {
	em := newEmulator(t, nil)
	eb := eventsClient(em.URL)
	bus, err := eb.DescribeEventBus(ctx, &eventbridge.DescribeEventBusInput{})
	must(t, err)
	_, err = eb.TagResource(ctx, &eventbridge.TagResourceInput{ResourceARN: bus.Arn,
		Tags: []ebtypes.Tag{{Key: aws.String("tag1"), Value: aws.String("value1")}, {Key: aws.String("tag2"), Value: aws.String("value2")}}})
	must(t, err)
	_, err = eb.UntagResource(ctx, &eventbridge.UntagResourceInput{ResourceARN: bus.Arn, TagKeys: []string{"tag2", "missing"}})
	must(t, err)
	tags, err := eb.ListTagsForResource(ctx, &eventbridge.ListTagsForResourceInput{ResourceARN: bus.Arn})
	must(t, err)
	if len(tags.Tags) != 1 || aws.ToString(tags.Tags[0].Key) != "tag1" || aws.ToString(tags.Tags[0].Value) != "value1" {
		t.Errorf("ListTagsForResource(default bus) = %+v, want tag1=value1", tags.Tags)
	}
	list, err := eb.ListEventBuses(ctx, &eventbridge.ListEventBusesInput{})
	must(t, err)
	if len(list.EventBuses) != 1 || aws.ToString(list.EventBuses[0].Name) != "default" {
		t.Errorf("ListEventBuses: %d buses, want default once", len(list.EventBuses))
	}
	d, err := eb.DescribeEventBus(ctx, &eventbridge.DescribeEventBusInput{Name: aws.String("default")})
	must(t, err)
	if aws.ToString(d.Arn) != aws.ToString(bus.Arn) {
		t.Errorf("DescribeEventBus(default).Arn = %q, want %q", aws.ToString(d.Arn), aws.ToString(bus.Arn))
	}
}
