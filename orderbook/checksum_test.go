package orderbook

import (
	"bytes"
	"encoding/json"
	"hash/crc32"
	"io/fs"
	"os"
	"strings"
	"testing"

	"github.com/unifex-go/unifex/errors"
)

// vectors loads a shared vector file, skipping the test when the shared
// directory is not beside the repository.
func vectors(t *testing.T, file string) []map[string]any {
	t.Helper()
	path := "../../shared/vectors/" + file
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		t.Skipf("%s not found: the shared vectors live beside the repository (../../shared from orderbook/)", path)
	}
	if err != nil {
		t.Fatal(err)
	}
	var vs []map[string]any
	d := json.NewDecoder(bytes.NewReader(data))
	d.UseNumber()
	if err := d.Decode(&vs); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return vs
}

// wireLevels turns a vector's [["px","sz",...],...] into changes of one side.
func wireLevels(t *testing.T, sd Side, v any) []Change {
	t.Helper()
	var cs []Change
	for _, row := range v.([]any) {
		r := row.([]any)
		cs = append(cs, Change{Side: sd, Price: num(t, r[0].(string)), Amount: num(t, r[1].(string))})
	}
	return cs
}

func TestChecksumOKXVectors(t *testing.T) {
	seen := 0
	for _, v := range vectors(t, "okx.json") {
		name := v["name"].(string)
		if !strings.Contains(name, "checksum") {
			continue
		}
		seen++
		in := v["inputs"].(map[string]any)
		b := NewBook("BTC-USDT")
		cs := append(wireLevels(t, Bid, in["bids"]), wireLevels(t, Ask, in["asks"])...)
		if err := b.Replace(upd(1, cs...)); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		text, err := b.AppendChecksumText(nil, Interleaved25)
		if err != nil {
			t.Fatal(err)
		}
		if want := v["string_to_sign"].(string); string(text) != want {
			t.Errorf("%s: checksum text %q, want %q", name, text, want)
		}
		if want, ok := v["expected"].(json.Number); ok {
			signed, _ := want.Int64()
			unsigned, _ := v["expected_unsigned"].(json.Number).Int64()
			got, _ := b.Checksum(Interleaved25)
			if int64(got) != unsigned || int64(int32(got)) != signed {
				t.Errorf("%s: checksum %d (signed %d), want %d", name, got, int32(got), signed)
			}
			if err := b.VerifyChecksum(Interleaved25, signed); err != nil {
				t.Errorf("%s: VerifyChecksum(%d): %v", name, signed, err)
			}
			if err := b.VerifyChecksum(Interleaved25, unsigned); err != nil {
				t.Errorf("%s: VerifyChecksum(unsigned %d): %v", name, unsigned, err)
			}
		}
	}
	if seen != 4 {
		t.Errorf("found %d OKX checksum vectors, want 4", seen)
	}
}

