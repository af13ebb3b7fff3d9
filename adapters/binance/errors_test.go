package binance

import (
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/unifex-go/unifex/errors"
	"github.com/unifex-go/unifex/internal/rest"
)

// errNoProduct is the product of a path that names none.
const errNoProduct = ""

// errPathOf is a REST path of the product.
var errPathOf = map[string]string{
	errSpot:      "/api/v3/order",
	errUSDM:      "/fapi/v1/order",
	errCOINM:     "/dapi/v1/order",
	errNoProduct: "/futures/data/openInterestHist",
}

// errReply is a REST reply of the product with a Binance error body.
func errReply(product string, status int, body string) *rest.Response {
	return &rest.Response{Endpoint: rest.Endpoint{Path: errPathOf[product]}, Status: status, Header: http.Header{}, Body: []byte(body)}
}

// errBody is Binance's error body.
func errBody(code int64, msg string) string {
	return `{"code":` + strconv.FormatInt(code, 10) + `,"msg":` + strconv.Quote(msg) + `}`
}

// errCodeRows are the kind of every code of every table, per product, under
// HTTP 400 with a message that names no engine reason. A code that one
// product table redefines shows the product's meaning there.
var errCodeRows = []struct {
	product string
	code    int64
	want    *errors.Kind
}{
	{errSpot, -1004, errors.ExchangeNotAvailable},
	{errSpot, -1033, errors.AuthenticationError},
	{errSpot, -1034, errors.RateLimitExceeded},
	{errSpot, -1035, errors.ExchangeNotAvailable},
	{errSpot, -1134, errors.InvalidOrder},
	{errSpot, -1145, errors.InvalidOrder},
	{errSpot, -1151, errors.BadSymbol},
	{errSpot, -1155, errors.NotSupported},
	{errSpot, -1158, errors.InvalidOrder},
	{errSpot, -1160, errors.InvalidOrder},
	{errSpot, -1161, errors.NotSupported},
	{errSpot, -1165, errors.InvalidOrder},
	{errSpot, -1166, errors.InvalidOrder},
	{errSpot, -1168, errors.InvalidOrder},
	{errSpot, -1181, errors.RateLimitExceeded},
	{errSpot, -1191, errors.RateLimitExceeded},
	{errSpot, -1196, errors.InvalidOrder},
	{errSpot, -1197, errors.InvalidOrder},
	{errSpot, -1198, errors.InvalidOrder},
	{errSpot, -1199, errors.InvalidOrder},
	{errSpot, -1210, errors.InvalidOrder},
	{errSpot, -1211, errors.InvalidOrder},
	{errSpot, -1220, errors.BadSymbol},
	{errSpot, -1222, errors.InvalidOrder},
	{errSpot, -1223, errors.InvalidOrder},
	{errSpot, -1224, errors.InvalidOrder},
	{errSpot, -1225, errors.InvalidOrder},
	{errSpot, -2021, errors.ExchangeError},
	{errSpot, -2022, errors.ExchangeError},
	{errSpot, -2026, errors.OrderNotFound},
	{errSpot, -2035, errors.NoChange},
	{errSpot, -2036, errors.BadRequest},
	{errSpot, -2038, errors.InvalidOrder},
	{errSpot, -2039, errors.BadRequest},
	{errSpot, -2042, errors.OperationRejected},
	{errSpot, -2043, errors.BadRequest},
	{errSpot, -4005, errors.RateLimitExceeded}, // the wallet
	{errSpot, -4007, errors.BadRequest},        // the wallet
	{errSpot, -4008, errors.BadRequest},        // the wallet
	{errSpot, -4015, errors.PermissionDenied},  // the wallet
	{errSpot, -4016, errors.PermissionDenied},  // the wallet
	{errSpot, -4017, errors.PermissionDenied},  // the wallet
	{errSpot, -4018, errors.BadRequest},        // the wallet
	{errSpot, -4019, errors.BadRequest},        // the wallet
	{errSpot, -4021, errors.BadRequest},        // the wallet
	{errSpot, -4022, errors.BadRequest},        // the wallet
	{errSpot, -4023, errors.OperationRejected}, // the wallet
	{errSpot, -4024, errors.InsufficientFunds}, // the wallet
	{errSpot, -4025, errors.InsufficientFunds}, // the wallet
	{errSpot, -4026, errors.InsufficientFunds}, // the wallet
	{errSpot, -4028, errors.BadRequest},        // the wallet
	{errSpot, -4029, errors.BadRequest},        // the wallet
	{errSpot, -4033, errors.BadRequest},        // the wallet
	{errSpot, -4035, errors.PermissionDenied},  // the wallet
	{errSpot, -4047, errors.BadRequest},        // the wallet
	{errUSDM, -1099, errors.AuthenticationError},
	{errUSDM, -4063, errors.BadRequest},
	{errUSDM, -4064, errors.BadRequest},
	{errUSDM, -4065, errors.BadRequest},
	{errUSDM, -4066, errors.BadRequest},
	{errUSDM, -4069, errors.BadRequest},
	{errUSDM, -4070, errors.BadRequest},
	{errUSDM, -4071, errors.BadRequest},
	{errUSDM, -4072, errors.BadRequest},
	{errUSDM, -4073, errors.BadRequest},
	{errUSDM, -4074, errors.BadRequest},
	{errUSDM, -4075, errors.BadRequest},
	{errUSDM, -4076, errors.BadRequest},
	{errUSDM, -4077, errors.BadRequest},
	{errUSDM, -4078, errors.ExchangeError},
	{errUSDM, -4079, errors.BadRequest},
	{errUSDM, -4080, errors.BadRequest},
	{errUSDM, -4081, errors.BadRequest},
	{errUSDM, -4085, errors.BadRequest},
	{errUSDM, -4087, errors.OperationRejected},
	{errUSDM, -4088, errors.OperationRejected},
	{errUSDM, -4109, errors.AccountNotEnabled},
	{errUSDM, -4114, errors.BadRequest},
	{errUSDM, -4115, errors.BadRequest},
	{errUSDM, -4116, errors.DuplicateOrderId},
	{errUSDM, -4131, errors.OrderNotFillable},
	{errUSDM, -4140, errors.ContractUnavailable},
	{errUSDM, -4141, errors.ContractUnavailable},
	{errUSDM, -4144, errors.BadSymbol},
	{errUSDM, -4161, errors.OperationRejected},
	{errUSDM, -4165, errors.BadRequest},
	{errUSDM, -4167, errors.OperationRejected},
	{errUSDM, -4168, errors.OperationRejected},
	{errUSDM, -4169, errors.InsufficientFunds},
	{errUSDM, -4170, errors.OperationRejected},
	{errUSDM, -4171, errors.NoChange},
	{errUSDM, -4172, errors.OperationRejected},
	{errUSDM, -4202, errors.ManualInteractionNeeded},
	{errUSDM, -4203, errors.OperationRejected},
	{errUSDM, -4205, errors.OperationRejected},
	{errUSDM, -4206, errors.RestrictedLocation},
	{errUSDM, -4208, errors.BadRequest},
	{errUSDM, -4209, errors.BadRequest},
	{errUSDM, -4400, errors.OperationRejected},
	{errUSDM, -4401, errors.OperationRejected},
	{errUSDM, -4402, errors.RestrictedLocation},
	{errUSDM, -4403, errors.RestrictedLocation},
	{errUSDM, -5021, errors.OrderNotFillable},
	{errUSDM, -5022, errors.OrderImmediatelyFillable},
	{errUSDM, -5024, errors.MarketClosed},
	{errUSDM, -5027, errors.NoChange},
	{errUSDM, -5028, errors.InvalidNonce},
	{errUSDM, -5041, errors.OrderNotFillable},
	{errCOINM, -4087, errors.BadSymbol},
	{errCOINM, -4088, errors.BadRequest},
	{errCOINM, -4089, errors.OperationRejected},
	{errCOINM, -4090, errors.OperationRejected},
	{errCOINM, -4110, errors.BadRequest},
	{errCOINM, -4111, errors.BadRequest},
	{errCOINM, -4113, errors.OrderNotFillable},
	{errCOINM, -4150, errors.OperationRejected},
	{errCOINM, -4188, errors.InvalidNonce},
	{errCOINM, -4189, errors.OperationRejected},
	{errCOINM, -4194, errors.ManualInteractionNeeded},
	{errCOINM, -4195, errors.OperationRejected},
	{errCOINM, -4197, errors.NoChange},
	{errCOINM, -4199, errors.MarketClosed},
	{errCOINM, -4200, errors.OperationRejected},
	{errCOINM, -4201, errors.RestrictedLocation},
	{errCOINM, -4202, errors.BadRequest},
	{errCOINM, -4220, errors.OperationRejected},
	{errUSDM, -1004, errors.BadRequest},
	{errCOINM, -1004, errors.BadRequest},
	{errUSDM, -1005, errors.BadRequest},
	{errCOINM, -1005, errors.BadRequest},
	{errUSDM, -1011, errors.PermissionDenied},
	{errCOINM, -1011, errors.PermissionDenied},
	{errUSDM, -1023, errors.BadRequest},
	{errCOINM, -1023, errors.BadRequest},
	{errUSDM, -2012, errors.ExchangeError},
	{errCOINM, -2012, errors.ExchangeError},
	{errUSDM, -2017, errors.AccountSuspended},
	{errCOINM, -2017, errors.AccountSuspended},
	{errUSDM, -2018, errors.InsufficientFunds},
	{errCOINM, -2018, errors.InsufficientFunds},
	{errUSDM, -2019, errors.InsufficientFunds},
	{errCOINM, -2019, errors.InsufficientFunds},
	{errUSDM, -2020, errors.OrderNotFillable},
	{errCOINM, -2020, errors.OrderNotFillable},
	{errUSDM, -2021, errors.OrderImmediatelyFillable},
	{errCOINM, -2021, errors.OrderImmediatelyFillable},
	{errUSDM, -2022, errors.InvalidOrder},
	{errCOINM, -2022, errors.InvalidOrder},
	{errUSDM, -2023, errors.OperationRejected},
	{errCOINM, -2023, errors.OperationRejected},
	{errUSDM, -2024, errors.InsufficientFunds},
	{errCOINM, -2024, errors.InsufficientFunds},
	{errUSDM, -2025, errors.InvalidOrder},
	{errCOINM, -2025, errors.InvalidOrder},
	{errUSDM, -2026, errors.InvalidOrder},
	{errCOINM, -2026, errors.InvalidOrder},
	{errUSDM, -2027, errors.InvalidOrder},
	{errCOINM, -2027, errors.InvalidOrder},
	{errUSDM, -2028, errors.InsufficientFunds},
	{errCOINM, -2028, errors.InsufficientFunds},
	{errUSDM, -4015, errors.InvalidOrder},
	{errCOINM, -4015, errors.InvalidOrder},
	{errUSDM, -4017, errors.BadRequest},
	{errCOINM, -4017, errors.BadRequest},
	{errUSDM, -4018, errors.BadRequest},
	{errCOINM, -4018, errors.BadRequest},
	{errUSDM, -4019, errors.BadRequest},
	{errCOINM, -4019, errors.BadRequest},
	{errUSDM, -4021, errors.BadRequest},
	{errCOINM, -4021, errors.BadRequest},
	{errUSDM, -4022, errors.BadRequest},
	{errCOINM, -4022, errors.BadRequest},
	{errUSDM, -4025, errors.BadRequest},
	{errCOINM, -4025, errors.BadRequest},
	{errUSDM, -4026, errors.BadRequest},
	{errCOINM, -4026, errors.BadRequest},
	{errUSDM, -4027, errors.BadRequest},
	{errCOINM, -4027, errors.BadRequest},
	{errUSDM, -4028, errors.BadRequest},
	{errCOINM, -4028, errors.BadRequest},
	{errUSDM, -4029, errors.BadRequest},
	{errCOINM, -4029, errors.BadRequest},
	{errUSDM, -4030, errors.BadRequest},
	{errCOINM, -4030, errors.BadRequest},
	{errUSDM, -4032, errors.BadRequest},
	{errCOINM, -4032, errors.BadRequest},
	{errUSDM, -4033, errors.BadRequest},
	{errCOINM, -4033, errors.BadRequest},
	{errUSDM, -4044, errors.BadRequest},
	{errCOINM, -4044, errors.BadRequest},
	{errUSDM, -4046, errors.MarginModeAlreadySet},
	{errCOINM, -4046, errors.MarginModeAlreadySet},
	{errUSDM, -4047, errors.OperationRejected},
	{errCOINM, -4047, errors.OperationRejected},
	{errUSDM, -4048, errors.OperationRejected},
	{errCOINM, -4048, errors.OperationRejected},
	{errUSDM, -4049, errors.BadRequest},
	{errCOINM, -4049, errors.BadRequest},
	{errUSDM, -4050, errors.InsufficientFunds},
	{errCOINM, -4050, errors.InsufficientFunds},
	{errUSDM, -4051, errors.InsufficientFunds},
	{errCOINM, -4051, errors.InsufficientFunds},
	{errUSDM, -4052, errors.NoChange},
	{errCOINM, -4052, errors.NoChange},
	{errUSDM, -4053, errors.BadRequest},
	{errCOINM, -4053, errors.BadRequest},
	{errUSDM, -4054, errors.BadRequest},
	{errCOINM, -4054, errors.BadRequest},
	{errUSDM, -4055, errors.BadRequest},
	{errCOINM, -4055, errors.BadRequest},
	{errUSDM, -4056, errors.AuthenticationError},
	{errCOINM, -4056, errors.AuthenticationError},
	{errUSDM, -4057, errors.AuthenticationError},
	{errCOINM, -4057, errors.AuthenticationError},
	{errUSDM, -4058, errors.BadRequest},
	{errCOINM, -4058, errors.BadRequest},
	{errUSDM, -4059, errors.NoChange},
	{errCOINM, -4059, errors.NoChange},
	{errUSDM, -4067, errors.OperationRejected},
	{errCOINM, -4067, errors.OperationRejected},
	{errUSDM, -4068, errors.OperationRejected},
	{errCOINM, -4068, errors.OperationRejected},
	{errUSDM, -4082, errors.BadRequest},
	{errCOINM, -4082, errors.BadRequest},
	{errUSDM, -4084, errors.NotSupported},
	{errCOINM, -4084, errors.NotSupported},
	{errUSDM, -4086, errors.BadRequest},
	{errCOINM, -4086, errors.BadRequest},
	{errUSDM, -4104, errors.BadRequest},
	{errCOINM, -4104, errors.BadRequest},
	{errUSDM, -4142, errors.OrderImmediatelyFillable},
	{errCOINM, -4142, errors.OrderImmediatelyFillable},
	{errUSDM, -4192, errors.OperationRejected},
	{errCOINM, -4192, errors.OperationRejected},
	{errSpot, -1000, errors.ExchangeNotAvailable},
	{errUSDM, -1000, errors.ExchangeNotAvailable},
	{errCOINM, -1000, errors.ExchangeNotAvailable},
	{errNoProduct, -1000, errors.ExchangeNotAvailable},
	{errSpot, -1001, errors.ExchangeNotAvailable},
	{errUSDM, -1001, errors.ExchangeNotAvailable},
	{errCOINM, -1001, errors.ExchangeNotAvailable},
	{errNoProduct, -1001, errors.ExchangeNotAvailable},
	{errSpot, -1002, errors.AuthenticationError},
	{errUSDM, -1002, errors.AuthenticationError},
	{errCOINM, -1002, errors.AuthenticationError},
	{errNoProduct, -1002, errors.AuthenticationError},
	{errSpot, -1003, errors.RateLimitExceeded},
	{errUSDM, -1003, errors.RateLimitExceeded},
	{errCOINM, -1003, errors.RateLimitExceeded},
	{errNoProduct, -1003, errors.RateLimitExceeded},
	{errSpot, -1006, errors.BadResponse},
	{errUSDM, -1006, errors.BadResponse},
	{errCOINM, -1006, errors.BadResponse},
	{errNoProduct, -1006, errors.BadResponse},
	{errSpot, -1007, errors.RequestTimeout},
	{errUSDM, -1007, errors.RequestTimeout},
	{errCOINM, -1007, errors.RequestTimeout},
	{errNoProduct, -1007, errors.RequestTimeout},
	{errSpot, -1008, errors.ExchangeNotAvailable},
	{errUSDM, -1008, errors.ExchangeNotAvailable},
	{errCOINM, -1008, errors.ExchangeNotAvailable},
	{errNoProduct, -1008, errors.ExchangeNotAvailable},
	{errSpot, -1010, errors.ExchangeError},
	{errUSDM, -1010, errors.ExchangeError},
	{errCOINM, -1010, errors.ExchangeError},
	{errNoProduct, -1010, errors.ExchangeError},
	{errSpot, -1013, errors.InvalidOrder},
	{errUSDM, -1013, errors.InvalidOrder},
	{errCOINM, -1013, errors.InvalidOrder},
	{errNoProduct, -1013, errors.InvalidOrder},
	{errSpot, -1014, errors.InvalidOrder},
	{errUSDM, -1014, errors.InvalidOrder},
	{errCOINM, -1014, errors.InvalidOrder},
	{errNoProduct, -1014, errors.InvalidOrder},
	{errSpot, -1015, errors.RateLimitExceeded},
	{errUSDM, -1015, errors.RateLimitExceeded},
	{errCOINM, -1015, errors.RateLimitExceeded},
	{errNoProduct, -1015, errors.RateLimitExceeded},
	{errSpot, -1016, errors.ExchangeNotAvailable},
	{errUSDM, -1016, errors.ExchangeNotAvailable},
	{errCOINM, -1016, errors.ExchangeNotAvailable},
	{errNoProduct, -1016, errors.ExchangeNotAvailable},
	{errSpot, -1020, errors.NotSupported},
	{errUSDM, -1020, errors.NotSupported},
	{errCOINM, -1020, errors.NotSupported},
	{errNoProduct, -1020, errors.NotSupported},
	{errSpot, -1021, errors.InvalidNonce},
	{errUSDM, -1021, errors.InvalidNonce},
	{errCOINM, -1021, errors.InvalidNonce},
	{errNoProduct, -1021, errors.InvalidNonce},
	{errSpot, -1022, errors.AuthenticationError},
	{errUSDM, -1022, errors.AuthenticationError},
	{errCOINM, -1022, errors.AuthenticationError},
	{errNoProduct, -1022, errors.AuthenticationError},
	{errSpot, -1111, errors.InvalidOrder},
	{errUSDM, -1111, errors.InvalidOrder},
	{errCOINM, -1111, errors.InvalidOrder},
	{errNoProduct, -1111, errors.InvalidOrder},
	{errSpot, -1112, errors.OrderNotFillable},
	{errUSDM, -1112, errors.OrderNotFillable},
	{errCOINM, -1112, errors.OrderNotFillable},
	{errNoProduct, -1112, errors.OrderNotFillable},
	{errSpot, -1121, errors.BadSymbol},
	{errUSDM, -1121, errors.BadSymbol},
	{errCOINM, -1121, errors.BadSymbol},
	{errNoProduct, -1121, errors.BadSymbol},
	{errSpot, -1125, errors.AuthenticationError},
	{errUSDM, -1125, errors.AuthenticationError},
	{errCOINM, -1125, errors.AuthenticationError},
	{errNoProduct, -1125, errors.AuthenticationError},
	{errSpot, -2010, errors.InvalidOrder},
	{errUSDM, -2010, errors.InvalidOrder},
	{errCOINM, -2010, errors.InvalidOrder},
	{errNoProduct, -2010, errors.InvalidOrder},
	{errSpot, -2011, errors.OrderNotFound},
	{errUSDM, -2011, errors.OrderNotFound},
	{errCOINM, -2011, errors.OrderNotFound},
	{errNoProduct, -2011, errors.OrderNotFound},
	{errSpot, -2013, errors.OrderNotFound},
	{errUSDM, -2013, errors.OrderNotFound},
	{errCOINM, -2013, errors.OrderNotFound},
	{errNoProduct, -2013, errors.OrderNotFound},
	{errSpot, -2014, errors.AuthenticationError},
	{errUSDM, -2014, errors.AuthenticationError},
	{errCOINM, -2014, errors.AuthenticationError},
	{errNoProduct, -2014, errors.AuthenticationError},
	{errSpot, -2015, errors.AuthenticationError},
	{errUSDM, -2015, errors.AuthenticationError},
	{errCOINM, -2015, errors.AuthenticationError},
	{errNoProduct, -2015, errors.AuthenticationError},
	{errSpot, -2016, errors.BadRequest},
	{errUSDM, -2016, errors.BadRequest},
	{errCOINM, -2016, errors.BadRequest},
	{errNoProduct, -2016, errors.BadRequest},
}

