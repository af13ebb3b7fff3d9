package jsonscanbench

import (
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/unifex-go/unifex/orderbook"
)

// frameFile is the frame internal/jsonscan's own tests and benchmarks use.
const frameFile = "../../internal/jsonscan/testdata/depthupdate.json"

func readFrame(tb testing.TB) []byte {
	tb.Helper()
	frame, err := os.ReadFile(frameFile)
	if err != nil {
		tb.Fatal(err)
	}
	return frame
}

// parsers returns a fresh parser of each kind, by name.
func parsers() []struct {
	name string
	p    Parser
} {
	return []struct {
		name string
		p    Parser
	}{
		{"encoding_json", &EncodingJSON{}},
		{"fastjson", &FastJSON{}},
		{"jsonscan", &Scan{}},
		{"jsonscan_plaindecimal", &Scan{PlainDecimals: true}},
	}
}

// render writes an update as text, for comparisons.
func render(u *Update) string {
	var sb strings.Builder
	sb.WriteString(u.Time.Format("2006-01-02T15:04:05.000Z"))
	sb.WriteString(" ")
	sb.WriteString(strconv.FormatInt(u.First, 10) + "-" + strconv.FormatInt(u.Last, 10))
	for _, c := range u.Changes {
		sb.WriteString(" " + c.Side.String() + ":" + c.Price.String() + "@" + c.Amount.String())
	}
	return sb.String()
}

func TestParsersAgree(t *testing.T) {
	frame := readFrame(t)
	want := ""
	for _, tt := range parsers() {
		var u Update
		if err := tt.p.Parse(frame, &u); err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if len(u.Changes) != 20 {
			t.Errorf("%s: %d changes, want 20", tt.name, len(u.Changes))
		}
		got := render(&u)
		if want == "" {
			want = got
			t.Logf("%s: %s", tt.name, got)
			continue
		}
		if got != want {
			t.Errorf("%s:\n%s\nwant\n%s", tt.name, got, want)
		}
	}
}

func TestParsersRefuse(t *testing.T) {
	frame := readFrame(t)
	for _, bad := range []string{
		string(frame[:len(frame)-1]),
		strings.Replace(string(frame), `"depthUpdate"`, `"trade"`, 1),
		strings.Replace(string(frame), `"0.15042400"`, `"0.1504x"`, 1),
	} {
		for _, tt := range parsers() {
			var u Update
			if err := tt.p.Parse([]byte(bad), &u); err == nil {
				t.Errorf("%s accepted %.60q…", tt.name, bad)
			}
		}
	}
}

func TestPlainDecimalAgrees(t *testing.T) {
	texts := []string{"0", "-0", "7", "-7", "0.0", "0.00000000", "67012.26000000", "0.15042400", "-0.5",
		"123456789012345678", "12345678901234567.8", "0.12345678901234567", "1234567890123456789", "01", "00.5",
		"1.", ".5", "-", "", "1e5", "1.5E-3", "+1", "1.2.3", "9223372036854775807", "999999999999999999",
		"100000000000000000000", "0.000000000000000001"}
	r := rand.New(rand.NewPCG(6, 7))
	for range 20000 {
		var b []byte
		if r.IntN(4) == 0 {
			b = append(b, '-')
		}
		b = strconv.AppendUint(b, r.Uint64N(1e12), 10)
		if r.IntN(3) > 0 {
			b = append(b, '.')
			for range 1 + r.IntN(12) {
				b = append(b, byte('0'+r.IntN(10)))
			}
		}
		texts = append(texts, string(b))
	}
	for _, text := range texts {
		want, werr := orderbook.ParseNum(text)
		got, ok := plainDecimal([]byte(text))
		if ok && (werr != nil || got != want) {
			t.Errorf("%q: plainDecimal %v, ParseNum %v, %v", text, got, want, werr)
		}
		full, err := parseNum([]byte(text))
		if (err == nil) != (werr == nil) || full != want {
			t.Errorf("%q: parseNum %v, %v; ParseNum %v, %v", text, full, err, want, werr)
		}
	}
}
