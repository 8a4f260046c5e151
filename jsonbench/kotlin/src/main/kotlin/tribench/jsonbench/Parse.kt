package tribench.jsonbench

import kotlinx.serialization.builtins.ListSerializer
import kotlinx.serialization.json.Json
import kotlinx.serialization.json.JsonArray
import kotlinx.serialization.json.JsonElement
import kotlinx.serialization.json.JsonNull
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive
import java.io.File

/** Deepest nesting the generic conversion follows (encoding/json's limit too). */
const val MAX_DEPTH = 10_000

/** A document the parser refuses: its message is the one-line reason. */
class NotJsonException(message: String) : Exception(message)

private val documentSerializer = ListSerializer(Record.serializer())

/**
 * Bytes to text, strictly: invalid UTF-8 is an error, as it is in the parsers of the
 * other languages that check it.
 */
fun text(data: ByteArray): String = data.decodeToString(throwOnInvalidSequence = true)

/**
 * The generic parse: kotlinx's JsonElement tree, then every value as a native one —
 * numbers as Long, else Double (a JsonPrimitive keeps its number as text, and parsing
 * means turning it into a number, inside the timed region), objects as LinkedHashMap,
 * arrays as ArrayList.
 */
fun parseGeneric(data: ByteArray): Any? = native(Json.parseToJsonElement(text(data)), 0)

/** The typed parse: the document as a list of [Record]. */
fun parseTyped(data: ByteArray): List<Record> = Json.decodeFromString(documentSerializer, text(data))

/** A JsonElement as native values (what [parseGeneric] builds). */
fun native(e: JsonElement, depth: Int): Any? {
    if (depth > MAX_DEPTH) throw NotJsonException("nesting deeper than $MAX_DEPTH levels")
    return when (e) {
        is JsonNull -> null
        is JsonPrimitive -> if (e.isString) e.content else literal(e.content)
        is JsonObject -> LinkedHashMap<String, Any?>(e.size * 4 / 3 + 1).also { m ->
            for ((k, v) in e) m[k] = native(v, depth + 1)
        }
        is JsonArray -> ArrayList<Any?>(e.size).also { l -> for (v in e) l.add(native(v, depth + 1)) }
    }
}

// As kotlinx's own accessors read a primitive: booleans strictly, numbers with
// toLongOrNull and then toDouble.
private fun literal(content: String): Any = when (content) {
    "true" -> true
    "false" -> false
    else -> content.toLongOrNull() ?: try {
        content.toDouble()
    } catch (e: NumberFormatException) {
        throw NotJsonException("not a JSON literal: ${content.take(40)}")
    }
}

/** The digest of a typed document, one record's tree at a time. */
fun digestRecords(records: List<Record>): Digest {
    val c = Canon()
    c.beginArray()
    for (r in records) c.value(native(Json.encodeToJsonElement(Record.serializer(), r), 0))
    c.endArray()
    return c.digest()
}

/** The digest of a generic tree. */
fun digestOf(v: Any?): Digest = Canon().also { it.value(v) }.digest()

/** One parse result line's figures. */
data class Measured(val seconds: List<Double>, val digest: Digest?)

/** Parses [data] [repeat] times in [mode], timing each parse alone; the digest after, if asked. */
fun measure(data: ByteArray, mode: String, repeat: Int, withDigest: Boolean): Measured {
    val parse: (ByteArray) -> Any? = when (mode) {
        "generic" -> ::parseGeneric
        "typed" -> ::parseTyped
        else -> throw UsageException("--mode must be generic or typed, not \"$mode\"")
    }
    val seconds = ArrayList<Double>(repeat)
    var result: Any? = null
    repeat(repeat) {
        result = null // the previous tree is garbage before the clock starts
        val start = System.nanoTime()
        result = parse(data)
        seconds.add((System.nanoTime() - start) / 1e9)
    }
    val digest = if (!withDigest) null else if (mode == "typed") {
        @Suppress("UNCHECKED_CAST")
        digestRecords(result as List<Record>)
    } else {
        digestOf(result)
    }
    return Measured(seconds, digest)
}

/** One file's verdict: null when accepted, else the reason. */
fun verdict(file: File): String? = try {
    parseGeneric(file.readBytes())
    null
} catch (e: StackOverflowError) {
    "nesting too deep for the stack"
} catch (e: OutOfMemoryError) {
    "out of memory"
} catch (e: Exception) {
    reason(e)
}

/** An exception as one line: its type and message, newlines folded, at most 300 characters. */
fun reason(e: Throwable): String {
    val message = e.message?.replace(Regex("\\s+"), " ")?.trim()
    val text = if (message.isNullOrEmpty()) e::class.simpleName ?: "error" else "${e::class.simpleName}: $message"
    return text.take(300)
}
