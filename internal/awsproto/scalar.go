package awsproto

import (
	"math"
	"strconv"
	"strings"
	"time"
)

// parseTimestamp accepts what AWS SDKs send for a timestamp: ISO 8601
// (with or without fractional seconds and zone; no zone means UTC), epoch
// seconds (integer or fractional), or an RFC 1123 HTTP date.
func parseTimestamp(s string) (time.Time, bool) {
	if s == "" || len(s) > 64 {
		return time.Time{}, false
	}
	if c := s[0]; c >= '0' && c <= '9' || c == '-' {
		if f, err := strconv.ParseFloat(s, 64); err == nil && !strings.ContainsAny(s, "eE") {
			return epochTime(f)
		}
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999", "2006-01-02T15:04:05Z0700", "2006-01-02", time.RFC1123, time.RFC1123Z} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), true
		}
	}
	return time.Time{}, false
}

// epochTime converts epoch seconds to a time, rejecting values beyond
// year 9999 either way.
func epochTime(f float64) (time.Time, bool) {
	const limit = 253402300800 // 10000-01-01T00:00:00Z
	if math.IsNaN(f) || f <= -limit || f >= limit {
		return time.Time{}, false
	}
	sec, frac := math.Modf(f)
	return time.Unix(int64(sec), int64(math.Round(frac*1e3))*1e6).UTC(), true
}

// parseFloatValue parses a float or double, including the "NaN",
// "Infinity" and "-Infinity" spellings AWS protocols use.
func parseFloatValue(s string, bits int) (float64, bool) {
	switch s {
	case "NaN":
		return math.NaN(), true
	case "Infinity":
		return math.Inf(1), true
	case "-Infinity":
		return math.Inf(-1), true
	}
	f, err := strconv.ParseFloat(s, bits)
	if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
		return 0, false
	}
	return f, true
}

// typeName is how Coral names a shape's Java type in messages.
func typeName(t ShapeType) string {
	switch t {
	case TypeInteger:
		return "an Integer"
	case TypeLong:
		return "a Long"
	case TypeBoolean:
		return "a Boolean"
	case TypeFloat:
		return "a Float"
	case TypeDouble:
		return "a Double"
	case TypeTimestamp:
		return "a Date"
	case TypeBlob:
		return "a ByteBuffer"
	case TypeString:
		return "a String"
	}
	return "a " + string(t)
}
