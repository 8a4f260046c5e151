package imageproc

import (
	"bytes"
	"encoding/binary"
)

// orientationTag is the EXIF/TIFF tag of the orientation (1..8).
const orientationTag = 0x0112

// Orientation reads the EXIF orientation of a JPEG file's bytes: 1..8, or 1
// when the file has none or it cannot be read (as every library here treats a
// broken EXIF block: the image itself still decodes).
func Orientation(jpg []byte) int {
	if len(jpg) < 4 || jpg[0] != 0xFF || jpg[1] != 0xD8 {
		return 1
	}
	for i := 2; i+4 <= len(jpg); {
		if jpg[i] != 0xFF {
			return 1
		}
		marker := jpg[i+1]
		if marker == 0xD8 || (marker >= 0xD0 && marker <= 0xD7) || marker == 0x01 || marker == 0xFF {
			i++
			continue
		}
		if marker == 0xDA || marker == 0xD9 { // scan data or end: no EXIF before it
			return 1
		}
		n := int(binary.BigEndian.Uint16(jpg[i+2:]))
		end := i + 2 + n
		if n < 2 || end > len(jpg) {
			return 1
		}
		if marker == 0xE1 && bytes.HasPrefix(jpg[i+4:end], []byte("Exif\x00\x00")) {
			if o := tiffOrientation(jpg[i+10 : end]); o != 0 {
				return o
			}
		}
		i = end
	}
	return 1
}

// tiffOrientation reads tag 0x0112 from IFD0 of a TIFF block, 0 if absent.
func tiffOrientation(t []byte) int {
	if len(t) < 8 {
		return 0
	}
	var order binary.ByteOrder
	switch string(t[:2]) {
	case "II":
		order = binary.LittleEndian
	case "MM":
		order = binary.BigEndian
	default:
		return 0
	}
	ifd := int(order.Uint32(t[4:]))
	if ifd < 8 || ifd+2 > len(t) {
		return 0
	}
	count := int(order.Uint16(t[ifd:]))
	for k := 0; k < count; k++ {
		e := ifd + 2 + 12*k
		if e+12 > len(t) {
			return 0
		}
		if order.Uint16(t[e:]) == orientationTag && order.Uint16(t[e+2:]) == 3 { // SHORT
			if o := int(order.Uint16(t[e+8:])); o >= 1 && o <= 8 {
				return o
			}
			return 0
		}
	}
	return 0
}

// WithOrientation returns a JPEG file's bytes with an EXIF block (APP1) that
// holds only the orientation tag, inserted right after SOI.
func WithOrientation(jpg []byte, orientation int) []byte {
	tiff := []byte{'M', 'M', 0, 42, 0, 0, 0, 8, // big-endian header, IFD0 at 8
		0, 1, // one entry
		0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, byte(orientation), 0, 0, // orientation, SHORT, 1 value
		0, 0, 0, 0} // no next IFD
	payload := append([]byte("Exif\x00\x00"), tiff...)
	seg := []byte{0xFF, 0xE1, 0, 0}
	binary.BigEndian.PutUint16(seg[2:], uint16(len(payload)+2))
	out := make([]byte, 0, len(jpg)+len(seg)+len(payload))
	out = append(out, jpg[:2]...)
	out = append(out, seg...)
	out = append(out, payload...)
	return append(out, jpg[2:]...)
}

// Oriented is the size an image of w x h pixels displays at under an EXIF
// orientation: 5..8 swap the sides.
func Oriented(w, h, orientation int) (int, int) {
	if orientation >= 5 && orientation <= 8 {
		return h, w
	}
	return w, h
}
