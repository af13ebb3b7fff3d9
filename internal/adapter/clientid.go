package adapter

import (
	"strings"

	"github.com/unifex-go/unifex/internal/rest"
)

// ClientIDs is a venue's rule for client order ids and the prefix the
// adapter gives the ids it makes, so that an order placed without one can
// still be looked up when its outcome is unknown, and the adapter's
// orders told apart.
type ClientIDs struct {
	// Prefix starts every id the adapter makes.
	Prefix string
	// Max is the longest id the venue accepts.
	Max int
	// Punctuation lists what the venue accepts besides ASCII letters and
	// digits.
	Punctuation string
}

// New returns a fresh id: the prefix and random hex digits from src, cut
// to Max.
func (r ClientIDs) New(src rest.Sources) string {
	id := r.Prefix + src.ClientOrderID()
	return id[:min(len(id), r.Max)]
}

// Valid reports whether id fits the venue's rule.
func (r ClientIDs) Valid(id string) bool {
	if id == "" || len(id) > r.Max {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte(r.Punctuation, c) >= 0) {
			return false
		}
	}
	return true
}
