package tribench.imageproc

import java.awt.image.BufferedImage
import java.awt.image.ComponentColorModel
import java.awt.image.DataBufferByte
import java.awt.image.IndexColorModel

/**
 * The decoded image as 8-bit RGB ([BufferedImage.TYPE_3BYTE_BGR]) the way Pillow's
 * convert("RGB") makes it: samples copied as they are (a grey sample to all three
 * channels, no colour management: Java's linear grey space would lighten it), alpha
 * dropped with the colour values kept, a palette looked up.
 */
fun toRgb(src: BufferedImage): BufferedImage {
    if (src.type == BufferedImage.TYPE_3BYTE_BGR) return src
    val w = src.width
    val h = src.height
    val out = BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR)
    val dst = (out.raster.dataBuffer as DataBufferByte).data
    val raster = src.raster
    val model = src.colorModel
    if (model is IndexColorModel) {
        val index = IntArray(w)
        for (y in 0 until h) {
            raster.getSamples(0, y, w, 1, 0, index)
            for (x in 0 until w) {
                val p = index[x]
                val o = 3 * (y * w + x)
                dst[o] = model.getBlue(p).toByte()
                dst[o + 1] = model.getGreen(p).toByte()
                dst[o + 2] = model.getRed(p).toByte()
            }
        }
        return out
    }
    require(model is ComponentColorModel || raster.numBands >= 3) { "unsupported colour model $model" }
    val bands = raster.numBands
    val grey = bands <= 2 // grey, or grey and alpha
    val shift = model.getComponentSize(0) - 8 // 16-bit samples keep their high byte, as in Pillow
    val samples = IntArray(w * bands)
    for (y in 0 until h) {
        raster.getPixels(0, y, w, 1, samples)
        for (x in 0 until w) {
            val s = x * bands
            val o = 3 * (y * w + x)
            val r = samples[s] shr shift
            dst[o + 2] = r.toByte()
            dst[o + 1] = (if (grey) r else samples[s + 1] shr shift).toByte()
            dst[o] = (if (grey) r else samples[s + 2] shr shift).toByte()
        }
    }
    return out
}

/**
 * [src] turned upright by an EXIF orientation (1..8): the size of [src] with its sides
 * swapped for 5..8. Lanczos is separable and symmetric, so orienting the thumbnail gives
 * the pixels of thumbnailing the oriented image, for a sixth of the copying.
 */
fun orient(src: BufferedImage, orientation: Int): BufferedImage {
    if (orientation !in 2..8) return src
    val w = src.width
    val h = src.height
    val swap = orientation >= 5
    val out = BufferedImage(if (swap) h else w, if (swap) w else h, BufferedImage.TYPE_3BYTE_BGR)
    val s = (src.raster.dataBuffer as DataBufferByte).data
    val d = (out.raster.dataBuffer as DataBufferByte).data
    for (y in 0 until out.height) {
        for (x in 0 until out.width) {
            val sx = when (orientation) {
                2, 3 -> w - 1 - x
                4 -> x
                5, 6 -> y
                else -> w - 1 - y // 7, 8
            }
            val sy = when (orientation) {
                2, 8 -> if (orientation == 2) y else x
                3, 4 -> h - 1 - y
                5 -> x
                else -> h - 1 - x // 6, 7
            }
            System.arraycopy(s, 3 * (sy * w + sx), d, 3 * (y * out.width + x), 3)
        }
    }
    return out
}
