package tribench.memprobe

import org.junit.jupiter.api.Assumptions.assumeTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows
import org.junit.jupiter.params.ParameterizedTest
import org.junit.jupiter.params.provider.EnumSource
import kotlin.test.assertEquals
import kotlin.test.assertTrue
import kotlin.time.Duration.Companion.milliseconds

class TasksTest {
    private val virtualThreadsAvailable = Runtime.version().feature() >= 21

    @ParameterizedTest
    @EnumSource(TaskModel::class)
    fun `every task completes`(model: TaskModel) {
        assumeTrue(model != TaskModel.VIRTUAL || virtualThreadsAvailable, "virtual threads need JVM 21")
        assertEquals(500L, runTasks(500, model, 20.milliseconds))
    }

    @Test
    fun `virtual threads on an older JVM are a clear error`() {
        assumeTrue(!virtualThreadsAvailable, "this JVM has virtual threads")
        val e = assertThrows<IllegalStateException> { runTasks(1, TaskModel.VIRTUAL, 1.milliseconds) }
        assertTrue(e.message!!.startsWith("virtual threads need JVM 21"))
    }

    @Test
    fun `bad counts and models are refused`() {
        assertThrows<UsageException> { checkTasks(-1, TaskModel.COROUTINES) }
        assertThrows<UsageException> { checkTasks(MAX_TASKS + 1, TaskModel.COROUTINES) }
        val e = assertThrows<UsageException> { checkTasks(MAX_PLATFORM_THREADS + 1, TaskModel.PLATFORM) }
        assertEquals("--count must be in 0..30000 for platform-threads, got 30001", e.reason)
        assertThrows<UsageException> { TaskModel.parse("fibers") }
    }

    @Test
    fun `peak RSS is read from proc status`() {
        assertEquals(2048L * 1024, statusBytes("Name:\tjava\nVmHWM:\t    2048 kB\n", "VmHWM"))
        assertThrows<IllegalStateException> { statusBytes("VmHWM:\t2 MB\n", "VmHWM") }
        assertThrows<IllegalStateException> { statusBytes("Name:\tjava\n", "VmHWM") }
        assertTrue(peakRss() > 1L shl 20)
    }
}
