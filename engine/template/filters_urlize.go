package template

import (
	"fmt"
	"sort"
	"strings"

	"gorun/engine/pyre"
	"gorun/engine/value"
)

// urlize is Jinja2 3.1's urlize filter (filters.do_urlize over utils.urlize),
// with the default policies (rel="noopener", no target, no extra schemes).

var (
	urlizeHTTP = pyre.MustCompile(`
    ^
    (
        (https?://|www\.)  # scheme or www
        (([\w%-]+\.)+)?  # subdomain
        (
            [a-z]{2,63}  # basic tld
        |
            xn--[\w%]{2,59}  # idna tld
        )
    |
        ([\w%-]{2,63}\.)+  # basic domain
        (com|net|int|edu|gov|org|info|mil)  # basic tld
    |
        (https?://)  # scheme
        (
            (([\d]{1,3})(\.[\d]{1,3}){3})  # IPv4
        |
            (\[([\da-f]{0,4}:){2}([\da-f]{0,4}:?){1,6}])  # IPv6
        )
    )
    (?::[\d]{1,5})?  # port
    (?:[/?#]\S*)?  # path, query, and fragment
    $
    `, pyre.IgnoreCase|pyre.Verbose)
	urlizeEmail  = pyre.MustCompile(`^\S+@\w[\w.-]*\.\w+$`, 0)
	urlizeSpace  = pyre.MustCompile(`\s+`, 0)
	urlizeHead   = pyre.MustCompile(`^([(<]|&lt;)+`, 0)
	urlizeTail   = pyre.MustCompile(`([)>.,\n]|&gt;)+$`, 0)
	urlizeScheme = pyre.MustCompile(`^([\w.+-]{2,}:(/){0,2})$`, 0)
	htmlEscaper  = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", "\"", "&#34;", "'", "&#39;")
)

func init() {
	register("urlize", filterUrlize)
}

func filterUrlize(ev *evaluator, v any, a []any, kw *value.Dict) (any, error) {
	p, err := bind("do_urlize", a, kw, "trim_url_limit", "nofollow", "target", "rel", "extra_schemes")
	if err != nil {
		return nil, err
	}
	limit := -1
	if given(p[0]) && p[0] != nil {
		if limit, err = argInt(p[0], -1); err != nil {
			return nil, err
		}
	}
	relParts := map[string]bool{"noopener": true}
	for _, r := range strings.Fields(argStr(p[3], "")) {
		relParts[r] = true
	}
	if argBool(p[1], false) {
		relParts["nofollow"] = true
	}
	rels := make([]string, 0, len(relParts))
	for r := range relParts {
		rels = append(rels, r)
	}
	sort.Strings(rels)
	var schemes []string
	if given(p[4]) && p[4] != nil {
		items, err := iterate(p[4])
		if err != nil {
			return nil, err
		}
		for _, s := range items {
			scheme := ToText(s)
			if m, _ := urlizeScheme.FullMatch(scheme); m == nil {
				return nil, fmt.Errorf("%s is not a valid URI scheme prefix.", pyRepr(scheme))
			}
			schemes = append(schemes, scheme)
		}
	}
	return urlize(ToText(v), limit, strings.Join(rels, " "), argStr(p[2], ""), schemes)
}

// urlize is utils.urlize: words (runs between whitespace) that look like
// URLs or e-mail addresses become links, leading and trailing punctuation
// kept outside.
func urlize(text string, limit int, rel, target string, schemes []string) (string, error) {
	trim := func(x string) string {
		if r := []rune(x); limit >= 0 && len(r) > limit {
			return string(r[:limit]) + "..."
		}
		return x
	}
	attrs := ""
	if rel != "" {
		attrs += ` rel="` + htmlEscaper.Replace(rel) + `"`
	}
	if target != "" {
		attrs += ` target="` + htmlEscaper.Replace(target) + `"`
	}
	escaped := htmlEscaper.Replace(text)
	seps, err := urlizeSpace.FindAll(escaped)
	if err != nil {
		return "", err
	}
	runes := []rune(escaped)
	var b strings.Builder
	pos := 0
	for _, s := range seps {
		word, err := urlizeWord(string(runes[pos:s.Start]), attrs, trim, schemes)
		if err != nil {
			return "", err
		}
		b.WriteString(word)
		b.WriteString(string(runes[s.Start:s.End]))
		pos = s.End
	}
	word, err := urlizeWord(string(runes[pos:]), attrs, trim, schemes)
	if err != nil {
		return "", err
	}
	b.WriteString(word)
	return b.String(), nil
}

func urlizeWord(middle, attrs string, trim func(string) string, schemes []string) (string, error) {
	head, tail := "", ""
	if m, err := urlizeHead.MatchStart(middle); err != nil {
		return "", err
	} else if m != nil {
		head = *m.Groups[0]
		middle = middle[len(head):]
	}
	for _, end := range []string{")", ">", ".", ",", "\n", "&gt;"} {
		if strings.HasSuffix(middle, end) {
			m, err := urlizeTail.Search(middle)
			if err != nil {
				return "", err
			}
			if m != nil {
				tail = *m.Groups[0]
				middle = middle[:len(middle)-len(tail)]
			}
			break
		}
	}
	// Prefer balancing parentheses in URLs to ignoring a trailing character.
	for _, pair := range [][2]string{{"(", ")"}, {"<", ">"}, {"&lt;", "&gt;"}} {
		open, closing := pair[0], pair[1]
		starts := strings.Count(middle, open)
		if starts <= strings.Count(middle, closing) {
			continue
		}
		for n := min(starts, strings.Count(tail, closing)); n > 0; n-- {
			end := strings.Index(tail, closing) + len(closing)
			middle += tail[:end]
			tail = tail[end:]
		}
	}
	isHTTP, err := urlizeHTTP.MatchStart(middle)
	if err != nil {
		return "", err
	}
	switch {
	case isHTTP != nil:
		href := middle
		if !strings.HasPrefix(middle, "https://") && !strings.HasPrefix(middle, "http://") {
			href = "https://" + middle
		}
		middle = `<a href="` + href + `"` + attrs + `>` + trim(middle) + `</a>`
	case strings.HasPrefix(middle, "mailto:") && matches(urlizeEmail, middle[7:]):
		middle = `<a href="` + middle + `">` + middle[7:] + `</a>`
	case strings.Contains(middle, "@") && !strings.HasPrefix(middle, "www.") && !strings.Contains(middle, ":") && matches(urlizeEmail, middle):
		middle = `<a href="mailto:` + middle + `">` + middle + `</a>`
	default:
		for _, scheme := range schemes {
			if middle != scheme && strings.HasPrefix(middle, scheme) {
				middle = `<a href="` + middle + `"` + attrs + `>` + middle + `</a>`
			}
		}
	}
	return head + middle + tail, nil
}

func matches(re *pyre.Regexp, s string) bool {
	m, err := re.MatchStart(s)
	return err == nil && m != nil
}
