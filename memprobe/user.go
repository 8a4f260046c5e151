package memprobe

import (
	"fmt"
	"strconv"
)

// A User is the object every contender builds N of: id = 1..N, name =
// user-%06d, email = user-%06d@example.com. Its layout is 40 bytes on 64-bit
// platforms: an int64 and two string headers.
type User struct {
	ID    int64
	Name  string
	Email string
}

// A Shape is how the N users are held: the names the probe command accepts.
type Shape string

const (
	// Structs holds the users by value in one preallocated []User.
	Structs Shape = "structs"
	// Pointers holds them in a preallocated []*User, each User its own allocation.
	Pointers Shape = "pointers"
)

// Shapes lists every shape the Go contender implements, in report order.
var Shapes = []Shape{Structs, Pointers}

// ParseShape returns the shape called name, or an error naming the known ones.
func ParseShape(name string) (Shape, error) {
	for _, s := range Shapes {
		if string(s) == name {
			return s, nil
		}
	}
	return "", fmt.Errorf("unknown shape %q (known: structs, pointers)", name)
}

// A Population is N users built in one shape, read back in id order. It is
// a plain value (no interface), so returning it allocates nothing the
// measurement would have to explain.
type Population struct {
	structs  []User
	pointers []*User
}

// Len is how many users were built.
func (p Population) Len() int { return len(p.structs) + len(p.pointers) }

// At returns the user with id i+1.
func (p Population) At(i int) *User {
	if p.pointers != nil {
		return p.pointers[i]
	}
	return &p.structs[i]
}

// Build makes n users in the given shape, the container preallocated. Each
// name and email is one allocation of exactly its length, so the heap holds
// nothing else that the arithmetic of ExpectedBytes does not count.
func Build(shape Shape, n int) (Population, error) {
	if err := CheckCount(n); err != nil {
		return Population{}, err
	}
	switch shape {
	case Structs:
		users := make([]User, 0, n)
		for id := 1; id <= n; id++ {
			name, email := names(id)
			users = append(users, User{ID: int64(id), Name: name, Email: email})
		}
		return Population{structs: users}, nil
	case Pointers:
		users := make([]*User, 0, n)
		for id := 1; id <= n; id++ {
			name, email := names(id)
			users = append(users, &User{ID: int64(id), Name: name, Email: email})
		}
		return Population{pointers: users}, nil
	}
	return Population{}, fmt.Errorf("unknown shape %q", shape)
}

// names returns user-%06d and user-%06d@example.com for id without fmt, whose
// boxing of the argument would put garbage between the measured allocations.
func names(id int) (name, email string) {
	var buf [32]byte
	b := append(buf[:0], "user-"...)
	for bound := 100000; bound > 1 && id < bound; bound /= 10 {
		b = append(b, '0')
	}
	b = strconv.AppendInt(b, int64(id), 10)
	name = string(b)
	return name, name + "@example.com"
}
