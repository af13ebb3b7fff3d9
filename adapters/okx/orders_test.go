package okx

import (
	"encoding/json"
	"net/http"
	"os"
	"testing"
	"time"

	"github.com/unifex-go/unifex/errors"
	"github.com/unifex-go/unifex/internal/rest"
	"github.com/unifex-go/unifex/internal/stream"
	"github.com/unifex-go/unifex/markets"
	"github.com/unifex-go/unifex/unified"
)

// testSnapshot holds the markets of the golden messages.
func testSnapshot(t testing.TB) *markets.Snapshot {
	t.Helper()
	var ms []unified.Market
	for _, in := range []instrument{
		{InstType: TypeSpot, InstID: "LTC-USDT", BaseCcy: "LTC", QuoteCcy: "USDT", TickSz: "0.01", LotSz: "0.000001", MinSz: "0.001", State: "live"},
		{InstType: TypeSpot, InstID: "BTC-USDT", BaseCcy: "BTC", QuoteCcy: "USDT", TickSz: "0.1", LotSz: "0.00000001", MinSz: "0.00001", State: "live"},
		{InstType: TypeSwap, InstID: "LTC-USDT-SWAP", InstFamily: "LTC-USDT", SettleCcy: "USDT", CtVal: "1", CtMult: "1", CtType: "linear",
			TickSz: "0.01", LotSz: "1", MinSz: "1", State: "live"},
	} {
		m, ok, err := parseInstrument(&in)
		if err != nil || !ok {
			t.Fatalf("%s: %v", in.InstID, err)
		}
		ms = append(ms, m)
	}
	snap, err := markets.NewSnapshot(ID, ms, nil)
	if err != nil {
		t.Fatal(err)
	}
	return snap
}

// golden reads the data array of a golden message.
func golden[T any](t *testing.T, name string) []T {
	t.Helper()
	raw, err := os.ReadFile("testdata/okx/" + name + ".json")
	if err != nil {
		t.Fatal(err)
	}
	var f struct {
		Message struct {
			Data []T `json:"data"`
		} `json:"message"`
	}
	if err := json.Unmarshal(raw, &f); err != nil {
		t.Fatal(err)
	}
	return f.Message.Data
}

func msTime(ms int64) time.Time { return time.UnixMilli(ms).UTC() }

func TestParseOrderGolden(t *testing.T) {
	snap := testSnapshot(t)
	r := golden[restOrder](t, "rest_order_get")[0]
	o, err := parseOrder(snap, nil, &r, true)
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		name      string
		got, want any
	}{
		{"id", o.ID, "1339107111507525632"}, {"client id", o.ClientOrderID, "e847386590ce4dBC6f7ae74854f6a617"},
		{"symbol", o.Symbol, "LTC/USDT"}, {"type", o.Type, unified.OrderTypeMarket}, {"tif", o.TimeInForce, unified.TIFIOC},
		{"side", o.Side, unified.SideBuy}, {"status", o.Status, unified.StatusClosed},
		{"amount (tgtCcy base_ccy)", o.Amount.Decimal.String(), "0.1"}, {"filled", o.Filled.Decimal.String(), "0.1"},
		{"remaining", o.Remaining.Decimal.String(), "0"}, {"average", o.Average.Decimal.String(), "101.58"},
		{"price (a market order's average)", o.Price.Decimal.String(), "101.58"}, {"cost", o.Cost.Decimal.String(), "10.158"},
		{"fee", o.Fee.Cost.Decimal.String() + " " + o.Fee.Currency, "0.0001 LTC"},
		{"created", o.Timestamp, msTime(1712410901848)}, {"last trade", o.LastTradeTimestamp, msTime(1712410901850)},
		{"updated", o.LastUpdateTimestamp, msTime(1712410901852)}, {"reduce-only", *o.ReduceOnly, false},
	}
	for _, w := range want {
		if w.got != w.want {
			t.Errorf("%s: %v, want %v", w.name, w.got, w.want)
		}
	}
	if _, ok := o.Info.(restOrder); !ok {
		t.Errorf("Info %T, want the native order", o.Info)
	}
	// A spot market buy without tgtCcy is sized in quote: sz is no amount.
	r.TgtCcy, r.Sz, r.State, r.AccFillSz = "", "10", "live", "0"
	if o, err := parseOrder(snap, nil, &r, false); err != nil || o.Amount.Valid {
		t.Fatalf("quote-sized market buy: amount %v, %v", o.Amount, err)
	}
}

