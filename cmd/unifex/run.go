package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/unifex-go/unifex/errors"
	"github.com/unifex-go/unifex/exchange"
)

// The exit codes.
const (
	exitOK           = 0 // success
	exitFailed       = 1 // the venue or the call failed
	exitUsage        = 2 // usage: unknown exchange, method or symbol, bad flag or argument, a request the venue calls bad
	exitNotSupported = 3 // the exchange does not support the method
	exitAuth         = 4 // credentials are missing or were refused
)

// defaultVenue is the venue of a command line that names none: the
// built-in simulated exchange, which runs offline.
const defaultVenue = "sim"

// failure is an error the command reports with its own exit code and a hint.
type failure struct {
	code  int
	msg   string
	hint  string // what to do about it; may be empty
	cause error  // the error explained, for errors.Is; may be nil
}

// Error returns the message.
func (f *failure) Error() string { return f.msg }

// Unwrap returns the error explained.
func (f *failure) Unwrap() error { return f.cause }

// app is one run of the command.
type app struct {
	stdout, stderr io.Writer
	flags          flags
	secrets        []string // the credentials read from the environment, never to be printed
}

// run runs the command line args and returns the exit code.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	a := &app{stdout: stdout, stderr: stderr}
	if err := a.dispatch(ctx, args); err != nil {
		return a.report(err)
	}
	return exitOK
}

// dispatch parses args and runs the command they name.
func (a *app) dispatch(ctx context.Context, args []string) error {
	cl, err := parseCommandLine(args, time.Now())
	if err != nil {
		return err
	}
	a.flags = cl.flags
	words := cl.words
	if a.flags.help {
		return a.help(words)
	}
	if a.flags.duration > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, a.flags.duration)
		defer cancel()
	}
	if len(words) == 0 {
		return a.demo(ctx)
	}
	switch words[0] {
	case "help":
		return a.help(words[1:])
	case "exchanges":
		if len(words) > 1 {
			return &failure{code: exitUsage, msg: "exchanges takes no arguments", hint: "usage: unifex exchanges"}
		}
		return a.listExchanges()
	}
	venue, words, err := chooseVenue(words)
	if err != nil {
		return err
	}
	if len(words) == 0 {
		return &failure{code: exitUsage, msg: "no method given for " + venue,
			hint: "'unifex " + venue + " has' lists its methods; 'unifex help' shows the usage"}
	}
	if words[0] == "has" {
		if len(words) > 1 {
			return &failure{code: exitUsage, msg: "has takes no arguments", hint: "usage: unifex <exchange> has"}
		}
		return a.has(ctx, venue)
	}
	f, ok := resolveMethod(words[0])
	if !ok {
		return unknownMethod(words[0], venue)
	}
	in := input{args: words[1:], flags: &a.flags}
	if least, most := methods[f].arity(); len(in.args) < least || len(in.args) > most {
		return &failure{code: exitUsage, msg: fmt.Sprintf("%s takes %s, not %d", f, argumentCount(least, most), len(in.args)),
			hint: "usage: " + usage(f)}
	}
	return a.call(ctx, venue, f, in)
}

// argumentCount describes how many arguments a method takes.
func argumentCount(least, most int) string {
	plural := func(n int) string {
		if n == 1 {
			return "1 argument"
		}
		return strconv.Itoa(n) + " arguments"
	}
	if least == most {
		return plural(most)
	}
	return strconv.Itoa(least) + " to " + plural(most)
}

// chooseVenue splits the venue off words: the first word when it is a
// registered exchange id (in any letter case), else defaultVenue when the
// first word is a method or "has". Otherwise the first word is a misspelt
// exchange or method, and the error says which it more likely is.
func chooseVenue(words []string) (string, []string, error) {
	ids := exchange.IDs()
	for _, id := range ids {
		if strings.EqualFold(id, words[0]) {
			return id, words[1:], nil
		}
	}
	isMethod := func(w string) bool {
		_, ok := resolveMethod(w)
		return ok || w == "has"
	}
	if isMethod(words[0]) {
		return defaultVenue, words, nil
	}
	if len(words) > 1 && isMethod(words[1]) {
		return "", nil, unknownExchange(words[0])
	}
	nearVenues, nearMethods := closest(words[0], ids), closest(words[0], methodNames())
	if len(nearMethods) > 0 && len(nearVenues) == 0 {
		return "", nil, unknownMethod(words[0], defaultVenue)
	}
	return "", nil, &failure{code: exitUsage, msg: "unknown exchange or method " + strconv.Quote(words[0]),
		hint: suggestionHint(append(nearVenues, nearMethods...), "") + registered(ids) + "; 'unifex help' lists the methods"}
}

