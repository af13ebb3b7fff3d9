package adapter

import (
	"strings"
	"testing"

	"github.com/unifex-go/unifex/internal/rest"
)

func TestClientIDs(t *testing.T) {
	r := ClientIDs{Prefix: "x-u-", Max: 12, Punctuation: "-_"}
	src := rest.Sources{ClientOrderID: rest.RandomClientOrderID}
	id := r.New(src)
	if !strings.HasPrefix(id, "x-u-") || len(id) != 12 || !r.Valid(id) {
		t.Fatalf("New gave %q", id)
	}
	if id2 := r.New(src); id2 == id {
		t.Fatalf("two ids alike: %q", id)
	}
	for id, want := range map[string]bool{"abc_-9Z": true, "": false, "a.b": false, "abcdefghijklm": false, "é": false} {
		if r.Valid(id) != want {
			t.Errorf("Valid(%q) = %v", id, !want)
		}
	}
}
