package jsonscan

import "testing"

// BenchmarkDepthUpdate scans the test frame (a combined-stream spot
// depthUpdate with 20 level changes):
//
//   - scan: every field read as an adapter reads it (ints, and prices and
//     amounts as text), into a reused update (the levels read into book
//     changes are internal/wirebook's benchmark);
//   - validate: End alone, which checks the whole frame and reads nothing.
func BenchmarkDepthUpdate(b *testing.B) {
	frame := depthFrame()
	b.Run("scan", func(b *testing.B) {
		var s Scanner
		u := depthUpdate{levels: make([]parsedLevel, 0, frameLevels)}
		b.SetBytes(int64(len(frame)))
		b.ReportAllocs()
		for b.Loop() {
			if err := parseDepth(&s, frame, &u); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("validate", func(b *testing.B) {
		var s Scanner
		b.SetBytes(int64(len(frame)))
		b.ReportAllocs()
		for b.Loop() {
			s.Reset(frame)
			if err := s.End(); err != nil {
				b.Fatal(err)
			}
		}
	})
}
