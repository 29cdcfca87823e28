package c3d

import (
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"os"
	"strings"
)

// BlockSize is the size of a C3D block in bytes. Pointers in the header
// and parameter section count blocks, starting at 1.
const BlockSize = 512

// Processor is the processor type recorded in the parameter section. It
// fixes the byte order and the floating-point format of the whole file.
type Processor uint8

// Processor types, as per the C3D specification.
const (
	Intel Processor = 84 // little-endian, IEEE floats
	DEC   Processor = 85 // little-endian, VAX F-floating floats
	MIPS  Processor = 86 // big-endian, IEEE floats
)

func (p Processor) String() string {
	switch p {
	case Intel:
		return "Intel"
	case DEC:
		return "DEC"
	case MIPS:
		return "MIPS"
	}
	return fmt.Sprintf("Processor(%d)", uint8(p))
}

// ByteOrder returns the byte order of integers in files of processor type p.
func (p Processor) ByteOrder() binary.ByteOrder {
	if p == MIPS {
		return binary.BigEndian
	}
	return binary.LittleEndian
}

// A FormatError reports that the input is not a valid C3D file.
type FormatError struct {
	Offset int64  // byte offset of the fault in the file
	Msg    string // description of the fault
}

func (e *FormatError) Error() string {
	return fmt.Sprintf("c3d: invalid format at offset %d: %s", e.Offset, e.Msg)
}

func formatError(off int64, format string, args ...any) *FormatError {
	return &FormatError{Offset: off, Msg: fmt.Sprintf(format, args...)}
}

// Header is the first block of a C3D file.
type Header struct {
	ParamBlock     int     // first block of the parameter section (1-based)
	NumPoints      int     // 3D points per frame
	AnalogPerFrame int     // analog values per frame (channels × samples per frame)
	FirstFrame     int     // number of the first frame (1-based)
	LastFrame      int     // number of the last frame
	MaxGap         int     // maximum interpolation gap, in frames
	Scale          float64 // point scale factor; negative means float storage
	DataBlock      int     // first block of the point and analog data (1-based)
	AnalogSamples  int     // analog samples per channel per frame
	FrameRate      float64 // 3D frame rate in Hz
	Events         []Event // events stored in the header (at most 18)
}

// An Event is a labelled instant in the trial.
type Event struct {
	Label   string
	Context string  // e.g. "Left", "Right", "General"; EVENT group only
	Time    float64 // seconds from the start of the trial
	Display bool    // header events only: whether the event is displayed
}

// A Point is the position of one 3D point in one frame.
type Point struct {
	X, Y, Z  float64 // coordinates, NaN when the point is invalid
	Residual float64 // residual, negative when the point is invalid
	Cameras  uint8   // bit mask of the cameras that saw the point
}

// Valid reports whether the point was measured in its frame.
func (p Point) Valid() bool { return p.Residual >= 0 }

// File is a decoded C3D file.
type File struct {
	Header
	Processor Processor
	Groups    []*Group

	// Points holds the 3D points: Points[frame][point], frame 0 being
	// Header.FirstFrame. Coordinates are scaled by POINT:SCALE.
	Points [][]Point
	// PointLabels names the points, from POINT:LABELS (then LABELS2, ...).
	PointLabels []string

	// Analog holds the analog channels, scaled by ANALOG:OFFSET, SCALE
	// and GEN_SCALE: Analog[channel][sample], with AnalogSamples samples
	// per frame.
	Analog [][]float64
	// AnalogLabels names the channels, from ANALOG:LABELS (then LABELS2, ...).
	AnalogLabels []string
	// AnalogRate is the analog sample rate in Hz.
	AnalogRate float64

	// Events are the events of the EVENT group. Header events are in
	// Header.Events.
	Events []Event
}

// Open opens the named file and reads it with Read.
func Open(name string) (*File, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	return Read(f, fi.Size())
}

// Read reads a C3D file of size bytes from r. The memory it allocates is
// bounded by a small multiple of size, so size must be the true size of
// the content of r. Malformed input yields a *FormatError; errors from r
// are returned as they are (io.ErrUnexpectedEOF when r is shorter than
// size).
func Read(r io.ReaderAt, size int64) (*File, error) {
	d := decoder{r: r, size: size}
	return d.read()
}

