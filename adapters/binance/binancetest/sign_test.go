package binancetest

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"
)

// The published examples (the protocol card §4 and vectors/binance.json,
// from binance-spot-api-docs rest-api.md and web-socket-api.md).
const (
	docKey    = "vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A"
	docSecret = "NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j"
	docTime   = 1499827319559
)

func TestRESTPayloadAndPublishedSignatures(t *testing.T) {
	for _, tc := range []struct {
		name, query, body, payload, sig string
	}{
		{"ascii, all in the query (rest-api.md HMAC example)",
			"symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559&signature=c8db56825ae71d6d79447849e617115f4a920fa2acdcab2b053c4b2838bd6b71", "",
			"symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559",
			"c8db56825ae71d6d79447849e617115f4a920fa2acdcab2b053c4b2838bd6b71"},
		{"non-ASCII, percent-encoded as sent",
			"symbol=%EF%BC%91%EF%BC%92%EF%BC%93%EF%BC%94%EF%BC%95%EF%BC%96&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559&signature=e1353ec6b14d888f1164ae9af8228a3dbd508bc82eb867db8ab6046442f33ef3", "",
			"symbol=%EF%BC%91%EF%BC%92%EF%BC%93%EF%BC%94%EF%BC%95%EF%BC%96&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559",
			"e1353ec6b14d888f1164ae9af8228a3dbd508bc82eb867db8ab6046442f33ef3"},
		{"mixed query and body, no separator (rest-api.md Example 3, until 2025-12-17)",
			"symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC", "quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559&signature=0fd168b8ddb4876a0358a8d14d0c9f3da0e9b20c5d52b2a00fcf7d1c602f9a77",
			"symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTCquantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559",
			"0fd168b8ddb4876a0358a8d14d0c9f3da0e9b20c5d52b2a00fcf7d1c602f9a77"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			payload, sig, found := restPayload(tc.query, []byte(tc.body))
			if !found || string(payload) != tc.payload || sig != tc.sig {
				t.Fatalf("restPayload = %q, %q, %v; want %q, %q", payload, sig, found, tc.payload, tc.sig)
			}
			if !verifySignature(docSecret, payload, sig) {
				t.Fatal("the published signature is refused")
			}
			if !verifySignature(docSecret, payload, strings.ToUpper(sig)) {
				t.Fatal("HMAC signatures are not case-sensitive, yet the upper-case one is refused")
			}
			wrong := sig[:len(sig)-1] + "0"
			if sig[len(sig)-1] == '0' {
				wrong = sig[:len(sig)-1] + "1"
			}
			if verifySignature(docSecret, payload, wrong) {
				t.Fatal("a wrong signature is accepted")
			}
		})
	}
}

func TestWSAPIPayloadAndPublishedSignatures(t *testing.T) {
	for _, tc := range []struct {
		name, params, payload, sig string
	}{
		{"order.place ascii (web-socket-api.md HMAC example)",
			`{"symbol":"BTCUSDT","side":"SELL","type":"LIMIT","timeInForce":"GTC","quantity":"0.01000000","price":"52000.00","recvWindow":100,"timestamp":1645423376532,"apiKey":"` + docKey + `","signature":"aa1b5712c094bc4e57c05a1a5c1fd8d88dcd628338ea863fec7b88e59fe2db24"}`,
			"apiKey=" + docKey + "&price=52000.00&quantity=0.01000000&recvWindow=100&side=SELL&symbol=BTCUSDT&timeInForce=GTC&timestamp=1645423376532&type=LIMIT",
			"aa1b5712c094bc4e57c05a1a5c1fd8d88dcd628338ea863fec7b88e59fe2db24"},
		{"order.place non-ASCII, unencoded",
			`{"symbol":"１２３４５６","side":"BUY","type":"LIMIT","timeInForce":"GTC","quantity":"1.00000000","price":"0.10000000","recvWindow":5000,"timestamp":1645423376532,"apiKey":"` + docKey + `","signature":"b33892ae8e687c939f4468c6268ddd4c40ac1af18ad19a064864c47bae0752cd"}`,
			"apiKey=" + docKey + "&price=0.10000000&quantity=1.00000000&recvWindow=5000&side=BUY&symbol=１２３４５６&timeInForce=GTC&timestamp=1645423376532&type=LIMIT",
			"b33892ae8e687c939f4468c6268ddd4c40ac1af18ad19a064864c47bae0752cd"},
		{"session.logon",
			`{"apiKey":"` + docKey + `","signature":"1cf54395b336b0a9727ef27d5d98987962bc47aca6e13fe978612d0adee066ed","timestamp":1649729878532}`,
			"apiKey=" + docKey + "&timestamp=1649729878532",
			"1cf54395b336b0a9727ef27d5d98987962bc47aca6e13fe978612d0adee066ed"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var params map[string]json.RawMessage
			if err := json.Unmarshal([]byte(tc.params), &params); err != nil {
				t.Fatal(err)
			}
			payload, sig := wsPayload(params)
			if string(payload) != tc.payload || sig != tc.sig {
				t.Fatalf("wsPayload = %q, %q; want %q", payload, sig, tc.payload)
			}
			if !verifySignature(docSecret, payload, sig) {
				t.Fatal("the published signature is refused")
			}
			if verifySignature(docSecret+"x", payload, sig) || verifySignature(docSecret, append(payload, '&'), sig) {
				t.Fatal("a signature is accepted for another secret or payload")
			}
		})
	}
}

