package awsproto_test

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/ecsnet/ecsnet/internal/apierr"
	"github.com/ecsnet/ecsnet/internal/awsproto"
)

// A handler reads decoded parameters by member name and returns output
// keyed by member name; the same code serves every protocol.
func Example() {
	models, err := awsproto.LoadModels()
	if err != nil {
		panic(err)
	}
	describeVpcs := func(in awsproto.Params) (map[string]any, error) {
		if in.DryRun() {
			return nil, awsproto.DryRunOperation()
		}
		var vpcs []any
		for _, id := range in.Strings("VpcIds") {
			if id != "vpc-1" {
				return nil, apierr.Newf("InvalidVpcID.NotFound", "The vpc ID '%s' does not exist", id)
			}
			vpcs = append(vpcs, map[string]any{"VpcId": id, "IsDefault": false})
		}
		for _, f := range in.Structs("Filters") {
			fmt.Println("filter", f.String("Name"), f.Strings("Values"))
		}
		return map[string]any{"Vpcs": vpcs}, nil
	}
	serve := func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
		target, err := models.Identify(r, body)
		if err != nil {
			target.Service.WriteError(w, "req-1", err)
			return
		}
		in, err := target.Decode()
		if err == nil && target.Operation.Name == "DescribeVpcs" {
			var out map[string]any
			if out, err = describeVpcs(in); err == nil {
				_ = target.Operation.WriteResponse(w, "req-1", out)
				return
			}
		}
		target.Service.WriteError(w, "req-1", err)
	}

	body := "Action=DescribeVpcs&Version=2016-11-15&VpcId.1=vpc-1&Filter.1.Name=state&Filter.1.Value.1=available"
	r := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(body))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	w := httptest.NewRecorder()
	serve(w, r)
	fmt.Println(w.Code, w.Body.String())
	// Output:
	// filter state [available]
	// 200 <?xml version="1.0" encoding="UTF-8"?>
	// <DescribeVpcsResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>req-1</requestId><vpcSet><item><isDefault>false</isDefault><vpcId>vpc-1</vpcId></item></vpcSet></DescribeVpcsResponse>
}
