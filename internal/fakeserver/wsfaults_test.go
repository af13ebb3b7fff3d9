package fakeserver

import (
	"net/http"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

func TestWSFaultsOnEveryConnection(t *testing.T) {
	s := NewWS(nil)
	defer s.Close()
	dial := func() (*websocket.Conn, *http.Response, error) { return websocket.DefaultDialer.Dial(s.URL(), nil) }
	var clients []*websocket.Conn
	for range 2 {
		ws, _, err := dial()
		if err != nil {
			t.Fatal(err)
		}
		defer ws.Close()
		clients = append(clients, ws)
		if _, err := s.Next(t.Context()); err != nil {
			t.Fatal(err)
		}
	}
	s.SilenceAll()
	for _, c := range s.Conns() {
		if err := c.Send([]byte("x")); err != nil {
			t.Fatal(err)
		}
	}
	_ = clients[0].SetReadDeadline(time.Now().Add(50 * time.Millisecond))
	if _, _, err := clients[0].ReadMessage(); err == nil {
		t.Fatal("a silenced connection wrote")
	}

	s.Outage(true)
	for _, c := range s.Conns() {
		select {
		case <-c.Done():
		case <-time.After(5 * time.Second):
			t.Fatal("a connection outlived the outage")
		}
	}
	if _, resp, err := dial(); err == nil || resp == nil || resp.StatusCode != http.StatusServiceUnavailable {
		t.Fatalf("a dial during the outage: %v %v", err, resp)
	}
	s.Outage(false)
	ws, _, err := dial()
	if err != nil {
		t.Fatalf("a dial after the outage: %v", err)
	}
	ws.Close()

	s.DropAll()
	for _, c := range s.Conns() {
		select {
		case <-c.Done():
		case <-time.After(5 * time.Second):
			t.Fatal("a connection outlived DropAll")
		}
	}
}
