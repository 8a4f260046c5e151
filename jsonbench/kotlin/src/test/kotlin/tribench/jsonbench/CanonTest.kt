package tribench.jsonbench

import kotlinx.serialization.json.Json
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.jsonArray
import kotlinx.serialization.json.jsonObject
import kotlinx.serialization.json.jsonPrimitive
import kotlinx.serialization.json.long
import org.junit.jupiter.api.Test
import org.junit.jupiter.params.ParameterizedTest
import org.junit.jupiter.params.provider.CsvSource
import java.io.File
import kotlin.test.assertEquals
import kotlin.test.assertTrue

class CanonTest {
    private val vectors = Json.parseToJsonElement(File(repo, "jsonbench/testdata/digest-vectors.json").readText()).jsonObject

    private fun expected(doc: String): Triple<String, String, Map<String, Long>> {
        val c = Canon(record = true)
        c.value(parseGeneric(doc.toByteArray()))
        val d = c.digest()
        return Triple(c.stream().decodeToString(), d.sha256, d.counts)
    }

    private fun want(o: JsonObject) = Triple(
        o["stream"]!!.jsonPrimitive.content,
        o["digest"]!!.jsonPrimitive.content,
        o["counts"]!!.jsonObject.mapValues { it.value.jsonPrimitive.long },
    )

    @Test
    fun `documents of a same group have its stream and digest`() {
        for (g in vectors["same"]!!.jsonArray.map { it.jsonObject }) {
            for (doc in g["documents"]!!.jsonArray.map { it.jsonPrimitive.content }) {
                assertEquals(want(g), expected(doc), "${g["name"]}: $doc")
            }
        }
    }

    @Test
    fun `documents of a different group have their own digests`() {
        for (g in vectors["different"]!!.jsonArray.map { it.jsonObject }) {
            val docs = g["documents"]!!.jsonArray.map { it.jsonPrimitive.content }
            val got = docs.map { expected(it) }
            assertEquals(g["expect"]!!.jsonArray.map { want(it.jsonObject) }, got, "${g["name"]}")
            assertEquals(docs.size, got.map { it.second }.toSet().size)
        }
    }

    @ParameterizedTest
    @CsvSource(
        "0.0, 0e0",
        "-0.0, 0e0",
        "100.0, 1e2",
        "0.5, 5e-1",
        "0.1, 1000000000000000055511151231257827021181583404541015625e-55",
        "18446744073709551616.0, 18446744073709551616e0",
        "Infinity, inf",
    )
    fun `number text is the exact decimal value`(value: Double, text: String) {
        assertEquals(text, numberText(value))
    }

    @Test
    fun `integers beyond 2^53 are rounded to float64`() {
        assertEquals("9007199254740992e0", numberText(9007199254740993L))
        assertEquals("-12e2", numberText(-1200L))
        assertTrue(numberText(java.lang.Double.MIN_VALUE).endsWith("e-1074"))
    }

    @Test
    fun `a lone surrogate digests as the replacement character`() {
        assertEquals(digestOf("\uD800"), digestOf("\uFFFD"))
    }
}