func TestCheckErrorEveryCode(t *testing.T) {
	covered := map[string]map[int64]bool{}
	for _, r := range errCodeRows {
		err := checkError(errReply(r.product, 400, errBody(r.code, "rejected")))
		var e *errors.Error
		if !errors.As(err, &e) || e.Kind != r.want {
			t.Errorf("%q %d: %v, want %s", r.product, r.code, err, r.want.Name())
			continue
		}
		if e.Exchange != r.product || e.Code != strconv.FormatInt(r.code, 10) || e.Message != "rejected" || e.HTTPStatus != 400 {
			t.Errorf("%q %d: fields %+v", r.product, r.code, *e)
		}
		if covered[r.product] == nil {
			covered[r.product] = map[int64]bool{}
		}
		covered[r.product][r.code] = true
	}
	// Every code of every table has a row, so that a new entry is tested.
	for name, c := range map[string]struct {
		table    map[int64]*errors.Kind
		products []string
	}{
		"shared":  {sharedCodeKinds, []string{errSpot, errUSDM, errCOINM, errNoProduct}},
		"spot":    {spotCodeKinds, []string{errSpot}},
		"futures": {futuresCodeKinds, []string{errUSDM, errCOINM}},
		"usdm":    {usdmCodeKinds, []string{errUSDM}},
		"coinm":   {coinmCodeKinds, []string{errCOINM}},
	} {
		for code := range c.table {
			for _, p := range c.products {
				if !covered[p][code] {
					t.Errorf("%s table: code %d has no row for %q", name, code, p)
				}
			}
		}
	}
}

