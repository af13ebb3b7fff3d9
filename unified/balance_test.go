package unified

import (
	"testing"

	"github.com/shopspring/decimal"
)

// Balance.Complete follows CCXT's safeBalance: any two of free, used and
// total give the third; nothing given is ever changed.
func TestBalanceComplete(t *testing.T) {
	for _, c := range []struct {
		name              string
		in                Balance
		free, used, total string
	}{
		{"total = free + used", Balance{Free: num("0.919741"), Used: num("0")}, "0.919741", "0", "0.919741"},
		{"free = total − used", Balance{Total: num("5848.20013918"), Used: num("3.18541012")}, "5845.01472906", "3.18541012", "5848.20013918"},
		{"used = total − free", Balance{Total: num("10"), Free: num("4")}, "4", "6", "10"},
		{"one value alone stays alone", Balance{Total: num("10")}, "null", "null", "10"},
		{"inconsistent values are kept", Balance{Free: num("1"), Used: num("1"), Total: num("5")}, "1", "1", "5"},
		{"nothing", Balance{}, "null", "null", "null"},
	} {
		t.Run(c.name, func(t *testing.T) {
			b := c.in
			b.Complete()
			checkFields(t, map[string]decimal.NullDecimal{"free": b.Free, "used": b.Used, "total": b.Total},
				map[string]string{"free": c.free, "used": c.used, "total": c.total})
		})
	}
}

func TestBalancesCompleteEveryCurrency(t *testing.T) {
	bs := Balances{Currencies: map[string]Balance{
		"BTC":  {Free: num("1"), Used: num("2")},
		"USDT": {Total: num("10"), Free: num("7"), Debt: num("3")},
	}}
	bs.Complete()
	if got := text(bs.Currencies["BTC"].Total); got != "3" {
		t.Errorf("BTC total = %s, want 3", got)
	}
	if got := text(bs.Currencies["USDT"].Used); got != "3" {
		t.Errorf("USDT used = %s, want 3", got)
	}
	if got := text(bs.Currencies["USDT"].Debt); got != "3" {
		t.Errorf("USDT debt = %s, want it kept", got)
	}
}

// LedgerEntry.Complete follows CCXT's safeLedgerEntry.
func TestLedgerEntryComplete(t *testing.T) {
	for _, c := range []struct {
		name          string
		in            LedgerEntry
		before, after string
		direction     Direction
	}{
		{"before = after − amount", LedgerEntry{Amount: num("-10.158"), After: num("67533.74569945144")},
			"67543.90369945144", "67533.74569945144", DirectionOut},
		{"after = before + amount", LedgerEntry{Amount: num("5"), Before: num("10")}, "10", "15", DirectionIn},
		{"direction from a given pair", LedgerEntry{Before: num("2"), After: num("1")}, "2", "1", DirectionOut},
		{"no change, no direction", LedgerEntry{Amount: num("0"), Before: num("1")}, "1", "1", ""},
		{"a given direction is kept", LedgerEntry{Direction: DirectionIn, Before: num("2"), After: num("1")}, "2", "1", DirectionIn},
		{"no amount, nothing derived", LedgerEntry{Before: num("1")}, "1", "null", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			l := c.in
			l.Complete()
			checkFields(t, map[string]decimal.NullDecimal{"before": l.Before, "after": l.After},
				map[string]string{"before": c.before, "after": c.after})
			if l.Direction != c.direction {
				t.Errorf("direction = %q, want %q", l.Direction, c.direction)
			}
		})
	}
}
