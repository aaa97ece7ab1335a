package scenario

import (
	"strconv"
	"strings"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

// hostedZoneSpec is a Route 53 hosted zone. Its key is its domain unless
// name gives it (two zones of one domain, a public and a private one, for
// split-horizon DNS); vpcs make it private.
type hostedZoneSpec struct {
	Name    string                 `yaml:"name"`
	Private bool                   `yaml:"private"`
	VPCs    []string               `yaml:"vpcs"`
	Comment string                 `yaml:"comment"`
	Records yamlMap[recordSetSpec] `yaml:"records"`
}

// recordSetSpec is a record set, keyed by its name: relative to the zone
// ("api"), fully qualified ("api.example.com") or "@" for the apex. An
// alias names a load balancer of load_balancers or a DNS name (another
// record; a load balancer by its DNS name with alias_zone).
type recordSetSpec struct {
	Type      string   `yaml:"type"` // A (default), AAAA, CNAME
	TTL       int64    `yaml:"ttl"`
	Values    []string `yaml:"values"`
	Alias     string   `yaml:"alias"`
	AliasZone string   `yaml:"alias_zone"`
	// Weighted makes the name a weighted set: one record set per item,
	// each of the name's type with its own set_identifier and weight
	// (instead of values or alias on the name).
	Weighted []weightedRecordSpec `yaml:"weighted"`
}

// weightedRecordSpec is one record of a weighted set: Route 53's
// SetIdentifier and Weight (0 to 255), with its values or alias.
type weightedRecordSpec struct {
	SetIdentifier string   `yaml:"set_identifier"`
	Weight        *int64   `yaml:"weight"`
	TTL           int64    `yaml:"ttl"`
	Values        []string `yaml:"values"`
	Alias         string   `yaml:"alias"`
	AliasZone     string   `yaml:"alias_zone"`
}

// hostedZones creates the Route 53 hosted zones and their records.
func (b *builder) hostedZones(sp *fileSpec) error {
	for _, x := range sp.HostedZones {
		owner := "hosted zone " + strconv.Quote(x.Name)
		in := engine.CreateHostedZoneInput{Name: x.Name, Private: x.Value.Private, Comment: x.Value.Comment, Tags: tags(x.Name, nil)}
		if x.Value.Name != "" {
			in.Name = x.Value.Name
		}
		lines := itemLines(x.node, "vpcs", len(x.Value.VPCs))
		for i, ref := range x.Value.VPCs {
			vpc, err := b.ref("vpc", ref, lines[i], owner)
			if err != nil {
				return err
			}
			in.VPCs = append(in.VPCs, model.VpcID(vpc))
		}
		z, err := b.e.CreateHostedZone(in)
		if err != nil {
			return b.fail(x.Line, owner, err)
		}
		b.set("hosted zone", x.Name, z.ID)
		for _, r := range x.Value.Records {
			rowner := owner + ": record " + strconv.Quote(r.Name)
			name := r.Name
			switch {
			case name == "@" || name == "":
				name = z.Name
			case !strings.HasSuffix(strings.TrimSuffix(strings.ToLower(name), "."), z.Name):
				name = name + "." + z.Name
			}
			typ := r.Value.Type
			if typ == "" {
				typ = "A"
			}
			one := weightedRecordSpec{TTL: r.Value.TTL, Values: r.Value.Values, Alias: r.Value.Alias, AliasZone: r.Value.AliasZone}
			if len(r.Value.Weighted) == 0 {
				if err := b.e.UpsertRecordSet(z.ID, b.recordSetInput(z, name, typ, one)); err != nil {
					return b.fail(r.Line, rowner, err)
				}
				continue
			}
			if len(one.Values) > 0 || one.Alias != "" || one.AliasZone != "" || one.TTL != 0 {
				return b.errf(r.Line, "%s: weighted gives each record's values, alias and ttl: not the name's own", rowner)
			}
			lines := itemLines(r.node, "weighted", len(r.Value.Weighted))
			seen := map[string]int{}
			for i, w := range r.Value.Weighted {
				switch {
				case w.SetIdentifier == "" || len(w.SetIdentifier) > 128:
					return b.errf(lines[i], "%s: a weighted record needs a set_identifier of 1 to 128 characters", rowner)
				case w.Weight == nil || *w.Weight < 0 || *w.Weight > 255:
					return b.errf(lines[i], "%s: weighted record %q: weight must be 0 to 255", rowner, w.SetIdentifier)
				}
				if prev, dup := seen[w.SetIdentifier]; dup {
					return b.errf(lines[i], "%s: set_identifier %q is given twice (first at line %d)", rowner, w.SetIdentifier, prev)
				}
				seen[w.SetIdentifier] = lines[i]
				rs := b.recordSetInput(z, name, typ, w)
				rs.SetIdentifier, rs.Weight = w.SetIdentifier, w.Weight
				if err := b.e.UpsertRecordSet(z.ID, rs); err != nil {
					return b.fail(lines[i], rowner+" ("+w.SetIdentifier+")", err)
				}
			}
		}
	}
	return nil
}

// recordSetInput is the record set of a name and type with r's values
// or alias: a load balancer or interface endpoint of the scenario by
// name, else a DNS name.
func (b *builder) recordSetInput(z *model.HostedZone, name, typ string, r weightedRecordSpec) engine.RecordSetInput {
	ttl := r.TTL
	if ttl == 0 && r.Alias == "" {
		ttl = 300
	}
	rs := engine.RecordSetInput{Name: name, Type: typ, TTL: ttl, Values: r.Values}
	if a := r.Alias; a != "" {
		t := &model.AliasTarget{DNSName: a, HostedZoneID: r.AliasZone}
		if id, ok := b.names["vpc endpoint"][a]; ok {
			// An interface endpoint of vpc_endpoints: its regional
			// DNS name (the zones of shared endpoints).
			b.e.Read(func(st *model.State) {
				if ep := st.VpcEndpoints[model.VpcEndpointID(id)]; ep != nil && ep.Type == "Interface" {
					t.DNSName, t.HostedZoneID = ep.RegionalDNSName(st.Region), model.VpcEndpointHostedZoneID
				}
			})
		} else if arn, ok := b.names["load balancer"][a]; ok {
			b.e.Read(func(st *model.State) {
				if lb := st.LoadBalancers[arn]; lb != nil {
					t.DNSName, t.HostedZoneID = lb.DNSName, lb.CanonicalHostedZoneID
				}
			})
		} else if t.HostedZoneID == "" {
			t.HostedZoneID = z.ID // an alias to another record of the zone
		}
		rs.Alias = t
	}
	return rs
}
