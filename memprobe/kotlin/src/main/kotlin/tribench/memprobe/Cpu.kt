package tribench.memprobe

import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.async
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.runBlocking
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive
import kotlinx.serialization.json.buildJsonArray
import kotlinx.serialization.json.buildJsonObject
import kotlinx.serialization.json.put

/** Limits of the cpu command: beyond them a run is a typo, not a benchmark. */
const val MAX_CPU_TASKS = 1024
const val MAX_CPU_WORKERS = 1024
const val MAX_CPU_N = 1_000_000_000L

/** The sum of i*i for i < n in wrapping 64-bit arithmetic: the exact sum modulo 2^64. */
fun sumSquares(n: Long): ULong {
    var sum = 0UL
    var i = 0UL
    val end = n.toULong()
    while (i < end) {
        sum += i * i
        i++
    }
    return sum
}

/** Refuses task, size, worker and repetition counts outside the cpu command's limits. */
fun checkCpu(tasks: Int, n: Long, workers: Int, repeat: Int) {
    when {
        tasks !in 1..MAX_CPU_TASKS -> throw UsageException("--tasks must be in 1..$MAX_CPU_TASKS, got $tasks")
        n !in 0..MAX_CPU_N -> throw UsageException("--n must be in 0..$MAX_CPU_N, got $n")
        workers !in 1..MAX_CPU_WORKERS -> throw UsageException("--workers must be in 1..$MAX_CPU_WORKERS, got $workers")
        repeat < 1 -> throw UsageException("--repeat must be at least 1, got $repeat")
    }
}

/**
 * Runs [tasks] sums as coroutines on Dispatchers.Default, at most [workers] at a
 * time, and returns their total modulo 2^64.
 */
suspend fun runCpu(tasks: Int, n: Long, workers: Int): ULong = coroutineScope {
    val pool = Dispatchers.Default.limitedParallelism(workers)
    (1..tasks).map { async(pool) { sumSquares(n) } }.awaitAll().fold(0UL) { acc, s -> acc + s }
}

/** Runs the row [repeat] times and returns its result line, one seconds figure per repetition. */
fun measureCpu(tasks: Int, n: Long, workers: Int, repeat: Int): JsonObject {
    checkCpu(tasks, n, workers, repeat)
    var total = 0UL
    val seconds = (1..repeat).map {
        val start = System.nanoTime()
        total = runBlocking { runCpu(tasks, n, workers) }
        (System.nanoTime() - start) / 1e9
    }
    return buildJsonObject {
        put("runtime", runtimeName())
        put("tasks", tasks)
        put("n", n)
        put("workers", workers)
        if (repeat == 1) put("seconds", seconds[0]) else put("seconds", buildJsonArray { seconds.forEach { add(JsonPrimitive(it)) } })
        put("checksum", JsonPrimitive(total))
    }
}
