package schemadecode

import (
	"slices"
	"strconv"

	"github.com/tribench/tribench/jsonbench"
)

// Typed decodes a JSON array of records into []jsonbench.Record without
// reflection (top-level null is a nil slice). Its strings alias data (see the
// package documentation).
func Typed(data []byte) ([]jsonbench.Record, error) {
	d := typed{decoder: decoder{data: data}}
	d.ws()
	var records []jsonbench.Record
	switch d.peek() {
	case 'n':
		if err := d.literal("null"); err != nil {
			return nil, err
		}
	case '[':
		records = []jsonbench.Record{}
		first := d.pos
		for more := d.open(']'); more; {
			if len(records) == cap(records) {
				records = slices.Grow(records, d.moreRecords(len(records), first))
			}
			records = records[:len(records)+1]
			if err := d.record(&records[len(records)-1]); err != nil {
				return nil, err
			}
			var err error
			if more, err = d.next(']', "after array element"); err != nil {
				return nil, err
			}
		}
	default:
		return nil, d.mismatch("the document", "[]jsonbench.Record")
	}
	if err := d.end(); err != nil {
		return nil, err
	}
	return records, nil
}

// moreRecords is how many records to make room for when the n decoded from
// offset first on fill the slice. Doubling would allocate (and zero) about
// three times the final slice over a decode and copy each record about once;
// append alone grows a slice this large by a quarter, copying each record
// four times. Once a sample of records has been read, the rest of the
// document's length at the sample's bytes per record, with a margin, is
// usually the final count, so the records are allocated about once.
func (d *typed) moreRecords(n, first int) int {
	const sample = 64
	more := n + 1
	if read := d.pos - first; n >= sample && read > 0 {
		rest := len(d.data) - d.pos
		more = max(more, int(float64(rest)/float64(read)*float64(n)*1.05)+1)
	}
	return more
}

// typed is the decoder with the slabs the lists and the nullable fields'
// values are carved from. A list is decoded in place at the start of its
// slab's free space; a list type never nests inside itself, so no other list
// is begun in the same slab meanwhile.
type typed struct {
	decoder
	tagSlab     slab[string]
	orderSlab   slab[jsonbench.Order]
	itemSlab    slab[jsonbench.Item]
	addressSlab slab[jsonbench.Address]
	stringSlab  slab[string]
	floatSlab   slab[float64]
}

// The depths of the schema's objects (the top-level array is 1), from which
// skip counts the levels of an unknown member's value.
const (
	recordDepth  = 2
	addressDepth = 3
	orderDepth   = 4
	itemDepth    = 6
)

func (d *typed) record(r *jsonbench.Record) error {
	if d.peek() != '{' {
		return d.nullOr("[]jsonbench.Record element", "object")
	}
	f, more, err := d.firstField(&recordKeys)
	for more {
		if err != nil {
			return err
		}
		switch f {
		case recordID:
			err = d.int64Field(&r.ID, "Record.id")
		case recordName:
			err = d.stringField(&r.Name, "Record.name")
		case recordEmail:
			err = d.stringField(&r.Email, "Record.email")
		case recordActive:
			err = d.boolField(&r.Active, "Record.active")
		case recordScore:
			err = d.float64Field(&r.Score, "Record.score")
		case recordBalance:
			err = d.int64Field(&r.Balance, "Record.balance")
		case recordCreated:
			err = d.stringField(&r.Created, "Record.created")
		case recordNickname:
			err = d.optionalString(&r.Nickname, "Record.nickname")
		case recordBio:
			err = d.stringField(&r.Bio, "Record.bio")
		case recordAddress:
			err = d.address(&r.Address)
		case recordTags:
			err = d.tagList(&r.Tags)
		case recordMetadata:
			err = d.metadata(&r.Metadata)
		case recordOrders:
			err = d.orderList(&r.Orders)
		default:
			err = d.skip(recordDepth)
		}
		if err != nil {
			return err
		}
		f, more, err = d.nextField(&recordKeys, f+1)
	}
	return err
}

