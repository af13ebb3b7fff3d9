package main

import (
	"errors"
	"go/token"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// API is an api.json file, read and validated.
type API struct {
	// Venue is the adapter id (or family of ids) the file describes.
	Venue string
	// Package is the Go package the output belongs to.
	Package string
	// Security maps the venue's own authorisation kinds to their meaning.
	Security map[string]string
	// Groups are the API groups by name.
	Groups map[string]Group
	// Endpoints are in file order.
	Endpoints []Endpoint
}

// Group is one API group: a base URL of the REST client and a path prefix.
type Group struct {
	// Name is the group's key in api.json, the first word of its
	// endpoints' names.
	Name string
	// API is the rest.Config.BaseURLs key the group's paths are joined to.
	API string
	// Prefix is put before every endpoint path of the group.
	Prefix string
	// Description says what the group is, in one line.
	Description string
}

// Endpoint is one REST endpoint.
type Endpoint struct {
	// Name is the unexported Go name of its rest.Endpoint value.
	Name string
	// Group is its API group.
	Group Group
	// Method is the HTTP method, upper case.
	Method string
	// Path is the path after the group's prefix.
	Path string
	// Security is "NONE", "SIGNED" or one of API.Security's kinds.
	Security string
	// Weight is the cost when no rule applies.
	Weight float64
	// Rules are the weight rules, the first that applies deciding.
	Rules []Rule
	// Idempotent marks a non-GET endpoint that is safe to repeat.
	Idempotent bool
	// Description says what the endpoint does, in one line.
	Description string
	// Source says where the facts come from.
	Source string
}

// FullPath is the path the request goes to, prefix included.
func (e Endpoint) FullPath() string { return e.Group.Prefix + e.Path }

// Exported is the name of the endpoint's Raw method.
func (e Endpoint) Exported() string {
	r, n := utf8.DecodeRuneInString(e.Name)
	return string(unicode.ToUpper(r)) + e.Name[n:]
}

// RuleKind says how a weight rule reads its parameter.
type RuleKind int

const (
	// RulePresent applies when the parameter is sent at all.
	RulePresent RuleKind = iota
	// RuleSteps reads the parameter as an integer and looks it up in Steps.
	RuleSteps
	// RuleCountSteps reads the parameter as a JSON array and looks the
	// number of its elements up in Steps.
	RuleCountSteps
	// RulePerItem charges Weight for each element of a JSON array
	// parameter, at most Cap when Cap is not 0.
	RulePerItem
)

// Rule is one weight rule of an endpoint.
type Rule struct {
	Kind  RuleKind
	Param string
	// Weight is the weight of RulePresent, or per element for RulePerItem.
	Weight float64
	// Cap bounds RulePerItem (0: no bound).
	Cap float64
	// Steps are ascending; only the last may be open (Open, no Max).
	Steps []Step
}

// Step is one row of a step table: values up to Max weigh Weight.
type Step struct {
	Max    int64
	Open   bool
	Weight float64
}

// methods are the HTTP methods an endpoint may have.
var methods = map[string]bool{"GET": true, "POST": true, "PUT": true, "PATCH": true, "DELETE": true}

var (
	venuePattern    = regexp.MustCompile(`^[a-z][a-z0-9]*$`)
	packagePattern  = regexp.MustCompile(`^[a-z][a-z0-9]*$`)
	identPattern    = regexp.MustCompile(`^[a-z][A-Za-z0-9]*$`)
	kindPattern     = regexp.MustCompile(`^[A-Z][A-Z0-9_]*$`)
	paramPattern    = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_.\-]*$`)
	pathPattern     = regexp.MustCompile(`^(/[A-Za-z0-9_.~\-]+|/\{[A-Za-z_][A-Za-z0-9_]*\})+$`)
	prefixPattern   = regexp.MustCompile(`^(/[A-Za-z0-9_.~\-]+)*$`)
	generatedNames  = map[string]bool{"weightOf": true} // package-level names the output defines besides the endpoints
	builtInSecurity = map[string]bool{"NONE": true, "SIGNED": true}
)

// load reads and validates an api.json document. All problems found are
// reported together, one per line, each with its JSON path.
func load(data []byte) (*API, error) {
	root, err := parseJSON(data)
	if err != nil {
		return nil, err
	}
	var errs problems
	api := readAPI(root, &errs)
	if len(errs) > 0 {
		return nil, errors.New(strings.Join(errs, "\n"))
	}
	return api, nil
}

func readAPI(root *value, errs *problems) *API {
	top := asObject(root, "", errs)
	if top == nil {
		return nil
	}
	api := &API{Security: map[string]string{}, Groups: map[string]Group{}}
	if v, ok := top.str("venue", true); ok && !venuePattern.MatchString(v) {
		errs.add("venue", "%q is not a venue id (lower-case letters and digits)", v)
	} else {
		api.Venue = v
	}
	if p, ok := top.str("package", true); ok && (!packagePattern.MatchString(p) || token.IsKeyword(p)) {
		errs.add("package", "%q is not a Go package name (lower-case letters and digits)", p)
	} else {
		api.Package = p
	}
	if v := top.get("security", false); v != nil {
		readSecurity(api, v, errs)
	}
	if v := top.get("groups", true); v != nil {
		readGroups(api, v, errs)
	}
	if v := top.get("endpoints", true); v != nil {
		readEndpoints(api, v, errs)
	}
	top.done()
	return api
}

func readSecurity(api *API, v *value, errs *problems) {
	obj := asObject(v, "security", errs)
	if obj == nil {
		return
	}
	for _, kind := range v.keys {
		path := obj.pathOf(kind)
		switch {
		case builtInSecurity[kind]:
			errs.add(path, "%s is built in; list only the venue's own kinds", kind)
		case !kindPattern.MatchString(kind):
			errs.add(path, "%q is not a security kind (upper-case letters, digits and _)", kind)
		}
		if meaning, ok := obj.str(kind, true); ok {
			if checkLine(meaning, path, errs) {
				api.Security[kind] = meaning
			}
		}
	}
	obj.done()
}

func readGroups(api *API, v *value, errs *problems) {
	obj := asObject(v, "groups", errs)
	if obj == nil {
		return
	}
	if len(v.keys) == 0 {
		errs.add("groups", "lists no group")
	}
	for _, name := range v.keys {
		path := obj.pathOf(name)
		if !identPattern.MatchString(name) || token.IsKeyword(name) {
			errs.add(path, "%q is not a group name (a lower-case letter, then letters and digits)", name)
		}
		g := asObject(obj.get(name, true), path, errs)
		if g == nil {
			continue
		}
		group := Group{Name: name, API: name}
		if key, ok := g.str("api", false); ok {
			if key == "" {
				errs.add(g.pathOf("api"), "must not be empty")
			}
			group.API = key
		}
		if prefix, ok := g.str("prefix", false); ok {
			if !prefixPattern.MatchString(prefix) {
				errs.add(g.pathOf("prefix"), "%q is not a path prefix (empty, or /segments without a trailing /)", prefix)
			}
			group.Prefix = prefix
		}
		if d, ok := g.str("description", false); ok && checkLine(d, g.pathOf("description"), errs) {
			group.Description = d
		}
		g.done()
		api.Groups[name] = group
	}
	obj.done()
}

func readEndpoints(api *API, v *value, errs *problems) {
	if v.kind != kindArray {
		errs.add("endpoints", "must be an array, not %v", v.kind)
		return
	}
	if len(v.items) == 0 {
		errs.add("endpoints", "lists no endpoint")
	}
	names := map[string]string{}  // name -> path of its first use
	routes := map[string]string{} // base URL key, method, full path -> path of its first use
	for i, item := range v.items {
		path := "endpoints[" + strconv.Itoa(i) + "]"
		obj := asObject(item, path, errs)
		if obj == nil {
			continue
		}
		ep, ok := readEndpoint(api, obj, errs)
		obj.done()
		if !ok {
			continue
		}
		if first, dup := names[ep.Name]; dup {
			errs.add(obj.pathOf("name"), "%q is already the name of %s", ep.Name, first)
			continue
		}
		names[ep.Name] = path
		route := ep.Group.API + " " + ep.Method + " " + ep.FullPath()
		if first, dup := routes[route]; dup {
			errs.add(path, "%s %s (base URL %q) is already %s", ep.Method, ep.FullPath(), ep.Group.API, first)
			continue
		}
		routes[route] = path
		api.Endpoints = append(api.Endpoints, ep)
	}
}

// readEndpoint reads one endpoint; ok is false when it has a problem.
func readEndpoint(api *API, obj *object, errs *problems) (ep Endpoint, ok bool) {
	before := len(*errs)
	ep.Name, _ = obj.str("name", true)
	if groupName, found := obj.str("group", true); found {
		g, known := api.Groups[groupName]
		if !known {
			errs.add(obj.pathOf("group"), "%q is not a group of \"groups\"", groupName)
		}
		ep.Group = g
		checkName(ep.Name, groupName, obj.pathOf("name"), errs)
	}
	if m, found := obj.str("method", true); found && !methods[m] {
		errs.add(obj.pathOf("method"), "%q is not an HTTP method (GET, POST, PUT, PATCH, DELETE)", m)
	} else {
		ep.Method = m
	}
	if p, found := obj.str("path", true); found {
		if !pathPattern.MatchString(p) {
			errs.add(obj.pathOf("path"), "%q is not a path (/segments, {placeholders}, no query)", p)
		} else if dup := repeatedPlaceholder(p); dup != "" {
			errs.add(obj.pathOf("path"), "placeholder {%s} appears twice", dup)
		}
		ep.Path = p
	}
	if s, found := obj.str("security", true); found {
		if _, venueKind := api.Security[s]; !builtInSecurity[s] && !venueKind {
			errs.add(obj.pathOf("security"), "%q is not NONE, SIGNED or a kind of \"security\"", s)
		}
		ep.Security = s
	}
	ep.Weight, _ = obj.number("weight", true)
	if v := obj.get("weightRules", false); v != nil {
		ep.Rules = readRules(v, obj.pathOf("weightRules"), errs)
	}
	ep.Idempotent = obj.boolean("idempotent")
	if ep.Idempotent && ep.Method == "GET" {
		errs.add(obj.pathOf("idempotent"), "a GET is always idempotent; the field is for other methods")
	}
	if d, found := obj.str("description", true); found && checkLine(d, obj.pathOf("description"), errs) {
		ep.Description = d
	}
	if s, found := obj.str("source", false); found && checkLine(s, obj.pathOf("source"), errs) {
		ep.Source = s
	}
	return ep, len(*errs) == before
}

// checkName checks that an endpoint name is an unexported Go identifier
// that begins with its group's name.
func checkName(name, group, path string, errs *problems) {
	switch {
	case name == "":
		return // reported as missing, or as not a string
	case !identPattern.MatchString(name) || token.IsKeyword(name):
		errs.add(path, "%q is not an endpoint name (a lower-case letter, then letters and digits)", name)
	case generatedNames[name]:
		errs.add(path, "%q is a name the generated code defines", name)
	case !strings.HasPrefix(name, group) || len(name) == len(group):
		errs.add(path, "%q must be the group name %q followed by more, such as %sGetTime", name, group, group)
	default:
		if r, _ := utf8.DecodeRuneInString(name[len(group):]); !unicode.IsUpper(r) && !unicode.IsDigit(r) {
			errs.add(path, "%q must continue its group name %q with an upper-case letter or a digit", name, group)
		}
	}
}

// repeatedPlaceholder returns a {placeholder} name that a path has twice.
func repeatedPlaceholder(path string) string {
	seen := map[string]bool{}
	for _, seg := range strings.Split(path, "/") {
		if strings.HasPrefix(seg, "{") {
			if seen[seg] {
				return strings.Trim(seg, "{}")
			}
			seen[seg] = true
		}
	}
	return ""
}

// checkLine checks that s is one non-empty line that can go in a comment.
func checkLine(s, path string, errs *problems) bool {
	switch {
	case strings.TrimSpace(s) == "":
		errs.add(path, "must not be empty")
	case strings.ContainsAny(s, "\n\r"):
		errs.add(path, "must be one line")
	case strings.TrimSpace(s) != s:
		errs.add(path, "has leading or trailing spaces")
	case !utf8.ValidString(s):
		errs.add(path, "is not valid UTF-8")
	default:
		return true
	}
	return false
}

func readRules(v *value, path string, errs *problems) []Rule {
	if v.kind != kindArray {
		errs.add(path, "must be an array, not %v", v.kind)
		return nil
	}
	var rules []Rule
	for i, item := range v.items {
		rpath := path + "[" + strconv.Itoa(i) + "]"
		obj := asObject(item, rpath, errs)
		if obj == nil {
			continue
		}
		rules = append(rules, readRule(obj, errs))
		obj.done()
	}
	return rules
}

// ruleKeys are the keys that choose a rule's kind; a rule has exactly one.
var ruleKeys = []string{"present", "steps", "countSteps", "perItem"}

func readRule(obj *object, errs *problems) Rule {
	var r Rule
	if p, ok := obj.str("param", true); ok && !paramPattern.MatchString(p) {
		errs.add(obj.pathOf("param"), "%q is not a parameter name", p)
	} else {
		r.Param = p
	}
	var kinds []string
	for _, k := range ruleKeys {
		for _, have := range obj.v.keys {
			if have == k {
				kinds = append(kinds, k)
			}
		}
	}
	if len(kinds) != 1 {
		errs.add(obj.path, "needs exactly one of %s (has %d)", strings.Join(ruleKeys, ", "), len(kinds))
		for _, k := range ruleKeys {
			obj.get(k, false) // not reported again as unknown
		}
		obj.get("cap", false)
		return r
	}
	switch kinds[0] {
	case "present":
		r.Kind = RulePresent
		r.Weight, _ = obj.number("present", true)
	case "steps", "countSteps":
		r.Kind = RuleSteps
		if kinds[0] == "countSteps" {
			r.Kind = RuleCountSteps
		}
		r.Steps = readSteps(obj.get(kinds[0], true), obj.pathOf(kinds[0]), errs)
	case "perItem":
		r.Kind = RulePerItem
		r.Weight, _ = obj.number("perItem", true)
		if c, ok := obj.number("cap", false); ok {
			if c == 0 {
				errs.add(obj.pathOf("cap"), "must be more than 0 (leave it out for no cap)")
			}
			r.Cap = c
		}
	}
	if r.Kind != RulePerItem && obj.get("cap", false) != nil {
		errs.add(obj.pathOf("cap"), "belongs to a perItem rule only")
	}
	return r
}

func readSteps(v *value, path string, errs *problems) []Step {
	if v.kind != kindArray || len(v.items) == 0 {
		errs.add(path, "must be a non-empty array of {\"max\": n, \"weight\": w}")
		return nil
	}
	var steps []Step
	for i, item := range v.items {
		spath := path + "[" + strconv.Itoa(i) + "]"
		obj := asObject(item, spath, errs)
		if obj == nil {
			continue
		}
		var s Step
		s.Weight, _ = obj.number("weight", true)
		last := i == len(v.items)-1
		if max, ok := obj.integer("max", !last); ok {
			s.Max = max
			if len(steps) > 0 && !steps[len(steps)-1].Open && max <= steps[len(steps)-1].Max {
				errs.add(obj.pathOf("max"), "%d does not exceed the step before it", max)
			}
		} else if last && obj.get("max", false) == nil {
			s.Open = true
		}
		obj.done()
		steps = append(steps, s)
	}
	return steps
}

// sortedEndpoints returns the endpoints sorted by name.
func (api *API) sortedEndpoints() []Endpoint {
	eps := append([]Endpoint(nil), api.Endpoints...)
	sort.Slice(eps, func(i, j int) bool { return eps[i].Name < eps[j].Name })
	return eps
}

// sortedGroups returns the groups sorted by name.
func (api *API) sortedGroups() []Group {
	gs := make([]Group, 0, len(api.Groups))
	for _, g := range api.Groups {
		gs = append(gs, g)
	}
	sort.Slice(gs, func(i, j int) bool { return gs[i].Name < gs[j].Name })
	return gs
}
