package dnsmsg

import (
	"bytes"
	"net/netip"
	"reflect"
	"testing"
)

// A query and its answer survive a round trip; the bytes of the query
// are the RFC 1035 layout (checked against a hand-written packet).
func TestRoundTrip(t *testing.T) {
	q := &Message{ID: 0xbeef, RecursionDesired: true, Questions: []Question{{Name: "orders.shop.internal", Type: TypeA, Class: ClassINET}}}
	b, err := q.Pack()
	if err != nil {
		t.Fatal(err)
	}
	want := []byte{0xbe, 0xef, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0,
		6, 'o', 'r', 'd', 'e', 'r', 's', 4, 's', 'h', 'o', 'p', 8, 'i', 'n', 't', 'e', 'r', 'n', 'a', 'l', 0, 0, 1, 0, 1}
	if !bytes.Equal(b, want) {
		t.Fatalf("packed %x, want %x", b, want)
	}
	r := &Message{ID: 0xbeef, Response: true, Authoritative: true, RecursionAvailable: true, Rcode: RcodeNXDomain, Questions: q.Questions,
		Answers: []Record{
			{Name: "www.example.com", Type: TypeCNAME, Class: ClassINET, TTL: 60, Target: "web-alb-1.us-east-1.elb.amazonaws.com"},
			{Name: "web-alb-1.us-east-1.elb.amazonaws.com", Type: TypeA, Class: ClassINET, TTL: 60, Addr: netip.MustParseAddr("10.0.1.9")},
			{Name: "web-alb-1.us-east-1.elb.amazonaws.com", Type: TypeAAAA, Class: ClassINET, TTL: 60, Addr: netip.MustParseAddr("2600:1f18::9")},
		}}
	b, err = r.Pack()
	if err != nil {
		t.Fatal(err)
	}
	got, err := Parse(b)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, r) {
		t.Fatalf("round trip:\n got %+v\nwant %+v", got, r)
	}
}

// A compressed answer (what real servers send) reads; a pointer loop
// does not hang.
func TestCompressionAndLoops(t *testing.T) {
	b := []byte{0, 1, 0x81, 0x80, 0, 1, 0, 1, 0, 0, 0, 0,
		3, 'w', 'w', 'w', 7, 'E', 'x', 'a', 'm', 'p', 'l', 'e', 3, 'c', 'o', 'm', 0, 0, 1, 0, 1,
		0xC0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 192, 0, 2, 1}
	m, err := Parse(b)
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Answers) != 1 || m.Answers[0].Name != "www.example.com" || m.Answers[0].Addr != netip.MustParseAddr("192.0.2.1") || m.Rcode != 0 || !m.Response {
		t.Fatalf("got %+v", m)
	}
	loop := []byte{0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0xC0, 12, 0, 1, 0, 1}
	if _, err := Parse(loop); err == nil {
		t.Fatal("a pointer to itself parsed")
	}
}

// FuzzParse: no input panics or hangs the decoder, and whatever it
// reads packs and reads back the same.
func FuzzParse(f *testing.F) {
	q := &Message{ID: 7, RecursionDesired: true, Questions: []Question{{Name: "a.b", Type: TypeA, Class: ClassINET}},
		Answers: []Record{{Name: "a.b", Type: TypeCNAME, Class: ClassINET, TTL: 5, Target: "c.d"}, {Name: "c.d", Type: TypeA, Class: ClassINET, Addr: netip.MustParseAddr("10.0.0.1")}}}
	b, _ := q.Pack()
	f.Add(b)
	f.Add([]byte{0, 1, 0x81, 0x80, 0, 1, 0, 1, 0, 0, 0, 0, 1, 'x', 0, 0, 1, 0, 1, 0xC0, 12, 0, 5, 0, 1, 0, 0, 0, 1, 0, 2, 0xC0, 12})
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := Parse(b)
		if err != nil {
			return
		}
		p, err := m.Pack()
		if err != nil {
			return // a name Parse reads but Pack refuses (a label over 63 bytes through pointers)
		}
		m2, err := Parse(p)
		if err != nil {
			t.Fatalf("packed message does not parse: %v", err)
		}
		if !reflect.DeepEqual(m, m2) {
			t.Fatalf("round trip differs:\n%+v\n%+v", m, m2)
		}
	})
}