func (d *typed) address(dst **jsonbench.Address) error {
	if d.peek() != '{' {
		return d.nullPointer(func() { *dst = nil }, "Record.address", "object")
	}
	a := *dst
	if a == nil {
		a = &d.addressSlab.take(1)[0]
		*dst = a
	}
	f, more, err := d.firstField(&addressKeys)
	for more {
		if err != nil {
			return err
		}
		switch f {
		case addressStreet:
			err = d.stringField(&a.Street, "Address.street")
		case addressLine2:
			err = d.optionalString(&a.Line2, "Address.line2")
		case addressCity:
			err = d.stringField(&a.City, "Address.city")
		case addressPostcode:
			err = d.stringField(&a.Postcode, "Address.postcode")
		case addressCountry:
			err = d.stringField(&a.Country, "Address.country")
		case addressLat:
			err = d.float64Field(&a.Lat, "Address.lat")
		case addressLon:
			err = d.float64Field(&a.Lon, "Address.lon")
		default:
			err = d.skip(addressDepth)
		}
		if err != nil {
			return err
		}
		f, more, err = d.nextField(&addressKeys, f+1)
	}
	return err
}

func (d *typed) order(o *jsonbench.Order) error {
	if d.peek() != '{' {
		return d.nullOr("Record.orders element", "object")
	}
	f, more, err := d.firstField(&orderKeys)
	for more {
		if err != nil {
			return err
		}
		switch f {
		case orderID:
			err = d.int64Field(&o.ID, "Order.id")
		case orderPlaced:
			err = d.stringField(&o.Placed, "Order.placed")
		case orderStatus:
			err = d.stringField(&o.Status, "Order.status")
		case orderCurrency:
			err = d.stringField(&o.Currency, "Order.currency")
		case orderTotal:
			err = d.float64Field(&o.Total, "Order.total")
		case orderCoupon:
			err = d.optionalString(&o.Coupon, "Order.coupon")
		case orderItems:
			err = d.itemList(&o.Items)
		default:
			err = d.skip(orderDepth)
		}
		if err != nil {
			return err
		}
		f, more, err = d.nextField(&orderKeys, f+1)
	}
	return err
}

func (d *typed) item(it *jsonbench.Item) error {
	if d.peek() != '{' {
		return d.nullOr("Order.items element", "object")
	}
	f, more, err := d.firstField(&itemKeys)
	for more {
		if err != nil {
			return err
		}
		switch f {
		case itemSKU:
			err = d.stringField(&it.SKU, "Item.sku")
		case itemTitle:
			err = d.stringField(&it.Title, "Item.title")
		case itemQuantity:
			err = d.int64Field(&it.Quantity, "Item.quantity")
		case itemUnitPrice:
			err = d.float64Field(&it.UnitPrice, "Item.unit_price")
		case itemDiscount:
			err = d.optionalFloat64(&it.Discount, "Item.discount")
		case itemWeight:
			err = d.float64Field(&it.Weight, "Item.weight")
		default:
			err = d.skip(itemDepth)
		}
		if err != nil {
			return err
		}
		f, more, err = d.nextField(&itemKeys, f+1)
	}
	return err
}

func (d *typed) tagList(dst *[]string) error {
	if d.peek() != '[' {
		return d.nullPointer(func() { *dst = nil }, "Record.tags", "array")
	}
	n := 0
	for more := d.open(']'); more; n++ {
		if err := d.stringField(d.tagSlab.at(n), "Record.tags element"); err != nil {
			return err
		}
		var err error
		if more, err = d.next(']', "after array element"); err != nil {
			return err
		}
	}
	*dst = d.tagSlab.cut(n)
	return nil
}

func (d *typed) orderList(dst *[]jsonbench.Order) error {
	if d.peek() != '[' {
		return d.nullPointer(func() { *dst = nil }, "Record.orders", "array")
	}
	n := 0
	for more := d.open(']'); more; n++ {
		if err := d.order(d.orderSlab.at(n)); err != nil {
			return err
		}
		var err error
		if more, err = d.next(']', "after array element"); err != nil {
			return err
		}
	}
	*dst = d.orderSlab.cut(n)
	return nil
}

func (d *typed) itemList(dst *[]jsonbench.Item) error {
	if d.peek() != '[' {
		return d.nullPointer(func() { *dst = nil }, "Order.items", "array")
	}
	n := 0
	for more := d.open(']'); more; n++ {
		if err := d.item(d.itemSlab.at(n)); err != nil {
			return err
		}
		var err error
		if more, err = d.next(']', "after array element"); err != nil {
			return err
		}
	}
	*dst = d.itemSlab.cut(n)
	return nil
}

