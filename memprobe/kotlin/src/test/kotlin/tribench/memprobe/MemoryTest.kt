package tribench.memprobe

import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.double
import kotlinx.serialization.json.jsonObject
import kotlinx.serialization.json.jsonPrimitive
import kotlinx.serialization.json.long
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows
import org.junit.jupiter.params.ParameterizedTest
import org.junit.jupiter.params.provider.ValueSource
import java.io.ByteArrayInputStream
import java.io.ByteArrayOutputStream
import java.io.PrintStream
import kotlin.test.assertEquals
import kotlin.test.assertFalse
import kotlin.test.assertTrue

class MemoryTest {
    private fun JsonObject.long(key: String) = getValue(key).jsonPrimitive.long
    private fun JsonObject.detail() = getValue("detail").jsonObject

    /**
     * The layout arithmetic with compressed oops and class pointers (the default
     * below a 32 GB heap), every object aligned to 8 bytes: a 12-byte header,
     * the User's int and two references = 24; a String = 24; byte[] of 11 and
     * 23 Latin-1 bytes = 16 + 11 -> 32 and 16 + 23 -> 40; a list slot 4.
     */
    private fun arithmetic(shape: Shape, n: Int): Long {
        val perUser = 24 + 2 * 24 + 32 + 40 + if (shape == Shape.BOXED_ID) 16 else 0
        val container = 24 + (16 + 4L * n + 7) / 8 * 8 // the ArrayList and its Object[]
        return perUser.toLong() * n + container
    }

    @Test
    fun `JOL agrees with the layout arithmetic for every shape`() {
        for (shape in Shape.entries) {
            val result = measureInside(shape, 1000)
            assertEquals(arithmetic(shape, 1000), result.detail().long("jol_bytes_total"), shape.cliName)
        }
    }

    @Test
    fun `the heap figure is within 2 percent of JOL`() {
        val result = measureInside(Shape.DATA, 20_000)
        val jol = result.detail().long("jol_bytes_total").toDouble()
        val heap = result.long("bytes_total").toDouble()
        assertTrue(heap in jol * 0.98..jol * 1.02, "heap $heap against JOL $jol")
        assertEquals(heap / 20_000, result.getValue("bytes_per_object").jsonPrimitive.double, 1e-9)
        assertEquals(checksum(Shape.DATA.build(20_000)), result.getValue("checksum").jsonPrimitive.content)
    }

    @Test
    fun `inlining the id saves its box`() {
        val jol = Shape.entries.associateWith { measureInside(it, 1000).detail().long("jol_bytes_total") }
        assertEquals(jol[Shape.DATA], jol[Shape.INLINE_ID])
        assertEquals(16L * 1000, jol.getValue(Shape.BOXED_ID) - jol.getValue(Shape.INLINE_ID))
    }

    @Test
    fun `JOL is skipped above its limit and at zero`() {
        assertFalse("jol_bytes_total" in measureInside(Shape.DATA, 0).detail())
    }

    @Test
    fun `outside prints ready and holds until EOF`() {
        val out = ByteArrayOutputStream()
        val result = holdOutside(Shape.INLINE_ID, 3, ByteArrayInputStream("x\ny\n".toByteArray()), PrintStream(out))
        assertEquals("ready\n", out.toString())
        assertEquals("outside", result.getValue("method").jsonPrimitive.content)
        assertFalse("bytes_total" in result)
        assertEquals(checksum(Shape.DATA.build(3)), result.getValue("checksum").jsonPrimitive.content)
    }

    @ParameterizedTest
    @ValueSource(ints = [-1, MAX_COUNT + 1])
    fun `bad counts are refused`(n: Int) {
        assertThrows<UsageException> { measureInside(Shape.DATA, n) }
        assertThrows<UsageException> { holdOutside(Shape.DATA, n, ByteArrayInputStream(ByteArray(0)), PrintStream(ByteArrayOutputStream())) }
    }
}
