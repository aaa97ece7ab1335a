// Package dnsmsg is a minimal DNS message encoder and decoder (RFC 1035
// wire format): a header, questions and answer records of type A, AAAA
// and CNAME (other types keep their data as bytes). It is what the data
// plane's Route 53 Resolver (internal/dataplane/dns.go) and its clients
// speak; it reads compressed names and writes uncompressed ones.
package dnsmsg

import (
	"encoding/binary"
	"errors"
	"net/netip"
	"strings"
)

// Record types and the class the data plane uses.
const (
	TypeA     uint16 = 1
	TypeCNAME uint16 = 5
	TypeSOA   uint16 = 6
	TypeAAAA  uint16 = 28
	TypeSRV   uint16 = 33
	ClassINET uint16 = 1
)

// Response codes.
const (
	RcodeSuccess  = 0
	RcodeFormErr  = 1
	RcodeServFail = 2
	RcodeNXDomain = 3
	RcodeNotImp   = 4
	RcodeRefused  = 5
)

// Message is a DNS message. Authority and additional records are read
// past but not kept.
type Message struct {
	ID uint16
	// Response is the QR bit; Opcode the 4-bit opcode.
	Response bool
	Opcode   uint8
	// Authoritative (AA), Truncated (TC), RecursionDesired (RD),
	// RecursionAvailable (RA).
	Authoritative, Truncated, RecursionDesired, RecursionAvailable bool
	Rcode                                                          uint8
	Questions                                                      []Question
	Answers                                                        []Record
}

// Question is one question: a name (lower case, without the final dot),
// a type and a class.
type Question struct {
	Name  string
	Type  uint16
	Class uint16
}

// Record is a resource record. Addr holds an A or AAAA record's address,
// Target a CNAME's name; Data any other type's bytes.
type Record struct {
	Name   string
	Type   uint16
	Class  uint16
	TTL    uint32
	Addr   netip.Addr
	Target string
	Data   []byte
}

var (
	errShort = errors.New("dnsmsg: message too short")
	errName  = errors.New("dnsmsg: bad name")
	errData  = errors.New("dnsmsg: bad record data")
)

// maxPointers bounds the compression pointers one name follows (a loop
// of pointers never ends otherwise).
const maxPointers = 32

// readName reads a possibly compressed name at off; it returns the name
// and the offset after it in the message (not after a pointer's target).
func readName(b []byte, off int) (string, int, error) {
	var labels []string
	end := -1
	total := 0
	for jumps := 0; ; {
		if off >= len(b) {
			return "", 0, errShort
		}
		l := int(b[off])
		switch {
		case l == 0:
			if end < 0 {
				end = off + 1
			}
			return strings.Join(labels, "."), end, nil
		case l&0xC0 == 0xC0:
			if off+1 >= len(b) {
				return "", 0, errShort
			}
			if jumps++; jumps > maxPointers {
				return "", 0, errName
			}
			if end < 0 {
				end = off + 2
			}
			off = int(binary.BigEndian.Uint16(b[off:]) & 0x3FFF)
		case l&0xC0 != 0:
			return "", 0, errName
		default:
			if off+1+l > len(b) {
				return "", 0, errShort
			}
			label := string(b[off+1 : off+1+l])
			if strings.ContainsAny(label, ".\x00") || label == "" {
				return "", 0, errName
			}
			total += l + 1
			if total > 255 {
				return "", 0, errName
			}
			labels = append(labels, strings.ToLower(label))
			off += 1 + l
		}
	}
}

// appendName writes name uncompressed.
func appendName(b []byte, name string) ([]byte, error) {
	name = strings.TrimSuffix(name, ".")
	if name == "" {
		return append(b, 0), nil
	}
	if len(name) > 253 {
		return nil, errName
	}
	for _, l := range strings.Split(name, ".") {
		if l == "" || len(l) > 63 || strings.ContainsRune(l, 0) {
			return nil, errName
		}
		b = append(b, byte(len(l)))
		b = append(b, l...)
	}
	return append(b, 0), nil
}

