package suggest

import "testing"

func TestClosest(t *testing.T) {
	known := []string{"probe", "check", "show", "exposure", "o", "web-alb", "ecs-asg/0"}
	for s, want := range map[string]string{
		"prboe":     "probe",
		"chek":      "check",
		"expo":      "exposure", // a prefix
		"web-albb":  "web-alb",
		"ECS-ASG/1": "ecs-asg/0",
		"probe":     "", // itself
		"xyz":       "", // nothing near
		"p":         "", // one letter is too short to guess from
	} {
		got, ok := Closest(s, known)
		if got != want || ok != (want != "") {
			t.Errorf("Closest(%q) = %q %v, want %q", s, got, ok, want)
		}
	}
	if d := Distance("kitten", "sitting"); d != 3 {
		t.Errorf("Distance = %d", d)
	}
	// A swap of two adjacent letters is one edit: tpc → tcp.
	for _, c := range []struct {
		a, b string
		d    int
	}{{"tpc", "tcp", 1}, {"ab", "ba", 1}, {"abc", "ca", 3}, {"", "abc", 3}, {"chekc", "check", 1}} {
		if d := Distance(c.a, c.b); d != c.d {
			t.Errorf("Distance(%q, %q) = %d, want %d", c.a, c.b, d, c.d)
		}
	}
	if got, _ := Closest("tpc", []string{"tcp", "udp", "icmp"}); got != "tcp" {
		t.Errorf("Closest(tpc) = %q, want tcp", got)
	}
}