// TestCheckErrorRules covers the status rules, the ranges, the codes
// products number differently, and the replies that are left to the
// transport's status table (nil).
func TestCheckErrorRules(t *testing.T) {
	for _, c := range []struct {
		name    string
		product string
		status  int
		body    string
		want    *errors.Kind // nil: no venue error here
	}{
		// Status first.
		{"429 rate limit", errSpot, 429, errBody(-1003, "Too much request weight used; current limit is 6000 request weight per 1 MINUTE."), errors.RateLimitExceeded},
		{"429 without body", errSpot, 429, ``, nil},
		{"418 ban", errSpot, 418, errBody(-1003, "Way too much request weight used; IP banned until 1659146400000."), errors.DDoSProtection},
		{"418 with another code", errUSDM, 418, errBody(-2010, "rejected"), errors.DDoSProtection},
		{"403 WAF page", errSpot, 403, `<html><body>403 Forbidden</body></html>`, errors.DDoSProtection},
		{"403 WAF empty", errUSDM, 403, ``, errors.DDoSProtection},
		{"403 with a code", errSpot, 403, errBody(-2015, "Invalid API-key, IP, or permissions for action."), errors.DDoSProtection},
		{"500 internal", errSpot, 500, errBody(-1001, "Internal error; unable to process your request. Please try again."), errors.ExchangeNotAvailable},
		{"502 HTML", errSpot, 502, `<html>Bad Gateway</html>`, errors.ExchangeNotAvailable},
		{"503 unknown status", errUSDM, 503, errBody(-1000, "Unknown error, please check your request or try again later."), errors.ExchangeNotAvailable},
		{"503 timeout code", errUSDM, 503, errBody(-1007, "Timeout waiting for response from backend server. Send status unknown; execution status unknown."), errors.RequestTimeout},
		{"408 timeout code", errUSDM, 408, errBody(-1007, "Timeout waiting for response from backend server."), errors.RequestTimeout},
		{"503 maintenance", errSpot, 503, errBody(1, "System is under maintenance."), errors.OnMaintenance},
		{"maintenance code under 400", errSpot, 400, errBody(1, "System is under maintenance."), errors.OnMaintenance},
		{"5xx maintenance without code", errSpot, 503, `{"code":"","msg":"maintenance"}`, errors.ExchangeNotAvailable},
		{"code 1 of a stream control frame", errSpot, 400, errBody(1, "Invalid value type: expected Boolean"), errors.BadRequest},
		{"-1003 ban under 400", errSpot, 400, errBody(-1003, "Way too much request weight used; IP banned until 1659146400000."), errors.DDoSProtection},
		// Successes.
		{"200 data", errSpot, 200, `{"symbol":"BTCUSDT","price":"1.0"}`, nil},
		{"200 futures success code", errUSDM, 200, `{"code":200,"msg":"success"}`, nil},
		{"200 negative code", errUSDM, 200, errBody(-2011, "Unknown order sent."), errors.OrderNotFound},
		{"200 array", errUSDM, 200, `[{"code":-2022,"msg":"ReduceOnly Order is rejected."}]`, nil},
		// Left to the status table.
		{"404 HTML", errSpot, 404, `<html>Not Found</html>`, nil},
		{"400 non-JSON", errSpot, 400, `Bad Request`, nil},
		{"400 other JSON", errSpot, 400, `{"error":"bad"}`, nil},
		{"400 non-integer code", errSpot, 400, `{"code":1.5,"msg":"?"}`, errors.ExchangeError},
		// Ranges and defaults.
		{"unlisted -11xx", errSpot, 400, errBody(-1177, "CheckSum(10) contains an incorrect value."), errors.BadRequest},
		{"unlisted -12xx", errSpot, 400, errBody(-1299, "?"), errors.BadRequest},
		{"unlisted USD-M -4xxx", errUSDM, 400, errBody(-4164, "Order's notional must be no smaller than 5.0 (unless you choose reduce only)"), errors.InvalidOrder},
		{"-4120 algo order", errCOINM, 400, errBody(-4120, "Order type not supported for this endpoint. Please use the Algo Order API endpoints instead."), errors.InvalidOrder},
		{"unlisted COIN-M -4xxx", errCOINM, 400, errBody(-4178, "Order's notional must be no smaller than one (unless you choose reduce only)"), errors.InvalidOrder},
		{"unlisted USD-M -5xxx", errUSDM, 400, errBody(-5043, "A pending modification already exists for this order."), errors.InvalidOrder},
		{"-4xxx on spot", errSpot, 400, errBody(-4164, "?"), errors.ExchangeError},
		{"-4xxx of no product", errNoProduct, 400, errBody(-4164, "?"), errors.ExchangeError},
		{"unknown code", errUSDM, 400, errBody(-9999, "?"), errors.ExchangeError},
		// One number, several meanings.
		{"-2021 spot cancel-replace", errSpot, 409, errBody(-2021, "Order cancel-replace partially failed."), errors.ExchangeError},
		{"-2021 futures trigger", errUSDM, 400, errBody(-2021, "Order would immediately trigger."), errors.OrderImmediatelyFillable},
		{"-2026 spot archived", errSpot, 400, errBody(-2026, "Order was canceled or expired with no executed qty over 90 days ago and has been archived."), errors.OrderNotFound},
		{"-2026 futures reduce-only type", errCOINM, 400, errBody(-2026, "This OrderType is not supported when reduceOnly."), errors.InvalidOrder},
		{"-4087 USD-M permission", errUSDM, 400, errBody(-4087, "User can only place reduce only order"), errors.OperationRejected},
		{"-4087 COIN-M pair", errCOINM, 400, errBody(-4087, "Invalid pair."), errors.BadSymbol},
		{"-1004 spot busy", errSpot, 400, errBody(-1004, "Server is busy, please wait and try again"), errors.ExchangeNotAvailable},
		{"-1004 futures whitelist", errUSDM, 400, errBody(-1004, "This IP is already on the white list"), errors.BadRequest},
		{"-2021 of no product", errNoProduct, 400, errBody(-2021, "?"), errors.ExchangeError},
	} {
		err := checkError(errReply(c.product, c.status, c.body))
		if c.want == nil {
			if err != nil {
				t.Errorf("%s: %v, want nil", c.name, err)
			}
			continue
		}
		var e *errors.Error
		if !errors.As(err, &e) || e.Kind != c.want || e.HTTPStatus != c.status || e.Exchange != c.product {
			t.Errorf("%s: %v, want %s", c.name, err, c.want.Name())
			continue
		}
		if strings.HasPrefix(c.body, "<") && strings.Contains(e.Error(), c.body) {
			t.Errorf("%s: the message quotes the page: %v", c.name, err)
		}
	}
}

