package snapshot

import (
	"encoding/json"
	"net/netip"
	"slices"
	"strings"

	"github.com/ecsnet/ecsnet/internal/model"
)

// Route 53 in a snapshot (ecsnet collect and scripts/collect.sh write
// these since round twenty-two; the aws CLI's output):
//
//	route53-list-hosted-zones.json                  aws route53 list-hosted-zones
//	route53-get-hosted-zone-<zone id>.json          aws route53 get-hosted-zone --id <id> (a private zone's VPCs)
//	route53-list-resource-record-sets-<zone id>.json
//	    {"HostedZoneId": "<id>", "ResourceRecordSets": [...]}: list-resource-record-sets
//	    with the zone's id beside it (its output does not name the zone)
//
// Route 53 is global: the files may sit in any region's folder; a private
// zone is associated with the VPCs of the snapshot's region its VPCs list.

// r53Zone is an item of list-hosted-zones (or get-hosted-zone's HostedZone).
type r53Zone struct {
	ID     string `json:"Id"`
	Name   string `json:"Name"`
	Config struct {
		Comment     string `json:"Comment"`
		PrivateZone bool   `json:"PrivateZone"`
	} `json:"Config"`
}

// r53ZoneVPCs is get-hosted-zone's output: the zone and its VPCs.
type r53ZoneVPCs struct {
	Zone r53Zone
	VPCs []struct {
		VPCRegion string `json:"VPCRegion"`
		VPCID     string `json:"VPCId"`
	}
}

// r53RecordSet is an item of list-resource-record-sets.
type r53RecordSet struct {
	Name            string  `json:"Name"`
	Type            string  `json:"Type"`
	TTL             flexInt `json:"TTL"`
	ResourceRecords []struct {
		Value string `json:"Value"`
	} `json:"ResourceRecords"`
	AliasTarget *struct {
		HostedZoneID         string `json:"HostedZoneId"`
		DNSName              string `json:"DNSName"`
		EvaluateTargetHealth bool   `json:"EvaluateTargetHealth"`
	} `json:"AliasTarget"`
	// The routing policy of a record with a SetIdentifier, and the health
	// check Route 53 consults for it.
	SetIdentifier string   `json:"SetIdentifier"`
	Weight        *flexInt `json:"Weight"`
	Failover      string   `json:"Failover"`
	Region        string   `json:"Region"`
	GeoLocation   *struct {
		ContinentCode   string `json:"ContinentCode"`
		CountryCode     string `json:"CountryCode"`
		SubdivisionCode string `json:"SubdivisionCode"`
	} `json:"GeoLocation"`
	MultiValueAnswer *bool  `json:"MultiValueAnswer"`
	HealthCheckID    string `json:"HealthCheckId"`
}

// r53ZoneRecords is one zone's list-resource-record-sets with its id.
type r53ZoneRecords struct {
	ZoneID  string
	Records []r53RecordSet
}

// dispatchRoute53 files a Route 53 key away; handled is false for keys
// that are not Route 53's.
func (rd *regionData) dispatchRoute53(f *fileInfo, data []byte, m member, all map[string]span) (ok, handled bool) {
	at := pos{f, m.val.start}
	switch m.key {
	case "HostedZones":
		return decodeList(rd, f, data, m, &rd.r53Zones), true
	case "VPCs":
		x := r53ZoneVPCs{}
		hz, found := all["HostedZone"]
		if !found || json.Unmarshal(data[hz.start:hz.end], &x.Zone) != nil || json.Unmarshal(data[m.val.start:m.val.end], &x.VPCs) != nil {
			rd.warn(at.warning(CodeBadValue, "", "VPCs skipped: not get-hosted-zone's output (it needs the HostedZone beside it)"))
			return true, true
		}
		rd.r53ZoneVPCs = append(rd.r53ZoneVPCs, item[r53ZoneVPCs]{x, at})
		return true, true
	case "ResourceRecordSets":
		var id string
		if zid, found := all["HostedZoneId"]; !found || json.Unmarshal(data[zid.start:zid.end], &id) != nil || id == "" {
			rd.warn(at.warning(CodeBadValue, "", "ResourceRecordSets skipped: list-resource-record-sets does not name its zone; give the zone's id beside it (\"HostedZoneId\")"))
			return true, true
		}
		var rs []item[r53RecordSet]
		if !decodeList(rd, f, data, m, &rs) {
			return false, true
		}
		x := r53ZoneRecords{ZoneID: model.HostedZoneRef(id)}
		for _, r := range rs {
			x.Records = append(x.Records, r.v)
		}
		rd.r53Records = append(rd.r53Records, item[r53ZoneRecords]{x, at})
		return true, true
	}
	return true, false
}

