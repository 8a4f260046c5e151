package schemadecode

import "encoding/binary"

// A keySet is the keys of one of the schema's objects, indexed by their
// field constants, which are numbered in the order the generator writes the
// keys. Typed guesses that a member's key is the one after the previous
// member's and checks the guess against its `"key":` bytes with two 8-byte
// loads; only a wrong guess (another order, whitespace, an escape in the key,
// an unknown key) scans the key and looks it up by name. Either way the
// result is the field's index, so the member is dispatched by an integer
// switch rather than by comparing strings.
type keySet struct {
	names []string
	exact []keyBytes
}

// keyBytes is `"key":` as two little-endian words, with masks for the bytes
// past its length.
type keyBytes struct {
	lo, hi, loMask, hiMask uint64
	n                      int
}

// maxExactKey is the longest key whose `"key":` fits the two words.
const maxExactKey = 16 - len(`"":`)

func newKeySet(names ...string) keySet {
	ks := keySet{names: names, exact: make([]keyBytes, len(names))}
	for f, name := range names {
		if name == "" || len(name) > maxExactKey {
			panic("schemadecode: key " + name + " cannot be matched exactly") // the sets below are constants
		}
		var text, mask [16]byte
		n := copy(text[:], `"`+name+`":`)
		for i := 0; i < n; i++ {
			mask[i] = 0xff
		}
		ks.exact[f] = keyBytes{
			lo: binary.LittleEndian.Uint64(text[:8]), hi: binary.LittleEndian.Uint64(text[8:]),
			loMask: binary.LittleEndian.Uint64(mask[:8]), hiMask: binary.LittleEndian.Uint64(mask[8:]),
			n: n,
		}
	}
	return ks
}

// firstField opens an object and reads its first member's key, as field
// does; more is false for an empty object.
func (d *decoder) firstField(keys *keySet) (f int, more bool, err error) {
	if !d.open('}') {
		return unknownField, false, nil
	}
	f, err = d.field(keys, 0)
	return f, true, err
}

// nextField moves past what follows a member's value: the object's end
// (more is false) or a comma and the next member's key, read as field does.
// Its common case, a comma and the guessed key with no whitespace around
// either, is checked here, one call per member rather than two.
func (d *decoder) nextField(keys *keySet, guess int) (f int, more bool, err error) {
	data, i := d.data, d.pos
	if uint(guess) < uint(len(keys.exact)) && i+17 < len(data) && data[i] == ',' {
		k := &keys.exact[guess]
		if binary.LittleEndian.Uint64(data[i+1:])&k.loMask == k.lo &&
			binary.LittleEndian.Uint64(data[i+9:])&k.hiMask == k.hi && data[i+1+k.n] > ' ' {
			d.pos = i + 1 + k.n
			return guess, true, nil
		}
	}
	if more, err = d.next('}', "after object member"); err != nil || !more {
		return unknownField, false, err
	}
	f, err = d.field(keys, guess)
	return f, true, err
}

// unknownField is the index of a key that is not in the set.
const unknownField = -1

// field reads a member's key and the colon after it, leaving the cursor at the
// value, and returns the key's index in keys (unknownField if absent). It
// tries the guess first (any index, out of range included).
func (d *decoder) field(keys *keySet, guess int) (int, error) {
	data, i := d.data, d.pos
	if uint(guess) < uint(len(keys.exact)) && i+16 <= len(data) {
		k := &keys.exact[guess]
		if binary.LittleEndian.Uint64(data[i:])&k.loMask == k.lo && binary.LittleEndian.Uint64(data[i+8:])&k.hiMask == k.hi {
			d.pos = i + k.n
			d.ws()
			return guess, nil
		}
	}
	name, err := d.key()
	if err != nil {
		return 0, err
	}
	for f, n := range keys.names {
		if n == name {
			return f, nil
		}
	}
	return unknownField, nil
}

// The fields of each object of the schema, in the generator's order.
const (
	recordID = iota
	recordName
	recordEmail
	recordActive
	recordScore
	recordBalance
	recordCreated
	recordNickname
	recordBio
	recordAddress
	recordTags
	recordMetadata
	recordOrders
)

const (
	addressStreet = iota
	addressLine2
	addressCity
	addressPostcode
	addressCountry
	addressLat
	addressLon
)

const (
	orderID = iota
	orderPlaced
	orderStatus
	orderCurrency
	orderTotal
	orderCoupon
	orderItems
)

const (
	itemSKU = iota
	itemTitle
	itemQuantity
	itemUnitPrice
	itemDiscount
	itemWeight
)

// The key sets, each name at its field's index.
var (
	recordKeys = newKeySet([]string{
		recordID: "id", recordName: "name", recordEmail: "email", recordActive: "active",
		recordScore: "score", recordBalance: "balance", recordCreated: "created",
		recordNickname: "nickname", recordBio: "bio", recordAddress: "address",
		recordTags: "tags", recordMetadata: "metadata", recordOrders: "orders",
	}...)
	addressKeys = newKeySet([]string{
		addressStreet: "street", addressLine2: "line2", addressCity: "city",
		addressPostcode: "postcode", addressCountry: "country", addressLat: "lat", addressLon: "lon",
	}...)
	orderKeys = newKeySet([]string{
		orderID: "id", orderPlaced: "placed", orderStatus: "status", orderCurrency: "currency",
		orderTotal: "total", orderCoupon: "coupon", orderItems: "items",
	}...)
	itemKeys = newKeySet([]string{
		itemSKU: "sku", itemTitle: "title", itemQuantity: "quantity",
		itemUnitPrice: "unit_price", itemDiscount: "discount", itemWeight: "weight",
	}...)
)
