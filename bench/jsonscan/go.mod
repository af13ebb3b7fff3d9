module github.com/unifex-go/unifex/bench/jsonscan

go 1.24.0

require github.com/unifex-go/unifex v0.0.0-00010101000000-000000000000

require (
	github.com/shopspring/decimal v1.6.0 // indirect
	github.com/valyala/fastjson v1.6.10
)

replace github.com/unifex-go/unifex => ../..