// TestMessageRules maps every documented engine message of the engine
// codes, and shows that other codes ignore the message.
func TestMessageRules(t *testing.T) {
	for _, c := range []struct {
		code int64
		msg  string
		want *errors.Kind
	}{
		{-2011, "Unknown order sent.", errors.OrderNotFound},
		{-2010, "Duplicate order sent.", errors.DuplicateOrderId},
		{-1013, "Market is closed.", errors.MarketClosed},
		{-2010, "Market is closed.", errors.MarketClosed},
		{-2010, "Account has insufficient balance for requested action.", errors.InsufficientFunds},
		{-2010, "Order would immediately match and take.", errors.OrderImmediatelyFillable},
		{-2010, "Order would trigger immediately.", errors.OrderImmediatelyFillable},
		{-2011, "This action is disabled on this account.", errors.AccountSuspended},
		{-2010, "This account may not place or cancel orders.", errors.AccountSuspended},
		{-2010, "This symbol is not permitted for this account.", errors.PermissionDenied},
		{-2010, "This symbol is restricted for this account.", errors.PermissionDenied},
		{-2010, "Rest API trading is not enabled.", errors.PermissionDenied},
		{-2010, "WebSocket API trading is not enabled.", errors.PermissionDenied},
		{-2010, "Order book liquidity is less than LOT_SIZE filter minimum quantity.", errors.OrderNotFillable},
		{-2010, "Order book liquidity is too low for this pegged order.", errors.OrderNotFillable},
		{-2038, "The requested action would change no state; rejecting", errors.NoChange},
		{-2038, "Order amend (quantity increase) is not supported.", errors.InvalidOrder},
		{-1013, "Filter failure: LOT_SIZE", errors.InvalidOrder},
		{-2010, "Filter failure: MAX_POSITION", errors.InvalidOrder},
		{-2011, "Order was not canceled due to cancel restrictions.", errors.InvalidOrder},
		{-1010, "Account has insufficient balance for requested action.", errors.InsufficientFunds},
		{-1010, "ERROR_MSG_RECEIVED", errors.ExchangeError},
		{-2010, "NEW_ORDER_REJECTED", errors.InvalidOrder},
		{-2011, "CANCEL_REJECTED", errors.OrderNotFound},
		// Not an engine code: the message does not matter.
		{-1121, "Account has insufficient balance for requested action.", errors.BadSymbol},
		{-2013, "Market is closed.", errors.OrderNotFound},
	} {
		for _, product := range []string{errSpot, errUSDM} {
			if c.code == -2038 && product != errSpot {
				continue // ORDER_AMEND_REJECTED is a spot code
			}
			err := checkError(errReply(product, 400, errBody(c.code, c.msg)))
			if !errors.Is(err, c.want) || errors.KindOf(err) != c.want {
				t.Errorf("%s %d %q: %v, want %s", product, c.code, c.msg, err, c.want.Name())
			}
		}
	}
}

