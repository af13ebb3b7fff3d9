package adapter

// NetworkCodes translates a venue's network (chain) ids to CCXT's unified
// network codes and back. An id neither map lists is its own code.
type NetworkCodes struct {
	// Codes maps the venue ids CCXT renames to their unified codes.
	Codes map[string]string
	// IDs maps unified codes (and their common aliases) to venue ids.
	IDs map[string]string
}

// Code is the unified code of network id on which currency moves ("" for
// none). A chain's own coin keeps the chain's name (ETH on ETH, TRX on
// TRX), as CCXT does.
func (n NetworkCodes) Code(id, currency string) string {
	if id == "" {
		return ""
	}
	if id == currency && (id == "ETH" || id == "TRX") {
		return id
	}
	if c, ok := n.Codes[id]; ok {
		return c
	}
	return id
}

// ID is the venue's id of a unified network code (or of an id).
func (n NetworkCodes) ID(code string) string {
	if id, ok := n.IDs[code]; ok {
		return id
	}
	return code
}
