package tribench.memprobe

import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.delay
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.buildJsonObject
import kotlinx.serialization.json.put
import java.io.File
import java.util.concurrent.ExecutorService
import java.util.concurrent.Executors
import java.util.concurrent.TimeUnit
import java.util.concurrent.atomic.AtomicLong
import kotlin.time.Duration
import kotlin.time.Duration.Companion.seconds

/** The most coroutines or virtual threads the tasks command starts: ten times full's largest K. */
const val MAX_TASKS = 10_000_000

/** This machine allows about 32k threads in all, shared with everything else. */
const val MAX_PLATFORM_THREADS = 30_000

/** How K concurrent sleeping tasks are run. */
enum class TaskModel(val cliName: String, val limit: Int) {
    COROUTINES("coroutines", MAX_TASKS),
    VIRTUAL("virtual-threads", MAX_TASKS),
    PLATFORM("platform-threads", MAX_PLATFORM_THREADS),
    ;

    companion object {
        /** The model called [name], or a [UsageException] naming the known ones. */
        fun parse(name: String): TaskModel =
            entries.firstOrNull { it.cliName == name }
                ?: throw UsageException("unknown model \"$name\" (known: ${entries.joinToString { it.cliName }})")
    }
}

/** Refuses a negative or absurd count for the model. */
fun checkTasks(count: Int, model: TaskModel) {
    if (count !in 0..model.limit) throw UsageException("--count must be in 0..${model.limit} for ${model.cliName}, got $count")
}

/** Runs [count] tasks that each sleep for [sleep] in the [model]; returns how many completed. */
fun runTasks(count: Int, model: TaskModel, sleep: Duration): Long {
    val completed = AtomicLong()
    when (model) {
        TaskModel.COROUTINES -> runBlocking(Dispatchers.Default) {
            repeat(count) {
                launch {
                    delay(sleep)
                    completed.incrementAndGet()
                }
            }
        }
        TaskModel.VIRTUAL -> virtualThreadExecutor().use { executor ->
            repeat(count) {
                executor.execute {
                    Thread.sleep(sleep.inWholeMilliseconds)
                    completed.incrementAndGet()
                }
            }
        }
        TaskModel.PLATFORM -> {
            val threads = List(count) {
                Thread {
                    Thread.sleep(sleep.inWholeMilliseconds)
                    completed.incrementAndGet()
                }
            }
            try {
                threads.forEach { it.start() }
            } finally {
                threads.filter { it.isAlive }.forEach { it.join() }
            }
        }
    }
    return completed.get()
}

/**
 * JDK 21's Executors.newVirtualThreadPerTaskExecutor, looked up at run time:
 * the reactor compiles against JDK 17, whose API has no virtual threads.
 */
private fun virtualThreadExecutor(): ExecutorService =
    try {
        Executors::class.java.getMethod("newVirtualThreadPerTaskExecutor").invoke(null) as ExecutorService
    } catch (e: NoSuchMethodException) {
        throw IllegalStateException("virtual threads need JVM 21 or newer, this is ${System.getProperty("java.version")}", e)
    }

/** ExecutorService is AutoCloseable only from JDK 19: shut down and wait, as close() does. */
private inline fun <T> ExecutorService.use(block: (ExecutorService) -> T): T =
    try {
        block(this)
    } finally {
        shutdown()
        awaitTermination(Long.MAX_VALUE, TimeUnit.NANOSECONDS)
    }

/** This process's peak resident set (VmHWM), in bytes. */
fun peakRss(): Long = statusBytes(File("/proc/self/status").readText(), "VmHWM")

/** The field's value in bytes from a /proc/<pid>/status text ("VmHWM:  12 kB"). */
fun statusBytes(status: String, field: String): Long {
    val line = status.lineSequence().firstOrNull { it.startsWith("$field:") }
        ?: throw IllegalStateException("no $field line in /proc status")
    val parts = line.removePrefix("$field:").trim().split(Regex("\\s+"))
    check(parts.size == 2 && parts[1] == "kB") { "malformed $field line \"$line\"" }
    return parts[0].toLong() * 1024
}

/** Runs the row with one-second tasks and returns its result line. */
fun measureTasks(count: Int, model: TaskModel, sleep: Duration = 1.seconds): JsonObject {
    checkTasks(count, model)
    val start = System.nanoTime()
    val completed = runTasks(count, model, sleep)
    val seconds = (System.nanoTime() - start) / 1e9
    return buildJsonObject {
        put("runtime", runtimeName())
        put("count", count)
        put("seconds", seconds)
        put("peak_rss_bytes", peakRss())
        put("completed", completed)
        put("model", model.cliName)
    }
}
