package tribench.imageproc

import kotlinx.serialization.encodeToString
import kotlinx.serialization.json.Json
import java.io.File
import java.io.PrintStream
import javax.imageio.ImageIO
import kotlin.system.exitProcess

/** A bad command line: one line on stderr, exit 2. */
class UsageException(message: String) : Exception(message)

/** The contender's version string, e.g. "Kotlin 2.0.20 / JVM 21.0.8". */
fun runtimeName(): String = "Kotlin ${KotlinVersion.CURRENT} / JVM ${System.getProperty("java.version")}"

private const val USAGE = "usage: imageproc resize --in DIR --out DIR --workers N --width W --height H --quality Q"

/** Parses the resize command line and runs it; throws [UsageException] or [FolderException]. */
fun run(args: List<String>): Result {
    if (args.firstOrNull() != "resize") throw UsageException(USAGE)
    val values = mutableMapOf<String, String>()
    val known = setOf("in", "out", "workers", "width", "height", "quality")
    var i = 1
    while (i < args.size) {
        val name = args[i].removePrefix("--")
        if (!args[i].startsWith("--") || name !in known) throw UsageException("unknown argument \"${args[i]}\"; $USAGE")
        if (i + 1 >= args.size) throw UsageException("${args[i]} needs a value")
        if (values.put(name, args[i + 1]) != null) throw UsageException("${args[i]} given twice")
        i += 2
    }
    fun string(name: String) = values[name] ?: throw UsageException("--$name is required; $USAGE")
    fun int(name: String, range: IntRange): Int {
        val n = string(name).toIntOrNull() ?: throw UsageException("--$name must be an integer, got \"${values[name]}\"")
        if (n !in range) throw UsageException("--$name $n is not in $range")
        return n
    }
    val settings = Settings(int("width", 1..65535), int("height", 1..65535), int("quality", 1..100))
    return resizeFolder(File(string("in")), File(string("out")), int("workers", 1..1024), settings)
}

/** The process: the result line on stdout, or one line on stderr and an exit code. */
fun main(args: Array<String>) {
    exitProcess(main(args.toList(), System.out, System.err))
}

/** [main] without the process around it: returns the exit code. */
fun main(args: List<String>, stdout: PrintStream, stderr: PrintStream): Int {
    ImageIO.setUseCache(false) // decode in memory, not through temporary files
    return try {
        stdout.println(Json.encodeToString(run(args)))
        0
    } catch (e: UsageException) {
        stderr.println("imageproc: ${e.message}")
        2
    } catch (e: FolderException) {
        stderr.println("imageproc: ${e.message}")
        1
    }
}
