package tribench.jsonbench

import kotlinx.serialization.json.JsonArray
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive
import kotlinx.serialization.json.buildJsonObject
import kotlinx.serialization.json.put
import java.io.File
import java.io.PrintStream
import java.util.Properties
import kotlin.system.exitProcess

/** A bad command line: one line on stderr, exit 2. */
class UsageException(reason: String) : Exception(reason)

private const val USAGE =
    "usage: jsonparse parse --file F --mode generic|typed [--repeat R] [--digest] | parse --check DIR"

/** The contender's version string, e.g. "Kotlin 2.0.20 / JVM 21.0.8". */
fun runtimeName(): String = "Kotlin ${KotlinVersion.CURRENT} / JVM ${System.getProperty("java.version")}"

/** The parser and its version, e.g. "kotlinx.serialization 1.7.3". */
fun libraryName(): String {
    val props = Properties()
    Record::class.java.getResourceAsStream("/jsonparse.properties")?.use { props.load(it) }
    return "kotlinx.serialization ${props.getProperty("serialization.version", "?")}"
}

/** The parsed command line. */
data class Args(val file: String?, val check: String?, val mode: String?, val repeat: Int, val digest: Boolean)

/** Reads `parse --file F --mode M [--repeat R] [--digest]` or `parse --check DIR`. */
fun parseArgs(args: List<String>): Args {
    if (args.firstOrNull() != "parse") throw UsageException(USAGE)
    val values = mutableMapOf<String, String>()
    var digest = false
    var i = 1
    while (i < args.size) {
        val a = args[i]
        when {
            a == "--digest" -> digest = true
            a in setOf("--file", "--check", "--mode", "--repeat") -> {
                if (i + 1 >= args.size) throw UsageException("$a needs a value")
                if (values.put(a.removePrefix("--"), args[++i]) != null) throw UsageException("$a given twice")
            }
            else -> throw UsageException("unknown argument \"$a\"; $USAGE")
        }
        i++
    }
    val repeat = values["repeat"]?.let { it.toIntOrNull() ?: throw UsageException("--repeat must be an integer, got \"$it\"") } ?: 1
    if (repeat < 1) throw UsageException("--repeat must be at least 1, not $repeat")
    val parsed = Args(values["file"], values["check"], values["mode"], repeat, digest)
    if ((parsed.file == null) == (parsed.check == null)) throw UsageException("give --file or --check (one of them); $USAGE")
    if (parsed.file != null && parsed.mode !in setOf("generic", "typed")) {
        throw UsageException("--mode must be generic or typed, not \"${parsed.mode}\"")
    }
    return parsed
}

/** Runs the command, writing its JSON lines to [out]. */
fun run(args: List<String>, out: PrintStream) {
    val a = parseArgs(args)
    if (a.check != null) {
        val dir = File(a.check)
        val names = dir.listFiles()?.filter { it.isFile && !it.name.startsWith(".") }?.map { it.name }?.sorted()
            ?: throw java.io.IOException("cannot read the folder ${a.check}")
        for (name in names) {
            val why = verdict(File(dir, name))
            out.println(buildJsonObject {
                put("item", name)
                put("verdict", if (why == null) "accept" else "reject")
                if (why != null) put("error", why)
            })
        }
        out.println(buildJsonObject {
            put("runtime", runtimeName())
            put("library", libraryName())
            put("files", names.size)
        })
        return
    }
    val data = File(a.file!!).readBytes()
    val m = measure(data, a.mode!!, a.repeat, a.digest)
    out.println(buildJsonObject {
        put("runtime", runtimeName())
        put("library", libraryName())
        put("mode", a.mode)
        put("bytes", data.size)
        put("seconds", JsonArray(m.seconds.map { JsonPrimitive(it) }))
        m.digest?.let { d ->
            put("digest", d.sha256)
            put("counts", JsonObject(d.counts.mapValues { JsonPrimitive(it.value) }))
        }
    })
}

/** A failure as the one line for stderr, and its exit status. */
fun failure(e: Throwable): Pair<String, Int> = when (e) {
    is UsageException -> "jsonparse: ${e.message}" to 2
    is OutOfMemoryError -> "jsonparse: out of memory at this size (heap limit ${Runtime.getRuntime().maxMemory() shr 20} MiB)" to 1
    is StackOverflowError -> "jsonparse: nesting too deep for the stack" to 1
    is java.nio.file.NoSuchFileException, is java.io.FileNotFoundException -> "jsonparse: cannot read ${e.message}" to 1
    else -> "jsonparse: ${reason(e)}" to 1
}

/**
 * Runs [block] on a thread with a 512 MiB stack, so the generic conversion and the
 * digest can follow [MAX_DEPTH] levels of nesting; returns what it threw.
 */
fun onDeepStack(block: () -> Unit): Throwable? {
    var error: Throwable? = null
    val worker = Thread(null, {
        try {
            block()
        } catch (e: Throwable) {
            error = e
        }
    }, "jsonparse", 512L shl 20)
    worker.start()
    worker.join()
    return error
}

/** The command line: JSON lines on stdout, or one line on stderr and a non-zero exit. */
fun main(args: Array<String>) {
    val error = onDeepStack { run(args.toList(), System.out) }
    System.out.flush()
    error?.let {
        val (line, status) = failure(it)
        System.err.println(line)
        exitProcess(status)
    }
}
