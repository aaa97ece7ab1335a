package snapshot

import (
	"encoding/json"

	"github.com/ecsnet/ecsnet/internal/model"
)

// A VPC's DNS attributes (round thirty-four): describe-vpcs does not answer
// enableDnsSupport and enableDnsHostnames; ec2 describe-vpc-attribute
// does, one attribute a request ({"VpcId": …, "EnableDnsSupport":
// {"Value": true}}), written one file per VPC and attribute
// (VPCAttributeFileName). Without them, AWS's defaults apply: DNS
// resolution on; DNS hostnames on in a default VPC, off in others (VPC
// user guide, "DNS attributes for your VPC").

// seenVPCAttributes is the seen key of any describe-vpc-attribute output
// (its outputs have one key per attribute).
const seenVPCAttributes = "VpcAttribute"

// vpcAttribute is one describe-vpc-attribute output: the VPC and the
// value of one attribute.
type vpcAttribute struct {
	VpcID     string
	Attribute string // the output's key: EnableDnsSupport, EnableDnsHostnames, EnableNetworkAddressUsageMetrics
	Value     bool
}

// ec2AttributeBooleanValue is EC2's AttributeBooleanValue ({"Value": true}).
type ec2AttributeBooleanValue struct {
	Value *bool `json:"Value"`
}

// dispatchVPCAttribute reads a describe-vpc-attribute output's attribute.
// handled is false for other keys; ok false when the value is not JSON.
func (rd *regionData) dispatchVPCAttribute(f *fileInfo, data []byte, m member, all map[string]span) (ok, handled bool) {
	switch m.key {
	case "EnableDnsSupport", "EnableDnsHostnames", "EnableNetworkAddressUsageMetrics":
	default:
		return true, false
	}
	at := pos{f, m.val.start}
	var v ec2AttributeBooleanValue
	decoded, valid := decodeOne(rd, f, data, m, &v)
	if !valid || !decoded {
		return valid, true
	}
	var vpc string
	if id, found := all["VpcId"]; found {
		_ = json.Unmarshal(data[id.start:id.end], &vpc)
	}
	switch {
	case vpc == "":
		rd.warn(at.warning(CodeBadValue, "", m.key+" skipped: the file does not say which VPC it belongs to; "+
			"keep describe-vpc-attribute's whole output ({\"VpcId\": …, \""+m.key+"\": {\"Value\": …}})"))
	case v.Value == nil:
		rd.warn(at.warning(CodeBadValue, vpc, m.key+" of "+vpc+" skipped: it has no Value"))
	default:
		rd.vpcAttrs = append(rd.vpcAttrs, item[vpcAttribute]{vpcAttribute{VpcID: vpc, Attribute: m.key, Value: *v.Value}, at})
		rd.seen[seenVPCAttributes] = true
	}
	return true, true
}

// vpcAttributes sets the VPCs' DNS attributes the snapshot holds, and
// says which VPCs keep AWS's defaults when the call was made (a missing
// call is one warning, missingCalls). A VPC's DNS hostnames taken from
// describe-vpc-attribute are not inferred again from its ENIs' public DNS
// names (checks).
func (b *builder) vpcAttributes() {
	b.dnsHostnamesKnown = map[model.VpcID]bool{}
	known := map[model.VpcID]map[string]bool{}
	for _, it := range b.rd.vpcAttrs {
		a := it.v
		v := b.st.VPCs[model.VpcID(a.VpcID)]
		if v == nil {
			b.note("vpc-attribute-dangling", "describe-vpc-attribute outputs of VPCs not in the snapshot", it.at.warning(CodeDangling, a.VpcID,
				a.Attribute+" of "+a.VpcID+" skipped: the VPC is not in describe-vpcs"))
			continue
		}
		switch a.Attribute {
		case "EnableDnsSupport":
			v.EnableDNSSupport = a.Value
		case "EnableDnsHostnames":
			v.EnableDNSHostnames = a.Value
			b.dnsHostnamesKnown[v.ID] = true
		case "EnableNetworkAddressUsageMetrics":
			v.EnableNAUMetrics = a.Value
		}
		if known[v.ID] == nil {
			known[v.ID] = map[string]bool{}
		}
		known[v.ID][a.Attribute] = true
	}
	if !b.rd.seen[seenVPCAttributes] && !b.rd.collected["ec2 describe-vpc-attribute"] {
		return
	}
	for _, id := range sortedKeys(b.st.VPCs) {
		v := b.st.VPCs[id]
		for _, attr := range []string{"EnableDnsSupport", "EnableDnsHostnames"} {
			if known[id][attr] {
				continue
			}
			b.note("vpc-attribute-missing", "VPCs without their describe-vpc-attribute outputs", Warning{Code: CodeMissing, Resource: string(id),
				Message: "VPC " + string(id) + " has no ec2 describe-vpc-attribute --attribute " + lowerFirst(attr) + " output: taken as AWS's default (" + vpcAttributeDefault(v, attr) + ")"})
		}
	}
}

// vpcAttributeDefault says what a VPC's attribute is taken as without its
// describe-vpc-attribute output.
func vpcAttributeDefault(v *model.VPC, attr string) string {
	switch {
	case attr == "EnableDnsSupport":
		return "on"
	case v.IsDefault:
		return "on in a default VPC"
	}
	return "off in a nondefault VPC, on when an ENI in it has a public DNS name"
}

func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	return string(s[0]|0x20) + s[1:]
}

// vpcAttributeFiles writes each VPC's enableDnsSupport and
// enableDnsHostnames as describe-vpc-attribute prints them.
func (w *writer) vpcAttributeFiles(files map[string]any) {
	for _, v := range sortedValues(w.st.VPCs) {
		files[VPCAttributeFileName(string(v.ID), "enableDnsSupport")] = map[string]any{"VpcId": string(v.ID), "EnableDnsSupport": map[string]any{"Value": v.EnableDNSSupport}}
		files[VPCAttributeFileName(string(v.ID), "enableDnsHostnames")] = map[string]any{"VpcId": string(v.ID), "EnableDnsHostnames": map[string]any{"Value": v.EnableDNSHostnames}}
	}
}
