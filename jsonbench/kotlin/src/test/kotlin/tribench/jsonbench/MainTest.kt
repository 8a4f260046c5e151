package tribench.jsonbench

import kotlinx.serialization.json.Json
import kotlinx.serialization.json.jsonArray
import kotlinx.serialization.json.jsonObject
import kotlinx.serialization.json.jsonPrimitive
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.io.TempDir
import org.junit.jupiter.params.ParameterizedTest
import org.junit.jupiter.params.provider.ValueSource
import java.io.ByteArrayOutputStream
import java.io.File
import java.io.PrintStream
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertTrue

class MainTest {
    private fun lines(vararg args: String): List<String> {
        val out = ByteArrayOutputStream()
        onDeepStack { run(args.toList(), PrintStream(out, true, "UTF-8")) }?.let { throw it }
        return out.toString("UTF-8").lines().filter { it.isNotBlank() }
    }

    @ParameterizedTest
    @ValueSource(strings = ["generic", "typed"])
    fun `the smoke document's digest equals the generator's`(mode: String) {
        val (doc, generated) = smokeDocument()
        val line = Json.parseToJsonElement(lines("parse", "--file", doc.path, "--mode", mode, "--repeat", "2", "--digest").single()).jsonObject
        assertEquals(generated["digest"], line["digest"])
        assertEquals(generated["counts"], line["counts"])
        assertEquals(2, line["seconds"]!!.jsonArray.size)
        assertEquals(mode, line["mode"]!!.jsonPrimitive.content)
        assertTrue(line["runtime"]!!.jsonPrimitive.content.startsWith("Kotlin 2."))
    }

    @Test
    fun `check gives every file a verdict`() {
        val dir = File(repo, "jsonbench/conformance")
        val got = lines("parse", "--check", dir.path).map { Json.parseToJsonElement(it).jsonObject }
        val names = dir.listFiles()!!.map { it.name }.sorted()
        assertEquals(names, got.dropLast(1).map { it["item"]!!.jsonPrimitive.content })
        assertEquals(names.size.toString(), got.last()["files"]!!.jsonPrimitive.content)
        val verdicts = got.dropLast(1).associate { it["item"]!!.jsonPrimitive.content to it["verdict"]!!.jsonPrimitive.content }
        assertEquals("accept", verdicts["y_string_surrogate_pair.json"])
        assertEquals("reject", verdicts["n_array_trailing_comma.json"])
        assertEquals("reject", verdicts["n_structure_unclosed_100000_arrays.json"])
    }

    @Test
    fun `bad input fails with one reason`(@TempDir tmp: File) {
        val truncated = File(tmp, "t.json").apply { writeText("[{\"a\": 1}, {\"b\": ") }
        val notJson = File(tmp, "n.json").apply { writeText("hello, world") }
        val deep = File(tmp, "d.json").apply { writeBytes(ByteArray(100_000) { '['.code.toByte() } + ByteArray(100_000) { ']'.code.toByte() }) }
        for (f in listOf(truncated, notJson, deep)) {
            for (mode in listOf("generic", "typed")) {
                val e = assertFailsWith<Exception>("${f.name} $mode") { lines("parse", "--file", f.path, "--mode", mode) }
                val (line, status) = failure(e)
                assertEquals(1, status)
                assertEquals(1, line.lines().size, line)
            }
        }
        var why: String? = null
        onDeepStack { why = verdict(deep) }
        // Ours at MAX_DEPTH, or kotlinx.serialization's own (400 levels since 1.8).
        assertTrue(why!!.contains("nest"), why)
        val missing = assertFailsWith<Exception> { lines("parse", "--file", File(tmp, "none.json").path, "--mode", "generic") }
        assertTrue(failure(missing).first.startsWith("jsonparse: cannot read"), failure(missing).first)
    }

    @Test
    fun `usage errors exit 2`() {
        for (args in listOf(listOf("parse", "--file", "x", "--mode", "sideways"), listOf("parse"), listOf("parse", "--file", "x", "--check", "y"),
            listOf("parse", "--file", "x", "--mode", "generic", "--repeat", "0"), listOf("serve"))) {
            val e = assertFailsWith<UsageException>(args.toString()) { parseArgs(args) }
            assertEquals(2, failure(e).second)
        }
    }
}
