package tribench.memprobe

import kotlinx.serialization.json.jsonPrimitive
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows
import org.junit.jupiter.params.ParameterizedTest
import org.junit.jupiter.params.provider.MethodSource
import java.io.ByteArrayInputStream
import java.io.ByteArrayOutputStream
import java.io.PrintStream
import kotlin.test.assertEquals

class MainTest {
    private fun runArgs(vararg args: String) = run(args.toList(), ByteArrayInputStream(ByteArray(0)), PrintStream(ByteArrayOutputStream()))

    @Test
    fun `a good command answers its line`() {
        val result = runArgs("cpu", "--tasks", "4", "--n", "1000", "--workers", "2")
        assertEquals("1331334000", result.getValue("checksum").jsonPrimitive.content)
        assertEquals("Kotlin ${KotlinVersion.CURRENT} / JVM ${System.getProperty("java.version")}", result.getValue("runtime").jsonPrimitive.content)
    }

    @ParameterizedTest
    @MethodSource("badInputs")
    fun `bad input is one line naming the command`(args: List<String>, line: String) {
        val e = assertThrows<UsageException> { runArgs(*args.toTypedArray()) }
        assertEquals(line, e.line())
    }

    companion object {
        @JvmStatic
        fun badInputs() = listOf(
            listOf<String>() to "memprobe: no command; usage: memprobe probe|cpu|tasks [flags] (see memprobe/README.md)",
            listOf("serve") to "memprobe: unknown command \"serve\"; usage: memprobe probe|cpu|tasks [flags] (see memprobe/README.md)",
            listOf("probe", "--shape", "data") to "memprobe probe: --count is required",
            listOf("probe", "--count", "-5", "--shape", "data") to "memprobe probe: --count must be in 0..10000000, got -5",
            listOf("probe", "--count", "lots", "--shape", "data") to "memprobe probe: --count must be an integer, got \"lots\"",
            listOf("probe", "--count", "99999999999", "--shape", "data") to "memprobe probe: --count must be an integer, got \"99999999999\"",
            listOf("probe", "--count", "3", "--shape", "dict") to "memprobe probe: unknown shape \"dict\" (known: data, inline-id, boxed-id)",
            listOf("probe", "--count", "3", "--shape", "data", "--method", "both") to "memprobe probe: unknown method \"both\" (known: inside, outside)",
            listOf("probe", "--count", "3", "--shape", "data", "--colour", "red") to "memprobe probe: unknown argument \"--colour\"",
            listOf("probe", "--count") to "memprobe probe: --count needs a value",
            listOf("probe", "--count", "1", "--count", "2") to "memprobe probe: --count given twice",
            listOf("cpu", "--tasks", "8", "--n", "10") to "memprobe cpu: --workers is required",
            listOf("tasks", "--count", "-1") to "memprobe tasks: --count must be in 0..10000000 for coroutines, got -1",
            listOf("tasks", "--count", "10", "--model", "fibers") to "memprobe tasks: unknown model \"fibers\" (known: coroutines, virtual-threads, platform-threads)",
        ).map { (args, line) -> org.junit.jupiter.params.provider.Arguments.of(args, line) }
    }
}