// Parse decodes a message.
func Parse(b []byte) (*Message, error) {
	if len(b) < 12 {
		return nil, errShort
	}
	m := &Message{ID: binary.BigEndian.Uint16(b)}
	f := binary.BigEndian.Uint16(b[2:])
	m.Response = f&0x8000 != 0
	m.Opcode = uint8(f>>11) & 0xF
	m.Authoritative = f&0x0400 != 0
	m.Truncated = f&0x0200 != 0
	m.RecursionDesired = f&0x0100 != 0
	m.RecursionAvailable = f&0x0080 != 0
	m.Rcode = uint8(f & 0xF)
	qd, an := int(binary.BigEndian.Uint16(b[4:])), int(binary.BigEndian.Uint16(b[6:]))
	off := 12
	for range qd {
		name, n, err := readName(b, off)
		if err != nil {
			return nil, err
		}
		if n+4 > len(b) {
			return nil, errShort
		}
		m.Questions = append(m.Questions, Question{Name: name, Type: binary.BigEndian.Uint16(b[n:]), Class: binary.BigEndian.Uint16(b[n+2:])})
		off = n + 4
	}
	for range an {
		name, n, err := readName(b, off)
		if err != nil {
			return nil, err
		}
		if n+10 > len(b) {
			return nil, errShort
		}
		r := Record{Name: name, Type: binary.BigEndian.Uint16(b[n:]), Class: binary.BigEndian.Uint16(b[n+2:]), TTL: binary.BigEndian.Uint32(b[n+4:])}
		rdlen := int(binary.BigEndian.Uint16(b[n+8:]))
		start := n + 10
		if start+rdlen > len(b) {
			return nil, errShort
		}
		data := b[start : start+rdlen]
		switch r.Type {
		case TypeA:
			if rdlen != 4 {
				return nil, errData
			}
			r.Addr = netip.AddrFrom4([4]byte(data))
		case TypeAAAA:
			if rdlen != 16 {
				return nil, errData
			}
			r.Addr = netip.AddrFrom16([16]byte(data))
		case TypeCNAME:
			t, end, err := readName(b, start)
			if err != nil {
				return nil, err
			}
			if end != start+rdlen {
				return nil, errData
			}
			r.Target = t
		default:
			r.Data = append([]byte(nil), data...)
		}
		m.Answers = append(m.Answers, r)
		off = start + rdlen
	}
	return m, nil
}

// Pack encodes a message.
func (m *Message) Pack() ([]byte, error) {
	if len(m.Questions) > 0xFFFF || len(m.Answers) > 0xFFFF {
		return nil, errData
	}
	b := make([]byte, 12, 512)
	binary.BigEndian.PutUint16(b, m.ID)
	f := uint16(m.Opcode&0xF)<<11 | uint16(m.Rcode&0xF)
	for _, x := range []struct {
		on  bool
		bit uint16
	}{{m.Response, 0x8000}, {m.Authoritative, 0x0400}, {m.Truncated, 0x0200}, {m.RecursionDesired, 0x0100}, {m.RecursionAvailable, 0x0080}} {
		if x.on {
			f |= x.bit
		}
	}
	binary.BigEndian.PutUint16(b[2:], f)
	binary.BigEndian.PutUint16(b[4:], uint16(len(m.Questions)))
	binary.BigEndian.PutUint16(b[6:], uint16(len(m.Answers)))
	var err error
	for _, q := range m.Questions {
		if b, err = appendName(b, q.Name); err != nil {
			return nil, err
		}
		b = binary.BigEndian.AppendUint16(b, q.Type)
		b = binary.BigEndian.AppendUint16(b, q.Class)
	}
	for _, r := range m.Answers {
		if b, err = appendName(b, r.Name); err != nil {
			return nil, err
		}
		b = binary.BigEndian.AppendUint16(b, r.Type)
		b = binary.BigEndian.AppendUint16(b, r.Class)
		b = binary.BigEndian.AppendUint32(b, r.TTL)
		var data []byte
		switch r.Type {
		case TypeA:
			if !r.Addr.Is4() {
				return nil, errData
			}
			a := r.Addr.As4()
			data = a[:]
		case TypeAAAA:
			if !r.Addr.Is6() {
				return nil, errData
			}
			a := r.Addr.As16()
			data = a[:]
		case TypeCNAME:
			if data, err = appendName(nil, r.Target); err != nil {
				return nil, err
			}
		default:
			data = r.Data
		}
		if len(data) > 0xFFFF {
			return nil, errData
		}
		b = binary.BigEndian.AppendUint16(b, uint16(len(data)))
		b = append(b, data...)
	}
	return b, nil
}
