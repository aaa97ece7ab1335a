package engine

import (
	crand "crypto/rand"
	"encoding/binary"
	"fmt"
	"math/rand/v2"
)

// IDSource makes the random parts of AWS identifiers. The engine calls it
// only while holding its write lock.
type IDSource interface {
	// Hex returns n lowercase hexadecimal digits.
	Hex(n int) string
	// Uint64 returns a random number (for MAC addresses and the like).
	Uint64() uint64
	// Fork returns an independent source (for engine clones).
	Fork() IDSource
}

type rngIDs struct{ r *rand.Rand }

// SeededIDs returns a deterministic source: the same seed gives the same ids
// in the same order, which keeps scenario output stable between runs.
func SeededIDs(seed uint64) IDSource {
	return &rngIDs{rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))}
}

// RandomIDs returns a source seeded from the operating system.
func RandomIDs() IDSource {
	var b [16]byte
	if _, err := crand.Read(b[:]); err != nil {
		panic(fmt.Sprintf("engine: no entropy: %v", err))
	}
	return &rngIDs{rand.New(rand.NewPCG(binary.LittleEndian.Uint64(b[:8]), binary.LittleEndian.Uint64(b[8:])))}
}

const hexDigits = "0123456789abcdef"

func (g *rngIDs) Hex(n int) string {
	b := make([]byte, n)
	var v uint64
	for i := range b {
		if i%16 == 0 {
			v = g.r.Uint64()
		}
		b[i] = hexDigits[v&15]
		v >>= 4
	}
	return string(b)
}

func (g *rngIDs) Uint64() uint64 { return g.r.Uint64() }

func (g *rngIDs) Fork() IDSource {
	return &rngIDs{rand.New(rand.NewPCG(g.r.Uint64(), g.r.Uint64()))}
}

// newID returns an EC2-style id: prefix, dash, 17 hex digits.
func (t *txn) newID(prefix string) string { return prefix + "-" + t.e.ids.Hex(17) }

// uuid returns a random RFC 4122 version 4 UUID.
func (t *txn) uuid() string {
	h := []byte(t.e.ids.Hex(32))
	h[12] = '4'
	h[16] = "89ab"[t.e.ids.Uint64()%4]
	return fmt.Sprintf("%s-%s-%s-%s-%s", h[0:8], h[8:12], h[12:16], h[16:20], h[20:32])
}

// mac returns a locally administered unicast MAC address, as EC2 assigns.
func (t *txn) mac() string {
	v := t.e.ids.Uint64()
	b := [6]byte{0x02 | byte(v>>40)&0xfc, byte(v >> 32), byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)}
	return fmt.Sprintf("%02x:%02x:%02x:%02x:%02x:%02x", b[0], b[1], b[2], b[3], b[4], b[5])
}
