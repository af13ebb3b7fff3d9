package fakeserver

import "context"

// NewReplyWS starts a server that answers each message a client sends
// with reply's messages for it (none when it returns none) and sends
// nothing else: the stream of a test that feeds the venue's frames itself
// (an adapter's Engine().Feed) once its subscriptions are acknowledged.
func NewReplyWS(reply func(req []byte) []string) *WS {
	return NewWS(func(c *Conn) {
		for {
			req, err := c.Read(context.Background())
			if err != nil {
				return
			}
			for _, msg := range reply(req) {
				_ = c.Send([]byte(msg))
			}
		}
	})
}
