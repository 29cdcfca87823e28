package bif

import (
	"math"
	"sort"

	"github.com/tendo-health/tendo/bn"
)

// makeExact runs after bn.Network.Renormalize. Rescaling a column by its sum
// does not in general leave a column whose floating-point sum (added left to
// right, as Renormalize adds it) is exactly 1, and then renormalising again
// would move its entries once more, so a network written by Write and read
// back would differ from the original. For every column that a second
// Renormalize would change, makeExact moves one entry (the largest for which
// it works) by the few units in the last place needed to make the sum exactly
// 1. Columns Renormalize left alone are never touched.
func makeExact(net *bn.Network) {
	for v := range net.Variables {
		card := net.Card(v)
		t := net.Factors[v].Table
		for off := 0; off+card <= len(t); off += card {
			col := t[off : off+card]
			s := sum(col)
			if s == 1 || !wouldRescale(col, s) {
				continue
			}
			exactColumn(col)
		}
	}
}

// sum adds col left to right.
func sum(col []float64) float64 {
	s := 0.0
	for _, p := range col {
		s += p
	}
	return s
}

// wouldRescale reports whether dividing col by s changes any entry.
func wouldRescale(col []float64, s float64) bool {
	for _, p := range col {
		if p/s != p {
			return true
		}
	}
	return false
}

// exactColumn tries to make sum(col) exactly 1 by changing a single positive
// entry (zeros stay zero). It tries the largest entries first, where the
// change is smallest relative to the entry, and then the last positive
// entries: the sum is most finely controlled through them, and setting the
// last positive entry to 1 minus the sum of the ones before it always works
// when that is nonnegative. It reports whether it succeeded; on failure col
// is unchanged.
func exactColumn(col []float64) bool {
	const tries = 4
	var cands []int
	byValue := make([]int, 0, len(col))
	for i, p := range col {
		if p > 0 {
			byValue = append(byValue, i)
		}
	}
	sort.SliceStable(byValue, func(a, b int) bool { return col[byValue[a]] > col[byValue[b]] })
	cands = append(cands, byValue[:min(tries, len(byValue))]...)
	for i, n := len(col)-1, 0; i >= 0 && n < tries; i-- {
		if col[i] > 0 {
			cands = append(cands, i)
			n++
		}
	}
	for _, k := range cands {
		if exactAt(col, k) {
			return true
		}
	}
	return false
}

// exactAt looks for a value of col[k] near its current one that makes
// sum(col) exactly 1. The sum is a nondecreasing function of col[k], and for
// nonnegative floats so is the bit pattern, so it bisects on the bits.
func exactAt(col []float64, k int) bool {
	orig := col[k]
	f := func(x float64) float64 {
		col[k] = x
		return sum(col)
	}
	r := math.Abs(1 - f(orig))
	// A bracket [lo, hi] with f(lo) <= 1 <= f(hi), widened until it holds.
	width := 4*r + 4*ulp(orig)
	lo, hi := orig, orig
	for i := 0; ; i++ {
		lo = math.Max(0, orig-width)
		hi = orig + width
		if f(lo) <= 1 && f(hi) >= 1 {
			break
		}
		if i == 8 || math.IsInf(hi, 0) {
			col[k] = orig
			return false
		}
		width *= 4
	}
	a, b := math.Float64bits(lo), math.Float64bits(hi)
	// Find the smallest bit pattern in [a, b] with f >= 1.
	for a < b {
		m := a + (b-a)/2
		if f(math.Float64frombits(m)) >= 1 {
			b = m
		} else {
			a = m + 1
		}
	}
	x := math.Float64frombits(a)
	if f(x) == 1 {
		col[k] = x
		return true
	}
	col[k] = orig
	return false
}

// ulp returns the distance from x to the next larger float64.
func ulp(x float64) float64 {
	return math.Nextafter(x, math.Inf(1)) - x
}
