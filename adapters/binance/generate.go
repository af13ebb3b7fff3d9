// Package binance is the adapter of Binance: spot ("binance"), USDⓈ-M
// futures ("binanceusdm") and COIN-M futures ("binancecoinm"), one Go
// package for the three ids, which share the REST signing, the error codes
// and the stream protocol and differ in their rules (the product table).
//
// Market data comes over REST (api.binance.com /api/v3, fapi.binance.com
// /fapi/v1, dapi.binance.com /dapi/v1) and over combined-stream WebSocket
// connections with live SUBSCRIBE/UNSUBSCRIBE; order books are synchronised
// from a REST snapshot and the diff-depth stream by the update-id rules of
// each product. Config.URLs may override "rest", "stream" and "wsapi";
// Config.Sandbox selects the testnet.
//
// Every REST endpoint of api.json is also reachable as a method of Raw
// (api_gen.go, written by cmd/codegen), for what the unified methods do not
// cover.
package binance

//go:generate go run -tags codegen_noadapters ../../cmd/codegen -api api.json -out api_gen.go
