package server_test

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	cwtypes "github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"
	"github.com/aws/smithy-go/middleware"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

func cloudwatchClient(url string) *cloudwatch.Client {
	return cloudwatch.NewFromConfig(sdkConfig(), func(o *cloudwatch.Options) { o.BaseEndpoint = aws.String(url) })
}

// The Go SDK v2 speaks CloudWatch's RPC v2 CBOR protocol (Smithy-Protocol:
// rpc-v2-cbor): alarms round-trip through it, timestamps as CBOR tag 1,
// errors with their Query codes; the same alarm is read back through the
// Query protocol (a form, as Terraform's provider sends it).
func TestCloudWatchAlarmsCBOR(t *testing.T) {
	em := newEmulator(t, nil)
	var protocols []string // the Smithy-Protocol header of each answer
	c := cloudwatch.NewFromConfig(sdkConfig(), func(o *cloudwatch.Options) {
		o.BaseEndpoint = aws.String(em.URL)
		o.APIOptions = append(o.APIOptions, func(st *middleware.Stack) error {
			return st.Deserialize.Add(middleware.DeserializeMiddlewareFunc("protocol", func(ctx context.Context, in middleware.DeserializeInput,
				next middleware.DeserializeHandler) (middleware.DeserializeOutput, middleware.Metadata, error) {
				out, md, err := next.HandleDeserialize(ctx, in)
				if r, ok := out.RawResponse.(*smithyhttp.Response); ok {
					protocols = append(protocols, r.Header.Get("Smithy-Protocol")+" "+r.Header.Get("Content-Type"))
				}
				return out, md, err
			}), middleware.After)
		})
	})
	in := &cloudwatch.PutMetricAlarmInput{AlarmName: aws.String("cpu"), ComparisonOperator: cwtypes.ComparisonOperatorGreaterThanThreshold,
		EvaluationPeriods: aws.Int32(3), MetricName: aws.String("CPUUtilization"), Namespace: aws.String("AWS/ECS"),
		Statistic: cwtypes.StatisticAverage, Period: aws.Int32(300), Threshold: aws.Float64(80.5), DatapointsToAlarm: aws.Int32(2),
		Dimensions:   []cwtypes.Dimension{{Name: aws.String("ClusterName"), Value: aws.String("c")}},
		AlarmActions: []string{"arn:aws:sns:us-east-1:123456789012:ops"}, Tags: []cwtypes.Tag{{Key: aws.String("a"), Value: aws.String("b")}}}
	_, err := c.PutMetricAlarm(ctx, in)
	must(t, err)
	bad := *in
	bad.ComparisonOperator = "Bigger"
	if _, err := c.PutMetricAlarm(ctx, &bad); apiCode(err) != "ValidationError" || !strings.Contains(err.Error(), "comparisonOperator") {
		t.Errorf("a bad ComparisonOperator: %v", err)
	}
	bad = *in
	bad.Period = aws.Int32(90)
	if _, err := c.PutMetricAlarm(ctx, &bad); apiCode(err) != "ValidationError" {
		t.Errorf("Period 90: %v", err)
	}
	out, err := c.DescribeAlarms(ctx, &cloudwatch.DescribeAlarmsInput{AlarmNames: []string{"cpu"}})
	must(t, err)
	if len(out.MetricAlarms) != 1 {
		t.Fatalf("alarms: %+v", out.MetricAlarms)
	}
	a := out.MetricAlarms[0]
	if aws.ToFloat64(a.Threshold) != 80.5 || aws.ToInt32(a.Period) != 300 || aws.ToInt32(a.DatapointsToAlarm) != 2 ||
		a.StateValue != cwtypes.StateValueInsufficientData || a.StateUpdatedTimestamp == nil || a.StateUpdatedTimestamp.IsZero() ||
		len(a.Dimensions) != 1 || aws.ToString(a.Dimensions[0].Value) != "c" || len(a.AlarmActions) != 1 || !aws.ToBool(a.ActionsEnabled) {
		t.Errorf("alarm: %+v", a)
	}
	_, err = c.SetAlarmState(ctx, &cloudwatch.SetAlarmStateInput{AlarmName: aws.String("cpu"), StateValue: cwtypes.StateValueAlarm, StateReason: aws.String("test")})
	must(t, err)
	if _, err := c.SetAlarmState(ctx, &cloudwatch.SetAlarmStateInput{AlarmName: aws.String("nope"), StateValue: cwtypes.StateValueOk, StateReason: aws.String("x")}); apiCode(err) != "ResourceNotFound" {
		t.Errorf("SetAlarmState of no alarm: %v", err)
	}
	tags, err := c.ListTagsForResource(ctx, &cloudwatch.ListTagsForResourceInput{ResourceARN: a.AlarmArn})
	must(t, err)
	if len(tags.Tags) != 1 || aws.ToString(tags.Tags[0].Key) != "a" {
		t.Errorf("tags: %+v", tags.Tags)
	}

	// The same alarm through the Query protocol.
	form := url.Values{"Action": {"DescribeAlarms"}, "Version": {"2010-08-01"}, "AlarmNames.member.1": {"cpu"}}
	req, _ := http.NewRequest("POST", em.URL, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/monitoring/aws4_request, SignedHeaders=host, Signature=x")
	resp, err := http.DefaultClient.Do(req)
	must(t, err)
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	for _, want := range []string{"<DescribeAlarmsResult>", "<AlarmName>cpu</AlarmName>", "<StateValue>ALARM</StateValue>", "<Threshold>80.5</Threshold>"} {
		if !strings.Contains(string(body), want) {
			t.Errorf("Query answer lacks %s: %s", want, body)
		}
	}

	for _, p := range protocols {
		if p != "rpc-v2-cbor application/cbor" {
			t.Errorf("an answer in %q, want RPC v2 CBOR", p)
		}
	}
	if len(protocols) < 5 {
		t.Errorf("%d answers seen", len(protocols))
	}
	_, err = c.DeleteAlarms(ctx, &cloudwatch.DeleteAlarmsInput{AlarmNames: []string{"cpu"}})
	must(t, err)
	out, err = c.DescribeAlarms(ctx, &cloudwatch.DescribeAlarmsInput{})
	must(t, err)
	if len(out.MetricAlarms) != 0 {
		t.Errorf("after delete: %+v", out.MetricAlarms)
	}
}