func TestCheckTimestamp(t *testing.T) {
	now := time.UnixMilli(docTime)
	for _, tc := range []struct {
		spot        bool
		ts, window  string
		code        int
		msg         string
		description string
	}{
		{true, "1499827319559", "", 0, "", "now"},
		{true, "1499827320558", "", 0, "", "999 ms ahead"},
		{true, "1499827320559", "", codeTimestamp, msgAhead, "1000 ms ahead"},
		{true, "1499827314559", "", 0, "", "5000 ms old, the default window"},
		{true, "1499827314558", "", codeTimestamp, msgOutsideWindow, "5001 ms old"},
		{true, "1499827309559", "10000", 0, "", "10 s old in a 10 s window"},
		{true, "1499827319558", "0.5", codeTimestamp, msgOutsideWindow, "1 ms old in a 0.5 ms window (spot takes fractions)"},
		{true, "1499827319558500", "0.5", 0, "", "microseconds (spot)"},
		{true, "1499827319559", "60001", codeInvalidParam, "", "a window over 60000"},
		{false, "1499827319559", "5000.5", codeInvalidParam, "", "futures take whole milliseconds"},
		{false, "", "", codeMandatory, "", "no timestamp"},
	} {
		e := checkTimestamp(tc.spot, tc.ts, tc.window, now)
		switch {
		case tc.code == 0 && e != nil:
			t.Errorf("%s: refused with %v", tc.description, e)
		case tc.code != 0 && (e == nil || e.Code != tc.code || (tc.msg != "" && e.Msg != tc.msg)):
			t.Errorf("%s: %v, want %d %q", tc.description, e, tc.code, tc.msg)
		}
	}
}

// TestPublishedRequestEndToEnd sends the docs' own signed request to a
// server holding the docs' key, its clock set to the example's time: the
// signature passes, and the order fails only because LTCBTC is not listed.
func TestPublishedRequestEndToEnd(t *testing.T) {
	s := start(t, Config{APIKey: docKey, Secret: docSecret})
	s.Skew(time.Until(time.UnixMilli(docTime + 1000)))
	header := http.Header{"X-Mbx-Apikey": {docKey}}
	query := "symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559"
	for _, tc := range []struct {
		name, query, body string
		code              int
	}{
		{"query", query + "&signature=c8db56825ae71d6d79447849e617115f4a920fa2acdcab2b053c4b2838bd6b71", "", codeBadSymbol},
		{"mixed", "symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC",
			"quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559&signature=0fd168b8ddb4876a0358a8d14d0c9f3da0e9b20c5d52b2a00fcf7d1c602f9a77", codeBadSymbol},
		{"wrong signature", query + "&signature=c8db56825ae71d6d79447849e617115f4a920fa2acdcab2b053c4b2838bd6b70", "", codeSignature},
		{"mixed, signed as if joined by &", "symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC",
			"quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559&signature=c8db56825ae71d6d79447849e617115f4a920fa2acdcab2b053c4b2838bd6b71", codeSignature},
	} {
		r := do(t, s, "POST", "/api/v3/order", tc.query, tc.body, header)
		if r.code() != tc.code || r.status != http.StatusBadRequest {
			t.Errorf("%s: HTTP %d %s, want 400 code %d", tc.name, r.status, r.body, tc.code)
		}
	}
}
