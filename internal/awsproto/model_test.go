package awsproto

import "testing"

// TestWarm: Warm decodes every service, so a first request decodes
// nothing.
func TestWarm(t *testing.T) {
	m, err := LoadModels()
	if err != nil {
		t.Fatal(err)
	}
	for _, svc := range m.services {
		if svc.operations != nil {
			t.Fatalf("%s decoded before Warm", svc.Name)
		}
	}
	m.Warm()
	for _, svc := range m.services {
		if len(svc.operations) == 0 || len(svc.shapes) == 0 {
			t.Errorf("%s: %d operations, %d shapes after Warm", svc.Name, len(svc.operations), len(svc.shapes))
		}
	}
}
