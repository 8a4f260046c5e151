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

// A codec is one worker's TurboJPEG handles and output buffer.
type codec struct {
	dec, enc C.tjhandle
	out      *C.uchar
	outCap   C.ulong
}

func newCodec() (*codec, error) {
	c := &codec{dec: C.tjInitDecompress(), enc: C.tjInitCompress()}
	if c.dec == nil || c.enc == nil {
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
}

func (c *codec) header(data []byte) (header, error) {
	if len(data) == 0 {
		return header{}, errors.New("empty file")
	}
	var w, h, subsamp, colorspace C.int
	if C.tjDecompressHeader3(c.dec, (*C.uchar)(unsafe.Pointer(&data[0])), C.ulong(len(data)), &w, &h, &subsamp, &colorspace) != 0 {
		return header{}, c.err(c.dec)
	}
	return header{int(w), int(h), colorspace == C.TJCS_CMYK || colorspace == C.TJCS_YCCK}, nil
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

// encode compresses img as a baseline 4:2:0 JPEG at quality into the
// codec's buffer and returns a copy of it.
func (c *codec) encode(img *lanczos.RGB, quality int) ([]byte, error) {
	need := C.tjBufSize(C.int(img.Width), C.int(img.Height), C.TJSAMP_420)
	if need > c.outCap {
		if c.out != nil {
			C.tjFree(c.out)
		}
		c.out, c.outCap = C.tjAlloc(C.int(need)), need
		if c.out == nil {
			c.outCap = 0
			return nil, errors.New("libjpeg-turbo: out of memory")
		}
	}
	size := c.outCap
	if C.tjCompress2(c.enc, (*C.uchar)(unsafe.Pointer(&img.Pix[0])), C.int(img.Width), C.int(img.Stride), C.int(img.Height), C.TJPF_RGB,
		&c.out, &size, C.TJSAMP_420, C.int(quality), flags|C.TJFLAG_NOREALLOC) != 0 {
		return nil, c.err(c.enc)
	}
	return C.GoBytes(unsafe.Pointer(c.out), C.int(size)), nil
}