func TestBinanceErrorOfBatchItems(t *testing.T) {
	e := binanceError(errUSDM, 200, -2022, "ReduceOnly Order is rejected.")
	if e.Kind != errors.InvalidOrder || e.Code != "-2022" || e.Exchange != errUSDM || e.HTTPStatus != 200 || e.Message != "ReduceOnly Order is rejected." {
		t.Fatalf("%+v", *e)
	}
	if e := binanceError(errSpot, 200, -2022, "Order cancel-replace failed."); e.Kind != errors.ExchangeError {
		t.Fatalf("spot -2022: %v", e)
	}
}

func TestWSAPIError(t *testing.T) {
	now := time.UnixMilli(1659142900000)
	e := wsAPIError(errSpot, 400, []byte(`{"code":-2010,"msg":"Account has insufficient balance for requested action."}`), now)
	if e.Kind != errors.InsufficientFunds || e.Code != "-2010" || e.HTTPStatus != 400 || e.Exchange != errSpot || e.RetryAfter != 0 {
		t.Fatalf("%+v", *e)
	}
	// The documented ban: retryAfter is measured from the errReply's serverTime.
	ban := []byte(`{"code":-1003,"msg":"Way too much request weight used; IP banned until 1659146400000. Please use WebSocket Streams for live updates to avoid bans.","data":{"serverTime":1659142907531,"retryAfter":1659146400000}}`)
	e = wsAPIError(errSpot, 418, ban, now)
	if e.Kind != errors.DDoSProtection || e.RetryAfter != (1659146400000-1659142907531)*time.Millisecond {
		t.Fatalf("ban: %v (retry after %v)", e, e.RetryAfter)
	}
	// Without serverTime the local clock is the reference.
	e = wsAPIError(errUSDM, 429, []byte(`{"code":-1003,"msg":"Too many requests","data":{"retryAfter":1659142960000}}`), now)
	if e.Kind != errors.RateLimitExceeded || e.RetryAfter != time.Minute {
		t.Fatalf("429: %v (retry after %v)", e, e.RetryAfter)
	}
	// A past or absurd retryAfter.
	if e := wsAPIError(errSpot, 429, []byte(`{"code":-1003,"msg":"x","data":{"retryAfter":1}}`), now); e.RetryAfter != 0 {
		t.Fatalf("past retryAfter: %v", e.RetryAfter)
	}
	if e := wsAPIError(errSpot, 418, []byte(`{"code":-1003,"msg":"x","data":{"retryAfter":9223372036854775807}}`), now); e.RetryAfter != maxBan {
		t.Fatalf("far retryAfter: %v", e.RetryAfter)
	}
	// Session revoked, futures codes, malformed objects.
	if e := wsAPIError(errSpot, 401, []byte(`{"code":-2015,"msg":"Invalid API-key, IP, or permissions for action."}`), now); e.Kind != errors.AuthenticationError {
		t.Fatalf("401: %v", e)
	}
	if e := wsAPIError(errCOINM, 400, []byte(`{"code":-4188,"msg":"Timestamp for this request is outside of the ME recvWindow."}`), now); e.Kind != errors.InvalidNonce {
		t.Fatalf("COIN-M -4188: %v", e)
	}
	for _, bad := range []string{``, `null`, `"x"`, `{"msg":"no code"}`, `{"code":{}}`, `{`} {
		if e := wsAPIError(errSpot, 400, []byte(bad), now); e.Kind != errors.BadResponse || e.HTTPStatus != 400 {
			t.Fatalf("%q: %v", bad, e)
		}
	}
}

