//go:build turbojpeg

package turbo

/*
#cgo LDFLAGS: -lturbojpeg
#include <stdlib.h>
#include <turbojpeg.h>
*/
import "C"

import (
	"errors"
	"fmt"
	"unsafe"

	"github.com/tribench/tribench/imageproc/lanczos"
)

// flags of every call: the accurate integer DCT both ways (libjpeg's default,
// and so Pillow's; TurboJPEG would otherwise compress with the fast one), and
// a warning (a truncated or corrupt stream that libjpeg would patch up and
// finish) stops the call with an error instead.
const flags = C.TJFLAG_ACCURATEDCT | C.TJFLAG_STOPONWARNING

// A codec is one worker's TurboJPEG handles, output buffer and planes.
type codec struct {
	dec, enc C.tjhandle
	out      *C.uchar
	outCap   C.ulong
	// in holds a decoded JPEG's planes, small a thumbnail's.
	in, small planes
}

// planes are three 8-bit planes (Y, Cb, Cr) in C memory: TurboJPEG takes them
// through an array of pointers, and cgo lets no C function receive Go memory
// that holds Go pointers. The arrays live in C memory too.
type planes struct {
	ptrs    *[3]*C.uchar
	strides *[3]C.int
	caps    [3]int
}

func newPlanes() planes {
	return planes{ptrs: (*[3]*C.uchar)(C.calloc(3, C.size_t(unsafe.Sizeof((*C.uchar)(nil))))),
		strides: (*[3]C.int)(C.calloc(3, C.size_t(unsafe.Sizeof(C.int(0)))))}
}

// plane id of a w x h image with subsampling subsamp, its buffer grown as
// needed. TurboJPEG's planes are padded to whole chroma samples (a 1999-pixel
// wide 4:2:0 image has a Y plane of 2000 and Cb and Cr planes of 1000): the
// Plane's Width and Height are the pixels the image holds, its buffer and
// Stride TurboJPEG's.
func (p *planes) plane(id, w, h int, subsamp C.int) *lanczos.Plane {
	pw, ph := int(C.tjPlaneWidth(C.int(id), C.int(w), subsamp)), int(C.tjPlaneHeight(C.int(id), C.int(h), subsamp))
	if p.caps[id] < pw*ph {
		C.free(unsafe.Pointer(p.ptrs[id]))
		p.ptrs[id], p.caps[id] = (*C.uchar)(C.malloc(C.size_t(pw*ph))), pw*ph
	}
	p.strides[id] = C.int(pw)
	if id == 0 {
		pw, ph = w, h
	}
	return &lanczos.Plane{Pix: unsafe.Slice((*uint8)(unsafe.Pointer(p.ptrs[id])), int(p.strides[id])*ph), Width: pw, Height: ph, Stride: int(p.strides[id])}
}

func (p *planes) free() {
	if p.ptrs != nil {
		for _, ptr := range p.ptrs {
			C.free(unsafe.Pointer(ptr))
		}
		C.free(unsafe.Pointer(p.ptrs))
		C.free(unsafe.Pointer(p.strides))
	}
	*p = planes{}
}

func newCodec() (*codec, error) {
	c := &codec{dec: C.tjInitDecompress(), enc: C.tjInitCompress(), in: newPlanes(), small: newPlanes()}
	if c.dec == nil || c.enc == nil || c.in.ptrs == nil || c.small.ptrs == nil {
		c.close()
		return nil, errors.New("libjpeg-turbo: cannot make a handle")
	}
	return c, nil
}

func (c *codec) close() {
	if c.dec != nil {
		C.tjDestroy(c.dec)
	}
	if c.enc != nil {
		C.tjDestroy(c.enc)
	}
	if c.out != nil {
		C.tjFree(c.out)
	}
	c.in.free()
	c.small.free()
	*c = codec{}
}

func (c *codec) err(h C.tjhandle) error {
	msg := C.GoString(C.tjGetErrorStr2(h))
	if C.tjGetErrorCode(h) == C.TJERR_WARNING {
		return fmt.Errorf("libjpeg-turbo warning, a failure here: %s", msg)
	}
	return fmt.Errorf("libjpeg-turbo: %s", msg)
}

// A header is what a JPEG's frame header declares.
type header struct {
	width, height int
	cmyk          bool
	subsamp       C.int
}

// gray says the JPEG has one component (no chroma planes).
func (hd header) gray() bool { return hd.subsamp == C.TJSAMP_GRAY }

