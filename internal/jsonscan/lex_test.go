package jsonscan

import "testing"

func TestStringStop(t *testing.T) {
	// The eight-byte scan stops where the byte-by-byte one does, for every
	// stop byte at every offset, whatever surrounds it.
	stops := []byte{'"', '\\', 0x00, 0x01, 0x1f}
	fillers := []byte{'a', ' ', '!', '#', '[', ']', '}', 0x7f, 0x80, 0xa2, 0xdc, 0xff, 0x20, 0x21, 0x23, 0x5d}
	for _, filler := range fillers {
		for n := range 20 {
			data := make([]byte, n)
			for i := range data {
				data[i] = filler
			}
			if got := stringStop(data, 0); got != n {
				t.Errorf("%d × %#x: stop at %d, want %d (none)", n, filler, got, n)
			}
			for _, stop := range stops {
				for at := range n {
					data[at] = stop
					for from := 0; from <= at; from++ {
						if got := stringStop(data, from); got != at {
							t.Errorf("%#x at %d in %d × %#x, from %d: stop at %d", stop, at, n, filler, from, got)
						}
					}
					// A second stop byte after the first changes nothing.
					if at+1 < n {
						data[at+1] = stop
						if got := stringStop(data, 0); got != at {
							t.Errorf("%#x at %d and %d in %d × %#x: stop at %d", stop, at, at+1, n, filler, got)
						}
						data[at+1] = filler
					}
					data[at] = filler
				}
			}
		}
	}
}
