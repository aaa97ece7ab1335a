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
}
