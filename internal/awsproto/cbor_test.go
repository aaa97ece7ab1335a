package awsproto_test

import (
	"testing"
	"time"

	"github.com/ecsnet/ecsnet/internal/awsproto"
)

// A CBOR request decodes to the operation's typed parameters: integers,
// floats (half, single, double), tag 1 timestamps, indefinite strings and
// lists; the response encodes back through the same model.
func TestCBORRoundTrip(t *testing.T) {
	m := loadModels(t)
	op := m.Service("cloudwatch").Variant(awsproto.ProtocolRPCv2CBOR).Operation("PutMetricAlarm")
	// {"AlarmName": "a", "EvaluationPeriods": 3, "Threshold": 1.5 (half),
	//  "ComparisonOperator": (_ "Greater" "ThanThreshold"), "AlarmActions": [_ "x"]}
	body := []byte{0xa5,
		0x69, 'A', 'l', 'a', 'r', 'm', 'N', 'a', 'm', 'e', 0x61, 'a',
		0x71, 'E', 'v', 'a', 'l', 'u', 'a', 't', 'i', 'o', 'n', 'P', 'e', 'r', 'i', 'o', 'd', 's', 0x03,
		0x69, 'T', 'h', 'r', 'e', 's', 'h', 'o', 'l', 'd', 0xf9, 0x3e, 0x00,
		0x72, 'C', 'o', 'm', 'p', 'a', 'r', 'i', 's', 'o', 'n', 'O', 'p', 'e', 'r', 'a', 't', 'o', 'r',
		0x7f, 0x67, 'G', 'r', 'e', 'a', 't', 'e', 'r', 0x6d, 'T', 'h', 'a', 'n', 'T', 'h', 'r', 'e', 's', 'h', 'o', 'l', 'd', 0xff,
		0x6c, 'A', 'l', 'a', 'r', 'm', 'A', 'c', 't', 'i', 'o', 'n', 's', 0x9f, 0x61, 'x', 0xff,
	}
	in, err := op.DecodeCBOR(body)
	if err != nil {
		t.Fatal(err)
	}
	if in.String("AlarmName") != "a" || in.Int("EvaluationPeriods") != 3 || in.Float("Threshold") != 1.5 ||
		in.String("ComparisonOperator") != "GreaterThanThreshold" || len(in.Strings("AlarmActions")) != 1 {
		t.Errorf("decoded %v", in)
	}
	if _, err := op.DecodeCBOR([]byte{0xa1, 0x61}); err == nil {
		t.Error("a cut body decoded")
	}
	if _, err := op.DecodeCBOR([]byte{0xa0}); err == nil {
		t.Error("a body without the required members decoded")
	}
	desc := m.Service("cloudwatch").Variant(awsproto.ProtocolRPCv2CBOR).Operation("DescribeAlarms")
	at := time.Unix(1700000000, 500e6).UTC()
	out, ct, err := desc.MarshalResponse("id", map[string]any{"MetricAlarms": []any{map[string]any{"AlarmName": "a", "StateUpdatedTimestamp": at, "Period": int64(60)}}})
	if err != nil || ct != "application/cbor" {
		t.Fatal(ct, err)
	}
	// A tag 1 (0xc1) double follows the timestamp's key.
	want := append([]byte{0x75}, "StateUpdatedTimestamp"...)
	want = append(want, 0xc1, 0xfb)
	if !contains(out, want) {
		t.Errorf("no tag 1 timestamp in % x", out)
	}
}

func contains(b, sub []byte) bool {
	for i := 0; i+len(sub) <= len(b); i++ {
		if string(b[i:i+len(sub)]) == string(sub) {
			return true
		}
	}
	return false
}

// FuzzCBOR: no body makes the CBOR decoder panic, loop or answer other
// than a client error or a well-formed tree.
func FuzzCBOR(f *testing.F) {
	f.Add([]byte{0xa1, 0x69, 'A', 'l', 'a', 'r', 'm', 'N', 'a', 'm', 'e', 0x61, 'a'})
	f.Add([]byte{0xbf, 0x61, 'x', 0x9f, 0xff, 0xff})
	f.Add([]byte{0xc1, 0xfb, 0, 0, 0, 0, 0, 0, 0, 0})
	m, err := awsproto.LoadModels()
	if err != nil {
		f.Fatal(err)
	}
	ops := []*awsproto.Operation{}
	for _, name := range []string{"PutMetricAlarm", "DescribeAlarms", "PutMetricData", "GetMetricData"} {
		ops = append(ops, m.Service("cloudwatch").Variant(awsproto.ProtocolRPCv2CBOR).Operation(name))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		for _, op := range ops {
			in, err := op.DecodeCBOR(body)
			checkDecoded(t, in, err)
		}
	})
}
