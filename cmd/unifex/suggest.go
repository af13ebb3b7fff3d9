package main

import (
	"slices"
	"strings"
)

// maxSuggestions caps how many close names a hint offers.
const maxSuggestions = 3

// closest returns the candidates nearest to name by edit distance, ignoring
// letter case, nearest first (ties in the candidates' order), at most
// maxSuggestions of them, and only those close enough to be a likely typo:
// within a third of name's length (at least two edits), and at most one
// edit further than the nearest.
func closest(name string, candidates []string) []string {
	lower := strings.ToLower(name)
	limit := max(2, len(lower)/3)
	type scored struct {
		name     string
		distance int
	}
	var near []scored
	for _, c := range candidates {
		if d := editDistance(lower, strings.ToLower(c)); d <= limit {
			near = append(near, scored{c, d})
		}
	}
	slices.SortStableFunc(near, func(a, b scored) int { return a.distance - b.distance })
	var out []string
	for _, s := range near[:min(len(near), maxSuggestions)] {
		if s.distance > near[0].distance+1 {
			break
		}
		out = append(out, s.name)
	}
	return out
}

// editDistance is the optimal string alignment distance between a and b:
// the fewest insertions, deletions, substitutions and swaps of two adjacent
// bytes that turn one into the other.
func editDistance(a, b string) int {
	// rows[0] is row i-2, rows[1] row i-1, rows[2] row i.
	var rows [3][]int
	for r := range rows {
		rows[r] = make([]int, len(b)+1)
	}
	for j := range rows[1] {
		rows[1][j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur := rows[2]
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(rows[1][j]+1, cur[j-1]+1, rows[1][j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				cur[j] = min(cur[j], rows[0][j-2]+1)
			}
		}
		rows[0], rows[1], rows[2] = rows[1], cur, rows[0]
	}
	return rows[1][len(b)]
}

// suggestionHint is "did you mean X or Y? " for the names, each written
// with prefix, or "" when there are none.
func suggestionHint(names []string, prefix string) string {
	if len(names) == 0 {
		return ""
	}
	quoted := make([]string, len(names))
	for i, n := range names {
		quoted[i] = prefix + n
	}
	last := len(quoted) - 1
	if last == 0 {
		return "did you mean " + quoted[0] + "? "
	}
	return "did you mean " + strings.Join(quoted[:last], ", ") + " or " + quoted[last] + "? "
}
