package tribench.imageproc

import org.junit.jupiter.api.Test
import java.awt.image.BufferedImage
import kotlin.test.assertEquals

class PixelsTest {
    private fun red(img: BufferedImage, x: Int, y: Int) = (img.getRGB(x, y) shr 16) and 0xFF

    @Test
    fun `grey samples are copied, not colour-managed`() {
        val grey = BufferedImage(2, 1, BufferedImage.TYPE_BYTE_GRAY)
        grey.raster.setSample(0, 0, 0, 100)
        grey.raster.setSample(1, 0, 0, 200)
        val rgb = toRgb(grey)
        assertEquals(listOf(100, 200), listOf(red(rgb, 0, 0), red(rgb, 1, 0)))
        assertEquals(100, rgb.getRGB(0, 0) and 0xFF)
    }

    @Test
    fun `alpha is dropped and the colour kept`() {
        val argb = BufferedImage(1, 1, BufferedImage.TYPE_4BYTE_ABGR)
        argb.raster.setPixel(0, 0, intArrayOf(10, 20, 30, 0)) // fully transparent
        val rgb = toRgb(argb)
        assertEquals(0x0A141E, rgb.getRGB(0, 0) and 0xFFFFFF)
    }

    /** A 3x2 image numbered row by row, turned by each orientation, against the upright
     *  picture the EXIF specification draws for it. */
    @Test
    fun `orientations turn the picture upright`() {
        val src = BufferedImage(3, 2, BufferedImage.TYPE_3BYTE_BGR)
        for (i in 0 until 6) src.raster.setSample(i % 3, i / 3, 0, i + 1)
        val want = mapOf(
            1 to listOf(listOf(1, 2, 3), listOf(4, 5, 6)), 2 to listOf(listOf(3, 2, 1), listOf(6, 5, 4)),
            3 to listOf(listOf(6, 5, 4), listOf(3, 2, 1)), 4 to listOf(listOf(4, 5, 6), listOf(1, 2, 3)),
            5 to listOf(listOf(1, 4), listOf(2, 5), listOf(3, 6)), 6 to listOf(listOf(4, 1), listOf(5, 2), listOf(6, 3)),
            7 to listOf(listOf(6, 3), listOf(5, 2), listOf(4, 1)), 8 to listOf(listOf(3, 6), listOf(2, 5), listOf(1, 4)),
        )
        for ((o, rows) in want) {
            val out = orient(src, o)
            val got = (0 until out.height).map { y -> (0 until out.width).map { x -> out.raster.getSample(x, y, 0) } }
            assertEquals(rows, got, "orientation $o")
        }
    }
}