func TestChecksumBitgetVectors(t *testing.T) {
	// The docs publish only the check strings; these are the books they
	// describe (bids best first, asks best first).
	books := map[string][]Change{
		"more than 25": {bid(t, "43231.1", "4"), bid(t, "43231", "6"), ask(t, "43232.8", "9"), ask(t, "43232.9", "8")},
		"fewer levels": {bid(t, "3366.1", "7"), ask(t, "3366.8", "9"), ask(t, "3368", "8"), ask(t, "3372", "8")},
	}
	seen := 0
	for _, v := range vectors(t, "bitget.json") {
		if v["scheme"] != "bitget-books-crc32-signed" {
			continue
		}
		name := v["name"].(string)
		var cs []Change
		for key, book := range books {
			if strings.Contains(name, key) {
				cs = book
			}
		}
		if cs == nil {
			t.Errorf("no book for vector %q", name)
			continue
		}
		seen++
		b := NewBook("BTCUSDT")
		if err := b.Replace(upd(1, cs...)); err != nil {
			t.Fatal(err)
		}
		text, _ := b.AppendChecksumText(nil, Interleaved25)
		if want := v["string_to_sign"].(string); string(text) != want {
			t.Errorf("%s: text %q, want %q", name, text, want)
		}
		signed, _ := v["computed"].(map[string]any)["crc32_signed"].(json.Number).Int64()
		if err := b.VerifyChecksum(Interleaved25, signed); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	if seen != 2 {
		t.Errorf("found %d bitget checksum vectors, want 2", seen)
	}
}

// bitfinexEntries decodes the book entries of a frame [chanId, [[p,c,a],…]] or
// [chanId, [p,c,a]] into counted-book changes: amount > 0 is a bid, < 0 an ask.
func bitfinexEntries(t *testing.T, frame string) []Change {
	t.Helper()
	d := json.NewDecoder(strings.NewReader(frame))
	d.UseNumber()
	var msg []any
	if err := d.Decode(&msg); err != nil {
		t.Fatalf("frame %q: %v", frame, err)
	}
	rows := msg[1].([]any)
	if _, single := rows[0].(json.Number); single {
		rows = []any{rows}
	}
	var cs []Change
	for _, row := range rows {
		r := row.([]any)
		price, err := ParseNum(string(r[0].(json.Number)))
		if err != nil {
			t.Fatal(err)
		}
		count, _ := r[1].(json.Number).Int64()
		amount, err := ParseNum(string(r[2].(json.Number)))
		if err != nil {
			t.Fatal(err)
		}
		sd := Bid
		if amount.Sign() < 0 {
			sd = Ask
		}
		cs = append(cs, Change{Side: sd, Price: price, Count: count, Amount: amount.Abs()})
	}
	return cs
}

func TestChecksumBitfinexVector(t *testing.T) {
	seen := 0
	for _, v := range vectors(t, "bitfinex.json") {
		if v["scheme"] != "bitfinex-ws-book-crc32" {
			continue
		}
		seen++
		in := v["inputs"].(map[string]any)
		b := NewCountedBook("tXRPBTC")
		s := NewSync[Change](b, Unsequenced{}, 0)
		if err := s.OnSnapshot(upd(0, bitfinexEntries(t, in["snapshot_frame"].(string))...)); err != nil {
			t.Fatal(err)
		}
		for _, f := range in["update_frames"].([]any) {
			if err := s.OnDelta(upd(0, bitfinexEntries(t, f.(string))...)); err != nil {
				t.Fatal(err)
			}
		}
		text, _ := b.AppendChecksumText(nil, Interleaved25JS)
		if want := v["computed"].(map[string]any)["string_to_sign"].(string); string(text) != want {
			t.Errorf("checksum text\n%s\nwant\n%s", text, want)
		}
		want, _ := v["expected"].(map[string]any)["checksum_signed_int32"].(json.Number).Int64()
		// The checksum frame carries the same value.
		if cs := in["checksum_frame"].(string); !strings.HasSuffix(cs, ","+v["expected"].(map[string]any)["checksum_signed_int32"].(json.Number).String()+"]") {
			t.Errorf("checksum frame %s does not carry %d", cs, want)
		}
		if err := b.VerifyChecksum(Interleaved25JS, want); err != nil {
			t.Errorf("VerifyChecksum: %v", err)
		}
		// Plain fixed-point text (0.0000007 for 7e-7) must not match.
		if err := b.VerifyChecksum(Interleaved25, want); !errors.Is(err, errors.ChecksumError) {
			t.Errorf("fixed-point rendering matched the JavaScript checksum: %v", err)
		}
	}
	if seen != 1 {
		t.Errorf("found %d bitfinex book vectors, want 1", seen)
	}
}

func TestChecksumKrakenDocsExample(t *testing.T) {
	// docs.kraken.com, "Spot Websockets (v1) Book Checksum": the example book
	// of ten asks and ten bids, each of volume 0.00000500, checksum 974947235.
	var cs []Change
	for _, p := range []string{"0.05005", "0.05010", "0.05015", "0.05020", "0.05025", "0.05030", "0.05035", "0.05040", "0.05045", "0.05050"} {
		cs = append(cs, ask(t, p, "0.00000500"))
	}
	for _, p := range []string{"0.05000", "0.04995", "0.04990", "0.04980", "0.04975", "0.04970", "0.04965", "0.04960", "0.04955", "0.04950"} {
		cs = append(cs, bid(t, p, "0.00000500"))
	}
	// Levels beyond the top 10 are not hashed.
	cs = append(cs, ask(t, "0.06000", "1.00000000"), bid(t, "0.04000", "1.00000000"))
	b := NewBook("XBT/USD")
	if err := b.Replace(upd(1, cs...)); err != nil {
		t.Fatal(err)
	}
	text, _ := b.AppendChecksumText(nil, AsksThenBids10Digits)
	if !strings.HasPrefix(string(text), "500550050105005015500") || !strings.HasSuffix(string(text), "4950500") {
		t.Errorf("checksum text %s", text)
	}
	if err := b.VerifyChecksum(AsksThenBids10Digits, 974947235); err != nil {
		t.Error(err)
	}
}

func TestChecksumMismatchInvalidates(t *testing.T) {
	b := NewBook("X")
	if err := b.Replace(upd(1, bid(t, "3366.1", "7"), ask(t, "3366.8", "9"))); err != nil {
		t.Fatal(err)
	}
	got, _ := b.Checksum(Interleaved25)
	err := b.VerifyChecksum(Interleaved25, int64(int32(got))+1)
	var me *ChecksumMismatchError
	if !errors.Is(err, errors.ChecksumError) || !errors.Is(err, errors.InvalidNonce) || !errors.As(err, &me) {
		t.Fatalf("mismatch error %v", err)
	}
	if me.Computed != got || !strings.Contains(err.Error(), "mismatch") {
		t.Errorf("mismatch error %+v: %v", me, err)
	}
	if b.State() != Invalid {
		t.Errorf("state %v after a checksum mismatch", b.State())
	}
	if _, err := b.Snapshot(0); !errors.Is(err, errors.ChecksumError) {
		t.Errorf("Snapshot after a checksum mismatch: %v", err)
	}
	// Out-of-range expected values never match.
	b2 := NewBook("X")
	_ = b2.Replace(upd(1, bid(t, "1", "1")))
	c, _ := b2.Checksum(Interleaved25)
	if err := b2.VerifyChecksum(Interleaved25, int64(c)+1<<32); err == nil {
		t.Errorf("a checksum beyond 32 bits matched")
	}
}

func TestChecksumSpecValidation(t *testing.T) {
	b := NewBook("X")
	_ = b.Replace(upd(1, bid(t, "1", "1")))
	for _, sp := range []ChecksumSpec{{Layout: 9}, {Form: 9}} {
		if _, err := b.Checksum(sp); !errors.Is(err, errors.BadRequest) {
			t.Errorf("spec %+v: %v, want BadRequest", sp, err)
		}
		if err := b.VerifyChecksum(sp, 0); !errors.Is(err, errors.BadRequest) || b.State() != Live {
			t.Errorf("VerifyChecksum with spec %+v: %v, state %v", sp, err, b.State())
		}
	}
	// Depth 0 hashes every level.
	_ = b.Replace(upd(2, bid(t, "2", "1"), bid(t, "1", "1")))
	text, _ := b.AppendChecksumText(nil, ChecksumSpec{Sep: ","})
	if string(text) != "2,1,1,1" {
		t.Errorf("all-levels text %q", text)
	}
	if c, _ := b.Checksum(ChecksumSpec{Sep: ","}); c != crc32.ChecksumIEEE([]byte("2,1,1,1")) {
		t.Errorf("checksum of all levels %d", c)
	}
}
