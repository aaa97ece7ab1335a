package elbv2

import (
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/ecsnet/ecsnet/internal/api"
	"github.com/ecsnet/ecsnet/internal/apierr"
	"github.com/ecsnet/ecsnet/internal/awsproto"
	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

// registerMore adds listener attributes, capacity reservations, IPAM pools,
// resource policies and trust stores.
func registerMore(add func(string, api.Handler)) {
	add("DescribeListenerAttributes", func(c *api.Call) (map[string]any, error) {
		kv, err := c.Engine.ListenerAttributes(c.In.String("ListenerArn"))
		if err != nil {
			return nil, err
		}
		return map[string]any{"Attributes": attrs(kv)}, nil
	})
	add("ModifyListenerAttributes", func(c *api.Call) (map[string]any, error) {
		kv, err := c.Engine.ModifyListenerAttributes(c.In.String("ListenerArn"), attrsIn(c.In.Structs("Attributes")))
		if err != nil {
			return nil, err
		}
		return map[string]any{"Attributes": attrs(kv)}, nil
	})
	add("DescribeCapacityReservation", func(c *api.Call) (map[string]any, error) {
		lb, err := c.Engine.DescribeCapacityReservation(c.In.String("LoadBalancerArn"))
		if err != nil {
			return nil, err
		}
		return capacityOut(c, lb), nil
	})
	add("ModifyCapacityReservation", func(c *api.Call) (map[string]any, error) {
		units := 0
		if m := c.In.Struct("MinimumLoadBalancerCapacity"); m != nil {
			units = int(m.Int("CapacityUnits"))
		}
		lb, err := c.Engine.ModifyCapacityReservation(c.In.String("LoadBalancerArn"), units, c.In.Bool("ResetCapacityReservation"))
		if err != nil {
			return nil, err
		}
		return capacityOut(c, lb), nil
	})
	add("ModifyIpPools", modifyIPPools)
	add("GetResourcePolicy", getResourcePolicy)
	add("CreateTrustStore", func(c *api.Call) (map[string]any, error) {
		ts, err := c.Engine.CreateTrustStore(c.In.String("Name"), bundleIn(c.In), tagsIn(c.In))
		if err != nil {
			return nil, err
		}
		return trustStoresOut(ts), nil
	})
	add("ModifyTrustStore", func(c *api.Call) (map[string]any, error) {
		ts, err := c.Engine.ModifyTrustStore(c.In.String("TrustStoreArn"), bundleIn(c.In))
		if err != nil {
			return nil, err
		}
		return trustStoresOut(ts), nil
	})
	add("DeleteTrustStore", func(c *api.Call) (map[string]any, error) {
		return nil, c.Engine.DeleteTrustStore(c.In.String("TrustStoreArn"))
	})
	add("DescribeTrustStores", describeTrustStores)
	add("GetTrustStoreCaCertificatesBundle", func(c *api.Call) (map[string]any, error) {
		ts, err := trustStore(c)
		if err != nil {
			return nil, err
		}
		return map[string]any{"Location": s3URL(c, ts.BundleBucket, ts.BundleKey, ts.BundleVersion)}, nil
	})
	add("AddTrustStoreRevocations", addRevocations)
	add("RemoveTrustStoreRevocations", func(c *api.Call) (map[string]any, error) {
		ids, err := revocationIDs(c.In)
		if err != nil {
			return nil, err
		}
		return nil, c.Engine.RemoveTrustStoreRevocations(c.In.String("TrustStoreArn"), ids)
	})
	add("DescribeTrustStoreRevocations", describeRevocations)
	add("GetTrustStoreRevocationContent", func(c *api.Call) (map[string]any, error) {
		if !c.In.Has("RevocationId") {
			return nil, validation("1 validation error detected: Value null at 'revocationId' failed to satisfy constraint: Member must not be null")
		}
		revs, err := c.Engine.TrustStoreRevocations(c.In.String("TrustStoreArn"), []int64{c.In.Int("RevocationId")})
		if err != nil {
			return nil, err
		}
		r := revs[0]
		return map[string]any{"Location": s3URL(c, r.S3Bucket, r.S3Key, r.S3Version)}, nil
	})
	add("DescribeTrustStoreAssociations", describeTrustStoreAssociations)
	add("DeleteSharedTrustStoreAssociation", func(c *api.Call) (map[string]any, error) {
		if _, err := trustStore(c); err != nil {
			return nil, err
		}
		// Every trust store here is the account's own: AWS refuses to
		// delete a same-account association this way.
		return nil, apierr.New("DeleteAssociationSameAccount", "The specified association can't be within the same account.") // probable
	})
}

func capacityOut(c *api.Call, lb *model.LoadBalancer) map[string]any {
	out := map[string]any{"DecreaseRequestsRemaining": 3, "CapacityReservationState": []any{}}
	if lb.MinCapacityUnits == 0 {
		return out
	}
	out["MinimumLoadBalancerCapacity"] = map[string]any{"CapacityUnits": lb.MinCapacityUnits}
	out["LastModifiedTime"] = api.Time(lb.CapacityModifiedAt)
	states := make([]any, len(lb.Nodes))
	for i, n := range lb.Nodes {
		states[i] = map[string]any{"AvailabilityZone": n.AvailabilityZone, "EffectiveCapacityUnits": float64(lb.MinCapacityUnits) / float64(len(lb.Nodes)),
			"State": map[string]any{"Code": "provisioned"}}
	}
	out["CapacityReservationState"] = states
	return out
}

// modifyIPPools: ecsnet does not model IPAM, so a load balancer has no
// pool; removing one succeeds, adding one is refused.
func modifyIPPools(c *api.Call) (map[string]any, error) {
	if _, err := c.Engine.DescribeCapacityReservation(c.In.String("LoadBalancerArn")); err != nil {
		return nil, err
	}
	if p := c.In.Struct("IpamPools"); p != nil && p.String("Ipv4IpamPoolId") != "" {
		return nil, validation("ecsnet does not model IPAM address pools.")
	}
	for _, r := range c.In.Strings("RemoveIpamPools") {
		if r != "ipv4" {
			return nil, validation("1 validation error detected: Value '[%s]' at 'removeIpamPools' failed to satisfy constraint: Member must satisfy constraint: [Member must satisfy enum value set: [ipv4]]", r)
		}
	}
	return map[string]any{}, nil
}

// getResourcePolicy answers for the account's trust stores, which carry no
// policy (sharing through AWS RAM is not modelled).
func getResourcePolicy(c *api.Call) (map[string]any, error) {
	arn := c.In.String("ResourceArn")
	found := false
	c.Engine.Read(func(st *model.State) { found = st.TrustStores[arn] != nil })
	if !found {
		return nil, apierr.New("ResourceNotFound", "The specified resource does not exist.") // probable
	}
	return map[string]any{}, nil
}

func bundleIn(in awsproto.Params) engine.TrustStoreBundle {
	return engine.TrustStoreBundle{Bucket: in.String("CaCertificatesBundleS3Bucket"), Key: in.String("CaCertificatesBundleS3Key"),
		Version: in.String("CaCertificatesBundleS3ObjectVersion")}
}

func trustStoreOut(ts *model.TrustStore) map[string]any {
	var revoked int64
	for _, r := range ts.Revocations {
		revoked += r.NumberOfRevokedEntries
	}
	return map[string]any{"Name": ts.Name, "TrustStoreArn": ts.ARN, "Status": ts.Status,
		"NumberOfCaCertificates": ts.NumberOfCaCertificates, "TotalRevokedEntries": revoked}
}

func trustStoresOut(ts *model.TrustStore) map[string]any {
	return map[string]any{"TrustStores": []any{trustStoreOut(ts)}}
}

func trustStore(c *api.Call) (*model.TrustStore, error) {
	arn := c.In.String("TrustStoreArn")
	var ts *model.TrustStore
	c.Engine.Read(func(st *model.State) { ts = st.TrustStores[arn] })
	if ts == nil {
		return nil, apierr.New("TrustStoreNotFound", "One or more trust stores not found")
	}
	return ts, nil
}

// s3URL is where a trust store's bundle or revocation list can be fetched
// (AWS answers a presigned S3 URL; ecsnet the plain object URL).
func s3URL(c *api.Call, bucket, key, version string) string {
	u := "https://" + bucket + ".s3." + c.Region + ".amazonaws.com/" + (&url.URL{Path: key}).EscapedPath()
	if version != "" {
		u += "?versionId=" + url.QueryEscape(version)
	}
	return u
}

func describeTrustStores(c *api.Call) (map[string]any, error) {
	arns, names := c.In.Strings("TrustStoreArns"), c.In.Strings("Names")
	var items []*model.TrustStore
	var err error
	c.Engine.Read(func(st *model.State) {
		for _, ts := range st.TrustStores {
			if (len(arns) == 0 || slices.Contains(arns, ts.ARN)) && (len(names) == 0 || slices.Contains(names, ts.Name)) {
				items = append(items, ts)
			}
		}
		for _, a := range arns {
			if st.TrustStores[a] == nil {
				err = apierr.New("TrustStoreNotFound", "One or more trust stores not found")
			}
		}
		for _, n := range names {
			ok := false
			for _, ts := range st.TrustStores {
				ok = ok || ts.Name == n
			}
			if !ok {
				err = apierr.New("TrustStoreNotFound", "One or more trust stores not found")
			}
		}
	})
	if err != nil {
		return nil, err
	}
	key := func(ts *model.TrustStore) string { return ts.ARN }
	items, next, err := page(c.In, items, key)
	if err != nil {
		return nil, err
	}
	out := make([]any, len(items))
	for i, ts := range items {
		out[i] = trustStoreOut(ts)
	}
	return map[string]any{"TrustStores": out, "NextMarker": next}, nil
}

func revocationIDs(in awsproto.Params) ([]int64, error) {
	var ids []int64
	for _, v := range in.List("RevocationIds") {
		switch x := v.(type) {
		case int64:
			ids = append(ids, x)
		case string:
			n, err := strconv.ParseInt(x, 10, 64)
			if err != nil {
				return nil, validation("Revocation ID '%s' is not valid", x) // probable
			}
			ids = append(ids, n)
		}
	}
	return ids, nil
}

func revocationOut(arn string, r model.TrustStoreRevocation) map[string]any {
	return map[string]any{"TrustStoreArn": arn, "RevocationId": r.ID, "RevocationType": r.Type, "NumberOfRevokedEntries": r.NumberOfRevokedEntries}
}

func addRevocations(c *api.Call) (map[string]any, error) {
	var contents []engine.RevocationContent
	for _, r := range c.In.Structs("RevocationContents") {
		contents = append(contents, engine.RevocationContent{Bucket: r.String("S3Bucket"), Key: r.String("S3Key"),
			Version: r.String("S3ObjectVersion"), Type: r.String("RevocationType")})
	}
	arn := c.In.String("TrustStoreArn")
	revs, err := c.Engine.AddTrustStoreRevocations(arn, contents)
	if err != nil {
		return nil, err
	}
	out := make([]any, len(revs))
	for i, r := range revs {
		out[i] = revocationOut(arn, r)
	}
	return map[string]any{"TrustStoreRevocations": out}, nil
}

func describeRevocations(c *api.Call) (map[string]any, error) {
	ids, err := revocationIDs(c.In)
	if err != nil {
		return nil, err
	}
	arn := c.In.String("TrustStoreArn")
	revs, err := c.Engine.TrustStoreRevocations(arn, ids)
	if err != nil {
		return nil, err
	}
	key := func(r model.TrustStoreRevocation) string { return strconv.FormatInt(1e15+r.ID, 10) }
	revs, next, err := page(c.In, revs, key)
	if err != nil {
		return nil, err
	}
	out := make([]any, len(revs))
	for i, r := range revs {
		out[i] = revocationOut(arn, r)
	}
	return map[string]any{"TrustStoreRevocations": out, "NextMarker": next}, nil
}

func describeTrustStoreAssociations(c *api.Call) (map[string]any, error) {
	ts, err := trustStore(c)
	if err != nil {
		return nil, err
	}
	var listeners []string
	c.Engine.Read(func(st *model.State) { listeners = engine.TrustStoreListeners(st, ts.ARN) })
	// The associated resources are the load balancers of those listeners.
	var lbs []string
	for _, l := range listeners {
		i := strings.Index(l, ":listener/")
		parts := strings.Split(l[i+len(":listener/"):], "/")
		lb := l[:i] + ":loadbalancer/" + strings.Join(parts[:3], "/")
		if !slices.Contains(lbs, lb) {
			lbs = append(lbs, lb)
		}
	}
	items, next, err := page(c.In, lbs, func(s string) string { return s })
	if err != nil {
		return nil, err
	}
	out := make([]any, len(items))
	for i, a := range items {
		out[i] = map[string]any{"ResourceArn": a}
	}
	return map[string]any{"TrustStoreAssociations": out, "NextMarker": next}, nil
}

// mutualAuthIn reads a listener's MutualAuthentication member.
func mutualAuthIn(in awsproto.Params) *engine.MutualAuthInput {
	m := in.Struct("MutualAuthentication")
	if m == nil {
		return nil
	}
	return &engine.MutualAuthInput{Mode: m.String("Mode"), TrustStoreARN: m.String("TrustStoreArn"),
		IgnoreClientCertificateExpiry: m.Bool("IgnoreClientCertificateExpiry"), AdvertiseTrustStoreCaNames: m.String("AdvertiseTrustStoreCaNames")}
}

// mutualAuthOut is a listener's MutualAuthentication answer.
func mutualAuthOut(m *model.MutualAuthentication) map[string]any {
	out := map[string]any{"Mode": m.Mode, "IgnoreClientCertificateExpiry": m.IgnoreClientCertificateExpiry}
	if m.Mode == "verify" {
		out["TrustStoreArn"] = m.TrustStoreARN
		out["TrustStoreAssociationStatus"] = "active"
		out["AdvertiseTrustStoreCaNames"] = m.AdvertiseTrustStoreCaNames
	}
	return out
}
