package sim

import (
	"net/http"
	"testing"

	"github.com/unifex-go/unifex/errors"
	"github.com/unifex-go/unifex/internal/fakeserver"
	"github.com/unifex-go/unifex/internal/rest"
)

func TestCheckError(t *testing.T) {
	for _, c := range []struct {
		status int
		body   string
		want   *errors.Kind // nil: left to the status table
		code   string
	}{
		{200, `{"code":2001,"msg":"looks like an error but the status is 200"}`, nil, ""},
		{400, `{"code":2001,"msg":"insufficient balance"}`, errors.InsufficientFunds, "2001"},
		{400, `{"code":1003,"msg":"timestamp outside the receive window"}`, errors.InvalidNonce, "1003"},
		{401, `{"code":1002,"msg":"signature invalid"}`, errors.AuthenticationError, "1002"},
		{401, `{"code":1001,"msg":"unknown API key"}`, errors.AuthenticationError, "1001"},
		{401, `{"code":1004,"msg":"API key expired"}`, errors.AuthenticationError, "1004"},
		{400, `{"code":2002,"msg":"order not found"}`, errors.OrderNotFound, "2002"},
		{400, `{"code":2003,"msg":"bad order"}`, errors.InvalidOrder, "2003"},
		{400, `{"code":2004,"msg":"unknown market"}`, errors.BadSymbol, "2004"},
		{400, `{"code":2006,"msg":"would take"}`, errors.OrderImmediatelyFillable, "2006"},
		{400, `{"code":2010,"msg":"client id in use"}`, errors.DuplicateOrderId, "2010"},
		{400, `{"code":2011,"msg":"no trigger orders"}`, errors.NotSupported, "2011"},
		{400, `{"code":9999,"msg":"something new"}`, errors.ExchangeError, "9999"},
		{503, fakeserver.MaintenancePage, errors.OnMaintenance, ""},
		{503, `<html>Service Unavailable</html>`, nil, ""},
		{429, `{"error":"too many requests"}`, nil, ""},
		{502, `<html>Bad Gateway</html>`, nil, ""},
	} {
		err := checkError(&rest.Response{Status: c.status, Header: http.Header{}, Body: []byte(c.body)})
		if c.want == nil {
			if err != nil {
				t.Errorf("%d %s: %v, want nil", c.status, c.body, err)
			}
			continue
		}
		var e *errors.Error
		if !errors.Is(err, c.want) || !errors.As(err, &e) || e.Code != c.code {
			t.Errorf("%d %s: %v, want %s with code %q", c.status, c.body, err, c.want.Name(), c.code)
		}
	}
}
