package template

import (
	"crypto/rand"
	"crypto/sha512"
	"encoding/binary"
	"fmt"
	"math/big"

	"gorun/engine/value"
)

// pyRandom is Python's random.Random (MT19937), so that `random(seed=...)` and
// `shuffle(seed=...)` give the same results as Ansible.
type pyRandom struct {
	mt  [624]uint32
	idx int
}

func newPyRandom(seed any) *pyRandom {
	r := &pyRandom{}
	var key []uint32
	switch s := plain(seed).(type) {
	case int:
		n := s
		if n < 0 {
			n = -n
		}
		key = bigToKey(big.NewInt(int64(n)))
	case bool:
		key = bigToKey(big.NewInt(int64(b2i(s))))
	case float64:
		// Python hashes floats; integral floats hash like ints.
		key = bigToKey(big.NewInt(int64(s)))
	default:
		// version 2 seeding of str: int.from_bytes(s + sha512(s), 'big')
		b := []byte(ToText(seed))
		sum := sha512.Sum512(b)
		key = bigToKey(new(big.Int).SetBytes(append(b, sum[:]...)))
	}
	r.initByArray(key)
	return r
}

func bigToKey(n *big.Int) []uint32 {
	if n.Sign() == 0 {
		return []uint32{0}
	}
	var key []uint32
	mask := big.NewInt(0xffffffff)
	x := new(big.Int).Set(n)
	for x.Sign() > 0 {
		key = append(key, uint32(new(big.Int).And(x, mask).Uint64()))
		x.Rsh(x, 32)
	}
	return key
}

func (r *pyRandom) initGenrand(s uint32) {
	r.mt[0] = s
	for i := 1; i < 624; i++ {
		r.mt[i] = 1812433253*(r.mt[i-1]^(r.mt[i-1]>>30)) + uint32(i)
	}
	r.idx = 624
}

func (r *pyRandom) initByArray(key []uint32) {
	r.initGenrand(19650218)
	i, j := 1, 0
	k := max(624, len(key))
	for ; k > 0; k-- {
		r.mt[i] = (r.mt[i] ^ ((r.mt[i-1] ^ (r.mt[i-1] >> 30)) * 1664525)) + key[j] + uint32(j)
		i++
		j++
		if i >= 624 {
			r.mt[0] = r.mt[623]
			i = 1
		}
		if j >= len(key) {
			j = 0
		}
	}
	for k = 623; k > 0; k-- {
		r.mt[i] = (r.mt[i] ^ ((r.mt[i-1] ^ (r.mt[i-1] >> 30)) * 1566083941)) - uint32(i)
		i++
		if i >= 624 {
			r.mt[0] = r.mt[623]
			i = 1
		}
	}
	r.mt[0] = 0x80000000
}

func (r *pyRandom) genrand() uint32 {
	if r.idx >= 624 {
		for i := 0; i < 624; i++ {
			y := (r.mt[i] & 0x80000000) | (r.mt[(i+1)%624] & 0x7fffffff)
			r.mt[i] = r.mt[(i+397)%624] ^ (y >> 1)
			if y&1 != 0 {
				r.mt[i] ^= 0x9908b0df
			}
		}
		r.idx = 0
	}
	y := r.mt[r.idx]
	r.idx++
	y ^= y >> 11
	y ^= (y << 7) & 0x9d2c5680
	y ^= (y << 15) & 0xefc60000
	y ^= y >> 18
	return y
}

// getrandbits returns k random bits (k <= 64 here).
func (r *pyRandom) getrandbits(k int) uint64 {
	if k <= 32 {
		return uint64(r.genrand() >> (32 - k))
	}
	lo := uint64(r.genrand())
	hi := uint64(r.genrand() >> (64 - k))
	return hi<<32 | lo
}

// randbelow is Random._randbelow_with_getrandbits.
func (r *pyRandom) randbelow(n int) int {
	if n <= 0 {
		return 0
	}
	k := bitLength(uint64(n))
	x := r.getrandbits(k)
	for x >= uint64(n) {
		x = r.getrandbits(k)
	}
	return int(x)
}

func bitLength(n uint64) int {
	l := 0
	for n > 0 {
		l++
		n >>= 1
	}
	return l
}

// sysRandbelow is SystemRandom's choice for unseeded calls.
func sysRandbelow(n int) int {
	if n <= 0 {
		return 0
	}
	var b [8]byte
	rand.Read(b[:])
	return int(binary.LittleEndian.Uint64(b[:]) % uint64(n))
}

func filterRandom(ev *evaluator, v any, a []any, kw *value.Dict) (any, error) {
	p, err := bind("random", a, kw, "start", "step", "seed")
	if err != nil {
		return nil, err
	}
	below := sysRandbelow
	if given(p[2]) && p[2] != nil {
		r := newPyRandom(p[2])
		below = r.randbelow
	}
	if end, ok := v.(int); ok {
		start, _ := argInt(p[0], 0)
		step, _ := argInt(p[1], 1)
		if step == 0 {
			step = 1
		}
		width := end - start
		var n int
		if step == 1 {
			if width <= 0 {
				return nil, fmt.Errorf("empty range for randrange() (%d, %d, %d)", start, end, width)
			}
			return start + below(width), nil
		}
		if step > 0 {
			n = (width + step - 1) / step
		} else {
			n = (width + step + 1) / step
		}
		if n <= 0 {
			return nil, fmt.Errorf("empty range for randrange()")
		}
		return start + step*below(n), nil
	}
	items, err := iterate(v)
	if err != nil {
		return nil, fmt.Errorf("random can only be used on sequences and integers")
	}
	if given(p[0]) && p[0] != nil || given(p[1]) && p[1] != nil {
		return nil, fmt.Errorf("start and step can only be used with integer values")
	}
	if len(items) == 0 {
		return nil, fmt.Errorf("Cannot choose from an empty sequence")
	}
	return items[below(len(items))], nil
}

func filterShuffle(ev *evaluator, v any, a []any, kw *value.Dict) (any, error) {
	p, err := bind("shuffle", a, kw, "seed")
	if err != nil {
		return nil, err
	}
	items, err := iterate(v)
	if err != nil {
		return v, nil
	}
	out := deepCopyList(items)
	below := sysRandbelow
	if t, _ := truthy(or(p[0], nil)); t {
		below = newPyRandom(p[0]).randbelow
	}
	for i := len(out) - 1; i > 0; i-- {
		j := below(i + 1)
		out[i], out[j] = out[j], out[i]
	}
	return out, nil
}