// metadata adds the object's members to the map, made if it is nil (as
// encoding/json does, so a repeated key merges into the first one's map).
func (d *typed) metadata(dst *map[string]string) error {
	if d.peek() != '{' {
		return d.nullPointer(func() { *dst = nil }, "Record.metadata", "object")
	}
	if *dst == nil {
		*dst = make(map[string]string)
	}
	m := *dst
	for more := d.open('}'); more; {
		k, err := d.key()
		if err != nil {
			return err
		}
		var v string
		if err := d.stringField(&v, "Record.metadata value"); err != nil {
			return err
		}
		m[k] = v
		if more, err = d.next('}', "after object member"); err != nil {
			return err
		}
	}
	return nil
}

func (d *typed) optionalString(dst **string, field string) error {
	if d.peek() != '"' {
		return d.nullPointer(func() { *dst = nil }, field, "string")
	}
	p := &d.stringSlab.take(1)[0]
	*dst = p
	return d.stringField(p, field)
}

func (d *typed) boolField(dst *bool, field string) error {
	switch d.peek() {
	case 't':
		*dst = true
		return d.literal("true")
	case 'f':
		*dst = false
		return d.literal("false")
	}
	return d.nullOr(field, "bool")
}

func (d *typed) float64Field(dst *float64, field string) error {
	c := d.peek()
	if c != '-' && !isDigit(c) {
		return d.nullOr(field, "float64")
	}
	f, err := d.float()
	*dst = f
	return err
}

func (d *typed) optionalFloat64(dst **float64, field string) error {
	c := d.peek()
	if c != '-' && !isDigit(c) {
		return d.nullPointer(func() { *dst = nil }, field, "float64")
	}
	p := &d.floatSlab.take(1)[0]
	*dst = p
	var err error
	*p, err = d.float()
	return err
}

// int64Field reads an integer of up to 18 digits in one pass; anything else
// that starts like a number (a fraction, an exponent, 19 digits or more, bad
// grammar) takes the slow path, which validates it and says what is wrong.
func (d *typed) int64Field(dst *int64, field string) error {
	data, i := d.data, d.pos
	if i < len(data) && data[i] == '-' {
		i++
	}
	j, n := i, int64(0)
	for j < len(data) && isDigit(data[j]) {
		n = n*10 + int64(data[j]-'0')
		j++
	}
	if j == i || j-i > 18 || (data[i] == '0' && j-i > 1) ||
		(j < len(data) && (data[j] == '.' || data[j]|0x20 == 'e')) {
		return d.slowInt64(dst, field)
	}
	if i > d.pos {
		n = -n
	}
	*dst = n
	d.pos = j
	return nil
}

func (d *typed) slowInt64(dst *int64, field string) error {
	c := d.peek()
	if c != '-' && !isDigit(c) {
		return d.nullOr(field, "int64")
	}
	start := d.pos
	end, integer, err := d.number()
	if err != nil {
		return err
	}
	text := d.text(start, end)
	if !integer {
		return d.fail(start, "cannot decode number %s into %s (int64)", shorten(text), field)
	}
	n, err := strconv.ParseInt(text, 10, 64)
	if err != nil {
		return d.fail(start, "number %s overflows %s (int64)", shorten(text), field)
	}
	*dst = n
	d.pos = end
	return nil
}

// nullOr accepts null for a field it leaves as it was; any other value is of
// the wrong type.
func (d *decoder) nullOr(field, want string) error {
	if d.peek() == 'n' {
		return d.literal("null")
	}
	return d.mismatch(field, want)
}

// nullPointer accepts null for a pointer, slice or map field, which it sets
// to nil; any other value is of the wrong type.
func (d *typed) nullPointer(setNil func(), field, want string) error {
	if d.peek() == 'n' {
		setNil()
		return d.literal("null")
	}
	return d.mismatch(field, want)
}

// mismatch reports the value at the cursor as the wrong type for the field,
// or as invalid JSON if it does not start like a value.
func (d *decoder) mismatch(field, want string) error {
	var got string
	switch c := d.peek(); {
	case c == '{':
		got = "object"
	case c == '[':
		got = "array"
	case c == '"':
		got = "string"
	case c == 't' || c == 'f':
		got = "bool"
	case c == '-' || isDigit(c):
		got = "number"
	default:
		return d.unexpected("looking for beginning of value")
	}
	return d.fail(d.pos, "cannot decode %s into %s (%s)", got, field, want)
}
