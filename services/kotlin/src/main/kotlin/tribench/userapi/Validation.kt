package tribench.userapi

import java.nio.ByteBuffer
import java.nio.charset.CharacterCodingException
import java.nio.charset.CodingErrorAction
import java.nio.charset.StandardCharsets

const val MAX_BODY_BYTES = 1 shl 20
const val DEFAULT_LIMIT = 10L
const val MAX_LIMIT = 1000L

/** ASCII classes, matched against the whole string with [Regex.matches]. */
private val EMAIL = Regex("[A-Za-z0-9_.-]+@[A-Za-z0-9_.-]+\\.[A-Za-z0-9_]+")

/**
 * Parses a contract integer: ASCII digits only, base 10, leading zeros allowed,
 * fitting a Long. String.toLong() would accept "+1".
 */
fun parseDecimal(raw: String): Long? {
    if (raw.isEmpty()) return null
    var n = 0L
    for (c in raw) {
        if (c !in '0'..'9') return null
        val d = (c - '0').toLong()
        if (n > (Long.MAX_VALUE - d) / 10) return null
        n = n * 10 + d
    }
    return n
}

/** A name is 2..50 code points; String.length counts UTF-16 units. */
fun validName(name: String): Boolean = name.codePointCount(0, name.length) in 2..50

fun validEmail(email: String): Boolean = EMAIL.matches(email)

/** Decodes UTF-8 strictly: malformed input is an error, not U+FFFD. */
fun decodeUtf8(bytes: ByteArray): String? = try {
    StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT)
        .decode(ByteBuffer.wrap(bytes))
        .toString()
} catch (e: CharacterCodingException) {
    null
}
