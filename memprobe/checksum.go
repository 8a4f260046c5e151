package memprobe

import (
	"crypto/sha256"
	"encoding/hex"
	"strconv"
)

// Checksum is the hex SHA-256 of "id\tname\temail\n" for every user in id
// order: the same digest from every contender proves they built the same
// objects. An empty population hashes the empty input.
func Checksum(p Population) string {
	h := sha256.New()
	line := make([]byte, 0, 64)
	for i := 0; i < p.Len(); i++ {
		u := p.At(i)
		line = strconv.AppendInt(line[:0], u.ID, 10)
		line = append(line, '\t')
		line = append(line, u.Name...)
		line = append(line, '\t')
		line = append(line, u.Email...)
		line = append(line, '\n')
		h.Write(line)
	}
	return hex.EncodeToString(h.Sum(nil))
}
