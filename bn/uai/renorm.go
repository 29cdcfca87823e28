package uai

import (
	"math"

	"github.com/tendo-health/tendo/bn"
)

// renormalizer remembers the BAYES columns that do not sum to exactly 1 as
// read, so that after (*bn.Network).Renormalize it can make their sums
// exactly 1 and count the columns whose values changed.
//
// Renormalize divides a column by its sum, and the quotients need not sum
// to exactly 1 again; read back, such a column would be rescaled a second
// time, so Read(Write(net)) would differ from net. Nudging one entry of the
// column until the left-to-right sum is exactly 1 makes reading idempotent.
type renormalizer struct {
	cols []column
}

type column struct {
	v, off int       // the child variable and the column's offset in its table
	orig   []float64 // the values as read
}

func (r *renormalizer) note(v, off int, col []float64) {
	r.cols = append(r.cols, column{v: v, off: off, orig: append([]float64(nil), col...)})
}

// finish makes every noted column of net sum to exactly 1 and returns the
// number of noted columns whose values differ from those read.
func (r *renormalizer) finish(net *bn.Network) int {
	changed := 0
	for _, c := range r.cols {
		col := net.Factors[c.v].Table[c.off : c.off+len(c.orig)]
		exactSum(col)
		for i, p := range col {
			if math.Float64bits(p) != math.Float64bits(c.orig[i]) {
				changed++
				break
			}
		}
	}
	return changed
}

// exactSum adjusts col, by as few units in the last place as it takes, so
// that its left-to-right sum is exactly 1, changing one entry if it can and
// two otherwise. Zero entries are never changed, and columns that cannot be
// fixed this way (far from 1, which Renormalize would have rejected) are
// left alone.
//
// It tries the largest entries first (the smallest relative change). Raising
// the last nonzero entry always reaches a sum of exactly 1 from below: the
// sum is then fl(p + x) for the partial sum p before that entry, and as x
// steps through the float64 values the exact p + x moves by less than the
// width of the interval that rounds to 1. So when no single entry works,
// exactSum lowers the largest entry until the sum is at most 1 and then
// raises the last nonzero one.
func exactSum(col []float64) {
	if columnSum(col) == 1 {
		return
	}
	last := -1
	for i, p := range col {
		if p > 0 {
			last = i
		}
	}
	if last < 0 {
		return
	}
	// The indices of the largest entries, largest first.
	const tries = 4
	var top []int
	for i, p := range col {
		if p == 0 {
			continue
		}
		k := len(top)
		for k > 0 && col[top[k-1]] < p {
			k--
		}
		if k < tries {
			top = append(top, 0)
			copy(top[k+1:], top[k:])
			top[k] = i
			if len(top) > tries {
				top = top[:tries]
			}
		}
	}
	for _, j := range top {
		if tune(col, j) {
			return
		}
	}
	if tune(col, last) {
		return
	}
	orig := col[top[0]]
	if columnSum(col) > 1 {
		if b, ok := largestAtMost1(col, top[0]); ok {
			col[top[0]] = math.Float64frombits(b)
		}
	}
	if !tune(col, last) {
		col[top[0]] = orig
	}
}

// tune sets col[j] to the value nearest its own that makes the
// left-to-right sum of col exactly 1, if there is one, and reports whether
// there was. Nonnegative float64 values order like their bit patterns, so
// the search runs over bit patterns.
func tune(col []float64, j int) bool {
	orig := col[j]
	var b uint64
	var ok bool
	if columnSum(col) > 1 {
		b, ok = largestAtMost1(col, j)
	} else {
		b, ok = smallestAtLeast1(col, j)
	}
	if ok {
		col[j] = math.Float64frombits(b)
		if columnSum(col) == 1 {
			return true
		}
	}
	col[j] = orig
	return false
}

// largestAtMost1 returns the largest bit pattern b, at most that of col[j],
// for which the sum of col with col[j] = b is at most 1. It leaves col as
// it was.
func largestAtMost1(col []float64, j int) (uint64, bool) {
	orig := col[j]
	defer func() { col[j] = orig }()
	sumAt := func(bits uint64) float64 {
		col[j] = math.Float64frombits(bits)
		return columnSum(col)
	}
	u := math.Float64bits(orig)
	if sumAt(u) <= 1 {
		return u, true
	}
	if sumAt(0) > 1 {
		return 0, false
	}
	lo, hi := uint64(0), u // sum(lo) <= 1 < sum(hi)
	for d := uint64(1); d < u; d *= 2 {
		if sumAt(u-d) <= 1 {
			lo = u - d
			break
		}
		hi = u - d
	}
	for hi-lo > 1 {
		mid := lo + (hi-lo)/2
		if sumAt(mid) <= 1 {
			lo = mid
		} else {
			hi = mid
		}
	}
	return lo, true
}

// smallestAtLeast1 returns the smallest bit pattern b, at least that of
// col[j], for which the sum of col with col[j] = b is at least 1. It leaves
// col as it was.
func smallestAtLeast1(col []float64, j int) (uint64, bool) {
	orig := col[j]
	defer func() { col[j] = orig }()
	sumAt := func(bits uint64) float64 {
		col[j] = math.Float64frombits(bits)
		return columnSum(col)
	}
	u := math.Float64bits(orig)
	if sumAt(u) >= 1 {
		return u, true
	}
	top := max(u, math.Float64bits(1))
	if !(sumAt(top) >= 1) {
		return 0, false
	}
	lo, hi := u, top // sum(lo) < 1 <= sum(hi)
	for d := uint64(1); d < top-u; d *= 2 {
		if sumAt(u+d) >= 1 {
			hi = u + d
			break
		}
		lo = u + d
	}
	for hi-lo > 1 {
		mid := lo + (hi-lo)/2
		if sumAt(mid) >= 1 {
			hi = mid
		} else {
			lo = mid
		}
	}
	return hi, true
}
