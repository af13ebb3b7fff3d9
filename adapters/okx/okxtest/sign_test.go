package okxtest

import (
	"encoding/json"
	"os"
	"testing"
)

// vector is an entry of ../../../../shared/vectors/okx.json.
type vector struct {
	Name   string `json:"name"`
	Inputs struct {
		Bids        [][]string `json:"bids"`
		Asks        [][]string `json:"asks"`
		Secret      *string    `json:"secret"`
		Timestamp   string     `json:"timestamp"`
		Method      string     `json:"method"`
		RequestPath string     `json:"requestPath"`
		Body        string     `json:"body"`
	} `json:"inputs"`
	StringToSign string          `json:"string_to_sign"`
	Expected     json.RawMessage `json:"expected"`
}

func vectors(t *testing.T) []vector {
	t.Helper()
	b, err := os.ReadFile("../../../../shared/vectors/okx.json")
	if err != nil {
		t.Skipf("the shared vectors are not here: %v", err)
	}
	var vs []vector
	if err := json.Unmarshal(b, &vs); err != nil {
		t.Fatal(err)
	}
	return vs
}

func pairs(ls [][]string) [][2]string {
	out := make([][2]string, len(ls))
	for i, l := range ls {
		out[i] = [2]string{l[0], l[1]}
	}
	return out
}

func TestChecksumMatchesTheDocsExamples(t *testing.T) {
	checked := 0
	for _, v := range vectors(t) {
		var want int32
		if v.Inputs.Bids == nil || json.Unmarshal(v.Expected, &want) != nil {
			continue
		}
		if got := Checksum(pairs(v.Inputs.Bids), pairs(v.Inputs.Asks)); got != want {
			t.Errorf("%s: checksum %d, want %d", v.Name, got, want)
		}
		checked++
	}
	if checked != 2 {
		t.Fatalf("%d checksum vectors checked, want 2", checked)
	}
	// The first 25 levels only, and a side that ends early.
	var bids, asks [][2]string
	for i := range 30 {
		bids = append(bids, [2]string{itoa(int64(1000 - i)), "1"})
		asks = append(asks, [2]string{itoa(int64(1001 + i)), "2"})
	}
	if Checksum(bids, asks) != Checksum(bids[:25], asks[:25]) {
		t.Error("levels past the 25th changed the checksum")
	}
	if Checksum(bids[:1], asks[:3]) == Checksum(bids[:3], asks[:1]) {
		t.Error("the interleaving ignores which side ran out")
	}
}

func TestSignMatchesTheVectors(t *testing.T) {
	checked := 0
	for _, v := range vectors(t) {
		var want string
		if v.Inputs.Secret == nil || json.Unmarshal(v.Expected, &want) != nil {
			continue
		}
		if got := Sign(*v.Inputs.Secret, v.StringToSign); got != want {
			t.Errorf("%s: %s, want %s", v.Name, got, want)
		}
		prehash := v.Inputs.Timestamp + v.Inputs.Method + v.Inputs.RequestPath + v.Inputs.Body
		if v.Inputs.Method != "" && prehash != v.StringToSign {
			t.Errorf("%s: prehash %q, want %q", v.Name, prehash, v.StringToSign)
		}
		if !verify(*v.Inputs.Secret, v.StringToSign, want) || verify(*v.Inputs.Secret+"x", v.StringToSign, want) {
			t.Errorf("%s: verify disagrees with Sign", v.Name)
		}
		checked++
	}
	if checked != 3 {
		t.Fatalf("%d signing vectors checked, want 3", checked)
	}
}
