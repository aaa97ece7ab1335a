package awsproto_test

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/ecsnet/ecsnet/internal/apierr"
	"github.com/ecsnet/ecsnet/internal/awsproto"
)

func signRoute53(r *http.Request) {
	r.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/route53/aws4_request, SignedHeaders=host, Signature=x")
}

const changeBatchXML = `<?xml version="1.0" encoding="UTF-8"?>
<ChangeResourceRecordSetsRequest xmlns="https://route53.amazonaws.com/doc/2013-04-01/"><ChangeBatch><Comment>c</Comment><Changes>
<Change><Action>CREATE</Action><ResourceRecordSet><Name>www.example.com</Name><Type>A</Type><TTL>300</TTL>
<ResourceRecords><ResourceRecord><Value>10.0.0.1</Value></ResourceRecord><ResourceRecord><Value>10.0.0.2</Value></ResourceRecord></ResourceRecords></ResourceRecordSet></Change>
<Change><Action>UPSERT</Action><ResourceRecordSet><Name>app.example.com</Name><Type>A</Type>
<AliasTarget><HostedZoneId>Z35SXDOTRQ7X7K</HostedZoneId><DNSName>lb-1.us-east-1.elb.amazonaws.com</DNSName><EvaluateTargetHealth>true</EvaluateTargetHealth></AliasTarget></ResourceRecordSet></Change>
</Changes></ChangeBatch></ChangeResourceRecordSetsRequest>`

// A REST-XML request is told by its method and path; the XML body's
// elements, the path's labels and the query string each bind members.
func TestRESTXMLIdentifyAndDecode(t *testing.T) {
	m := loadModels(t)
	r := httptest.NewRequest("POST", "/2013-04-01/hostedzone/Z123/rrset/", strings.NewReader(changeBatchXML))
	signRoute53(r)
	target, err := m.Identify(r, []byte(changeBatchXML))
	if err != nil {
		t.Fatal(err)
	}
	if target.Service.Name != "route53" || target.Operation.Name != "ChangeResourceRecordSets" {
		t.Fatalf("got %s.%s", target.Service.Name, target.Operation.Name)
	}
	in, err := target.Decode()
	if err != nil {
		t.Fatal(err)
	}
	if in.String("HostedZoneId") != "Z123" {
		t.Errorf("HostedZoneId = %q", in.String("HostedZoneId"))
	}
	changes := in.Struct("ChangeBatch").Structs("Changes")
	if len(changes) != 2 {
		t.Fatalf("%d changes, want 2: %v", len(changes), in)
	}
	rrs := changes[0].Struct("ResourceRecordSet")
	if changes[0].String("Action") != "CREATE" || rrs.Int("TTL") != 300 || len(rrs.Structs("ResourceRecords")) != 2 ||
		rrs.Structs("ResourceRecords")[1].String("Value") != "10.0.0.2" {
		t.Errorf("first change decoded as %v", changes[0])
	}
	alias := changes[1].Struct("ResourceRecordSet").Struct("AliasTarget")
	if !alias.Bool("EvaluateTargetHealth") || alias.String("HostedZoneId") != "Z35SXDOTRQ7X7K" {
		t.Errorf("alias decoded as %v", alias)
	}

	// Query-string members.
	r = httptest.NewRequest("GET", "/2013-04-01/hostedzone/Z9/rrset?name=b.example.com&type=A&maxitems=2", nil)
	signRoute53(r)
	if target, err = m.Identify(r, nil); err != nil {
		t.Fatal(err)
	}
	if in, err = target.Decode(); err != nil {
		t.Fatal(err)
	}
	if target.Operation.Name != "ListResourceRecordSets" || in.String("StartRecordName") != "b.example.com" || in.String("MaxItems") != "2" || in.String("StartRecordType") != "A" {
		t.Errorf("%s decoded as %v", target.Operation.Name, in)
	}

	// A literal segment wins over a label: hostedzonecount is no zone id.
	r = httptest.NewRequest("GET", "/2013-04-01/hostedzonecount", nil)
	signRoute53(r)
	if target, err = m.Identify(r, nil); err != nil || target.Operation.Name != "GetHostedZoneCount" {
		t.Errorf("GET hostedzonecount: %v %v", target.Operation, err)
	}

	// Malformed bodies and values are InvalidInput (HTTP 400).
	for _, body := range []string{`<ChangeResourceRecordSetsRequest><ChangeBatch>`, `not xml`,
		`<X><ChangeBatch><Changes><Change><Action>CREATE</Action><ResourceRecordSet><Name>a</Name><Type>A</Type><TTL>ten</TTL></ResourceRecordSet></Change></Changes></ChangeBatch></X>`} {
		r = httptest.NewRequest("POST", "/2013-04-01/hostedzone/Z1/rrset/", strings.NewReader(body))
		signRoute53(r)
		target, err := m.Identify(r, []byte(body))
		if err != nil {
			t.Fatal(err)
		}
		_, err = target.Decode()
		if e := apierr.As(err); err == nil || e.Code != "InvalidInput" || e.Status() != 400 {
			t.Errorf("%q: %v, want InvalidInput", body, err)
		}
	}
	// A missing required member is InvalidInput with the validation message.
	body := `<CreateHostedZoneRequest xmlns="https://route53.amazonaws.com/doc/2013-04-01/"><Name>example.com</Name></CreateHostedZoneRequest>`
	r = httptest.NewRequest("POST", "/2013-04-01/hostedzone", strings.NewReader(body))
	signRoute53(r)
	if target, err = m.Identify(r, []byte(body)); err != nil {
		t.Fatal(err)
	}
	if _, err = target.Decode(); err == nil || !strings.Contains(err.Error(), "callerReference") || apierr.As(err).Code != "InvalidInput" {
		t.Errorf("CreateHostedZone without CallerReference: %v", err)
	}
}

