package bybit

import (
	"strings"
	"testing"

	"github.com/unifex-go/unifex/errors"
	"github.com/unifex-go/unifex/internal/rest"
)

// TestCheckError maps Bybit's envelopes (number and string retCodes) and
// bare statuses.
func TestCheckError(t *testing.T) {
	cases := []struct {
		status int
		body   string
		kind   *errors.Kind // nil: no error
		code   string
	}{
		{200, `{"retCode":0,"retMsg":"OK","result":{}}`, nil, ""},
		{200, `{"retCode":"0","retMsg":"OK","result":{}}`, nil, ""},
		{200, `{"retCode":10002,"retMsg":"invalid request, please check your server timestamp or recv_window param"}`, errors.InvalidNonce, "10002"},
		{200, `{"retCode":10004,"retMsg":"error sign!"}`, errors.AuthenticationError, "10004"},
		{200, `{"retCode":10006,"retMsg":"Too many visits!"}`, errors.RateLimitExceeded, "10006"},
		{200, `{"retCode":110001,"retMsg":"order not exists or too late to cancel"}`, errors.OrderNotFound, "110001"},
		{200, `{"retCode":110007,"retMsg":"ab not enough for new order"}`, errors.InsufficientFunds, "110007"},
		{200, `{"retCode":170131,"retMsg":"Insufficient balance."}`, errors.InsufficientFunds, "170131"},
		{200, `{"retCode":110072,"retMsg":"OrderLinkedID is duplicate"}`, errors.DuplicateOrderId, "110072"},
		{200, `{"retCode":170121,"retMsg":"Invalid symbol."}`, errors.BadSymbol, "170121"},
		{200, `{"retCode":110043,"retMsg":"Set leverage not modified"}`, errors.NoChange, "110043"},
		{200, `{"retCode":10016,"retMsg":"Internal server error"}`, errors.ExchangeNotAvailable, "10016"},
		{200, `{"retCode":10000,"retMsg":"Server Timeout"}`, errors.RequestTimeout, "10000"},
		{200, `{"retCode":999999,"retMsg":"new"}`, errors.ExchangeError, "999999"},
		{403, `<html>forbidden</html>`, errors.DDoSProtection, ""},
		{401, `{"retCode":10003,"retMsg":"API key is invalid."}`, errors.AuthenticationError, "10003"},
		{502, `bad gateway`, nil, ""}, // the status table's
		{200, `[]`, nil, ""},
	}
	for _, c := range cases {
		err := checkError(&rest.Response{Status: c.status, Body: []byte(c.body)})
		if c.kind == nil {
			if err != nil {
				t.Errorf("%d %s: %v", c.status, c.body, err)
			}
			continue
		}
		var e *errors.Error
		if !errors.As(err, &e) || !errors.Is(err, c.kind) || e.Code != c.code || e.Exchange != ID {
			t.Errorf("%d %s: %v, want %v code %q", c.status, c.body, err, c.kind, c.code)
		}
	}
	if !errors.Is(checkError(&rest.Response{Status: 200, Body: []byte(`{"retCode":110008}`)}), errors.InvalidOrder) {
		t.Error("110008 is an InvalidOrder too")
	}
}

// TestRedact: Bybit's 10004 message quotes the signed string, API key
// included; the error keeps the rest.
func TestRedact(t *testing.T) {
	err := checkError(&rest.Response{Status: 200, Body: []byte(`{"retCode":10004,"retMsg":"error sign! origin_string[1795325634615the-key5000accountType=UNIFIED]"}`)})
	if err == nil || strings.Contains(err.Error(), "the-key") || !strings.Contains(err.Error(), "error sign! origin_string[redacted]") {
		t.Fatalf("%v", err)
	}
	if got := redact("a origin_string[k1] b origin_string[k2"); got != "a origin_string[redacted] b origin_string[redacted]" {
		t.Fatalf("%q", got)
	}
}

// TestTradeError: the trade stream's 10003 is too many sessions except
// in the auth reply.
func TestTradeError(t *testing.T) {
	if err := tradeError("order.create", 10003, "Too many sessions"); !errors.Is(err, errors.RateLimitExceeded) {
		t.Errorf("order.create 10003: %v", err)
	}
	if err := tradeError("auth", 10003, "Invalid apikey"); !errors.Is(err, errors.AuthenticationError) {
		t.Errorf("auth 10003: %v", err)
	}
	if err := tradeError("order.create", 20006, "reqId is duplicated"); !errors.Is(err, errors.BadRequest) {
		t.Errorf("20006: %v", err)
	}
}
