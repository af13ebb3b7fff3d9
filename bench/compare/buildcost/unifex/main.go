// Command unifex is the build-cost probe of unifex: a program using one
// adapter (Binance spot) to fetch a ticker.
package main

import (
	"context"
	"fmt"
	"log"

	"github.com/unifex-go/unifex/adapters/binance"
	"github.com/unifex-go/unifex/exchange"
)

func main() {
	ex, err := binance.New(binance.IDSpot, exchange.Config{})
	if err != nil {
		log.Fatal(err)
	}
	defer ex.Close()
	t, err := ex.FetchTicker(context.Background(), "BTC/USDT")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(t.Last)
}
