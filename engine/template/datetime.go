package template

import (
	"fmt"
	"strings"
	"time"

	"gorun/engine/value"
)

// pyDatetime is Python's datetime.datetime (naive), as to_datetime and now() return it.
type pyDatetime struct{ t time.Time }

// pyTimedelta is Python's datetime.timedelta, the difference of two datetimes.
type pyTimedelta struct{ d time.Duration }

func (d pyDatetime) String() string {
	s := d.t.Format("2006-01-02 15:04:05")
	if us := d.t.Nanosecond() / 1000; us != 0 {
		s += fmt.Sprintf(".%06d", us)
	}
	return s
}

func (td pyTimedelta) parts() (days, secs, micros int64) {
	us := td.d.Microseconds()
	days = us / 86400e6
	rem := us % 86400e6
	if rem < 0 {
		days--
		rem += 86400e6
	}
	return days, rem / 1e6, rem % 1e6
}

func (td pyTimedelta) String() string {
	days, secs, micros := td.parts()
	s := fmt.Sprintf("%d:%02d:%02d", secs/3600, secs%3600/60, secs%60)
	if micros != 0 {
		s += fmt.Sprintf(".%06d", micros)
	}
	if days != 0 {
		unit := "days"
		if days == 1 || days == -1 {
			unit = "day"
		}
		s = fmt.Sprintf("%d %s, %s", days, unit, s)
	}
	return s
}

func (d pyDatetime) attr(name string) (any, bool) {
	switch name {
	case "year":
		return d.t.Year(), true
	case "month":
		return int(d.t.Month()), true
	case "day":
		return d.t.Day(), true
	case "hour":
		return d.t.Hour(), true
	case "minute":
		return d.t.Minute(), true
	case "second":
		return d.t.Second(), true
	case "microsecond":
		return d.t.Nanosecond() / 1000, true
	case "strftime":
		return fnValue(func(_ *evaluator, a []any, _ *value.Dict) (any, error) {
			if len(a) != 1 {
				return nil, fmt.Errorf("strftime() takes exactly one argument")
			}
			return strftime(ToText(a[0]), d.t), nil
		}), true
	case "timestamp":
		return fnValue(func(*evaluator, []any, *value.Dict) (any, error) {
			return float64(d.t.UnixNano()) / 1e9, nil
		}), true
	case "isoformat":
		return fnValue(func(*evaluator, []any, *value.Dict) (any, error) {
			return strings.Replace(d.String(), " ", "T", 1), nil
		}), true
	case "date":
		return fnValue(func(*evaluator, []any, *value.Dict) (any, error) {
			return d.t.Format("2006-01-02"), nil
		}), true
	case "weekday":
		return fnValue(func(*evaluator, []any, *value.Dict) (any, error) {
			return (int(d.t.Weekday()) + 6) % 7, nil
		}), true
	}
	return nil, false
}

func (td pyTimedelta) attr(name string) (any, bool) {
	days, secs, micros := td.parts()
	switch name {
	case "days":
		return int(days), true
	case "seconds":
		return int(secs), true
	case "microseconds":
		return int(micros), true
	case "total_seconds":
		return fnValue(func(*evaluator, []any, *value.Dict) (any, error) {
			return float64(td.d.Microseconds()) / 1e6, nil
		}), true
	}
	return nil, false
}

// strptimeLayout converts a Python strptime format to a Go time layout.
func strptimeLayout(format string) (string, error) {
	var b strings.Builder
	for i := 0; i < len(format); i++ {
		c := format[i]
		if c != '%' || i+1 >= len(format) {
			b.WriteByte(c)
			continue
		}
		i++
		switch format[i] {
		case 'Y':
			b.WriteString("2006")
		case 'y':
			b.WriteString("06")
		case 'm':
			b.WriteString("01")
		case 'd':
			b.WriteString("02")
		case 'H':
			b.WriteString("15")
		case 'I':
			b.WriteString("03")
		case 'M':
			b.WriteString("04")
		case 'S':
			b.WriteString("05")
		case 'f':
			b.WriteString("000000")
		case 'p':
			b.WriteString("PM")
		case 'b':
			b.WriteString("Jan")
		case 'B':
			b.WriteString("January")
		case 'a':
			b.WriteString("Mon")
		case 'A':
			b.WriteString("Monday")
		case 'z':
			b.WriteString("-0700")
		case 'Z':
			b.WriteString("MST")
		case 'j':
			b.WriteString("002")
		case '%':
			b.WriteByte('%')
		default:
			return "", fmt.Errorf("'%c' is a bad directive in format '%s'", format[i], format)
		}
	}
	return b.String(), nil
}

func filterToDatetime(ev *evaluator, v any, a []any, kw *value.Dict) (any, error) {
	p, err := bind("to_datetime", a, kw, "format")
	if err != nil {
		return nil, err
	}
	format := argStr(p[0], "%Y-%m-%d %H:%M:%S")
	layout, err := strptimeLayout(format)
	if err != nil {
		return nil, err
	}
	s := ToText(v)
	t, err := time.Parse(layout, s)
	if err != nil {
		return nil, fmt.Errorf("time data '%s' does not match format '%s'", s, format)
	}
	return pyDatetime{t}, nil
}

// datetimeOp implements datetime - datetime, datetime ± timedelta and timedelta arithmetic.
func datetimeOp(op string, l, r any) (any, bool, error) {
	ld, lIsD := l.(pyDatetime)
	rd, rIsD := r.(pyDatetime)
	lt, lIsT := l.(pyTimedelta)
	rt, rIsT := r.(pyTimedelta)
	switch {
	case lIsD && rIsD && op == "-":
		return pyTimedelta{ld.t.Sub(rd.t)}, true, nil
	case lIsD && rIsT && (op == "+" || op == "-"):
		if op == "-" {
			rt.d = -rt.d
		}
		return pyDatetime{ld.t.Add(rt.d)}, true, nil
	case lIsT && rIsT && (op == "+" || op == "-"):
		if op == "-" {
			rt.d = -rt.d
		}
		return pyTimedelta{lt.d + rt.d}, true, nil
	case lIsD || rIsD || lIsT || rIsT:
		return nil, true, fmt.Errorf("unsupported operand type(s) for %s: '%s' and '%s'", op, typeName(l), typeName(r))
	}
	return nil, false, nil
}
