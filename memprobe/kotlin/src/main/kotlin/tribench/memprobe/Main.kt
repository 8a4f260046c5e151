package tribench.memprobe

import kotlinx.serialization.json.JsonObject
import java.io.InputStream
import java.io.PrintStream
import kotlin.system.exitProcess

/** A bad command line: one line on stderr ("memprobe CMD: reason"), exit 2. */
class UsageException(val reason: String, val command: String? = null) : Exception(reason) {
    /** The line for stderr. */
    fun line(): String = if (command == null) "memprobe: $reason" else "memprobe $command: $reason"
}

/** The contender's version string, e.g. "Kotlin 2.0.20 / JVM 21.0.8". */
fun runtimeName(): String = "Kotlin ${KotlinVersion.CURRENT} / JVM ${System.getProperty("java.version")}"

private const val USAGE = "usage: memprobe probe|cpu|tasks [flags] (see memprobe/README.md)"

/**
 * `--name value` pairs of one command: every name must be known, none repeated,
 * and [int]/[long] insist on the required ones.
 */
class Flags(args: List<String>, known: Set<String>) {
    private val values = mutableMapOf<String, String>()

    init {
        var i = 0
        while (i < args.size) {
            val name = args[i].removePrefix("--")
            if (!args[i].startsWith("--") || name !in known) throw UsageException("unknown argument \"${args[i]}\"")
            if (i + 1 >= args.size) throw UsageException("${args[i]} needs a value")
            if (values.put(name, args[i + 1]) != null) throw UsageException("${args[i]} given twice")
            i += 2
        }
    }

    /** The string value of --[name], or [default] (required when null). */
    fun string(name: String, default: String? = null): String =
        values[name] ?: default ?: throw UsageException("--$name is required")

    /** The integer value of --[name], or [default] (required when null). */
    fun int(name: String, default: Int? = null): Int {
        val text = values[name] ?: return default ?: throw UsageException("--$name is required")
        return text.toIntOrNull() ?: throw UsageException("--$name must be an integer, got \"$text\"")
    }

    /** The long value of --[name] (required). */
    fun long(name: String): Long {
        val text = string(name)
        return text.toLongOrNull() ?: throw UsageException("--$name must be an integer, got \"$text\"")
    }
}

/** Runs one command and returns its result line; throws [UsageException] on bad input. */
fun run(args: List<String>, stdin: InputStream, stdout: PrintStream): JsonObject {
    val command = args.firstOrNull() ?: throw UsageException("no command; $USAGE")
    if (command !in setOf("probe", "cpu", "tasks")) throw UsageException("unknown command \"$command\"; $USAGE")
    val rest = args.drop(1)
    try {
        return when (command) {
            "probe" -> {
                val flags = Flags(rest, setOf("count", "shape", "method"))
                val count = flags.int("count")
                val shape = Shape.parse(flags.string("shape"))
                checkCount(count)
                when (val method = flags.string("method", "inside")) {
                    "inside" -> measureInside(shape, count)
                    "outside" -> holdOutside(shape, count, stdin, stdout)
                    else -> throw UsageException("unknown method \"$method\" (known: inside, outside)")
                }
            }
            "cpu" -> {
                val flags = Flags(rest, setOf("tasks", "n", "workers", "repeat"))
                measureCpu(flags.int("tasks"), flags.long("n"), flags.int("workers"), flags.int("repeat", 1))
            }
            "tasks" -> {
                val flags = Flags(rest, setOf("count", "model"))
                measureTasks(flags.int("count"), TaskModel.parse(flags.string("model", "coroutines")))
            }
            else -> error("unreachable: commands are checked above")
        }
    } catch (e: UsageException) {
        throw UsageException(e.reason, command)
    }
}

fun main(args: Array<String>) {
    val code = try {
        println(run(args.toList(), System.`in`, System.out))
        0
    } catch (e: UsageException) {
        System.err.println(e.line())
        2
    } catch (e: Exception) {
        System.err.println("memprobe: ${e.javaClass.simpleName}: ${e.message}")
        1
    } catch (e: OutOfMemoryError) {
        System.err.println("memprobe: out of memory: ${e.message}")
        1
    }
    System.out.flush()
    exitProcess(code)
}