// TestCancelReplaceRefusals: a spot cancel-replace refusal takes the kind
// of the part that failed, over REST and the WebSocket API alike, and says
// what became of the order; a futures -2021/-2022 keeps its own meaning.
func TestCancelReplaceRefusals(t *testing.T) {
	canceled := `{"symbol":"BTCUSDT","orderId":1,"status":"CANCELED"}`
	placed := `{"symbol":"BTCUSDT","orderId":2,"status":"NEW"}`
	unknown := `{"code":-2011,"msg":"Unknown order sent."}`
	wouldTake := `{"code":-2010,"msg":"Order would immediately match and take."}`
	data := func(cancel, order, cancelResp, orderResp string) string {
		return `"data":{"cancelResult":"` + cancel + `","newOrderResult":"` + order + `","cancelResponse":` + cancelResp + `,"newOrderResponse":` + orderResp + `}`
	}
	for _, tc := range []struct {
		name, body string
		status     int
		want       *errors.Kind
		outcome    string
	}{
		{"the cancel failed", `{"code":-2022,"msg":"Order cancel-replace failed.",` + data("FAILURE", "NOT_ATTEMPTED", unknown, "null") + `}`, 400,
			errors.OrderNotFound, "the cancel was refused, so no new order was placed: Unknown order sent. (-2011)"},
		{"the new order failed", `{"code":-2021,"msg":"Order cancel-replace partially failed.",` + data("SUCCESS", "FAILURE", canceled, wouldTake) + `}`, 409,
			errors.OrderImmediatelyFillable, "the order was canceled, but the new order was refused: Order would immediately match and take. (-2010)"},
		{"both failed", `{"code":-2022,"msg":"Order cancel-replace failed.",` + data("FAILURE", "FAILURE", unknown, wouldTake) + `}`, 400,
			errors.OrderNotFound, "the cancel and the new order were refused: Unknown order sent. (-2011)"},
		{"the cancel failed, the order was placed", `{"code":-2021,"msg":"Order cancel-replace partially failed.",` + data("FAILURE", "SUCCESS", unknown, placed) + `}`, 409,
			errors.OrderNotFound, "the cancel was refused, but the new order was placed"},
		{"no data", `{"code":-2022,"msg":"Order cancel-replace failed."}`, 400, errors.ExchangeError, ""},
		{"a part without a code", `{"code":-2022,"msg":"Order cancel-replace failed.",` + data("FAILURE", "NOT_ATTEMPTED", `{"msg":"?"}`, "null") + `}`, 400,
			errors.ExchangeError, ""},
		{"results that name no failure", `{"code":-2021,"msg":"x",` + data("SUCCESS", "SUCCESS", canceled, placed) + `}`, 409, errors.ExchangeError, ""},
		{"data of another shape", `{"code":-2022,"msg":"Order cancel-replace failed.","data":{"cancelResult":"FAILURE","cancelResponse":[1]}}`, 400,
			errors.ExchangeError, ""},
	} {
		for _, e := range []*errors.Error{
			checkError(errReply(errSpot, tc.status, tc.body)).(*errors.Error),
			wsAPIError(errSpot, tc.status, []byte(tc.body), time.Now()),
		} {
			if e.Kind != tc.want || e.HTTPStatus != tc.status || !strings.Contains(e.Message, tc.outcome) || !strings.HasPrefix(e.Message, "Order cancel-replace") && tc.outcome != "" {
				t.Errorf("%s: %v (kind %s), want %s with %q", tc.name, e, e.Kind.Name(), tc.want.Name(), tc.outcome)
			}
		}
	}
	// On the futures -2022 is REDUCE_ONLY_REJECT, whatever the data.
	body := `{"code":-2022,"msg":"ReduceOnly Order is rejected.",` + data("FAILURE", "NOT_ATTEMPTED", unknown, "null") + `}`
	if e := wsAPIError(errUSDM, 400, []byte(body), time.Now()); e.Kind != errors.InvalidOrder || e.Message != "ReduceOnly Order is rejected." {
		t.Errorf("USD-M -2022: %v", e)
	}
}

