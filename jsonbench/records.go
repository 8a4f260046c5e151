package jsonbench

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// A recordMaker draws records from the schema's fixed distribution.
type recordMaker struct {
	r       *rng
	orderID int64
}

var epoch = time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC).Unix()

func (m *recordMaker) record(id int64) Record {
	r := m.r
	script := m.script()
	given, family := pick(r, givenNames[script]), pick(r, familyNames[script])
	rec := Record{
		ID:       id,
		Name:     given + " " + family,
		Email:    fmt.Sprintf("user%d.%d@%s", id, r.intn(1000), pick(r, emailDomains)),
		Active:   r.chance(70),
		Score:    r.float() * 100,
		Balance:  m.balance(),
		Bio:      m.text(r.between(0, 4)),
		Created:  m.timestamp(),
		Tags:     m.tags(),
		Metadata: m.metadata(),
	}
	if r.chance(60) {
		nick := pick(r, handles) + strconv.Itoa(r.intn(100))
		rec.Nickname = &nick
	}
	if r.chance(85) {
		rec.Address = m.address()
	}
	rec.Orders = make([]Order, r.between(0, 4))
	for i := range rec.Orders {
		rec.Orders[i] = m.order()
	}
	return rec
}

func (m *recordMaker) script() int {
	n := m.r.intn(100)
	for i, w := range nameScripts {
		if n < w {
			return i
		}
		n -= w
	}
	return 0
}

// balance spans small amounts to the ±2^53 edge (integers stay exact in float64).
func (m *recordMaker) balance() int64 {
	r := m.r
	sign := int64(1)
	if r.chance(30) {
		sign = -1
	}
	switch n := r.intn(100); {
	case n < 60:
		return sign * int64(r.intn(100_000))
	case n < 90:
		return sign * int64(r.intn(1_000_000_000_000))
	case n < 98:
		return sign * int64(r.next()>>11) // below 2^53
	default:
		return sign * (1<<53 - 1)
	}
}

func (m *recordMaker) timestamp() string {
	return time.Unix(epoch+int64(m.r.intn(5*365*86400)), 0).UTC().Format(time.RFC3339)
}

// text is a bio: sentences of words from every script, with the odd quote,
// backslash or control character.
func (m *recordMaker) text(sentences int) string {
	r := m.r
	var b strings.Builder
	for s := 0; s < sentences; s++ {
		if s > 0 {
			if r.chance(20) {
				b.WriteByte('\n')
			} else {
				b.WriteByte(' ')
			}
		}
		n := r.between(4, 14)
		for w := 0; w < n; w++ {
			if w > 0 {
				b.WriteByte(' ')
			}
			if r.chance(4) {
				b.WriteString(pick(r, quirks))
			} else {
				b.WriteString(pick(r, words))
			}
		}
		b.WriteString(pick(r, punctuation))
	}
	return b.String()
}

func (m *recordMaker) tags() []string {
	r := m.r
	tags := make([]string, r.between(0, 6))
	for i := range tags {
		tags[i] = pick(r, tagPool)
	}
	return tags
}

func (m *recordMaker) metadata() map[string]string {
	r := m.r
	md := map[string]string{}
	for n := r.between(0, 5); len(md) < n; {
		md[pick(r, metadataKeys)] = pick(r, metadataValues)
	}
	return md
}

func (m *recordMaker) address() *Address {
	r := m.r
	a := &Address{
		Street:   strconv.Itoa(r.between(1, 999)) + " " + pick(r, streets),
		City:     pick(r, cities),
		Postcode: fmt.Sprintf("%05d", r.intn(100_000)),
		Country:  pick(r, countries),
		Lat:      float64(r.between(-90_000_000, 90_000_000)) / 1e6,
		Lon:      float64(r.between(-180_000_000, 180_000_000)) / 1e6,
	}
	if r.chance(30) {
		line2 := fmt.Sprintf("Apt %d%c", r.between(1, 40), 'A'+r.intn(6))
		a.Line2 = &line2
	}
	return a
}

func (m *recordMaker) order() Order {
	r := m.r
	m.orderID++
	o := Order{
		ID:       m.orderID,
		Placed:   m.timestamp(),
		Status:   pick(r, orderStatuses),
		Currency: pick(r, currencies),
		Items:    make([]Item, r.between(1, 5)),
	}
	if r.chance(20) {
		c := pick(r, coupons)
		o.Coupon = &c
	}
	var cents int64
	for i := range o.Items {
		it := Item{
			SKU:      fmt.Sprintf("SKU-%06d", r.intn(1_000_000)),
			Title:    pick(r, products),
			Quantity: int64(r.between(1, 10)),
		}
		price := int64(r.between(99, 99_999))
		it.UnitPrice = float64(price) / 100
		cents += price * it.Quantity
		if r.chance(30) {
			d := float64(r.between(1, 10)*5) / 100
			it.Discount = &d
		}
		// Four significant digits at a decimal exponent from -10 to 4, parsed
		// from text so the value is the double nearest that decimal: both plain
		// and exponent forms appear in the document.
		it.Weight, _ = strconv.ParseFloat(fmt.Sprintf("%de%d", r.between(1000, 9999), r.between(-10, 4)), 64)
		o.Items[i] = it
	}
	o.Total = float64(cents) / 100
	return o
}
