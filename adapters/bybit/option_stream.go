package bybit

import (
	"encoding/json"
	"slices"

	"github.com/unifex-go/unifex/errors"
	"github.com/unifex-go/unifex/internal/engine"
	"github.com/unifex-go/unifex/internal/jsonscan"
	"github.com/unifex-go/unifex/internal/stream"
	"github.com/unifex-go/unifex/internal/watch"
	"github.com/unifex-go/unifex/unified"
)

// The option public stream (wss://stream.bybit.com/v5/public/option) differs
// from the others in three ways the docs show: a subscribe or unsubscribe
// is answered by {"success","conn_id","data":{"failTopics","successTopics"},
// "type":"COMMAND_RESP"}, with neither req_id nor op, so a reply is matched
// by the topics it names; publicTrade is per base coin (publicTrade.BTC)
// and each trade names its option in "s"; tickers are snapshots with
// bidPrice, askPrice... instead of bid1Price (tickerFields.normalize). The
// pong is {"args":["<ms>"],"op":"pong"}, which answerPong takes.

// controlReply is a subscribe or unsubscribe reply of any public stream.
type controlReply struct {
	Success bool   `json:"success"`
	RetMsg  string `json:"ret_msg"`
	Type    string `json:"type"`
	Data    struct {
		FailTopics    []string `json:"failTopics"`
		SuccessTopics []string `json:"successTopics"`
	} `json:"data"`
}

// parseControlReply reads a control reply; one without "success" is
// malformed (a BadResponse).
func parseControlReply(b []byte) (controlReply, error) {
	var raw struct {
		Success *bool `json:"success"`
	}
	var r controlReply
	if err := json.Unmarshal(b, &raw); err != nil {
		return r, errors.Wrap(errors.BadResponse, err, "a malformed reply")
	}
	if raw.Success == nil {
		return r, errors.Newf(errors.BadResponse, "a reply without success")
	}
	if err := json.Unmarshal(b, &r); err != nil {
		return r, errors.Wrap(errors.BadResponse, err, "a malformed reply")
	}
	return r, nil
}

// commandReplyOf recognises the option stream's COMMAND_RESP that names
// topic among its successful or failed topics.
func commandReplyOf(topic string) func(stream.Message) bool {
	return func(m stream.Message) bool {
		if m.Type == stream.Control {
			return false
		}
		var s jsonscan.Scanner
		s.Reset(m.Data)
		command, named := false, false
		for obj := s.Object(); s.More(obj); {
			switch string(s.Key()) {
			case "topic":
				return false
			case "type":
				command = string(s.Str()) == "COMMAND_RESP"
			case "data":
				var r controlReply
				if json.Unmarshal(s.Raw(), &r.Data) == nil {
					named = slices.Contains(r.Data.SuccessTopics, topic) || slices.Contains(r.Data.FailTopics, topic)
				}
			}
		}
		return s.Err() == nil && command && named
	}
}

// handleOptionTrades publishes a publicTrade.{baseCoin} message of the
// option stream: each trade to the topic of the option it names. A trade
// of an option not loaded (listed since) is skipped.
func (x *Exchange) handleOptionTrades(e *envelopeFields, d *engine.Dispatch) error {
	var list []streamTrade
	if err := json.Unmarshal(e.data, &list); err != nil {
		return errors.Wrap(errors.BadResponse, err, "bybit: malformed option publicTrade "+string(e.topic))
	}
	var (
		out  []unified.Trade
		last *unified.Market
	)
	flush := func() {
		if last != nil && len(out) > 0 {
			d.Trades(last.Symbol, out...)
		}
		out = nil
	}
	for i := range list {
		r := &list[i]
		m := x.streamMarket(CategoryOption, []byte(r.Symbol))
		if m == nil || !d.Watched(watch.Key{Kind: watch.Trades, Symbol: m.Symbol}) {
			continue
		}
		if m != last {
			flush()
			last = m
		}
		t, err := newTrade(m, r.ID, r.Price, r.Size, r.Side, r.Time)
		if err != nil {
			d.Fail(watch.Key{Kind: watch.Trades, Symbol: m.Symbol}, err)
			return err
		}
		if x.Config().KeepInfo {
			t.Info = *r
		}
		out = append(out, t)
	}
	flush()
	return nil
}