func TestParseOrdersPushGolden(t *testing.T) {
	snap := testSnapshot(t)
	r := golden[restOrder](t, "ws_orders")[0]
	o, err := parseOrder(snap, nil, &r, false)
	if err != nil {
		t.Fatal(err)
	}
	if o.Status != unified.StatusClosed || o.Type != unified.OrderTypeLimit || o.TimeInForce != unified.TIFGTC || o.Side != unified.SideSell ||
		o.Fee.Cost.Decimal.String() != "0.02522168" || o.Fee.Currency != "USDT" || o.Symbol != "BTC/USDT" {
		t.Fatalf("order %+v", o)
	}
	f, ok := fillOf(&r)
	if !ok {
		t.Fatal("the push's fill was not found")
	}
	tr, err := parseFill(snap, nil, &f, false)
	if err != nil {
		t.Fatal(err)
	}
	if tr.ID != "242589207" || tr.Order != "452197707845865472" || tr.TakerOrMaker != unified.LiquidityMaker || tr.Price.Decimal.String() != "31527.1" ||
		tr.Amount.Decimal.String() != "0.001" || tr.Fee.Cost.Decimal.String() != "0.02522168" || !tr.Timestamp.Equal(msTime(1654084353263)) ||
		tr.Cost.Decimal.String() != "31.5271" {
		t.Fatalf("fill %+v", tr)
	}
	r.TradeID, r.FillSz = "", "0"
	if _, ok := fillOf(&r); ok {
		t.Fatal("a push without a trade reported a fill")
	}
}

func TestParseFillGolden(t *testing.T) {
	snap := testSnapshot(t)
	f := golden[restFill](t, "rest_fills")[0]
	tr, err := parseFill(snap, nil, &f, false)
	if err != nil {
		t.Fatal(err)
	}
	if tr.ID != "56181695" || tr.Symbol != "LTC/USDT" || tr.Side != unified.SideBuy || tr.TakerOrMaker != unified.LiquidityTaker ||
		tr.Cost.Decimal.String() != "6.784" || tr.Fee.Cost.Decimal.String() != "0.0001" || tr.Fee.Currency != "LTC" ||
		!tr.Timestamp.Equal(msTime(1698835093028)) {
		t.Fatalf("fill %+v", tr)
	}
}

func TestParsePositionGolden(t *testing.T) {
	snap := testSnapshot(t)
	r := golden[restPosition](t, "rest_positions")[0]
	p, open, err := parsePosition(snap, &r, false)
	if err != nil || !open {
		t.Fatalf("%v, open %v", err, open)
	}
	if p.Symbol != "LTC/USDT:USDT" || p.Side != unified.PositionLong || !*p.Hedged || p.Contracts.Decimal.String() != "1" ||
		p.EntryPrice.Decimal.String() != "68.24" || p.Leverage.Decimal.String() != "3" || p.MarginMode != unified.MarginModeCross ||
		p.InitialMargin.Decimal.String() != "0.0227466666666667" || p.MaintenanceMargin.Decimal.String() != "0.00044356" ||
		p.Notional.Decimal.String() != "0.0682283992" || p.LiquidationPrice.Valid || p.ID != "653944598162657280" {
		t.Fatalf("position %+v", p)
	}
	r.PosSide, r.Pos = "net", "-2"
	if p, _, _ := parsePosition(snap, &r, false); p.Side != unified.PositionShort || p.Contracts.Decimal.String() != "2" || *p.Hedged {
		t.Fatalf("net short: %+v", p)
	}
	r.Pos = "0"
	if _, open, _ := parsePosition(snap, &r, false); open {
		t.Fatal("pos 0 is open")
	}
}

func TestParseBalances(t *testing.T) {
	accts := []restAccount{{UTime: "1700000000000", Details: []restCcyDetail{
		{Ccy: "USDT", Eq: "100", AvailBal: "70"},
		{Ccy: "BTC", CashBal: "2", AvailEq: "1.5"},
	}}}
	b, err := parseBalances(accts, false)
	if err != nil {
		t.Fatal(err)
	}
	u, btc := b.Currencies["USDT"], b.Currencies["BTC"]
	if u.Free.Decimal.String() != "70" || u.Used.Decimal.String() != "30" || u.Total.Decimal.String() != "100" ||
		btc.Free.Decimal.String() != "1.5" || btc.Used.Decimal.String() != "0.5" || btc.Total.Decimal.String() != "2" || !b.Timestamp.Equal(msTime(1700000000000)) {
		t.Fatalf("balances %+v", b)
	}
	accts[0].Details[0].Ccy = ""
	if _, err := parseBalances(accts, false); !errors.Is(err, errors.BadResponse) {
		t.Fatalf("no ccy: %v", err)
	}
}