// unknownExchange is the failure for a name that is no registered exchange.
func unknownExchange(name string) error {
	ids := exchange.IDs()
	return &failure{code: exitUsage, msg: "unknown exchange " + strconv.Quote(name),
		hint: suggestionHint(closest(name, ids), "") + registered(ids)}
}

// registered lists the registered exchanges for a hint.
func registered(ids []string) string {
	if len(ids) == 0 {
		return "no exchange is registered"
	}
	return "the exchanges are " + strings.Join(ids, ", ")
}

// unknownMethod is the failure for a name that is no unified method.
func unknownMethod(name, venue string) error {
	return &failure{code: exitUsage, msg: "unknown method " + strconv.Quote(name),
		hint: suggestionHint(closest(name, methodNames()), "") + "'unifex " + venue + " has' lists the methods"}
}

// call calls method f on venue with in, and prints the result; a Watch*
// method is called again and again, each result printed, until ctx ends.
func (a *app) call(ctx context.Context, venue string, f exchange.Feature, in input) error {
	ex, err := a.open(venue)
	if err != nil {
		return a.explain(ctx, nil, venue, f, nil, err)
	}
	defer ex.Close()
	if !ex.Has(f) {
		return &failure{code: exitNotSupported, msg: venue + " does not support " + f.String(),
			hint: "'unifex " + venue + " has' lists what it supports"}
	}
	format := a.flags.format
	if f == exchange.FeatureWatchOrderBook && format != formatJSON {
		err = a.watchBookView(ctx, ex, in.args[0], in.opts())
	} else {
		if format == "" {
			format = formatJSON
		}
		p := printer{w: a.stdout, format: format, depth: a.flags.depth}
		if streams(f) {
			err = a.stream(ctx, ex, methods[f], in, p)
		} else {
			var v any
			if v, err = methods[f].call(ctx, ex, in); err == nil {
				err = p.print(v)
			}
		}
	}
	return a.explain(ctx, ex, venue, f, methods[f].symbolArgs(in.args), err)
}

// stream calls a Watch* method until ctx ends, printing each result. Errors
// the library recovers from are reported on stderr and the watch goes on.
func (a *app) stream(ctx context.Context, ex exchange.Exchange, m method, in input, p printer) error {
	for {
		v, err := m.call(ctx, ex, in)
		if ctx.Err() != nil {
			return nil
		}
		if err != nil && !recoverable(err) {
			return err
		}
		if err == nil || errors.Is(err, errors.CacheOverflow) {
			if err := p.printUpdate(v); err != nil {
				return err
			}
		}
		if err != nil {
			a.warn(err)
			pause(ctx)
		}
	}
}

// has prints which unified methods venue supports.
func (a *app) has(ctx context.Context, venue string) error {
	ex, err := a.open(venue)
	if err != nil {
		return a.explain(ctx, nil, venue, 0, nil, err)
	}
	defer ex.Close()
	features := exchange.AllFeatures()
	if a.flags.format == formatJSON {
		var b strings.Builder
		b.WriteString("{\n")
		for i, f := range features {
			fmt.Fprintf(&b, "  %q: %t", f.String(), ex.Has(f))
			if i < len(features)-1 {
				b.WriteString(",")
			}
			b.WriteString("\n")
		}
		b.WriteString("}\n")
		_, err := io.WriteString(a.stdout, b.String())
		return err
	}
	rows := make([][]string, len(features))
	for i, f := range features {
		supported := "no"
		if ex.Has(f) {
			supported = "yes"
		}
		rows[i] = []string{f.String(), supported}
	}
	return writeTable(a.stdout, []string{"METHOD", venue}, rows)
}

// listExchanges prints the registered exchange ids.
func (a *app) listExchanges() error {
	if a.flags.format == formatJSON {
		return printer{w: a.stdout, format: formatJSON}.print(exchange.IDs())
	}
	for _, id := range exchange.IDs() {
		if _, err := fmt.Fprintln(a.stdout, id); err != nil {
			return err
		}
	}
	return nil
}

// envPrefix is the prefix of venue's environment variables, for example
// "UNIFEX_BINANCE_".
func envPrefix(venue string) string {
	id := strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' {
			return r - 'a' + 'A'
		}
		if r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' {
			return r
		}
		return '_'
	}, venue)
	return "UNIFEX_" + id + "_"
}

