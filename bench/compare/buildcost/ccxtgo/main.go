// Command ccxtgo is the build-cost probe of CCXT-Go: a program using its
// Binance exchange to fetch a ticker.
package main

import (
	"fmt"
	"log"

	ccxt "github.com/ccxt/ccxt/go/v4"
)

func main() {
	ex := ccxt.NewBinance(nil)
	t, err := ex.FetchTicker("BTC/USDT")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(*t.Last)
}
