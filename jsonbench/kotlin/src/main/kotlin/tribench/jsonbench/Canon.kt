package tribench.jsonbench

import java.math.BigDecimal
import java.security.MessageDigest

/** Value kinds in the order of [Canon.counts] and of the counts object of a result line. */
val KINDS = listOf("object", "array", "string", "number", "true", "false", "null")

/** A digest: SHA-256 of the canonical stream in lowercase hex, and the value counts by kind. */
data class Digest(val sha256: String, val counts: Map<String, Long>)

private const val EXACT = 1L shl 53

/**
 * The canonical text of an integer (jsonbench/DIGEST.md): exact up to 2^53, beyond
 * that rounded to float64 first, as a float-based parser would.
 */
fun numberText(n: Long): String {
    if (n < -EXACT || n > EXACT) return numberText(n.toDouble())
    if (n == 0L) return "0e0"
    var u = Math.abs(n)
    var e = 0
    while (u % 10 == 0L) {
        u /= 10
        e++
    }
    return (if (n < 0) "-" else "") + u + "e" + e
}

/**
 * The canonical text of a number: the exact decimal value of the float64 as
 * `<sign><digits>e<exponent>`, the digits without trailing zeros (100 is 1e2, 0.5 is
 * 5e-1); zero of either sign is 0e0. BigDecimal(double) is that exact value.
 */
fun numberText(v: Double): String = when {
    v.isNaN() -> "nan"
    v == Double.POSITIVE_INFINITY -> "inf"
    v == Double.NEGATIVE_INFINITY -> "-inf"
    v == 0.0 -> "0e0"
    Math.abs(v) < EXACT && v == Math.rint(v) -> numberText(v.toLong())
    else -> BigDecimal(v).stripTrailingZeros().let { "${it.unscaledValue()}e${-it.scale()}" }
}

/**
 * A canonical stream being hashed (jsonbench/DIGEST.md): type tags, length-delimited
 * UTF-8 strings and keys, numbers as [numberText], object members in the byte order of
 * their UTF-8 keys; [record] keeps a copy of the stream for the tests.
 */
class Canon(private val record: Boolean = false) {
    private val sha = MessageDigest.getInstance("SHA-256")
    private var buf = ByteArray(1 shl 16)
    private var len = 0
    private val kept = java.io.ByteArrayOutputStream()

    /** Counts by kind, in the order of [KINDS]. */
    val counts = LongArray(KINDS.size)

    private fun flush() {
        sha.update(buf, 0, len)
        if (record) kept.write(buf, 0, len)
        len = 0
    }

    private fun put(b: ByteArray) {
        if (len + b.size > buf.size) {
            flush()
            if (b.size > buf.size) {
                sha.update(b)
                if (record) kept.write(b)
                return
            }
        }
        System.arraycopy(b, 0, buf, len, b.size)
        len += b.size
    }

    private fun put(c: Char) {
        if (len == buf.size) flush()
        buf[len++] = c.code.toByte()
    }

    private fun text(tag: Char, utf8: ByteArray) {
        put(tag)
        put(utf8.size.toString().toByteArray())
        put(':')
        put(utf8)
    }

    /** Opens an array (the top level of a typed document is written this way). */
    fun beginArray() {
        counts[1]++
        put('[')
    }

    /** Closes an array. */
    fun endArray() = put(']')

    /** Writes a generic tree: Map, List, String, Long, Int, Double, Boolean, null. */
    fun value(v: Any?) {
        when (v) {
            null -> { counts[6]++; put('n') }
            true -> { counts[4]++; put('t') }
            false -> { counts[5]++; put('f') }
            is String -> { counts[2]++; text('s', utf8(v)) }
            is Long -> number(numberText(v))
            is Int -> number(numberText(v.toLong()))
            is Double -> number(numberText(v))
            is Map<*, *> -> {
                counts[0]++
                put('{')
                val members = v.entries.map { utf8(it.key as String) to it.value }
                    .sortedWith { a, b -> java.util.Arrays.compareUnsigned(a.first, b.first) }
                for ((key, x) in members) {
                    text('k', key)
                    value(x)
                }
                put('}')
            }
            is List<*> -> {
                beginArray()
                v.forEach { value(it) }
                endArray()
            }
            else -> throw IllegalArgumentException("digest: a ${v::class.simpleName} is not a JSON value")
        }
    }

    private fun number(text: String) {
        counts[3]++
        put('d')
        put(text.toByteArray(Charsets.US_ASCII))
        put(';')
    }

    /** The stream written so far (with [record] only). */
    fun stream(): ByteArray {
        flush()
        return kept.toByteArray()
    }

    /** The digest of everything written. */
    fun digest(): Digest {
        flush()
        val hex = sha.digest().joinToString("") { "%02x".format(it) }
        return Digest(hex, KINDS.zip(counts.toList()).toMap())
    }
}

/** UTF-8 of [s], an unpaired surrogate (from a lone \uD800 escape) as U+FFFD. */
fun utf8(s: String): ByteArray {
    if (s.none { it.isSurrogate() }) return s.toByteArray(Charsets.UTF_8)
    val out = java.io.ByteArrayOutputStream(s.length + 8)
    var i = 0
    while (i < s.length) {
        var c = s[i].code
        if (c < 0x80) {
            out.write(c)
            i++
            continue
        }
        if (Character.isHighSurrogate(s[i]) && i + 1 < s.length && Character.isLowSurrogate(s[i + 1])) {
            c = Character.toCodePoint(s[i], s[i + 1])
            i++
        } else if (Character.isSurrogate(s[i])) {
            c = 0xFFFD
        }
        i++
        when {
            c < 0x800 -> { out.write(0xC0 or (c shr 6)); out.write(0x80 or (c and 0x3F)) }
            c < 0x10000 -> {
                out.write(0xE0 or (c shr 12)); out.write(0x80 or ((c shr 6) and 0x3F)); out.write(0x80 or (c and 0x3F))
            }
            else -> {
                out.write(0xF0 or (c shr 18)); out.write(0x80 or ((c shr 12) and 0x3F))
                out.write(0x80 or ((c shr 6) and 0x3F)); out.write(0x80 or (c and 0x3F))
            }
        }
    }
    return out.toByteArray()
}
