package c3d

import (
	"encoding/binary"
	"strings"
)

// Type is the element type of a parameter, as per the C3D specification
// (its value is the element size in bytes, negated for characters).
type Type int8

// Parameter types.
const (
	Char  Type = -1
	Byte  Type = 1
	Int16 Type = 2
	Float Type = 4
)

// A Group is a named set of parameters, such as POINT or ANALOG.
type Group struct {
	ID          int // positive group number
	Name        string
	Description string
	Locked      bool
	Params      []*Parameter
}

// Param returns the parameter of g with the given name (compared without
// regard to case), or nil.
func (g *Group) Param(name string) *Parameter {
	if g == nil {
		return nil
	}
	for _, p := range g.Params {
		if strings.EqualFold(p.Name, name) {
			return p
		}
	}
	return nil
}

// A Parameter is a typed, possibly multi-dimensional array. Arrays are
// stored in column-major order: the first dimension varies fastest.
type Parameter struct {
	Name        string
	Description string
	Locked      bool
	Type        Type
	Dims        []int // empty for a scalar

	data []byte // raw elements in the file's encoding
	proc Processor
}

// Len returns the number of elements of p.
func (p *Parameter) Len() int {
	if p == nil {
		return 0
	}
	return len(p.data) / p.size()
}

func (p *Parameter) size() int {
	if p.Type == Char {
		return 1
	}
	return int(p.Type)
}

// Strings returns a character parameter as strings with trailing spaces
// trimmed: each string is a column of the first dimension, so a parameter
// of dimensions [n m] yields m strings of up to n characters. It returns
// nil if p is nil or not of type Char.
func (p *Parameter) Strings() []string {
	if p == nil || p.Type != Char {
		return nil
	}
	w := len(p.data)
	if len(p.Dims) > 0 {
		w = p.Dims[0]
	}
	if w == 0 {
		return nil
	}
	s := make([]string, 0, len(p.data)/w)
	for i := 0; i+w <= len(p.data); i += w {
		s = append(s, strings.TrimRight(string(p.data[i:i+w]), " \x00"))
	}
	return s
}

// String returns the first of p.Strings(), or "".
func (p *Parameter) String() string {
	if s := p.Strings(); len(s) > 0 {
		return s[0]
	}
	return ""
}

// Floats returns the elements of a numeric parameter as float64 (bytes
// are unsigned, int16 signed). It returns nil if p is nil or of type Char.
func (p *Parameter) Floats() []float64 {
	if p == nil || p.Type == Char {
		return nil
	}
	v := make([]float64, p.Len())
	bo := p.proc.ByteOrder()
	for i := range v {
		switch p.Type {
		case Byte:
			v[i] = float64(p.data[i])
		case Int16:
			v[i] = float64(int16(bo.Uint16(p.data[2*i:])))
		case Float:
			v[i] = float64(p.float(p.data[4*i:], bo))
		}
	}
	return v
}

func (p *Parameter) float(b []byte, bo binary.ByteOrder) float32 {
	d := decoder{proc: p.proc, bo: bo}
	return d.float(b)
}

// Ints returns the elements of a numeric parameter as int, truncating
// floats. It returns nil if p is nil or of type Char.
func (p *Parameter) Ints() []int {
	f := p.Floats()
	if f == nil {
		return nil
	}
	v := make([]int, len(f))
	for i, x := range f {
		if x >= -1<<31 && x <= 1<<31 { // NaN and huge values give 0
			v[i] = int(x)
		}
	}
	return v
}

// Group returns the group with the given name (compared without regard to
// case), or nil.
func (f *File) Group(name string) *Group {
	for _, g := range f.Groups {
		if strings.EqualFold(g.Name, name) {
			return g
		}
	}
	return nil
}

// Param returns the parameter group:name, or nil. The accessors of a nil
// *Parameter return nil, so f.Param("POINT", "LABELS").Strings() is safe.
func (f *File) Param(group, name string) *Parameter {
	return f.Group(group).Param(name)
}