// open builds venue's exchange with the configuration of the environment:
// credentials, the sandbox switch and endpoint overrides.
func (a *app) open(venue string) (exchange.Exchange, error) {
	if !slices.Contains(exchange.IDs(), venue) {
		return nil, unknownExchange(venue)
	}
	prefix := envPrefix(venue)
	cfg := exchange.Config{
		APIKey:     os.Getenv(prefix + "API_KEY"),
		Secret:     os.Getenv(prefix + "SECRET"),
		Password:   os.Getenv(prefix + "PASSWORD"),
		NewUpdates: true, // a stream prints what is new, each item once
	}
	for _, s := range []string{cfg.APIKey, cfg.Secret, cfg.Password} {
		if s != "" {
			a.secrets = append(a.secrets, s)
		}
	}
	if v, set := os.LookupEnv(prefix + "SANDBOX"); set && v != "" {
		sandbox, err := strconv.ParseBool(v)
		if err != nil {
			return nil, &failure{code: exitUsage, msg: prefix + "SANDBOX is not a boolean",
				hint: "set it to 1 for the venue's testnet or demo, to 0 (or leave it unset) for production"}
		}
		cfg.Sandbox = sandbox
	}
	if v := os.Getenv(prefix + "URLS"); v != "" {
		urls, ok := parseURLs(v)
		if !ok {
			return nil, &failure{code: exitUsage, msg: prefix + "URLS is not a list of key=url pairs",
				hint: "for example " + prefix + "URLS=rest=http://127.0.0.1:8080,ws=ws://127.0.0.1:8081 (the keys are the adapter's)"}
		}
		cfg.URLs = urls
	}
	return exchange.New(venue, cfg)
}

// explain turns an error of a call of method f (0 for none) on venue into
// the failure the command reports, with its exit code and a hint; symbols
// are the symbols the call was given. ex is nil when the exchange could not
// be built. A nil error stays nil.
func (a *app) explain(ctx context.Context, ex exchange.Exchange, venue string, f exchange.Feature, symbols []string, err error) error {
	var known *failure
	if err == nil || errors.As(err, &known) {
		return err
	}
	out := &failure{code: exitFailed, msg: err.Error(), cause: err}
	switch {
	case errors.Is(err, errors.AuthenticationError):
		out.code, out.hint = exitAuth, credentialsHint(venue)
	case errors.Is(err, errors.NotSupported):
		out.code, out.hint = exitNotSupported, "'unifex "+venue+" has' lists what it supports"
	case errors.Is(err, errors.BadSymbol):
		out.code, out.hint = exitUsage, symbolHint(ctx, ex, venue, symbols)
	case errors.Is(err, errors.ArgumentsRequired), errors.Is(err, errors.BadRequest):
		out.code = exitUsage
		if f != 0 {
			out.hint = "usage: " + usage(f)
		}
	}
	return out
}

// credentialsHint names the environment variables of venue's credentials,
// never their values.
func credentialsHint(venue string) string {
	p := envPrefix(venue)
	if os.Getenv(p+"API_KEY") == "" && os.Getenv(p+"SECRET") == "" {
		return "set " + p + "API_KEY and " + p + "SECRET (and " + p + "PASSWORD where the venue has a passphrase)"
	}
	return "check " + p + "API_KEY, " + p + "SECRET and " + p + "PASSWORD; " + p + "SANDBOX=1 selects the testnet, for testnet keys"
}

// symbolHint suggests the loaded symbols closest to those of the call that
// the venue does not list.
func symbolHint(ctx context.Context, ex exchange.Exchange, venue string, symbols []string) string {
	list := "'unifex " + venue + " loadMarkets --format table' lists the symbols"
	if ex == nil {
		return list
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	snap, err := ex.LoadMarkets(ctx, false)
	if err != nil {
		return list
	}
	all := snap.Symbols()
	var near []string
	for _, s := range symbols {
		if !slices.Contains(all, s) {
			near = append(near, closest(s, all)...)
		}
	}
	return suggestionHint(slices.Compact(near), "") + list
}

// report prints err on stderr, with its hint, and returns its exit code.
// No credential of the environment is ever printed.
func (a *app) report(err error) int {
	var f *failure
	if !errors.As(err, &f) {
		f = &failure{code: exitFailed, msg: err.Error()}
	}
	hint := f.hint
	if hint == "" && f.code == exitUsage {
		hint = "'unifex help' shows the usage"
	}
	fmt.Fprintln(a.stderr, "unifex: "+a.redact(f.msg))
	if hint != "" {
		fmt.Fprintln(a.stderr, "hint: "+a.redact(hint))
	}
	return f.code
}

// warn prints an error the command goes on after.
func (a *app) warn(err error) {
	fmt.Fprintln(a.stderr, "unifex: "+a.redact(err.Error()))
}

// redact replaces every credential of the environment in s.
func (a *app) redact(s string) string {
	for _, secret := range a.secrets {
		s = strings.ReplaceAll(s, secret, "[REDACTED]")
	}
	return s
}