// A REST-XML response is the output shape's element in Route 53's
// namespace, lists with their members' element names; an error is the
// ErrorResponse document with Type, Code, Message and RequestId.
func TestRESTXMLEncode(t *testing.T) {
	m := loadModels(t)
	op := m.Service("route53").Operation("ListHostedZones")
	body, ct, err := op.MarshalResponse("req-1", map[string]any{
		"HostedZones": []any{map[string]any{"Id": "/hostedzone/Z1", "Name": "example.com.", "CallerReference": "c",
			"Config": map[string]any{"PrivateZone": false}, "ResourceRecordSetCount": 2}},
		"Marker": "", "IsTruncated": false, "MaxItems": "100",
	})
	if err != nil {
		t.Fatal(err)
	}
	want := `<ListHostedZonesResponse xmlns="https://route53.amazonaws.com/doc/2013-04-01/"><HostedZones><HostedZone><Id>/hostedzone/Z1</Id><Name>example.com.</Name><CallerReference>c</CallerReference><Config><PrivateZone>false</PrivateZone></Config><ResourceRecordSetCount>2</ResourceRecordSetCount></HostedZone></HostedZones><Marker></Marker><IsTruncated>false</IsTruncated><MaxItems>100</MaxItems></ListHostedZonesResponse>`
	if !strings.HasSuffix(string(body), want) || ct != "text/xml" {
		t.Errorf("got %s (%s)\nwant …%s", body, ct, want)
	}
	if got := m.Service("route53").Operation("CreateHostedZone").StatusCode(); got != 201 {
		t.Errorf("CreateHostedZone status %d, want 201", got)
	}
	w := httptest.NewRecorder()
	m.Service("route53").WriteError(w, "req-2", &apierr.Error{Code: "NoSuchHostedZone", Message: "No hosted zone found with ID: Z1", HTTPStatus: 404})
	wantErr := `<ErrorResponse xmlns="https://route53.amazonaws.com/doc/2013-04-01/"><Error><Type>Sender</Type><Code>NoSuchHostedZone</Code><Message>No hosted zone found with ID: Z1</Message></Error><RequestId>req-2</RequestId></ErrorResponse>`
	if w.Code != 404 || !strings.HasSuffix(w.Body.String(), wantErr) {
		t.Errorf("error %d %s", w.Code, w.Body)
	}
}

// FuzzDecodeRESTXML feeds arbitrary bodies and query strings to the
// REST-XML decoder: it must answer a client error or a well-formed
// value tree, never panic.
func FuzzDecodeRESTXML(f *testing.F) {
	f.Add([]byte(changeBatchXML), "maxitems=2")
	f.Add([]byte(`<CreateHostedZoneRequest><Name>a.</Name><CallerReference>x</CallerReference><VPC><VPCId>vpc-1</VPCId></VPC><HostedZoneConfig><PrivateZone>true</PrivateZone></HostedZoneConfig></CreateHostedZoneRequest>`), "")
	f.Add([]byte(`<ChangeTagsForResourceRequest><AddTags><Tag><Key>k</Key><Value>v</Value></Tag></AddTags><RemoveTagKeys><Key>a</Key></RemoveTagKeys></ChangeTagsForResourceRequest>`), "")
	f.Add([]byte(strings.Repeat("<a>", 100)), "name=%zz")
	m, err := awsproto.LoadModels()
	if err != nil {
		f.Fatal(err)
	}
	paths := []struct{ method, path string }{
		{"POST", "/2013-04-01/hostedzone/Z1/rrset/"}, {"POST", "/2013-04-01/hostedzone"},
		{"POST", "/2013-04-01/tags/hostedzone/Z1"}, {"GET", "/2013-04-01/hostedzone/Z1/rrset"},
		{"POST", "/2013-04-01/hostedzone/Z1/associatevpc"},
	}
	f.Fuzz(func(t *testing.T, body []byte, query string) {
		if len(body) > 1<<16 {
			return
		}
		for _, p := range paths {
			r := httptest.NewRequest(p.method, "http://x"+p.path, bytes.NewReader(body))
			r.URL.RawQuery = query
			signRoute53(r)
			target, err := m.Identify(r, body)
			if err != nil {
				checkDecoded(t, nil, err)
				continue
			}
			start := time.Now()
			in, err := target.Decode()
			checkDecoded(t, in, err)
			if time.Since(start) > 5*time.Second {
				t.Fatalf("decoding %d bytes took %v", len(body), time.Since(start))
			}
		}
	})
}
