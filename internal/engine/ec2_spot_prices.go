package engine

import (
	"hash/fnv"
	"math"
	"strings"
	"time"

	"github.com/ecsnet/ecsnet/internal/model"
)

// Spot price history. AWS's Spot prices are live market data; ecsnet
// answers DescribeSpotPriceHistory from a deterministic table instead
// ([choice], docs/aws-behavior.md): a price changes only at fixed
// instants (every SpotPriceInterval, aligned on the Unix epoch), and the
// price of a type in a zone for a product at one instant is a function of
// the type's size, its zone's place in the region and the instant — the
// same on every run and every machine.

// SpotPriceInterval is the time between two Spot price changes.
const SpotPriceInterval = 6 * time.Hour

// SpotPriceRetention is how far back the history goes: AWS keeps "up to
// the past 90 days" (DescribeSpotPriceHistory's StartTime).
const SpotPriceRetention = 90 * 24 * time.Hour

// SpotProducts are the product descriptions a history lists by default.
func SpotProducts() []string {
	return []string{"Linux/UNIX", "Red Hat Enterprise Linux", "SUSE Linux", "Windows"}
}

// SpotVPCProducts are the "(Amazon VPC)" names of the same products, which
// the product-description filter still lists (EC2-Classic's distinction);
// ecsnet answers them when they are asked for by name.
func SpotVPCProducts() []string {
	return []string{"Linux/UNIX (Amazon VPC)", "Red Hat Enterprise Linux (Amazon VPC)", "SUSE Linux (Amazon VPC)", "Windows (Amazon VPC)"}
}

// OnDemandLikePrice is the hourly price ecsnet's Spot prices are a
// fraction of [choice]: $0.03 a vCPU plus $0.0045 a GiB of memory (m5.large
// comes to $0.096, its us-east-1 on-demand price), burstable families (t*)
// $0.0104 a GiB (t3.micro $0.0104, t3.large $0.0832, as in us-east-1),
// Graviton families (a1, c6g, m7g, t4g, …) at 80%, GPU families (g4ad, p3)
// six times.
func OnDemandLikePrice(it model.InstanceType) float64 {
	p := 0.03*float64(it.VCPUs) + 0.0045*float64(it.MemoryMiB)/1024
	family, _, _ := strings.Cut(it.Name, ".")
	switch {
	case strings.HasPrefix(family, "t"):
		p = 0.0104 * float64(it.MemoryMiB) / 1024
	case strings.HasPrefix(family, "p"), strings.HasPrefix(family, "g"):
		p *= 6
	}
	if family == "a1" || graviton(family) {
		p *= 0.8
	}
	return p
}

// graviton reports a family named <class><generation>g…: c6g, m7g, t4g.
func graviton(family string) bool {
	i := strings.IndexAny(family, "0123456789")
	return i > 0 && i+1 < len(family) && family[i+1] == 'g'
}

// spotProductFactor is a product's price against Linux/UNIX's [choice].
func spotProductFactor(product string) float64 {
	switch strings.TrimSuffix(product, " (Amazon VPC)") {
	case "Red Hat Enterprise Linux":
		return 1.25
	case "SUSE Linux":
		return 1.15
	case "Windows":
		return 1.8
	}
	return 1
}

// SpotPrice is the Spot price of an instance type in the zone at index
// zone of the region, for a product, from the change at slot (the instant
// slot·SpotPriceInterval after the Unix epoch) to the next: 30% of
// OnDemandLikePrice, one point more for each zone after the first (of
// four), moved by -1.5 to +1.5 points at each change (never the same move
// twice in a row), times the product's factor; in dollars, four decimals,
// at least $0.001.
func SpotPrice(it model.InstanceType, zone int, product string, slot int64) float64 {
	h := fnv.New32a()
	h.Write([]byte(it.Name))
	h.Write([]byte{byte(zone), byte(slot), byte(slot >> 8), byte(slot >> 16), byte(slot >> 24)})
	// One of three moves of each parity, the parity the slot's: two
	// changes in a row never have the same move.
	move := (float64(int(h.Sum32()%3)*2+int(slot&1)) - 2.5) * 0.006
	frac := 0.30 + 0.01*float64(zone%4) + move
	p := math.Round(OnDemandLikePrice(it)*frac*spotProductFactor(product)*1e4) / 1e4
	return max(p, 0.001)
}

// SpotSlot is the slot of the last price change at or before t.
func SpotSlot(t time.Time) int64 {
	return int64(math.Floor(float64(t.Unix()) / SpotPriceInterval.Seconds()))
}

// SpotSlotTime is the instant of a slot's price change.
func SpotSlotTime(slot int64) time.Time {
	return time.Unix(slot*int64(SpotPriceInterval/time.Second), 0).UTC()
}
