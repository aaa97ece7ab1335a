package reach

import "testing"

// TestEndpointServiceNames: the Regional names of services beyond the
// start path map to the endpoint service whose private DNS answers them
// (firehose.REGION is kinesis-firehose's), and SQS's legacy names and
// STS's global name map to none: they keep their public answer.
func TestEndpointServiceNames(t *testing.T) {
	const region = "us-east-1"
	for _, c := range []struct{ name, svc string }{
		{"firehose.us-east-1.amazonaws.com", "kinesis-firehose"},
		{"kinesis.us-east-1.amazonaws.com", "kinesis-streams"},
		{"sqs.us-east-1.amazonaws.com", "sqs"},
		{"xray.us-east-1.amazonaws.com", "xray"},
		{"kms.us-east-1.amazonaws.com", "kms"},
		{"ssmmessages.us-east-1.amazonaws.com", "ssmmessages"},
		{"firehose", "kinesis-firehose"},
		{"xray", "xray"},
		{"notaservice.us-east-1.amazonaws.com", ""},
		{"firehose.eu-west-1.amazonaws.com", ""},
	} {
		if got := awsServiceName(c.name, region); got != c.svc {
			t.Errorf("awsServiceName(%q) = %q, want %q", c.name, got, c.svc)
		}
	}
	for _, svc := range []string{"kinesis-firehose", "kinesis-streams", "sqs", "xray"} {
		h := endpointHost(svc, region)
		if got := awsServiceName(h, region); got != svc {
			t.Errorf("endpointHost(%q) = %q, which maps back to %q", svc, h, got)
		}
	}
	for _, c := range []struct{ name, svc, regional string }{
		{"us-east-1.queue.amazonaws.com", "sqs", "sqs.us-east-1.amazonaws.com"},
		{"queue.amazonaws.com", "sqs", "sqs.us-east-1.amazonaws.com"},
		{"sts.amazonaws.com", "sts", "sts.us-east-1.amazonaws.com"},
		{"sts.us-east-1.amazonaws.com", "", ""},
		{"sqs.us-east-1.amazonaws.com", "", ""},
	} {
		svc, regional := legacyServiceName(c.name, region)
		if svc != c.svc || regional != c.regional {
			t.Errorf("legacyServiceName(%q) = %q, %q; want %q, %q", c.name, svc, regional, c.svc, c.regional)
		}
	}
}
