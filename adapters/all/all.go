// Package all registers every adapter with package exchange, for programs
// that choose the venue at run time:
//
//	import _ "github.com/unifex-go/unifex/adapters/all"
//
//	ex, err := exchange.New(id, cfg)
package all

//go:generate go run ../../cmd/codegen -readme ../../README.md

import (
	// The adapters register themselves in their init functions.
	_ "github.com/unifex-go/unifex/adapters/binance"
	_ "github.com/unifex-go/unifex/adapters/bybit"
	_ "github.com/unifex-go/unifex/adapters/okx"
	_ "github.com/unifex-go/unifex/adapters/sim"
)
