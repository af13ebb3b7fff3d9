package adapter

import "testing"

func TestNetworkCodes(t *testing.T) {
	n := NetworkCodes{Codes: map[string]string{"ETH": "ERC20", "BSC": "BEP20"}, IDs: map[string]string{"ERC20": "ETH", "BEP20": "BSC"}}
	for _, c := range []struct{ id, currency, want string }{
		{"ETH", "USDT", "ERC20"}, {"ETH", "ETH", "ETH"}, {"BSC", "BNB", "BEP20"}, {"SOL", "SOL", "SOL"}, {"", "BTC", ""},
	} {
		if got := n.Code(c.id, c.currency); got != c.want {
			t.Errorf("Code(%q, %q) = %q, want %q", c.id, c.currency, got, c.want)
		}
	}
	if n.ID("BEP20") != "BSC" || n.ID("SOL") != "SOL" {
		t.Error("ID")
	}
}
