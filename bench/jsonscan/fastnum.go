package jsonscanbench

import "github.com/unifex-go/unifex/orderbook"

// plainDecimal converts the form nearly every venue number takes, digits
// with at most one decimal point and at most 18 digits in all
// ("67012.26000000", "0.00000000", "-5"), in one pass and without
// orderbook.ParseNumBytes' generality (exponents, 19-digit mantissas,
// integer zeros beyond the mantissa). ok is false for any other text,
// which the caller hands to ParseNumBytes for the full rules and the error.
// It measures what a fast path for this form would save; the result equals
// ParseNumBytes' (TestPlainDecimalAgrees).
func plainDecimal(b []byte) (n orderbook.Num, ok bool) {
	i := 0
	neg := len(b) > 0 && b[0] == '-'
	if neg {
		i++
	}
	start := i
	var m int64
	for ; i < len(b) && b[i] >= '0' && b[i] <= '9'; i++ {
		m = m*10 + int64(b[i]-'0')
	}
	intDigits := i - start
	if intDigits == 0 || intDigits > 1 && b[start] == '0' {
		return orderbook.Num{}, false
	}
	scale := 0
	if i < len(b) && b[i] == '.' {
		i++
		frac := i
		for ; i < len(b) && b[i] >= '0' && b[i] <= '9'; i++ {
			m = m*10 + int64(b[i]-'0')
		}
		scale = i - frac
		if scale == 0 {
			return orderbook.Num{}, false
		}
	}
	if i != len(b) || intDigits+scale > 18 {
		return orderbook.Num{}, false
	}
	if neg {
		m = -m
	}
	n, err := orderbook.MakeNum(m, scale)
	return n, err == nil
}

// parseNum is plainDecimal with orderbook.ParseNumBytes for the rest.
func parseNum(b []byte) (orderbook.Num, error) {
	if n, ok := plainDecimal(b); ok {
		return n, nil
	}
	return orderbook.ParseNumBytes(b)
}