// TestCheckErrorThroughTransport wires checkError into the REST client:
// the venue's code and the Retry-After header both reach the error.
func TestCheckErrorThroughTransport(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "120")
		w.WriteHeader(418)
		_, _ = w.Write([]byte(errBody(-1003, "Way too much request weight used; IP banned until 1659146400000.")))
	}))
	defer srv.Close()
	c, err := rest.New(rest.Config{Exchange: errSpot, BaseURLs: map[string]string{"spot": srv.URL}, CheckError: checkError,
		Retry: rest.RetryPolicy{MaxAttempts: 1}})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	_, err = c.Do(t.Context(), rest.Endpoint{API: "spot", Path: "/api/v3/depth"}, rest.Params{})
	var e *errors.Error
	if !errors.As(err, &e) || e.Kind != errors.DDoSProtection || e.Code != "-1003" || e.RetryAfter != 120*time.Second || e.Exchange != errSpot {
		t.Fatalf("%v", err)
	}
}

// FuzzCheckError: arbitrary statuses, paths and bodies never panic and
// give nil or a complete *errors.Error; the WebSocket API mapping of the
// same body always gives an *errors.Error.
func FuzzCheckError(f *testing.F) {
	f.Add(400, uint8(0), []byte(errBody(-1121, "Invalid symbol.")))
	f.Add(418, uint8(1), []byte(`{"code":-1003,"msg":"banned","data":{"serverTime":1,"retryAfter":9223372036854775807}}`))
	f.Add(200, uint8(2), []byte(`{"code":-2022,"msg":"x"}`))
	f.Add(503, uint8(3), []byte(`<html>`))
	f.Add(403, uint8(0), []byte{})
	f.Add(-1, uint8(9), []byte(`{"code":1e400,"msg":7}`))
	f.Add(400, uint8(1), []byte(`{"code":"-4087","msg":"Invalid pair."}`))
	f.Add(409, uint8(0), []byte(`{"code":-2021,"msg":"x","data":{"cancelResult":"SUCCESS","newOrderResult":"FAILURE","cancelResponse":{},"newOrderResponse":{"code":-2010,"msg":"y"}}}`))
	f.Add(400, uint8(0), []byte(`{"code":-2022,"msg":"x","data":{"cancelResult":"FAILURE","cancelResponse":{"code":"a"},"newOrderResponse":[]}}`))
	products := []string{errSpot, errUSDM, errCOINM, errNoProduct}
	now := time.UnixMilli(1700000000000)
	f.Fuzz(func(t *testing.T, status int, product uint8, body []byte) {
		p := products[int(product)%len(products)]
		err := checkError(errReply(p, status, string(body)))
		if err != nil {
			e, ok := err.(*errors.Error)
			if !ok || e.Kind == nil || e.HTTPStatus != status || e.Exchange != p {
				t.Fatalf("incomplete error %#v", err)
			}
		}
		e := wsAPIError(p, status, body, now)
		if e == nil || e.Kind == nil || e.HTTPStatus != status || e.RetryAfter < 0 || e.RetryAfter > maxBan {
			t.Fatalf("WebSocket API error %#v", e)
		}
	})
}
