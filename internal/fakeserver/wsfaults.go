package fakeserver

import "net/http"

// The faults a fake venue applies to every connection at once.

// DropAll closes every connection abruptly, without a close handshake.
func (s *WS) DropAll() {
	for _, c := range s.Conns() {
		c.Drop()
	}
}

// SilenceAll makes every connection half-open (Conn.Silence).
func (s *WS) SilenceAll() {
	for _, c := range s.Conns() {
		c.Silence()
	}
}

// Outage drops every connection and refuses new handshakes with 503
// Service Unavailable (on), or accepts them again (off).
func (s *WS) Outage(on bool) {
	if !on {
		s.Refuse(0)
		return
	}
	s.Refuse(http.StatusServiceUnavailable)
	s.DropAll()
}