// params decodes the parameter section b, which starts at file offset base.
func (d *decoder) params(b []byte, base int64) error {
	byID := map[int]*Group{}
	group := func(id int) *Group {
		g := byID[id]
		if g == nil {
			g = &Group{ID: id}
			byID[id] = g
			d.f.Groups = append(d.f.Groups, g)
		}
		return g
	}
	var orphans []*Parameter
	orphanIDs := []int{}
	i := 4
	for i+2 <= len(b) {
		start := i
		nlen := int(int8(b[i]))
		id := int(int8(b[i+1]))
		if nlen == 0 || id == 0 {
			break
		}
		locked := nlen < 0
		if locked {
			nlen = -nlen
		}
		i += 2
		if i+nlen+2 > len(b) {
			return formatError(base+int64(start), "parameter name runs past the parameter section")
		}
		name := string(b[i : i+nlen])
		i += nlen
		next := int(int16(d.bo.Uint16(b[i:])))
		nextAt := i + next
		if next == 0 {
			nextAt = len(b) // last entry
		}
		if next < 0 || nextAt > len(b) {
			return formatError(base+int64(i), "pointer to next parameter %d is out of the section", next)
		}
		i += 2
		if id < 0 {
			g := group(-id)
			g.Name, g.Locked = name, locked
			desc, _, err := d.desc(b, i, nextAt, base)
			if err != nil {
				return err
			}
			g.Description = desc
		} else {
			p, err := d.param(b, i, nextAt, base)
			if err != nil {
				return err
			}
			p.Name, p.Locked = name, locked
			if g := byID[id]; g != nil {
				g.Params = append(g.Params, p)
			} else {
				orphans = append(orphans, p)
				orphanIDs = append(orphanIDs, id)
			}
		}
		if next == 0 {
			break
		}
		i = nextAt
	}
	// A parameter may precede its group.
	for k, p := range orphans {
		g := group(orphanIDs[k])
		g.Params = append(g.Params, p)
	}
	return nil
}

// param decodes a parameter's type, dimensions, data and description from
// b[i:end].
func (d *decoder) param(b []byte, i, end int, base int64) (*Parameter, error) {
	if i+2 > end {
		return nil, formatError(base+int64(i), "parameter header runs past its entry")
	}
	p := &Parameter{Type: Type(int8(b[i])), proc: d.proc}
	switch p.Type {
	case Char, Byte, Int16, Float:
	default:
		return nil, formatError(base+int64(i), "unknown parameter type %d", p.Type)
	}
	nd := int(b[i+1])
	i += 2
	if i+nd > end {
		return nil, formatError(base+int64(i), "%d dimensions run past the parameter entry", nd)
	}
	n := 1
	for k := range nd {
		dim := int(b[i+k])
		p.Dims = append(p.Dims, dim)
		n *= dim
		if n > end { // bounded before the product can overflow
			return nil, formatError(base+int64(i), "dimensions %v exceed the parameter section", p.Dims)
		}
	}
	i += nd
	n *= p.size()
	if i+n > end {
		return nil, formatError(base+int64(i), "parameter data (%d bytes) runs past its entry", n)
	}
	p.data = b[i : i+n : i+n]
	i += n
	desc, _, err := d.desc(b, i, end, base)
	if err != nil {
		return nil, err
	}
	p.Description = desc
	return p, nil
}

// desc decodes a length-prefixed description at b[i:end]. A missing
// description is empty.
func (d *decoder) desc(b []byte, i, end int, base int64) (string, int, error) {
	if i >= end {
		return "", i, nil
	}
	n := int(b[i])
	i++
	if i+n > end {
		return "", i, formatError(base+int64(i-1), "description (%d bytes) runs past its entry", n)
	}
	return string(b[i : i+n]), i + n, nil
}
