package files

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/encoding/unicode/utf32"
)

// pyCodec is a Python text codec by one of its names (template's
// output_encoding, replace's encoding): nil for UTF-8, which needs no
// conversion.
type pyCodec struct {
	name string
	enc  encoding.Encoding
	// ascii refuses bytes and characters above 127, as Python's ascii codec.
	ascii bool
}

// pyCodecs are the codecs gorun knows, by Python's normalised name
// (lower case, '-' and ' ' as '_'), aliases included.
var pyCodecs = map[string]encoding.Encoding{
	"latin_1": charmap.ISO8859_1, "latin1": charmap.ISO8859_1, "latin": charmap.ISO8859_1, "l1": charmap.ISO8859_1,
	"iso_8859_1": charmap.ISO8859_1, "iso8859_1": charmap.ISO8859_1, "8859": charmap.ISO8859_1, "cp819": charmap.ISO8859_1,
	"iso_8859_2": charmap.ISO8859_2, "iso8859_2": charmap.ISO8859_2, "latin2": charmap.ISO8859_2, "l2": charmap.ISO8859_2,
	"iso_8859_15": charmap.ISO8859_15, "iso8859_15": charmap.ISO8859_15, "latin9": charmap.ISO8859_15, "l9": charmap.ISO8859_15,
	"cp1250": charmap.Windows1250, "windows_1250": charmap.Windows1250,
	"cp1251": charmap.Windows1251, "windows_1251": charmap.Windows1251,
	"cp1252": charmap.Windows1252, "windows_1252": charmap.Windows1252,
	"cp437": charmap.CodePage437, "ibm437": charmap.CodePage437,
	"cp850": charmap.CodePage850, "ibm850": charmap.CodePage850,
	"koi8_r": charmap.KOI8R, "koi8_u": charmap.KOI8U,
	// Python's utf-16 and utf-32 write a byte order mark and the machine's
	// order (little endian on the targets gorun runs on); they read either.
	"utf_16": unicode.UTF16(unicode.LittleEndian, unicode.UseBOM), "utf16": unicode.UTF16(unicode.LittleEndian, unicode.UseBOM),
	"utf_16_le": unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM), "utf_16le": unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM),
	"utf_16_be": unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM), "utf_16be": unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM),
	"utf_32": utf32.UTF32(utf32.LittleEndian, utf32.UseBOM), "utf32": utf32.UTF32(utf32.LittleEndian, utf32.UseBOM),
	"utf_32_le": utf32.UTF32(utf32.LittleEndian, utf32.IgnoreBOM), "utf_32_be": utf32.UTF32(utf32.BigEndian, utf32.IgnoreBOM),
	// utf-8-sig writes a byte order mark and drops one when reading.
	"utf_8_sig": unicode.UTF8BOM,
}

// lookupCodec finds the codec named name, as Python's codecs.lookup; an
// unknown name is an error naming it.
func lookupCodec(name string) (*pyCodec, error) {
	n := strings.NewReplacer("-", "_", " ", "_").Replace(strings.ToLower(strings.TrimSpace(name)))
	switch n {
	case "utf_8", "utf8", "u8", "utf", "cp65001":
		return nil, nil
	case "ascii", "us_ascii", "646":
		return &pyCodec{name: name, ascii: true}, nil
	}
	if enc, ok := pyCodecs[n]; ok {
		return &pyCodec{name: name, enc: enc}, nil
	}
	return nil, fmt.Errorf("unknown encoding: %s (gorun knows utf-8, ascii, latin-1 and other ISO 8859 and Windows code pages, utf-16 and utf-32)", name)
}

// decode turns bytes in the codec into text.
func (c *pyCodec) decode(data []byte) (string, error) {
	if c == nil {
		return string(data), nil
	}
	if c.ascii {
		for i, b := range data {
			if b > 127 {
				return "", fmt.Errorf("'ascii' codec can't decode byte 0x%02x in position %d: ordinal not in range(128)", b, i)
			}
		}
		return string(data), nil
	}
	out, err := c.enc.NewDecoder().Bytes(data)
	if err != nil {
		return "", fmt.Errorf("'%s' codec can't decode the text: %v", c.name, err)
	}
	return string(out), nil
}

// encode turns text into bytes in the codec; a character the codec
// cannot represent is an error, as Python's strict errors.
func (c *pyCodec) encode(text string) ([]byte, error) {
	if c == nil {
		return []byte(text), nil
	}
	if c.ascii {
		for i, r := range []rune(text) {
			if r > 127 {
				return nil, fmt.Errorf("'ascii' codec can't encode character '\\u%04x' in position %d: ordinal not in range(128)", r, i)
			}
		}
		return []byte(text), nil
	}
	if !utf8.ValidString(text) {
		return nil, fmt.Errorf("'%s' codec can't encode the text: it is not valid UTF-8", c.name)
	}
	out, err := c.enc.NewEncoder().Bytes([]byte(text))
	if err != nil {
		return nil, fmt.Errorf("'%s' codec can't encode the text: %v", c.name, err)
	}
	return out, nil
}
