package tribench.imageproc

import kotlin.math.abs
import kotlin.math.ceil
import kotlin.math.floor
import kotlin.math.max

/** Pillow's default Image.MAX_IMAGE_PIXELS: every contender refuses a larger image before decoding it. */
const val MAX_PIXELS = 89_478_485L

/** A width and a height in pixels. */
data class Size(val width: Int, val height: Int) {
    /** The size with its sides swapped. */
    fun swapped() = Size(height, width)
}

/**
 * The size Pillow's `Image.thumbnail((boxW, boxH))` gives an image of [size]: the aspect
 * ratio kept, each side rounded to whichever of floor and ceiling keeps the aspect closest
 * (floor on a tie), at least 1; an image that already fits is left as it is. Pillow 12's
 * preserve_aspect_ratio in the same double arithmetic.
 */
fun thumbnailSize(size: Size, boxW: Int, boxH: Int): Size {
    val (w, h) = size
    if (boxW >= w && boxH >= h) return size
    val aspect = w.toDouble() / h
    return if (boxW.toDouble() / boxH >= aspect) {
        Size(roundAspect(boxH * aspect) { n -> abs(aspect - n.toDouble() / boxH) }, boxH)
    } else {
        Size(boxW, roundAspect(boxW / aspect) { n -> if (n == 0) 0.0 else abs(aspect - boxW.toDouble() / n) })
    }
}

/** Pillow's round_aspect: min(floor, ceil, key=key), the first on a tie, at least 1. */
private fun roundAspect(number: Double, key: (Int) -> Double): Int {
    val lo = floor(number).toInt()
    val hi = ceil(number).toInt()
    return max(if (key(hi) < key(lo)) hi else lo, 1)
}
