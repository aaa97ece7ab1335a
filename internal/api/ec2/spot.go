package ec2

import (
	"encoding/base64"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ecsnet/ecsnet/internal/api"
	"github.com/ecsnet/ecsnet/internal/apierr"
	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

// Spot Instance requests (engine/ec2_spot.go).
func registerSpot(r *api.Registry) {
	add(r, "RequestSpotInstances", requestSpotInstances)
	add(r, "DescribeSpotInstanceRequests", describeSpotInstanceRequests)
	add(r, "CancelSpotInstanceRequests", cancelSpotInstanceRequests)
	add(r, "DescribeSpotPriceHistory", describeSpotPriceHistory)
}

// spotPrice is a maximum price as EC2 answers it: six decimals.
func spotPrice(p string) any {
	if p == "" {
		return nil
	}
	f, err := strconv.ParseFloat(p, 64)
	if err != nil {
		return p
	}
	return strconv.FormatFloat(f, 'f', 6, 64)
}

func spotRequestOut(st *model.State, r *model.SpotInstanceRequest, state, code string) map[string]any {
	typ := "one-time"
	if r.Options.Persistent {
		typ = "persistent"
	}
	groups := make([]any, 0, len(r.GroupIDs))
	for _, id := range r.GroupIDs {
		g := map[string]any{"GroupId": id}
		if sg := st.SecurityGroups[id]; sg != nil {
			g["GroupName"] = sg.Name
		}
		groups = append(groups, g)
	}
	spec := map[string]any{"ImageId": r.ImageID, "InstanceType": r.InstanceType, "KeyName": api.Str(r.KeyName),
		"SubnetId": api.Str(r.SubnetID), "KernelId": api.Str(r.KernelID), "RamdiskId": api.Str(r.RamdiskID),
		"SecurityGroups": groups, "Placement": map[string]any{"AvailabilityZone": r.AvailabilityZone},
		"Monitoring": map[string]any{"Enabled": r.Monitoring}}
	out := map[string]any{"SpotInstanceRequestId": r.ID, "SpotPrice": spotPrice(r.Options.MaxPrice), "Type": typ, "State": state,
		"Status": map[string]any{"Code": code, "UpdateTime": api.Time(r.Created)}, "CreateTime": api.Time(r.Created),
		"ValidFrom": api.Time(r.ValidFrom), "ValidUntil": api.Time(r.ValidUntil), "LaunchGroup": api.Str(r.LaunchGroup),
		"AvailabilityZoneGroup": api.Str(r.AZGroup), "InstanceInterruptionBehavior": r.Options.Interruption,
		"LaunchSpecification": spec, "ProductDescription": "Linux/UNIX", "Tags": api.EC2Tags(r.Tags)}
	if code != "pending-evaluation" {
		out["InstanceId"] = r.InstanceID
		out["LaunchedAvailabilityZone"] = r.AvailabilityZone
	}
	return out
}

func requestSpotInstances(c *api.Call) (map[string]any, error) {
	in := c.In
	tags, err := api.TagSpecs(in, "spot-instances-request")
	if err != nil {
		return nil, err
	}
	typ := in.String("Type")
	switch typ {
	case "", "one-time", "persistent":
	default:
		return nil, apierr.Newf("InvalidParameterValue", "Value (%s) for parameter type is invalid. Valid values are: one-time, persistent.", typ)
	}
	opts := model.SpotMarketOptions{Persistent: typ == "persistent", Interruption: in.String("InstanceInterruptionBehavior"), MaxPrice: in.String("SpotPrice")}
	switch opts.Interruption {
	case "":
		opts.Interruption = "terminate"
	case "terminate", "stop", "hibernate":
	default:
		return nil, apierr.Newf("InvalidParameterValue", "Value (%s) for parameter instanceInterruptionBehavior is invalid. Valid values are: hibernate, stop, terminate.", opts.Interruption)
	}
	spec := in.Struct("LaunchSpecification")
	ri := engine.RunInstancesInput{ImageID: spec.String("ImageId"), InstanceType: spec.String("InstanceType"),
		SubnetID: model.SubnetID(spec.String("SubnetId")), SecurityGroupIDs: ids[model.SecurityGroupID](spec, "SecurityGroupIds"),
		SecurityGroupNames: spec.Strings("SecurityGroups"), UserData: spec.String("UserData"), KeyName: spec.String("KeyName"),
		EBSOptimized: spec.Bool("EbsOptimized"), AvailabilityZone: spec.Struct("Placement").String("AvailabilityZone"),
		Monitoring: boolParam(spec.Struct("Monitoring"), "Enabled")}
	if ri.ImageID == "" {
		return nil, apierr.New("MissingParameter", "The request must contain the parameter ImageId")
	}
	if ri.InstanceType == "" {
		ri.InstanceType = "m1.small" // RunInstances' default
	}
	if ri.BlockDevices, err = blockDevices(spec); err != nil {
		return nil, err
	}
	if p := spec.Struct("IamInstanceProfile"); p != nil {
		ri.IAMProfile = p.String("Arn")
		if ri.IAMProfile == "" {
			ri.IAMProfile = p.String("Name")
		}
	}
	if ri.IAM, err = c.IAM(); err != nil {
		return nil, err
	}
	reqs, err := c.Engine.RequestSpotInstances(engine.RequestSpotInstancesInput{Count: int(in.Int("InstanceCount")), Options: opts,
		ValidFrom: in.Time("ValidFrom"), ValidUntil: in.Time("ValidUntil"), LaunchGroup: in.String("LaunchGroup"),
		AZGroup: in.String("AvailabilityZoneGroup"), Launch: ri, KernelID: spec.String("KernelId"), RamdiskID: spec.String("RamdiskId"),
		Monitoring: spec.Struct("Monitoring").Bool("Enabled"), Tags: tags})
	if err != nil {
		return nil, err
	}
	return c.View(func(st *model.State) map[string]any {
		out := make([]any, len(reqs))
		for i, r := range reqs {
			out[i] = spotRequestOut(st, r, "open", "pending-evaluation")
		}
		return map[string]any{"SpotInstanceRequests": out}
	}), nil
}

func describeSpotInstanceRequests(c *api.Call) (map[string]any, error) {
	var out map[string]any
	var err error
	c.Engine.Read(func(st *model.State) {
		var items []*model.SpotInstanceRequest
		if items, err = byIDs(st.SpotRequests, c.In.Strings("SpotInstanceRequestIds"), func(id string) error {
			return apierr.Newf("InvalidSpotInstanceRequestID.NotFound", "The spot instance request ID '%s' does not exist", id)
		}); err != nil {
			return
		}
		type R = *model.SpotInstanceRequest
		typ := func(r R) []string {
			if r.Options.Persistent {
				return []string{"persistent"}
			}
			return []string{"one-time"}
		}
		fs := api.FilterSet[R]{
			Tags: func(r R) model.Tags { return r.Tags },
			Attrs: map[string]func(R) []string{
				"spot-instance-request-id":       func(r R) []string { return api.One(r.ID) },
				"state":                          func(r R) []string { return []string{r.State} },
				"status-code":                    func(r R) []string { return []string{r.StatusCode} },
				"type":                           typ,
				"instance-id":                    func(r R) []string { return api.One(r.InstanceID) },
				"launched-availability-zone":     func(r R) []string { return []string{r.AvailabilityZone} },
				"launch.image-id":                func(r R) []string { return []string{r.ImageID} },
				"launch.instance-type":           func(r R) []string { return []string{r.InstanceType} },
				"launch.key-name":                func(r R) []string { return []string{r.KeyName} },
				"launch-group":                   func(r R) []string { return []string{r.LaunchGroup} },
				"availability-zone-group":        func(r R) []string { return []string{r.AZGroup} },
				"spot-price":                     func(r R) []string { return []string{r.Options.MaxPrice} },
				"instance-interruption-behavior": func(r R) []string { return []string{r.Options.Interruption} },
				"create-time":                    func(r R) []string { return api.One(isoMillis(r.Created)) },
				"valid-from":                     func(r R) []string { return api.One(isoMillis(r.ValidFrom)) },
				"valid-until":                    func(r R) []string { return api.One(isoMillis(r.ValidUntil)) },
				"product-description":            func(R) []string { return []string{"Linux/UNIX"} },
				"launch.group-id": func(r R) []string {
					out := make([]string, len(r.GroupIDs))
					for i, g := range r.GroupIDs {
						out[i] = string(g)
					}
					return out
				},
				"launch.group-name": func(r R) []string {
					var out []string
					for _, g := range r.GroupIDs {
						if sg := st.SecurityGroups[g]; sg != nil {
							out = append(out, sg.Name)
						}
					}
					return out
				},
				"launch.kernel-id":          func(r R) []string { return api.One(r.KernelID) },
				"launch.ramdisk-id":         func(r R) []string { return api.One(r.RamdiskID) },
				"launch.monitoring-enabled": func(r R) []string { return api.Bool(r.Monitoring) },
				"launched-availability-zone-id": func(r R) []string {
					for _, z := range engine.RegionAvailabilityZones(c.Region) {
						if z.Name == r.AvailabilityZone && r.InstanceID != "" {
							return []string{z.ID}
						}
					}
					return nil
				},
				// Faults, status messages, block device mappings and network
				// interfaces of the launch specification are not answered:
				// valid filters that match none.
				"fault-code":     func(R) []string { return nil },
				"fault-message":  func(R) []string { return nil },
				"status-message": func(R) []string { return nil },
				"launch.block-device-mapping.delete-on-termination": func(R) []string { return nil },
				"launch.block-device-mapping.device-name":           func(R) []string { return nil },
				"launch.block-device-mapping.snapshot-id":           func(R) []string { return nil },
				"launch.block-device-mapping.volume-size":           func(R) []string { return nil },
				"launch.block-device-mapping.volume-type":           func(R) []string { return nil },
				"network-interface.addresses.primary":               func(R) []string { return nil },
				"network-interface.delete-on-termination":           func(R) []string { return nil },
				"network-interface.description":                     func(R) []string { return nil },
				"network-interface.device-index":                    func(R) []string { return nil },
				"network-interface.group-id":                        func(R) []string { return nil },
				"network-interface.network-interface-id":            func(R) []string { return nil },
				"network-interface.private-ip-address":              func(R) []string { return nil },
				"network-interface.subnet-id":                       func(R) []string { return nil },
			},
		}
		out, err = describePage(c, items, fs, func(r R) string { return string(r.ID) }, "SpotInstanceRequests",
			func(r R) any { return spotRequestOut(st, r, r.State, r.StatusCode) })
	})
	return out, err
}

func cancelSpotInstanceRequests(c *api.Call) (map[string]any, error) {
	var ids []model.SpotInstanceRequestID
	for _, id := range c.In.Strings("SpotInstanceRequestIds") {
		ids = append(ids, model.SpotInstanceRequestID(id))
	}
	if len(ids) == 0 {
		return nil, apierr.New("MissingParameter", "The request must contain the parameter SpotInstanceRequestId")
	}
	reqs, err := c.Engine.CancelSpotInstanceRequests(ids)
	if err != nil {
		return nil, err
	}
	out := make([]any, len(reqs))
	for i, r := range reqs {
		out[i] = map[string]any{"SpotInstanceRequestId": r.ID, "State": r.State}
	}
	return map[string]any{"CancelledSpotInstanceRequests": out}, nil
}

// spotSeries is one price history: an instance type in a zone for a
// product.
type spotSeries struct {
	it           model.InstanceType
	zone, zoneID string
	zoneIndex    int
	product      string
}

// spotPoint is one price change of a series.
type spotPoint struct {
	s     *spotSeries
	slot  int64
	price string
}

// spotSeriesFilter reports whether a filter selects series (zone, type,
// product); the others (spotPointFilters) select price changes. Values may
// use wildcards; there are no comparisons, as EC2 documents.
func spotSeriesFilter(name string) bool {
	switch name {
	case "availability-zone", "availability-zone-id", "instance-type", "product-description":
		return true
	}
	return false
}

func spotSeriesFilters() api.FilterSet[*spotSeries] {
	type S = *spotSeries
	return api.FilterSet[S]{Attrs: map[string]func(S) []string{
		"availability-zone":    func(s S) []string { return []string{s.zone} },
		"availability-zone-id": func(s S) []string { return []string{s.zoneID} },
		"instance-type":        func(s S) []string { return []string{s.it.Name} },
		"product-description":  func(s S) []string { return []string{s.product} },
	}}
}

func spotPointFilters() api.FilterSet[spotPoint] {
	return api.FilterSet[spotPoint]{Attrs: map[string]func(spotPoint) []string{
		"spot-price": func(p spotPoint) []string { return []string{p.price} },
		// EC2 documents the form "ddd MMM dd HH:mm:ss UTC YYYY"; the ISO
		// 8601 form of the answers matches too.
		"timestamp": func(p spotPoint) []string {
			t := engine.SpotSlotTime(p.slot)
			return []string{t.Format("Mon Jan 02 15:04:05 UTC 2006"), t.Format("2006-01-02T15:04:05.000Z")}
		},
	}}
}

// describeSpotPriceHistory answers from ecsnet's deterministic price table
// (engine.SpotPrice): for every series the call selects, the price changes
// between StartTime (default: now) and EndTime (default: now), and the
// last change before StartTime (the price in effect then), newest first,
// then by zone, instance type and product. The history goes back 90 days.
// MaxResults (1 to 1,000, default 1,000) pages the answer; NextToken holds
// the position and the window, so later pages do not move with the clock.
func describeSpotPriceHistory(c *api.Call) (map[string]any, error) {
	in := c.In
	az, azID := in.String("AvailabilityZone"), in.String("AvailabilityZoneId")
	if az != "" && azID != "" {
		return nil, apierr.New("InvalidParameterCombination", "Either AvailabilityZone or AvailabilityZoneId can be specified, but not both.")
	}
	limit := 1000
	if in.Has("MaxResults") {
		n := int(in.Int("MaxResults"))
		if n < 1 || n > 1000 {
			return nil, apierr.Newf("InvalidParameterValue", "Value ( %d ) for parameter maxResults is invalid. Expecting a value between 1 and 1000.", n)
		}
		limit = n
	}
	now := c.Engine.Now()
	start, end := now, now
	if t := in.Time("StartTime"); !t.IsZero() {
		start = t
	}
	if t := in.Time("EndTime"); !t.IsZero() && t.Before(now) {
		end = t
	}
	offset := 0
	if tok := in.String("NextToken"); tok != "" {
		var ok bool
		if offset, start, end, ok = decodeSpotToken(tok); !ok {
			return nil, apierr.Newf("InvalidParameterValue", "Invalid value '%s' for parameter nextToken.", tok)
		}
	}
	if oldest := now.Add(-engine.SpotPriceRetention); start.Before(oldest) {
		start = oldest
	}
	if start.After(end) {
		start = end
	}

	// The series: types, zones and products, then their filters.
	filters := api.Filters(in)
	var seriesF, pointF []api.Filter
	for _, f := range filters {
		if spotSeriesFilter(f.Name) {
			seriesF = append(seriesF, f)
		} else {
			pointF = append(pointF, f)
		}
	}
	products := engine.SpotProducts()
	asked := in.Strings("ProductDescriptions")
	for _, f := range seriesF {
		if f.Name == "product-description" {
			asked = append(asked, f.Values...)
		}
	}
	for _, p := range engine.SpotVPCProducts() {
		if slices.Contains(asked, p) {
			products = append(products, p)
		}
	}
	if want := in.Strings("ProductDescriptions"); len(want) > 0 {
		products = slices.DeleteFunc(products, func(p string) bool { return !slices.Contains(want, p) })
	}
	types := model.InstanceTypes()
	if want := in.Strings("InstanceTypes"); len(want) > 0 {
		types = slices.DeleteFunc(types, func(it model.InstanceType) bool { return !slices.Contains(want, it.Name) })
	}
	var series []*spotSeries
	for i, z := range c.Engine.AvailabilityZones() {
		if (az != "" && z.Name != az) || (azID != "" && z.ID != azID) {
			continue
		}
		for _, it := range types {
			for _, p := range products {
				series = append(series, &spotSeries{it: it, zone: z.Name, zoneID: z.ID, zoneIndex: i, product: p})
			}
		}
	}
	series, err := spotSeriesFilters().Apply(series, seriesF)
	if err != nil {
		return nil, err
	}
	pfs := spotPointFilters()
	if _, err := pfs.Apply(nil, pointF); err != nil {
		return nil, err
	}

	// The points, newest first: skip offset of them, keep limit, and see
	// whether one more follows. Without a filter on the points, a slot
	// holds one point per series, so the slots before offset are skipped
	// without a price computed.
	out := []any{}
	skipped, more := 0, false
	var points []spotPoint
	for slot := engine.SpotSlot(end); slot >= engine.SpotSlot(start) && !more; slot-- {
		if len(pointF) == 0 && skipped+len(series) <= offset {
			skipped += len(series)
			continue
		}
		points = points[:0]
		for _, s := range series {
			price := engine.SpotPrice(s.it, s.zoneIndex, s.product, slot)
			points = append(points, spotPoint{s: s, slot: slot, price: strconv.FormatFloat(price, 'f', 6, 64)})
		}
		if len(pointF) > 0 {
			if points, err = pfs.Apply(points, pointF); err != nil {
				return nil, err
			}
		}
		for _, p := range points {
			if skipped < offset {
				skipped++
				continue
			}
			if len(out) == limit {
				more = true
				break
			}
			out = append(out, map[string]any{"AvailabilityZone": p.s.zone, "AvailabilityZoneId": p.s.zoneID,
				"InstanceType": p.s.it.Name, "ProductDescription": p.s.product, "SpotPrice": p.price,
				"Timestamp": engine.SpotSlotTime(p.slot)})
		}
	}
	res := map[string]any{"SpotPriceHistory": out}
	if more {
		res["NextToken"] = encodeSpotToken(offset+len(out), start, end)
	}
	return res, nil
}

// encodeSpotToken writes a page's position and the window it is in.
func encodeSpotToken(offset int, start, end time.Time) string {
	s := strconv.Itoa(offset) + "." + strconv.FormatInt(start.Unix(), 10) + "." + strconv.FormatInt(end.Unix(), 10)
	return base64.RawURLEncoding.EncodeToString([]byte(s))
}

func decodeSpotToken(tok string) (offset int, start, end time.Time, ok bool) {
	b, err := base64.RawURLEncoding.DecodeString(tok)
	if err != nil {
		return 0, time.Time{}, time.Time{}, false
	}
	parts := strings.Split(string(b), ".")
	if len(parts) != 3 {
		return 0, time.Time{}, time.Time{}, false
	}
	offset, err1 := strconv.Atoi(parts[0])
	s, err2 := strconv.ParseInt(parts[1], 10, 64)
	e, err3 := strconv.ParseInt(parts[2], 10, 64)
	if err1 != nil || err2 != nil || err3 != nil || offset < 0 || s > e {
		return 0, time.Time{}, time.Time{}, false
	}
	return offset, time.Unix(s, 0).UTC(), time.Unix(e, 0).UTC(), true
}
