package tribench.imageproc

import kotlinx.serialization.json.Json
import kotlinx.serialization.json.int
import kotlinx.serialization.json.jsonArray
import kotlinx.serialization.json.jsonObject
import kotlinx.serialization.json.jsonPrimitive
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.io.TempDir
import java.awt.image.BufferedImage
import java.io.ByteArrayOutputStream
import java.io.File
import java.io.PrintStream
import javax.imageio.ImageIO
import kotlin.test.assertEquals
import kotlin.test.assertTrue

class MainTest {
    @TempDir
    lateinit var dir: File

    private fun run(vararg args: String): Triple<Int, String, String> {
        val out = ByteArrayOutputStream()
        val err = ByteArrayOutputStream()
        val code = main(args.toList(), PrintStream(out, true, "UTF-8"), PrintStream(err, true, "UTF-8"))
        return Triple(code, out.toString("UTF-8"), err.toString("UTF-8"))
    }

    private fun folder(): File {
        val input = File(dir, "in").apply { mkdirs() }
        val img = BufferedImage(320, 180, BufferedImage.TYPE_3BYTE_BGR)
        for (y in 0 until 180) for (x in 0 until 320) img.setRGB(x, y, (x * 0x010203 + y * 0x030201) and 0xFFFFFF)
        ImageIO.write(img, "jpeg", File(input, "wide.JPG"))
        ImageIO.write(img, "png", File(input, "Ünï cödé.png"))
        val jpeg = File(input, "wide.JPG").readBytes()
        File(input, "truncated.jpg").writeBytes(jpeg.copyOf(jpeg.size / 2))
        File(input, "text.jpg").writeText("not an image\n")
        File(input, "image.webp").writeBytes(ByteArray(30))
        return input
    }

    private fun args(input: File, out: File, workers: String = "2") =
        arrayOf("resize", "--in", input.path, "--out", out.path, "--workers", workers, "--width", "160", "--height", "120", "--quality", "85")

    @Test
    fun `every file is resized or reported`() {
        val out = File(dir, "out")
        val (code, stdout, stderr) = run(*args(folder(), out))
        assertEquals(0, code, stderr)
        val line = Json.parseToJsonElement(stdout).jsonObject
        assertEquals(5, line["total"]!!.jsonPrimitive.int)
        assertEquals(2, line["succeeded"]!!.jsonPrimitive.int)
        val errors = line["errors"]!!.jsonArray.associate {
            it.jsonObject["file"]!!.jsonPrimitive.content to it.jsonObject["error"]!!.jsonPrimitive.content.substringBefore(':')
        }
        assertEquals(mapOf("image.webp" to "unsupported", "text.jpg" to "corrupt", "truncated.jpg" to "corrupt"), errors)
        assertEquals(listOf(160, 90), ImageIO.read(File(out, "wide.JPG")).let { listOf(it.width, it.height) })
        assertEquals(listOf(160, 90), ImageIO.read(File(out, "Ünï cödé.png")).let { listOf(it.width, it.height) })
        assertEquals(setOf("wide.JPG", "Ünï cödé.png"), out.list()!!.toSet())
    }

    @Test
    fun `bad arguments exit 2 and unusable folders exit 1, with one line`() {
        for ((argv, want) in listOf(
            args(folder(), File(dir, "o1"), workers = "0") to 2,
            arrayOf("resize", "--in", "x") to 2,
            args(File(dir, "missing"), File(dir, "o2")) to 1,
            args(File(dir, "in"), File(dir, "in")) to 1,
        )) {
            val (code, stdout, stderr) = run(*argv)
            assertEquals(want, code, argv.joinToString(" "))
            assertEquals("", stdout)
            assertEquals(1, stderr.trimEnd().lines().size, stderr)
            assertTrue(stderr.startsWith("imageproc: "))
        }
    }
}
