package template

import (
	"strings"

	"gorun/engine/value"
)

// loremWords is Jinja2's LOREM_IPSUM_WORDS.
var loremWords = strings.Fields("a ac accumsan ad adipiscing aenean aliquam aliquet amet ante aptent arcu at auctor augue bibendum blandit class commodo condimentum congue consectetuer consequat conubia convallis cras cubilia cum curabitur curae cursus dapibus diam dictum dictumst dignissim dis dolor donec dui duis egestas eget eleifend elementum elit enim erat eros est et etiam eu euismod facilisi facilisis fames faucibus felis fermentum feugiat fringilla fusce gravida habitant habitasse hac hendrerit hymenaeos iaculis id imperdiet in inceptos integer interdum ipsum justo lacinia lacus laoreet lectus leo libero ligula litora lobortis lorem luctus maecenas magna magnis malesuada massa mattis mauris metus mi molestie mollis montes morbi mus nam nascetur natoque nec neque netus nibh nisi nisl non nonummy nostra nulla nullam nunc odio orci ornare parturient pede pellentesque penatibus per pharetra phasellus placerat platea porta porttitor posuere potenti praesent pretium primis proin pulvinar purus quam quis quisque rhoncus ridiculus risus rutrum sagittis sapien scelerisque sed sem semper senectus sit sociis sociosqu sodales sollicitudin suscipit suspendisse taciti tellus tempor tempus tincidunt torquent tortor tristique turpis ullamcorper ultrices ultricies urna ut varius vehicula vel velit venenatis vestibulum vitae vivamus viverra volutpat vulputate")

// globalLipsum is Jinja2's lipsum(n=5, html=True, min=20, max=100): random
// paragraphs built as generate_lorem_ipsum does.
func globalLipsum(_ *evaluator, a []any, kw *value.Dict) (any, error) {
	p, err := bind("lipsum", a, kw, "n", "html", "min", "max")
	if err != nil {
		return nil, err
	}
	n, err := argInt(p[0], 5)
	if err != nil {
		return nil, err
	}
	lo, err := argInt(p[2], 20)
	if err != nil {
		return nil, err
	}
	hi, err := argInt(p[3], 100)
	if err != nil {
		return nil, err
	}
	if hi <= lo {
		hi = lo + 1
	}
	between := func(a, b int) int { return a + sysRandbelow(b-a) }
	var paras []string
	for i := 0; i < n; i++ {
		var words []string
		capital := true
		lastComma, lastStop := 0, 0
		last := ""
		for idx := 0; idx < between(lo, hi); idx++ {
			w := loremWords[sysRandbelow(len(loremWords))]
			for w == last {
				w = loremWords[sysRandbelow(len(loremWords))]
			}
			last = w
			if capital {
				w = pyCapitalize(w)
				capital = false
			}
			if idx-between(3, 8) > lastComma {
				lastComma = idx
				lastStop += 2
				w += ","
			}
			if idx-between(10, 20) > lastStop {
				lastComma, lastStop = idx, idx
				w += "."
				capital = true
			}
			words = append(words, w)
		}
		s := strings.Join(words, " ")
		switch {
		case strings.HasSuffix(s, ","):
			s = s[:len(s)-1] + "."
		case !strings.HasSuffix(s, "."):
			s += "."
		}
		paras = append(paras, s)
	}
	if !argBool(p[1], true) {
		return strings.Join(paras, "\n\n"), nil
	}
	for i, s := range paras {
		paras[i] = "<p>" + s + "</p>"
	}
	return strings.Join(paras, "\n"), nil
}