func (c *codec) header(data []byte) (header, error) {
	if len(data) == 0 {
		return header{}, errors.New("empty file")
	}
	var w, h, subsamp, colorspace C.int
	if C.tjDecompressHeader3(c.dec, (*C.uchar)(unsafe.Pointer(&data[0])), C.ulong(len(data)), &w, &h, &subsamp, &colorspace) != 0 {
		return header{}, c.err(c.dec)
	}
	return header{int(w), int(h), colorspace == C.TJCS_CMYK || colorspace == C.TJCS_YCCK, subsamp}, nil
}

// decode decompresses data at full size into dst (3 or, for CMYK, 4 bytes a pixel).
func (c *codec) decode(data []byte, hd header, dst []byte) error {
	format, bpp := C.int(C.TJPF_RGB), 3
	if hd.cmyk {
		format, bpp = C.TJPF_CMYK, 4
	}
	if C.tjDecompress2(c.dec, (*C.uchar)(unsafe.Pointer(&data[0])), C.ulong(len(data)), (*C.uchar)(unsafe.Pointer(&dst[0])),
		C.int(hd.width), C.int(bpp*hd.width), C.int(hd.height), format, flags) != 0 {
		return c.err(c.dec)
	}
	return nil
}

// decodePlanes decompresses data at full size into its Y, Cb and Cr planes
// at the JPEG's own subsampling, leaving out the colour conversion (and the
// chroma upsampling) a decode to RGB does.
func (c *codec) decodePlanes(data []byte, hd header) ([3]*lanczos.Plane, error) {
	var ps [3]*lanczos.Plane
	for id := range ps {
		ps[id] = c.in.plane(id, hd.width, hd.height, hd.subsamp)
	}
	if C.tjDecompressToYUVPlanes(c.dec, (*C.uchar)(unsafe.Pointer(&data[0])), C.ulong(len(data)), &c.in.ptrs[0],
		C.int(hd.width), &c.in.strides[0], C.int(hd.height), flags) != 0 {
		return ps, c.err(c.dec)
	}
	return ps, nil
}

// thumbnailPlanes are the planes of a w x h 4:2:0 thumbnail, for encodePlanes.
func (c *codec) thumbnailPlanes(w, h int) [3]*lanczos.Plane {
	var ps [3]*lanczos.Plane
	for id := range ps {
		ps[id] = c.small.plane(id, w, h, C.TJSAMP_420)
	}
	return ps
}

// encodePlanes compresses the w x h thumbnail planes as a baseline 4:2:0
// JPEG at quality and returns a copy of it.
func (c *codec) encodePlanes(w, h, quality int) ([]byte, error) {
	if err := c.grow(w, h); err != nil {
		return nil, err
	}
	size := c.outCap
	if C.tjCompressFromYUVPlanes(c.enc, (**C.uchar)(unsafe.Pointer(&c.small.ptrs[0])), C.int(w), &c.small.strides[0], C.int(h), C.TJSAMP_420,
		&c.out, &size, C.int(quality), flags|C.TJFLAG_NOREALLOC) != 0 {
		return nil, c.err(c.enc)
	}
	return C.GoBytes(unsafe.Pointer(c.out), C.int(size)), nil
}

// grow makes the output buffer large enough for any w x h 4:2:0 JPEG.
func (c *codec) grow(w, h int) error {
	need := C.tjBufSize(C.int(w), C.int(h), C.TJSAMP_420)
	if need > c.outCap {
		if c.out != nil {
			C.tjFree(c.out)
		}
		c.out, c.outCap = C.tjAlloc(C.int(need)), need
		if c.out == nil {
			c.outCap = 0
			return errors.New("libjpeg-turbo: out of memory")
		}
	}
	return nil
}

// encode compresses img as a baseline 4:2:0 JPEG at quality into the
// codec's buffer and returns a copy of it.
func (c *codec) encode(img *lanczos.RGB, quality int) ([]byte, error) {
	if err := c.grow(img.Width, img.Height); err != nil {
		return nil, err
	}
	size := c.outCap
	if C.tjCompress2(c.enc, (*C.uchar)(unsafe.Pointer(&img.Pix[0])), C.int(img.Width), C.int(img.Stride), C.int(img.Height), C.TJPF_RGB,
		&c.out, &size, C.TJSAMP_420, C.int(quality), flags|C.TJFLAG_NOREALLOC) != 0 {
		return nil, c.err(c.enc)
	}
	return C.GoBytes(unsafe.Pointer(c.out), C.int(size)), nil
}
