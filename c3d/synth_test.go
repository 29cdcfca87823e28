package c3d_test

import (
	"encoding/binary"
	"math"

	"github.com/tendo-health/tendo/c3d"
)

// synth builds small C3D files for tests and the fuzz corpus.
type synth struct {
	proc c3d.Processor
	bo   binary.AppendByteOrder
	// plate holds the parameters of a FORCE_PLATFORM group, written only
	// when not nil.
	plate []synthParam
}

// A synthParam is a parameter of a synthetic file: typ is the C3D type
// (-1 char, 1 byte, 2 int16, 4 float) and data the encoded elements.
type synthParam struct {
	name string
	typ  int8
	dims []byte
	data []byte
}

// f32s encodes floats.
func (s synth) f32s(v ...float32) []byte {
	var b []byte
	for _, x := range v {
		b = append(b, s.f32(x)...)
	}
	return b
}

// i16s encodes int16s.
func (s synth) i16s(v ...int) []byte {
	var b []byte
	for _, x := range v {
		b = append(b, s.i16(x)...)
	}
	return b
}

func (s synth) i16(v int) []byte { return s.bo.AppendUint16(nil, uint16(int16(v))) }

func (s synth) f32(v float32) []byte {
	if s.proc != c3d.DEC {
		return s.bo.AppendUint32(nil, math.Float32bits(v))
	}
	if v == 0 {
		return []byte{0, 0, 0, 0}
	}
	// VAX F-floating is the IEEE pattern of 4v with its 16-bit words
	// swapped.
	b := math.Float32bits(4 * v)
	return []byte{byte(b >> 16), byte(b >> 24), byte(b), byte(b >> 8)}
}

// Geometry of the synthetic files.
const (
	synthPoints   = 2
	synthFrames   = 3
	synthChannels = 2
	synthSamples  = 2 // analog samples per frame
	synthRate     = 50
)

// synthPoint is the stored coordinate c (0..2) of point p in frame fr.
func synthPoint(fr, p, c int) float64 { return float64(100*fr + 10*p + c) }

// synthAnalog is the raw value of channel ch at sample k.
func synthAnalog(k, ch int) int { return 2048 + 10*k - ch }

// build returns a file of processor s.proc with float (scale < 0) or
// integer point storage. Point 1 is invalid in frame 1.
func (s synth) build(float bool) []byte {
	scale := float32(0.5)
	if float {
		scale = -0.5
	}
	pblocks := 1 // parameter blocks; two for a force plate
	if s.plate != nil {
		pblocks = 2
	}
	file := make([]byte, (1+pblocks)*c3d.BlockSize)

	// Parameter section (block 2).
	var ps []byte
	ps = append(ps, 1, 0x50, byte(pblocks), byte(s.proc))
	entry := func(id int8, name string, body []byte) {
		ps = append(ps, byte(len(name)), byte(id))
		ps = append(ps, name...)
		ps = append(ps, s.i16(2+len(body))...)
		ps = append(ps, body...)
	}
	group := func(id int8, name, desc string) {
		entry(-id, name, append([]byte{byte(len(desc))}, desc...))
	}
	param := func(id int8, name string, typ int8, dims []byte, data []byte) {
		body := append([]byte{byte(typ), byte(len(dims))}, dims...)
		body = append(body, data...)
		body = append(body, 4)
		body = append(body, "desc"...)
		entry(id, name, body)
	}
	cat := func(bs ...[]byte) []byte {
		var out []byte
		for _, b := range bs {
			out = append(out, b...)
		}
		return out
	}
	group(1, "POINT", "3D points")
	param(1, "USED", 2, nil, s.i16(synthPoints))
	param(1, "SCALE", 4, nil, s.f32(scale))
	param(1, "RATE", 4, nil, s.f32(synthRate))
	param(1, "DATA_START", 2, nil, s.i16(2+pblocks))
	param(1, "LABELS", -1, []byte{4, 2}, []byte("P1  P2  "))
	group(2, "ANALOG", "analog channels")
	param(2, "USED", 2, nil, s.i16(synthChannels))
	param(2, "RATE", 4, nil, s.f32(synthRate*synthSamples))
	param(2, "LABELS", -1, []byte{2, 2}, []byte("A1A2"))
	param(2, "SCALE", 4, []byte{2}, cat(s.f32(0.25), s.f32(-2)))
	param(2, "OFFSET", 2, []byte{2}, cat(s.i16(2048), s.i16(2000)))
	param(2, "GEN_SCALE", 4, nil, s.f32(2))
	group(3, "EVENT", "events")
	param(3, "USED", 2, nil, s.i16(2))
	param(3, "CONTEXTS", -1, []byte{5, 2}, []byte("Left Right"))
	param(3, "LABELS", -1, []byte{11, 2}, []byte("Foot StrikeFoot Off   "))
	param(3, "TIMES", 4, []byte{2, 2}, cat(s.f32(0), s.f32(0.02), s.f32(1), s.f32(0.5)))
	if s.plate != nil {
		group(4, "FORCE_PLATFORM", "force plates")
		for _, p := range s.plate {
			param(4, p.name, p.typ, p.dims, p.data)
		}
	}
	ps = append(ps, 0, 0)
	if len(ps) > pblocks*c3d.BlockSize {
		panic("synthetic parameter section exceeds its blocks")
	}
	copy(file[c3d.BlockSize:], ps)

	// Header (block 1).
	h := file[:c3d.BlockSize]
	h[0], h[1] = 2, 0x50
	copy(h[2:], s.i16(synthPoints))
	copy(h[4:], s.i16(synthChannels*synthSamples))
	copy(h[6:], s.i16(1))
	copy(h[8:], s.i16(synthFrames))
	copy(h[10:], s.i16(10))
	copy(h[12:], s.f32(scale))
	copy(h[16:], s.i16(2+pblocks))
	copy(h[18:], s.i16(synthSamples))
	copy(h[20:], s.f32(synthRate))
	copy(h[298:], s.i16(12345))
	copy(h[300:], s.i16(1))
	copy(h[304:], s.f32(0.04))
	copy(h[396:], "HS  ")

	// Data (block 2+pblocks).
	var data []byte
	for fr := range synthFrames {
		for p := range synthPoints {
			res := 2<<8 | 3 // cameras 2, residual 3
			if fr == 1 && p == 1 {
				res = -1
			}
			for c := range 3 {
				v := synthPoint(fr, p, c)
				if float {
					data = append(data, s.f32(float32(v*0.5))...)
				} else {
					data = append(data, s.i16(int(v))...)
				}
			}
			if float {
				data = append(data, s.f32(float32(res))...)
			} else {
				data = append(data, s.i16(res)...)
			}
		}
		for smp := range synthSamples {
			for ch := range synthChannels {
				v := synthAnalog(fr*synthSamples+smp, ch)
				if float {
					data = append(data, s.f32(float32(v))...)
				} else {
					data = append(data, s.i16(v)...)
				}
			}
		}
	}
	return append(file, data...)
}

func newSynth(p c3d.Processor) synth {
	if p == c3d.MIPS {
		return synth{proc: p, bo: binary.BigEndian}
	}
	return synth{proc: p, bo: binary.LittleEndian}
}
