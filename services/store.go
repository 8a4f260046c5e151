package services

import (
	"errors"
	"sync"
)

// A User is one record of the store, rendered as {"id","name","email"}.
type User struct {
	ID    int64  `json:"id"`
	Name  string `json:"name"`
	Email string `json:"email"`
}

// ErrDuplicateEmail is returned by Store.Create when the email is already registered.
var ErrDuplicateEmail = errors.New("email already registered")

// A Store holds users in id order. It is safe for concurrent use.
//
// Ids are dense (user n sits at index n-1, users are never deleted), which makes
// a page an O(limit) slice and a lookup by id O(1); the email index makes the
// duplicate check O(1). Check and insert happen under one lock.
type Store struct {
	mu      sync.RWMutex
	users   []User
	byEmail map[string]struct{}
}

// NewStore returns a store holding the contract's two seed users.
func NewStore() *Store {
	s := &Store{byEmail: make(map[string]struct{})}
	for _, u := range [...][2]string{{"Alice", "alice@example.com"}, {"Bob", "bob@example.com"}} {
		if _, err := s.Create(u[0], u[1]); err != nil {
			panic(err) // the seed list is a constant without duplicates
		}
	}
	return s
}

// Create adds a user with the next id, or returns ErrDuplicateEmail.
func (s *Store) Create(name, email string) (User, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, taken := s.byEmail[email]; taken {
		return User{}, ErrDuplicateEmail
	}
	u := User{ID: int64(len(s.users)) + 1, Name: name, Email: email}
	s.users = append(s.users, u)
	s.byEmail[email] = struct{}{}
	return u, nil
}

// Get returns the user with the given id.
func (s *Store) Get(id int64) (User, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if id < 1 || id > int64(len(s.users)) {
		return User{}, false
	}
	return s.users[id-1], true
}

// Page returns the users at positions [skip, skip+limit) in id order. Both
// arguments must be >= 0; a page past the end is empty.
//
// The page shares the store's memory and must not be modified. That is safe
// without a copy because a user is never changed once appended: Create only
// writes past the length every earlier reader saw, and the page's capacity is
// capped so that an append to it cannot reach the store's elements either.
func (s *Store) Page(skip, limit int64) []User {
	s.mu.RLock()
	defer s.mu.RUnlock()
	n := int64(len(s.users))
	if skip >= n {
		return []User{}
	}
	end := n
	if limit < n-skip { // compared this way, skip+limit cannot overflow
		end = skip + limit
	}
	return s.users[skip:end:end]
}

// Len returns the number of users.
func (s *Store) Len() int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return len(s.users)
}
