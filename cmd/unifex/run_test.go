package main

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/unifex-go/unifex/exchange"
)

// runCLI runs the command with args and returns what it printed and its exit code.
func runCLI(t *testing.T, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = run(context.Background(), args, &out, &errOut)
	return out.String(), errOut.String(), code
}

// clearEnv unsets the variables of the venues the tests use, for the test.
func clearEnv(t *testing.T) {
	for _, venue := range []string{fakeID, defaultVenue} {
		for _, name := range []string{"API_KEY", "SECRET", "PASSWORD", "SANDBOX", "URLS"} {
			t.Setenv(envPrefix(venue)+name, "")
		}
	}
}

// TestExitCodes runs one command line of every class of bad input, and of
// failing calls, and checks the exit code and what stderr says.
func TestExitCodes(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
		env  map[string]string
		code int
		want []string // in stderr
	}{
		{"unknown exchange", []string{"binanse", "fetchTicker", "BTC/USDT"}, nil, exitUsage,
			[]string{`unknown exchange "binanse"`, "the exchanges are " + strings.Join(exchange.IDs(), ", ")}},
		{"misspelt exchange", []string{"simm", "fetchTicker", "BTC/USDT"}, nil, exitUsage,
			[]string{`unknown exchange "simm"`, "did you mean sim?"}},
		{"unknown method", []string{"sim", "fetchTikcer", "BTC/USDT"}, nil, exitUsage,
			[]string{`unknown method "fetchTikcer"`, "did you mean fetchTicker or fetchTickers?", "'unifex sim has'"}},
		{"unknown method, no exchange", []string{"fetchOrderbok", "BTC/USDT"}, nil, exitUsage,
			[]string{`unknown method "fetchOrderbok"`, "did you mean fetchOrderBook?"}},
		{"neither exchange nor method", []string{"qwertyuiop"}, nil, exitUsage,
			[]string{`unknown exchange or method "qwertyuiop"`, "the exchanges are " + strings.Join(exchange.IDs(), ", ")}},
		{"no method", []string{"sim"}, nil, exitUsage, []string{"no method given for sim", "'unifex sim has'"}},
		{"unknown symbol", []string{"fake", "fetchTicker", "BTC/USTD"}, nil, exitUsage,
			[]string{"BadSymbol", `unknown symbol "BTC/USTD"`, "did you mean BTC/USDT?", "'unifex fake loadMarkets --format table'"}},
		{"symbol in lower case, on sim", []string{"sim", "fetchTicker", "btc/usdt"}, nil, exitUsage,
			[]string{"BadSymbol", "did you mean BTC/USDT?"}},
		{"missing credentials", []string{"fake", "fetchBalance"}, nil, exitAuth,
			[]string{"AuthenticationError", "set UNIFEX_FAKE_API_KEY and UNIFEX_FAKE_SECRET"}},
		{"refused credentials", []string{"fake", "fetchBalance"}, map[string]string{"UNIFEX_FAKE_API_KEY": "wrong-key", "UNIFEX_FAKE_SECRET": "s3"},
			exitAuth, []string{"API key [REDACTED] is not known", "check UNIFEX_FAKE_API_KEY, UNIFEX_FAKE_SECRET"}},
		{"method the exchange has not", []string{"fake", "watchTrades", "BTC/USDT"}, nil, exitNotSupported,
			[]string{"fake does not support watchTrades", "'unifex fake has'"}},
		{"sim has no withdrawals", []string{"withdraw", "USDT", "1", "addr"}, nil, exitNotSupported,
			[]string{"sim does not support withdraw"}},
		{"method that answers NotSupported", []string{"fake", "fetchLedger"}, nil, exitNotSupported,
			[]string{"NotSupported", "fetchLedger is not supported", "'unifex fake has'"}},
		{"too few arguments", []string{"sim", "fetchTicker"}, nil, exitUsage,
			[]string{"fetchTicker takes 1 argument, not 0", "usage: unifex [<exchange>] fetchTicker symbol"}},
		{"too many arguments", []string{"fetchTime", "now"}, nil, exitUsage,
			[]string{"fetchTime takes 0 arguments, not 1", "usage: unifex [<exchange>] fetchTime"}},
		{"optional arguments", []string{"createOrder", "BTC/USDT", "limit"}, nil, exitUsage,
			[]string{"createOrder takes 4 to 5 arguments, not 2", "createOrder symbol type side amount [price]"}},
		{"argument not a number", []string{"sim", "createOrder", "BTC/USDT", "limit", "buy", "lots", "1"}, nil, exitUsage,
			[]string{`amount "lots" is not a decimal number`, "'unifex help'"}},
		{"order the request check refuses", []string{"sim", "createOrder", "BTC/USDT", "limit", "buy", "1"}, nil, exitUsage,
			[]string{"a limit order needs a price"}},
		{"argument the venue requires", []string{"fake", "cancelOrder", "42"}, nil, exitUsage,
			[]string{"ArgumentsRequired", "usage: unifex [<exchange>] cancelOrder id [symbol]"}},
		{"request the venue calls bad", []string{"sim", "fetchOHLCV", "BTC/USDT", "7m"}, nil, exitUsage,
			[]string{"BadRequest", "usage: unifex [<exchange>] fetchOHLCV symbol [timeframe]"}},
		{"unknown flag", []string{"fetchTime", "--lmit", "1"}, nil, exitUsage, []string{`unknown flag "--lmit"`, "did you mean --limit?"}},
		{"bad flag value", []string{"fetchTrades", "BTC/USDT", "--since", "last week"}, nil, exitUsage, []string{"--since: cannot read"}},
		{"bad sandbox switch", []string{"fake", "fetchTicker", "BTC/USDT"}, map[string]string{"UNIFEX_FAKE_SANDBOX": "perhaps"},
			exitUsage, []string{"UNIFEX_FAKE_SANDBOX is not a boolean"}},
		{"bad endpoint overrides", []string{"sim", "fetchTime"}, map[string]string{"UNIFEX_SIM_URLS": "localhost"},
			exitUsage, []string{"UNIFEX_SIM_URLS is not a list of key=url pairs"}},
		{"the venue fails", []string{"fake", "fetchTrades", "BTC/USDT"}, nil, exitFailed,
			[]string{"fake: ExchangeNotAvailable [HTTP 502]: the venue is down"}},
		{"has takes no arguments", []string{"sim", "has", "fetchTicker"}, nil, exitUsage, []string{"has takes no arguments"}},
		{"exchanges takes no arguments", []string{"exchanges", "sim"}, nil, exitUsage, []string{"exchanges takes no arguments"}},
		{"help for an unknown method", []string{"help", "fetchTikcer"}, nil, exitUsage, []string{"did you mean fetchTicker"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			clearEnv(t)
			for k, v := range tc.env {
				t.Setenv(k, v)
			}
			stdout, stderr, code := runCLI(t, tc.args...)
			if code != tc.code {
				t.Errorf("exit code %d, want %d; stderr:\n%s", code, tc.code, stderr)
			}
			for _, want := range tc.want {
				if !strings.Contains(stderr, want) {
					t.Errorf("stderr does not say %q:\n%s", want, stderr)
				}
			}
			if stdout != "" {
				t.Errorf("a failed command printed on stdout:\n%s", stdout)
			}
		})
	}
}