type decoder struct {
	r    io.ReaderAt
	size int64
	f    File
	proc Processor
	bo   binary.ByteOrder
}

// readAt reads n bytes at off, after checking that they lie in the file.
func (d *decoder) readAt(off int64, n int64, what string) ([]byte, error) {
	if off < 0 || n < 0 || off > d.size || n > d.size-off {
		return nil, formatError(off, "%s (%d bytes) extends past the end of the file (%d bytes)", what, n, d.size)
	}
	b := make([]byte, n)
	if _, err := d.r.ReadAt(b, off); err != nil {
		if err == io.EOF {
			err = io.ErrUnexpectedEOF
		}
		return nil, fmt.Errorf("c3d: reading %s: %w", what, err)
	}
	return b, nil
}

func (d *decoder) read() (*File, error) {
	hb, err := d.readAt(0, BlockSize, "header")
	if err != nil {
		return nil, err
	}
	if hb[1] != 0x50 {
		return nil, formatError(1, "header key is %#x, want 0x50", hb[1])
	}
	h := &d.f.Header
	h.ParamBlock = int(hb[0])
	if h.ParamBlock < 2 {
		return nil, formatError(0, "parameter block pointer %d", h.ParamBlock)
	}
	poff := int64(h.ParamBlock-1) * BlockSize
	ps, err := d.readAt(poff, 4, "parameter section header")
	if err != nil {
		return nil, err
	}
	d.proc = Processor(ps[3])
	switch d.proc {
	case Intel, DEC, MIPS:
	default:
		return nil, formatError(poff+3, "unknown processor type %d", ps[3])
	}
	d.f.Processor = d.proc
	d.bo = d.proc.ByteOrder()
	d.header(hb)

	// The block count in the section header is often wrong; the
	// section runs until its last parameter, within the file.
	n := int64(ps[2]) * BlockSize
	if n < BlockSize {
		n = BlockSize
	}
	if end := poff + n; end > d.size {
		n = d.size - poff
	}
	pb, err := d.readAt(poff, n, "parameter section")
	if err != nil {
		return nil, err
	}
	if err := d.params(pb, poff); err != nil {
		return nil, err
	}
	if err := d.data(); err != nil {
		return nil, err
	}
	d.events()
	return &d.f, nil
}

func (d *decoder) u16(b []byte) int { return int(d.bo.Uint16(b)) }

func (d *decoder) float(b []byte) float32 {
	if d.proc == DEC {
		return decFloat(b)
	}
	return math.Float32frombits(d.bo.Uint32(b))
}

// decFloat converts a VAX F-floating number: two little-endian 16-bit
// words, the first holding sign, 8-bit exponent (bias 128) and the top 7
// bits of a mantissa of the form 0.1fff.
func decFloat(b []byte) float32 {
	hi := uint32(b[0]) | uint32(b[1])<<8
	lo := uint32(b[2]) | uint32(b[3])<<8
	bits := hi<<16 | lo
	exp := int(bits >> 23 & 0xff)
	if exp == 0 {
		return 0 // zero, or reserved operand when the sign is set
	}
	m := float64(bits&0x7fffff | 0x800000)
	v := math.Ldexp(m, exp-128-24)
	if bits>>31 != 0 {
		v = -v
	}
	return float32(v)
}

func (d *decoder) header(b []byte) {
	h := &d.f.Header
	h.NumPoints = d.u16(b[2:])
	h.AnalogPerFrame = d.u16(b[4:])
	h.FirstFrame = d.u16(b[6:])
	h.LastFrame = d.u16(b[8:])
	h.MaxGap = d.u16(b[10:])
	h.Scale = float64(d.float(b[12:]))
	h.DataBlock = d.u16(b[16:])
	h.AnalogSamples = d.u16(b[18:])
	h.FrameRate = float64(d.float(b[20:]))

	// Words 150–234: event times, display flags and labels, present
	// when word 150 holds the key 12345.
	if d.u16(b[298:]) != 12345 {
		return
	}
	n := d.u16(b[300:])
	if n > 18 {
		n = 18
	}
	for i := range n {
		h.Events = append(h.Events, Event{
			Time:    float64(d.float(b[304+4*i:])),
			Display: b[376+i] == 0,
			Label:   strings.TrimRight(string(b[396+4*i:400+4*i]), " \x00"),
		})
	}
}