// TestParsersRefuseMalformed: bad numbers, sides and unknown instruments
// are BadResponse (BadSymbol for the instrument), never a panic.
func TestParsersRefuseMalformed(t *testing.T) {
	snap := testSnapshot(t)
	base := golden[restOrder](t, "rest_order_get")[0]
	for name, edit := range map[string]func(r *restOrder){
		"number": func(r *restOrder) { r.AccFillSz = "1e" },
		"side":   func(r *restOrder) { r.Side = "long" },
		"time":   func(r *restOrder) { r.CTime = "yesterday" },
		"no id":  func(r *restOrder) { r.OrdID = "" },
	} {
		r := base
		edit(&r)
		if _, err := parseOrder(snap, nil, &r, false); !errors.Is(err, errors.BadResponse) {
			t.Errorf("%s: %v, want BadResponse", name, err)
		}
	}
	r := base
	r.InstID = "XRP-USDT"
	if _, err := parseOrder(snap, nil, &r, false); !errors.Is(err, errors.BadSymbol) {
		t.Errorf("unknown instrument: %v, want BadSymbol", err)
	}
}

// TestCheckError: the top-level code, and per-item sCode when the code
// is "1" or "2".
func TestCheckError(t *testing.T) {
	for _, c := range []struct {
		body   string
		status int
		kind   *errors.Kind
		code   string
	}{
		{`{"code":"0","msg":"","data":[]}`, 200, nil, ""},
		{`{"code":"50113","msg":"Invalid Sign","data":[]}`, 401, errors.AuthenticationError, "50113"},
		{`{"code":"50102","msg":"Timestamp request expired","data":[]}`, 401, errors.InvalidNonce, "50102"},
		{`{"code":"50011","msg":"Too Many Requests","data":[]}`, 429, errors.RateLimitExceeded, "50011"},
		{`{"code":"50001","msg":"upgrading","data":[]}`, 503, errors.OnMaintenance, "50001"},
		{`{"code":"50004","msg":"timeout","data":[]}`, 200, errors.RequestTimeout, "50004"},
		{`{"code":"1","msg":"All operations failed","data":[{"clOrdId":"a","ordId":"","sCode":"51008","sMsg":"Insufficient USDT"}]}`, 200, errors.InsufficientFunds, "51008"},
		{`{"code":"2","msg":"","data":[{"ordId":"1","sCode":"0"},{"ordId":"","sCode":"51400","sMsg":"gone"}]}`, 200, errors.OrderNotFound, "51400"},
		{`{"code":"1","msg":"Operation failed","data":[]}`, 200, errors.ExchangeError, "1"},
		{`{"code":51603,"msg":"Order does not exist","data":[]}`, 200, errors.OrderNotFound, "51603"},
		{`{"code":"51121","msg":"lot size","data":[]}`, 200, errors.InvalidOrder, "51121"},
		{`{"code":"59999","msg":"new","data":[]}`, 200, errors.ExchangeError, "59999"},
		{`<html>503</html>`, 503, nil, ""},
	} {
		err := checkError(&rest.Response{Status: c.status, Body: []byte(c.body), Header: http.Header{}})
		if c.kind == nil {
			if err != nil {
				t.Errorf("%s: %v, want none", c.body, err)
			}
			continue
		}
		var e *errors.Error
		if !errors.Is(err, c.kind) || !errors.As(err, &e) || e.Code != c.code || e.Exchange != ID || e.HTTPStatus != c.status {
			t.Errorf("%s: %v, want %v code %s", c.body, err, c.kind, c.code)
		}
	}
	// The card's table, spot checks of each class.
	for code, kind := range map[string]*errors.Kind{"50101": errors.AuthenticationError, "50110": errors.PermissionDenied,
		"51001": errors.BadSymbol, "51016": errors.DuplicateOrderId, "51131": errors.InsufficientFunds, "51503": errors.OrderNotFound,
		"51510": errors.OrderNotFound, "60007": errors.AuthenticationError, "60024": errors.AuthenticationError, "64001": errors.NotSupported,
		"60014": errors.RateLimitExceeded, "64007": errors.ExchangeNotAvailable, "51005": errors.InvalidOrder, "51010": errors.AccountNotEnabled} {
		if got := codeKind(code); got != kind {
			t.Errorf("%s: %v, want %v", code, got, kind)
		}
	}
}

