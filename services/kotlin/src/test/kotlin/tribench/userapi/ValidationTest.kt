package tribench.userapi

import kotlin.test.assertEquals
import kotlin.test.assertNull
import org.junit.jupiter.params.ParameterizedTest
import org.junit.jupiter.params.provider.CsvSource
import org.junit.jupiter.params.provider.ValueSource
import org.junit.jupiter.api.Test

class ValidationTest {
    @Test
    fun `decimal integers`() {
        assertEquals(10L, parseDecimal("010"), "base 10, not octal")
        assertEquals(Long.MAX_VALUE, parseDecimal("9223372036854775807"))
        for (bad in listOf("", "+1", "-1", " 1", "1 ", "1_0", "1.0", "\u0661", "9223372036854775808")) {
            assertNull(parseDecimal(bad), "'$bad'")
        }
    }

    @ParameterizedTest
    @CsvSource("Al,true", "A,false", "e\u0301,true", "\u00e9,false")
    fun `names count code points`(name: String, valid: Boolean) {
        assertEquals(valid, validName(name))
    }

    @Test
    fun `emoji names count one per code point`() {
        val emoji = "\uD83D\uDE00"
        assertEquals(false, validName(emoji), "one code point although String.length is 2")
        assertEquals(true, validName(emoji.repeat(50)), "50 code points although String.length is 100")
        assertEquals(false, validName(emoji.repeat(51)))
    }

    @ParameterizedTest
    @ValueSource(strings = ["j\u00f6rg@example.com", "a@example.com\n", "a+b@example.com", "a@localhost", "a@b.c-m"])
    fun `email pattern is ASCII and whole`(email: String) {
        assertEquals(false, validEmail(email))
    }

    @Test
    fun `strict UTF-8`() {
        assertEquals("é", decodeUtf8(byteArrayOf(0xC3.toByte(), 0xA9.toByte())))
        assertNull(decodeUtf8(byteArrayOf(0xFF.toByte())))
    }
}
