package awsproto

import (
	"testing"
)

// Every structure's members must have distinct serialized names, or the
// form decoder could not tell them apart.
func TestSerializedNamesAreUnique(t *testing.T) {
	m, err := LoadModels()
	if err != nil {
		t.Fatal(err)
	}
	for _, svc := range m.services {
		svc.load()
		for _, s := range svc.shapes {
			if len(s.byWire) != len(s.Members) || len(s.byJSON) != len(s.Members) {
				t.Errorf("%s %s: %d members but %d wire names", svc.Name, s.Name, len(s.Members), len(s.byWire))
			}
		}
	}
}