func TestHelp(t *testing.T) {
	for _, args := range [][]string{{"help"}, {"-h"}, {"--help"}, {"sim", "--help"}} {
		stdout, stderr, code := runCLI(t, args...)
		if code != exitOK || stderr != "" {
			t.Errorf("%q: exit code %d, stderr %q", args, code, stderr)
		}
		for _, want := range []string{"Exit codes:", "4  authentication", "UNIFEX_<ID>_API_KEY", "--param key=value", "timeInForce", "--since T"} {
			if !strings.Contains(stdout, want) {
				t.Errorf("%q: the help does not say %q", args, want)
			}
		}
		for _, f := range exchange.AllFeatures() {
			if !strings.Contains(stdout, "\n  "+f.String()+" ") {
				t.Errorf("%q: the help does not list %s", args, f)
			}
		}
	}
	stdout, _, code := runCLI(t, "help", "FETCHOHLCV")
	if code != exitOK || !strings.HasPrefix(stdout, "usage: unifex [<exchange>] fetchOHLCV symbol [timeframe]\n") {
		t.Errorf("help FETCHOHLCV: exit code %d:\n%s", code, stdout)
	}
	stdout, _, code = runCLI(t, "sim", "watchTrades", "-h")
	if code != exitOK || !strings.HasPrefix(stdout, "usage: unifex [<exchange>] watchTrades symbol\n") {
		t.Errorf("watchTrades -h: exit code %d:\n%s", code, stdout)
	}
}

