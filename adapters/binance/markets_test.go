package binance

import (
	"encoding/json"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/unifex-go/unifex/unified"
)

// exchangeInfo excerpts in the shape of the docs' examples (spot
// rest-api.md "Exchange information", USD-M and COIN-M "Exchange
// Information").
const (
	spotInfo = `{"timezone":"UTC","serverTime":1565246363776,"symbols":[
 {"symbol":"ETHBTC","status":"TRADING","baseAsset":"ETH","baseAssetPrecision":8,"quoteAsset":"BTC","quoteAssetPrecision":8,
  "filters":[{"filterType":"PRICE_FILTER","minPrice":"0.00001000","maxPrice":"922327.00000000","tickSize":"0.00001000"},
   {"filterType":"LOT_SIZE","minQty":"0.00010000","maxQty":"100000.00000000","stepSize":"0.00010000"},
   {"filterType":"NOTIONAL","minNotional":"0.00010000","applyMinToMarket":true,"maxNotional":"9000000.00000000","applyMaxToMarket":false,"avgPriceMins":5},
   {"filterType":"MARKET_LOT_SIZE","minQty":"0.00000000","maxQty":"1234.5","stepSize":"0.00000000"}]},
 {"symbol":"BCCBTC","status":"BREAK","baseAsset":"BCC","quoteAsset":"BTC",
  "filters":[{"filterType":"PRICE_FILTER","minPrice":"0","maxPrice":"0","tickSize":"0.000001"},
   {"filterType":"LOT_SIZE","minQty":"0.001","maxQty":"0","stepSize":"0.001"}]}]}`
	usdmInfo = `{"symbols":[
 {"symbol":"BTCUSDT","pair":"BTCUSDT","contractType":"PERPETUAL","deliveryDate":4133404800000,"onboardDate":1569398400000,
  "status":"TRADING","baseAsset":"BTC","quoteAsset":"USDT","marginAsset":"USDT","pricePrecision":2,"quantityPrecision":3,
  "filters":[{"filterType":"PRICE_FILTER","minPrice":"556.80","maxPrice":"4529764","tickSize":"0.10"},
   {"filterType":"LOT_SIZE","stepSize":"0.001","maxQty":"1000","minQty":"0.001"},
   {"filterType":"MIN_NOTIONAL","notional":"100"}]},
 {"symbol":"BTCUSDT_260327","pair":"BTCUSDT","contractType":"CURRENT_QUARTER","deliveryDate":1774598400000,"onboardDate":1766736000000,
  "status":"TRADING","baseAsset":"BTC","quoteAsset":"USDT","marginAsset":"USDT",
  "filters":[{"filterType":"PRICE_FILTER","minPrice":"576.30","maxPrice":"1000000","tickSize":"0.10"},
   {"filterType":"LOT_SIZE","stepSize":"0.001","maxQty":"500","minQty":"0.001"}]},
 {"symbol":"BTCUSDT_XYZ","contractType":"TRADIFI_PERPETUAL_UNKNOWN","status":"TRADING","baseAsset":"BTC","quoteAsset":"USDT","marginAsset":"USDT","filters":[]}]}`
	coinmInfo = `{"symbols":[
 {"symbol":"BTCUSD_PERP","pair":"BTCUSD","contractType":"PERPETUAL","deliveryDate":4133404800000,"contractStatus":"TRADING",
  "contractSize":100,"baseAsset":"BTC","quoteAsset":"USD","marginAsset":"BTC",
  "filters":[{"filterType":"PRICE_FILTER","minPrice":"1000","maxPrice":"4520958","tickSize":"0.1"},
   {"filterType":"LOT_SIZE","stepSize":"1","maxQty":"1000000","minQty":"1"}]}]}`
)

func dec(s string) decimal.NullDecimal { return decimal.NewNullDecimal(decimal.RequireFromString(s)) }

