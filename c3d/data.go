package c3d

import (
	"fmt"
	"math"
	"strings"
)

// labels returns group:LABELS followed by LABELS2, LABELS3, ... as far as
// they go, cut to n names.
func (f *File) labels(group string, n int) []string {
	g := f.Group(group)
	s := g.Param("LABELS").Strings()
	for k := 2; len(s) < n; k++ {
		p := g.Param(fmt.Sprintf("LABELS%d", k))
		if p == nil {
			break
		}
		s = append(s, p.Strings()...)
	}
	if len(s) > n {
		s = s[:n]
	}
	return s
}

// PointIndex returns the index of the point labelled label, or -1.
func (f *File) PointIndex(label string) int {
	for i, l := range f.PointLabels {
		if l == label {
			return i
		}
	}
	return -1
}

// AnalogIndex returns the index of the analog channel labelled label, or -1.
func (f *File) AnalogIndex(label string) int {
	for i, l := range f.AnalogLabels {
		if l == label {
			return i
		}
	}
	return -1
}

// first returns the first element of group:name, or def.
func (f *File) first(group, name string, def float64) float64 {
	if v := f.Param(group, name).Floats(); len(v) > 0 {
		return v[0]
	}
	return def
}

// data decodes the point and analog frames.
func (d *decoder) data() error {
	f := &d.f
	h := &f.Header
	np := h.NumPoints
	scale := f.first("POINT", "SCALE", h.Scale)
	if scale == 0 || math.IsNaN(scale) {
		scale = h.Scale
	}
	elem := 2 // bytes per stored value
	if scale < 0 {
		elem = 4
	}
	nframes := h.LastFrame - h.FirstFrame + 1
	if nframes < 0 {
		return formatError(8, "last frame %d precedes first frame %d", h.LastFrame, h.FirstFrame)
	}

	nch := 0
	if v := f.Param("ANALOG", "USED").Ints(); len(v) > 0 {
		nch = int(uint16(v[0]))
	}
	spf := 0
	if h.AnalogPerFrame > 0 {
		if nch == 0 {
			nch = h.AnalogPerFrame
			if h.AnalogSamples > 0 {
				nch /= h.AnalogSamples
			}
		}
		if nch == 0 || h.AnalogPerFrame%nch != 0 {
			return formatError(4, "%d analog values per frame do not divide among %d channels", h.AnalogPerFrame, nch)
		}
		spf = h.AnalogPerFrame / nch
	} else {
		nch = 0
	}
	frameBytes := int64(elem) * int64(4*np+h.AnalogPerFrame)

	block := h.DataBlock
	if v := int(f.first("POINT", "DATA_START", 0)); block == 0 && v > 0 {
		block = v
	}
	if block < 1 {
		return formatError(16, "data start block %d", block)
	}
	off := int64(block-1) * BlockSize
	if off > d.size || int64(nframes)*frameBytes > d.size-off {
		return formatError(16, "%d frames of %d bytes from block %d exceed the file size %d", nframes, frameBytes, block, d.size)
	}
	buf, err := d.readAt(off, int64(nframes)*frameBytes, "point and analog data")
	if err != nil {
		return err
	}

	f.PointLabels = f.labels("POINT", np)
	f.AnalogLabels = f.labels("ANALOG", nch)
	h.AnalogSamples = spf
	f.AnalogRate = f.first("ANALOG", "RATE", h.FrameRate*float64(spf))
	if spf == 0 {
		f.AnalogRate = 0
	}

	// Analog scaling: (value - OFFSET[c]) × SCALE[c] × GEN_SCALE.
	gen := f.first("ANALOG", "GEN_SCALE", 1)
	aoff := make([]float64, nch)
	ascale := make([]float64, nch)
	offs := f.Param("ANALOG", "OFFSET").Floats()
	scales := f.Param("ANALOG", "SCALE").Floats()
	unsigned := strings.EqualFold(f.Param("ANALOG", "FORMAT").String(), "UNSIGNED")
	for c := range nch {
		ascale[c] = gen
		if c < len(offs) {
			aoff[c] = offs[c]
			if unsigned {
				aoff[c] = float64(uint16(int16(offs[c])))
			}
		}
		if c < len(scales) {
			ascale[c] *= scales[c]
		}
	}

	pts := make([]Point, nframes*np)
	f.Points = make([][]Point, nframes)
	abuf := make([]float64, nch*nframes*spf)
	f.Analog = make([][]float64, nch)
	for c := range f.Analog {
		f.Analog[c] = abuf[c*nframes*spf : (c+1)*nframes*spf : (c+1)*nframes*spf]
	}
	absScale := math.Abs(scale)
	pos := 0
	for fr := range nframes {
		row := pts[fr*np : (fr+1)*np : (fr+1)*np]
		f.Points[fr] = row
		for i := range row {
			var x, y, z float64
			var w int16
			if elem == 4 {
				b := buf[pos : pos+16]
				x = float64(d.float(b))
				y = float64(d.float(b[4:]))
				z = float64(d.float(b[8:]))
				r := d.float(b[12:])
				if r >= -32768 && r <= 32767 {
					w = int16(r)
				} else {
					w = -1
				}
			} else {
				b := buf[pos : pos+8]
				x = float64(int16(d.bo.Uint16(b))) * scale
				y = float64(int16(d.bo.Uint16(b[2:]))) * scale
				z = float64(int16(d.bo.Uint16(b[4:]))) * scale
				w = int16(d.bo.Uint16(b[6:]))
			}
			pos += 4 * elem
			if w < 0 {
				row[i] = Point{X: math.NaN(), Y: math.NaN(), Z: math.NaN(), Residual: -1}
				continue
			}
			row[i] = Point{X: x, Y: y, Z: z, Residual: float64(w&0xff) * absScale, Cameras: uint8(w >> 8)}
		}
		for s := range spf {
			k := fr*spf + s
			for c := range nch {
				var v float64
				switch {
				case elem == 4:
					v = float64(d.float(buf[pos:]))
				case unsigned:
					v = float64(d.bo.Uint16(buf[pos:]))
				default:
					v = float64(int16(d.bo.Uint16(buf[pos:])))
				}
				pos += elem
				f.Analog[c][k] = (v - aoff[c]) * ascale[c]
			}
		}
	}
	return nil
}

// events decodes the EVENT group: USED events with CONTEXTS, LABELS and
// TIMES, the times being (minutes, seconds) pairs.
func (d *decoder) events() {
	f := &d.f
	g := f.Group("EVENT")
	if g == nil {
		return
	}
	n := 0
	if v := g.Param("USED").Ints(); len(v) > 0 {
		n = v[0]
	}
	times := g.Param("TIMES").Floats()
	if n < 0 || n > len(times)/2 {
		n = len(times) / 2
	}
	labels := g.Param("LABELS").Strings()
	contexts := g.Param("CONTEXTS").Strings()
	for i := range n {
		e := Event{Time: 60*times[2*i] + times[2*i+1]}
		if i < len(labels) {
			e.Label = labels[i]
		}
		if i < len(contexts) {
			e.Context = contexts[i]
		}
		f.Events = append(f.Events, e)
	}
}
