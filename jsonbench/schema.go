package jsonbench

import (
	"maps"
	"slices"
)

// A Record is one element of the document's top-level array (SCHEMA.md): a user
// with an optional address, tags, a metadata map and orders. Pointer fields are
// the nullable ones; every key is always present in the document.
type Record struct {
	Active   bool              `json:"active"`
	Address  *Address          `json:"address"`
	Balance  int64             `json:"balance"`
	Bio      string            `json:"bio"`
	Created  string            `json:"created"`
	Email    string            `json:"email"`
	ID       int64             `json:"id"`
	Metadata map[string]string `json:"metadata"`
	Name     string            `json:"name"`
	Nickname *string           `json:"nickname"`
	Orders   []Order           `json:"orders"`
	Score    float64           `json:"score"`
	Tags     []string          `json:"tags"`
}

// An Address is where a user lives; Line2 is nullable.
type Address struct {
	City     string  `json:"city"`
	Country  string  `json:"country"`
	Lat      float64 `json:"lat"`
	Line2    *string `json:"line2"`
	Lon      float64 `json:"lon"`
	Postcode string  `json:"postcode"`
	Street   string  `json:"street"`
}

// An Order is one of a user's orders; Coupon is nullable.
type Order struct {
	Coupon   *string `json:"coupon"`
	Currency string  `json:"currency"`
	ID       int64   `json:"id"`
	Items    []Item  `json:"items"`
	Placed   string  `json:"placed"`
	Status   string  `json:"status"`
	Total    float64 `json:"total"`
}

// An Item is one line of an order; Discount is nullable.
type Item struct {
	Discount  *float64 `json:"discount"`
	Quantity  int64    `json:"quantity"`
	SKU       string   `json:"sku"`
	Title     string   `json:"title"`
	UnitPrice float64  `json:"unit_price"`
	Weight    float64  `json:"weight"`
}

// The typed digest walks the structs with their keys written in byte order,
// which is the order of the fields above; the generic digest of the same
// document must come out equal (tested on generated documents).

// DigestRecords is the digest of a typed document.
func DigestRecords(records []Record) Digest {
	c := NewCanon()
	c.BeginArray()
	for i := range records {
		c.Record(&records[i])
	}
	c.EndArray()
	return c.Sum()
}

// Record writes one record.
func (c *Canon) Record(r *Record) {
	c.BeginObject()
	c.Key("active")
	c.Bool(r.Active)
	c.Key("address")
	if r.Address == nil {
		c.Null()
	} else {
		c.address(r.Address)
	}
	c.Key("balance")
	c.Integer(r.Balance)
	c.Key("bio")
	c.String(r.Bio)
	c.Key("created")
	c.String(r.Created)
	c.Key("email")
	c.String(r.Email)
	c.Key("id")
	c.Integer(r.ID)
	c.Key("metadata")
	c.BeginObject()
	for _, k := range slices.Sorted(maps.Keys(r.Metadata)) {
		c.Key(k)
		c.String(r.Metadata[k])
	}
	c.EndObject()
	c.Key("name")
	c.String(r.Name)
	c.Key("nickname")
	c.optionalString(r.Nickname)
	c.Key("orders")
	c.BeginArray()
	for i := range r.Orders {
		c.order(&r.Orders[i])
	}
	c.EndArray()
	c.Key("score")
	c.Number(r.Score)
	c.Key("tags")
	c.BeginArray()
	for _, t := range r.Tags {
		c.String(t)
	}
	c.EndArray()
	c.EndObject()
}

func (c *Canon) address(a *Address) {
	c.BeginObject()
	c.Key("city")
	c.String(a.City)
	c.Key("country")
	c.String(a.Country)
	c.Key("lat")
	c.Number(a.Lat)
	c.Key("line2")
	c.optionalString(a.Line2)
	c.Key("lon")
	c.Number(a.Lon)
	c.Key("postcode")
	c.String(a.Postcode)
	c.Key("street")
	c.String(a.Street)
	c.EndObject()
}

func (c *Canon) order(o *Order) {
	c.BeginObject()
	c.Key("coupon")
	c.optionalString(o.Coupon)
	c.Key("currency")
	c.String(o.Currency)
	c.Key("id")
	c.Integer(o.ID)
	c.Key("items")
	c.BeginArray()
	for i := range o.Items {
		c.item(&o.Items[i])
	}
	c.EndArray()
	c.Key("placed")
	c.String(o.Placed)
	c.Key("status")
	c.String(o.Status)
	c.Key("total")
	c.Number(o.Total)
	c.EndObject()
}

func (c *Canon) item(it *Item) {
	c.BeginObject()
	c.Key("discount")
	if it.Discount == nil {
		c.Null()
	} else {
		c.Number(*it.Discount)
	}
	c.Key("quantity")
	c.Integer(it.Quantity)
	c.Key("sku")
	c.String(it.SKU)
	c.Key("title")
	c.String(it.Title)
	c.Key("unit_price")
	c.Number(it.UnitPrice)
	c.Key("weight")
	c.Number(it.Weight)
	c.EndObject()
}

func (c *Canon) optionalString(s *string) {
	if s == nil {
		c.Null()
	} else {
		c.String(*s)
	}
}