func parse(t *testing.T, k kind, body string) []unified.Market {
	t.Helper()
	var info exchangeInfo
	if err := json.Unmarshal([]byte(body), &info); err != nil {
		t.Fatal(err)
	}
	ms, err := parseMarkets(products[k], &info)
	if err != nil {
		t.Fatal(err)
	}
	return ms
}

func TestParseSpotMarkets(t *testing.T) {
	ms := parse(t, spot, spotInfo)
	if len(ms) != 2 {
		t.Fatalf("%d markets", len(ms))
	}
	m := ms[0]
	if m.Symbol != "ETH/BTC" || m.ID != "ETHBTC" || !m.Spot || m.Type != unified.Spot || !*m.Active {
		t.Fatalf("market %+v", m)
	}
	for name, got := range map[string][2]decimal.NullDecimal{
		"tick":         {m.Precision.Price, dec("0.00001")},
		"step":         {m.Precision.Amount, dec("0.0001")},
		"min price":    {m.Limits.Price.Min, dec("0.00001")},
		"min amount":   {m.Limits.Amount.Min, dec("0.0001")},
		"max amount":   {m.Limits.Amount.Max, dec("100000")},
		"min cost":     {m.Limits.Cost.Min, dec("0.0001")},
		"max cost":     {m.Limits.Cost.Max, dec("9000000")},
		"market max":   {m.Limits.Market.Max, dec("1234.5")},
		"market min 0": {m.Limits.Market.Min, {}},
	} {
		if got[0].Valid != got[1].Valid || !got[0].Decimal.Equal(got[1].Decimal) {
			t.Errorf("%s: %v, want %v", name, got[0], got[1])
		}
	}
	if *ms[1].Active || ms[1].Limits.Price.Max.Valid {
		t.Fatalf("a market on BREAK, with rules off: %+v", ms[1])
	}
}

func TestParseFuturesMarkets(t *testing.T) {
	ms := parse(t, usdm, usdmInfo)
	if len(ms) != 2 {
		t.Fatalf("%d markets; an unknown contract type must be skipped", len(ms))
	}
	perp, dated := ms[0], ms[1]
	if perp.Symbol != "BTC/USDT:USDT" || !perp.Swap || !perp.Linear || perp.Inverse || !perp.ContractSize.Decimal.Equal(decimal.NewFromInt(1)) ||
		!perp.Limits.Cost.Min.Decimal.Equal(decimal.NewFromInt(100)) || !perp.Precision.Price.Decimal.Equal(decimal.RequireFromString("0.1")) {
		t.Fatalf("perpetual %+v", perp)
	}
	if dated.Symbol != "BTC/USDT:USDT-260327" || !dated.Future || dated.Expiry.UnixMilli() != 1774598400000 {
		t.Fatalf("dated future %+v", dated)
	}
	inverse := parse(t, coinm, coinmInfo)[0]
	if inverse.Symbol != "BTC/USD:BTC" || !inverse.Inverse || inverse.Linear || !inverse.ContractSize.Decimal.Equal(decimal.NewFromInt(100)) || !*inverse.Active {
		t.Fatalf("inverse perpetual %+v", inverse)
	}
}

func TestParseMarketsRefusesBadRules(t *testing.T) {
	var info exchangeInfo
	_ = json.Unmarshal([]byte(`{"symbols":[{"symbol":"X","status":"TRADING","baseAsset":"A","quoteAsset":"B",
	 "filters":[{"filterType":"PRICE_FILTER","tickSize":"abc"},{"filterType":"LOT_SIZE","stepSize":"1"}]}]}`), &info)
	if _, err := parseMarkets(products[spot], &info); err == nil {
		t.Fatal("a malformed tick was accepted")
	}
	_ = json.Unmarshal([]byte(`{"symbols":[{"symbol":"X","status":"TRADING","baseAsset":"A","quoteAsset":"B","filters":[]}]}`), &info)
	if _, err := parseMarkets(products[spot], &info); err == nil {
		t.Fatal("a market without tick and step was accepted")
	}
}