func TestPrivateResponseID(t *testing.T) {
	for msg, want := range map[string]string{
		`{"event":"login","code":"0","msg":"","connId":"a"}`:                                      loginID,
		`{"id":"login","event":"error","code":"60024","msg":"Wrong passphrase"}`:                  loginID,
		`{"id":"7","event":"subscribe","arg":{"channel":"orders","instType":"ANY"},"connId":"a"}`: "7",
		`{"id":"1512","op":"order","data":[{"ordId":"1","sCode":"0"}],"code":"0","msg":""}`:       "1512",
		`{"arg":{"channel":"orders","uid":"1"},"data":[{"ordId":"1","clOrdId":"x","reqId":""}]}`:  "",
		`{"arg":{"channel":"account"},"eventType":"snapshot","data":[]}`:                          "",
	} {
		id, ok := privateResponseID(stream.Message{Data: []byte(msg)})
		if string(id) != want || ok != (want != "") {
			t.Errorf("%s: %q %v, want %q", msg, id, ok, want)
		}
	}
}

// FuzzPrivateParsers: any bytes through the private parsers give data or
// a typed error, never a panic.
func FuzzPrivateParsers(f *testing.F) {
	for _, name := range []string{"rest_order_get", "ws_orders", "rest_fills", "rest_positions", "ws_order_op", "rest_order_place", "rest_leverage_info"} {
		raw, err := os.ReadFile("testdata/okx/" + name + ".json")
		if err != nil {
			f.Fatal(err)
		}
		var g struct {
			Message json.RawMessage `json:"message"`
		}
		if err := json.Unmarshal(raw, &g); err != nil {
			f.Fatal(err)
		}
		f.Add([]byte(g.Message))
	}
	f.Add([]byte(`{"code":"1","data":[{"sCode":"51008"}]}`))
	f.Add([]byte(`{"arg":{"channel":"account"},"data":[{"details":[{"ccy":"BTC","eq":"x"}]}]}`))
	f.Add([]byte(`{"code":"0","data":[{"instType":"MARGIN","instId":"BTC-USDT","posCcy":"USDT","pos":"3000","posSide":"net","mgnMode":"isolated","liab":"0.05","liabCcy":"BTC"}]}`))
	f.Add([]byte(`{"code":"2","msg":"","data":[{"ordId":"1","sCode":"0"},{"ordId":"2","sCode":"50013","sMsg":"busy"}]}`))
	snap := testSnapshot(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		_ = checkError(&rest.Response{Status: 200, Body: data, Header: http.Header{}})
		_ = checkError(&rest.Response{Endpoint: epCancelBatch, Status: 200, Body: data, Header: http.Header{}})
		_, _ = privateResponseID(stream.Message{Data: data})
		var env struct {
			Data json.RawMessage `json:"data"`
		}
		if json.Unmarshal(data, &env) != nil {
			return
		}
		var orders []restOrder
		if json.Unmarshal(env.Data, &orders) == nil {
			for i := range orders {
				if _, err := parseOrder(snap, nil, &orders[i], true); err != nil && !errors.Is(err, errors.BadResponse) && !errors.Is(err, errors.BadSymbol) {
					t.Fatalf("order: %v", err)
				}
				if fl, ok := fillOf(&orders[i]); ok {
					if _, err := parseFill(snap, nil, &fl, false); err != nil && !errors.Is(err, errors.BadResponse) && !errors.Is(err, errors.BadSymbol) {
						t.Fatalf("fill: %v", err)
					}
				}
			}
		}
		var fills []restFill
		if json.Unmarshal(env.Data, &fills) == nil {
			for i := range fills {
				if _, err := parseFill(snap, nil, &fills[i], false); err != nil && !errors.Is(err, errors.BadResponse) && !errors.Is(err, errors.BadSymbol) {
					t.Fatalf("fill: %v", err)
				}
			}
		}
		var ps []restPosition
		if json.Unmarshal(env.Data, &ps) == nil {
			for i := range ps {
				if _, _, err := parsePosition(snap, &ps[i], false); err != nil && !errors.Is(err, errors.BadResponse) && !errors.Is(err, errors.BadSymbol) {
					t.Fatalf("position: %v", err)
				}
			}
		}
		var accts []restAccount
		if json.Unmarshal(env.Data, &accts) == nil {
			if _, err := parseBalances(accts, false); err != nil && !errors.Is(err, errors.BadResponse) {
				t.Fatalf("balances: %v", err)
			}
		}
		var levers []restLeverage
		if json.Unmarshal(env.Data, &levers) == nil {
			swap := &unified.Market{ID: "BTC-USDT-SWAP", Symbol: "BTC/USDT:USDT"}
			if _, err := parseLeverage(swap, levers, true); err != nil && !errors.Is(err, errors.BadResponse) {
				t.Fatalf("leverage: %v", err)
			}
		}
	})
}