// route53 builds the hosted zones and their records (after the VPCs and
// load balancers). Records of types ecsnet does not resolve are kept as
// written; SOA and NS records are not kept.
func (b *builder) route53() {
	zones := map[string]*model.HostedZone{}
	add := func(z r53Zone) *model.HostedZone {
		id := model.HostedZoneRef(z.ID)
		if id == "" {
			return nil
		}
		if x := zones[id]; x != nil {
			return x
		}
		x := &model.HostedZone{ID: id, Name: model.CanonicalDNSName(z.Name), Private: z.Config.PrivateZone, Comment: z.Config.Comment}
		zones[id] = x
		return x
	}
	for _, it := range b.rd.r53Zones {
		add(it.v)
	}
	for _, it := range b.rd.r53ZoneVPCs {
		z := add(it.v.Zone)
		if z == nil {
			continue
		}
		for _, v := range it.v.VPCs {
			if v.VPCRegion != "" && v.VPCRegion != b.st.Region {
				continue
			}
			id := model.VpcID(v.VPCID)
			if b.st.VPCs[id] == nil {
				b.note("dangling-r53-vpc", "private hosted zones associated with VPCs not in the snapshot", it.at.warning(CodeDangling, z.ID,
					"hosted zone "+z.Name+" ("+z.ID+") is associated with "+v.VPCID+", which is not in the snapshot"))
				continue
			}
			if !slices.Contains(z.VPCs, id) {
				z.VPCs = append(z.VPCs, id)
			}
		}
	}
	for _, it := range b.rd.r53Records {
		z := zones[it.v.ZoneID]
		if z == nil {
			b.note("dangling-r53-records", "record sets whose hosted zone is not in the snapshot", it.at.warning(CodeDangling, it.v.ZoneID,
				"record sets of "+it.v.ZoneID+" skipped: the zone is not in list-hosted-zones"))
			continue
		}
		for _, r := range it.v.Records {
			typ := strings.ToUpper(r.Type)
			if typ == "SOA" || typ == "NS" && model.CanonicalDNSName(r.Name) == z.Name {
				continue
			}
			rs := model.RecordSet{Name: unescapeDNS(model.CanonicalDNSName(r.Name)), Type: typ, TTL: r.TTL.V,
				SetIdentifier: r.SetIdentifier, Failover: strings.ToUpper(r.Failover), Region: r.Region,
				MultiValueAnswer: r.MultiValueAnswer, HealthCheckID: r.HealthCheckID}
			if r.Weight != nil {
				w := r.Weight.V
				rs.Weight = &w
			}
			if g := r.GeoLocation; g != nil {
				rs.GeoLocation = &model.GeoLocation{ContinentCode: g.ContinentCode, CountryCode: g.CountryCode, SubdivisionCode: g.SubdivisionCode}
			}
			if a := r.AliasTarget; a != nil {
				rs.Alias = &model.AliasTarget{DNSName: model.CanonicalDNSName(a.DNSName), HostedZoneID: a.HostedZoneID, EvaluateTargetHealth: a.EvaluateTargetHealth}
			}
			for _, v := range r.ResourceRecords {
				val := strings.TrimSpace(v.Value)
				if typ == "A" || typ == "AAAA" {
					if a, err := netip.ParseAddr(val); err == nil {
						rs.Addrs = append(rs.Addrs, a)
					}
				}
				if typ == "CNAME" {
					val = model.CanonicalDNSName(val)
				}
				rs.Values = append(rs.Values, val)
			}
			z.Records = append(z.Records, rs)
		}
	}
	for id, z := range zones {
		b.st.HostedZones[id] = z
	}
}

// unescapeDNS reads Route 53's octal escape of a wildcard's asterisk
// ("\052.example.com", as list-resource-record-sets answers it).
func unescapeDNS(s string) string { return strings.ReplaceAll(s, `\052`, "*") }
