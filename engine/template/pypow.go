package template

import (
	"math"
	"math/big"

	"github.com/ALTree/bigfloat"
)

// powPrec is the working precision (bits) of pyPow: far more than float64's
// 53, so rounding the result once gives the correctly rounded power.
const powPrec = 256

// pyPow is Python's float power (math.pow and `**` on floats), which calls
// the C library's pow: glibc rounds it correctly, Go's math.Pow does not
// (27 ** (1/3) is 3.0 in Python, 2.9999999999999996 with math.Pow). For a
// positive finite base and finite exponent the power is computed in extended
// precision and rounded once; the special cases (zero, negative bases,
// infinities, NaN) have the same results in both and go to math.Pow.
func pyPow(x, y float64) float64 {
	if !(x > 0) || math.IsInf(x, 0) || math.IsInf(y, 0) || math.IsNaN(y) || y == 0 || x == 1 {
		return math.Pow(x, y)
	}
	if y == math.Trunc(y) && math.Abs(y) <= 64 {
		// Integer powers are products, with an error far below float64 rounding.
		return roundedIntPow(x, int(y))
	}
	bx := new(big.Float).SetPrec(powPrec).SetFloat64(x)
	by := new(big.Float).SetPrec(powPrec).SetFloat64(y)
	r, _ := bigfloat.Pow(bx, by).Float64()
	return r
}

// roundedIntPow is x**n for a small integer n, rounded once.
func roundedIntPow(x float64, n int) float64 {
	neg := n < 0
	if neg {
		n = -n
	}
	base := new(big.Float).SetPrec(powPrec * 8).SetFloat64(x)
	acc := new(big.Float).SetPrec(powPrec * 8).SetFloat64(1)
	for i := 0; i < n; i++ {
		acc.Mul(acc, base)
	}
	if neg {
		acc.Quo(new(big.Float).SetPrec(powPrec*8).SetFloat64(1), acc)
	}
	r, _ := acc.Float64()
	return r
}