func TestExchangesAndHas(t *testing.T) {
	clearEnv(t)
	stdout, _, code := runCLI(t, "exchanges")
	if code != exitOK || stdout != strings.Join(exchange.IDs(), "\n")+"\n" || !strings.Contains(stdout, "fake\n") || !strings.Contains(stdout, "sim\n") {
		t.Errorf("exchanges: exit code %d:\n%s", code, stdout)
	}
	stdout, _, _ = runCLI(t, "exchanges", "--format", "json")
	var ids []string
	if err := json.Unmarshal([]byte(stdout), &ids); err != nil || !cmp.Equal(ids, exchange.IDs()) {
		t.Errorf("exchanges --format json: %v\n%s", err, stdout)
	}

	stdout, _, code = runCLI(t, "fake", "has")
	if code != exitOK {
		t.Fatalf("fake has: exit code %d", code)
	}
	rows := map[string]string{}
	for _, line := range strings.Split(strings.TrimSpace(stdout), "\n")[1:] {
		cells := strings.Fields(line)
		rows[cells[0]] = cells[1]
	}
	if len(rows) != len(exchange.AllFeatures()) || rows["fetchTicker"] != "yes" || rows["watchTrades"] != "no" || rows["unWatchOHLCV"] != "no" {
		t.Errorf("fake has:\n%s", stdout)
	}

	stdout, _, code = runCLI(t, "has", "--format", "json") // on sim
	var has map[string]bool
	if err := json.Unmarshal([]byte(stdout), &has); err != nil || code != exitOK {
		t.Fatalf("has --format json: %v, exit code %d\n%s", err, code, stdout)
	}
	if len(has) != len(exchange.AllFeatures()) || !has["watchOrderBook"] || has["withdraw"] {
		t.Errorf("sim has:\n%s", stdout)
	}
	if !strings.HasPrefix(stdout, "{\n  \"loadMarkets\": true,\n  \"fetchMarkets\": true,") {
		t.Errorf("has --format json is not in the features' order:\n%s", stdout)
	}
}

// canaries are credentials no output may contain.
var canaries = map[string]string{
	"UNIFEX_FAKE_API_KEY": "canary-api-key-7f3e", "UNIFEX_FAKE_SECRET": "canary-secret-9b1d", "UNIFEX_FAKE_PASSWORD": "canary-pass-2c4a",
	"UNIFEX_SIM_API_KEY": "canary-sim-key-5d8e", "UNIFEX_SIM_SECRET": "canary-sim-secret-0a6f", "UNIFEX_SIM_PASSWORD": "canary-sim-pass-3b7c",
}

// TestCredentialsNeverPrinted runs command lines down every path, errors
// included (one where the venue's own error names the key), with canary
// credentials in the environment, and checks that no output shows them.
func TestCredentialsNeverPrinted(t *testing.T) {
	clearEnv(t)
	for k, v := range canaries {
		t.Setenv(k, v)
	}
	for _, args := range [][]string{
		{"fake", "fetchBalance"}, // refused: the venue's error names the key
		{"fake", "fetchBalance", "--format", "table"},
		{"fake", "fetchTicker", "BTC/USDT"},
		{"fake", "fetchTicker", "NOPE/USDT"},
		{"fake", "fetchTrades", "BTC/USDT"},
		{"fake", "watchTrades", "BTC/USDT"},
		{"fake", "fetchLedger"},
		{"fake", "cancelOrder", "1"},
		{"fake", "has"},
		{"sim", "fetchBalance"}, // sim's own venue accepts the canaries
		{"sim", "fetchTicker", "BTC/USDT", "--format", "table"},
		{"sim", "fetchTikcer"},
		{"sim", "watchTrades", "BTC/USDT", "--duration", "300ms"},
		{"sim", "watchOrderBook", "BTC/USDT", "--duration", "300ms"},
		{"binanse", "fetchBalance"},
		{"--bad-flag"},
		{"help"},
	} {
		stdout, stderr, _ := runCLI(t, args...)
		for name, canary := range canaries {
			if strings.Contains(stdout+stderr, canary) {
				t.Errorf("%q printed %s:\nstdout:\n%s\nstderr:\n%s", args, name, stdout, stderr)
			}
		}
	}
}
