package tribench.memprobe

import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.buildJsonObject
import kotlinx.serialization.json.put
import kotlinx.serialization.json.putJsonObject
import org.openjdk.jol.info.GraphLayout
import java.io.InputStream
import java.io.PrintStream
import java.lang.management.ManagementFactory

/** The most users a probe builds: ten times the full profile's largest N. */
const val MAX_COUNT = 10_000_000

/** JOL walks the graph object by object; above this N it is slow and memory-hungry. */
const val JOL_MAX_COUNT = 100_000

/** Refuses a negative or absurd object count. */
fun checkCount(n: Int) {
    if (n !in 0..MAX_COUNT) throw UsageException("--count must be in 0..$MAX_COUNT, got $n")
}

/** Heap in use after full collections, until two readings agree (at most five). */
fun settledHeapUsed(): Long {
    val memory = ManagementFactory.getMemoryMXBean()
    var last = -1L
    repeat(5) {
        System.gc()
        val used = memory.heapMemoryUsage.used
        if (used == last) return used
        last = used
    }
    return last
}

/**
 * Builds n users and reports the heap's growth after a full GC; at n up to
 * [JOL_MAX_COUNT] also JOL's size of the list's object graph, class by class.
 */
fun measureInside(shape: Shape, n: Int): JsonObject {
    checkCount(n)
    shape.build(1) // class loading and the lambdas' first calls are not the objects' own
    val before = settledHeapUsed()
    val users = shape.build(n)
    val after = settledHeapUsed()
    val total = after - before
    val jol = if (n in 1..JOL_MAX_COUNT) jolLayout(users) else null
    return buildJsonObject {
        put("runtime", runtimeName())
        put("count", n)
        put("shape", shape.cliName)
        put("method", "inside")
        put("bytes_total", total)
        put("bytes_per_object", if (n > 0) total.toDouble() / n else 0.0)
        put("checksum", checksum(users))
        putJsonObject("detail") {
            put("heap_used_before", before)
            put("heap_used_after", after)
            put("gc", ManagementFactory.getGarbageCollectorMXBeans().joinToString { it.name })
            if (jol != null) {
                put("jol_bytes_total", jol.totalSize())
                put("jol_bytes_per_object", jol.totalSize().toDouble() / n)
                putJsonObject("jol_classes") {
                    for (cls in jol.classes.sortedBy { it.name }) {
                        putJsonObject(cls.name) {
                            put("count", jol.classCounts.count(cls))
                            put("bytes", jol.classSizes.count(cls))
                        }
                    }
                }
            }
        }
    }
}

/**
 * JOL's GraphLayout of [root]. JOL prints its warnings (on the Serviceability
 * Agent it skips) on System.out, where only the result line may go: they are
 * sent to stderr while it runs.
 */
private fun jolLayout(root: Any): GraphLayout {
    val stdout = System.out
    System.setOut(System.err)
    try {
        return GraphLayout.parseInstance(root)
    } finally {
        System.setOut(stdout)
    }
}

/**
 * Builds n users, collects garbage, prints the ready marker and holds the users
 * until stdin reaches EOF; the harness reads RSS meanwhile.
 */
fun holdOutside(shape: Shape, n: Int, stdin: InputStream, stdout: PrintStream): JsonObject {
    checkCount(n)
    val users = shape.build(n)
    settledHeapUsed()
    stdout.println("ready")
    stdout.flush()
    stdin.copyTo(java.io.OutputStream.nullOutputStream())
    return buildJsonObject {
        put("runtime", runtimeName())
        put("count", n)
        put("shape", shape.cliName)
        put("method", "outside")
        put("checksum", checksum(users))
    }
}
