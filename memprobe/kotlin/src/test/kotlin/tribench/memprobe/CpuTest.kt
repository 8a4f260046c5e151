package tribench.memprobe

import kotlinx.coroutines.runBlocking
import kotlinx.serialization.json.jsonArray
import kotlinx.serialization.json.jsonPrimitive
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows
import org.junit.jupiter.params.ParameterizedTest
import org.junit.jupiter.params.provider.CsvSource
import java.math.BigInteger
import kotlin.test.assertEquals

class CpuTest {
    /** (n-1)n(2n-1)/6 exactly, reduced modulo 2^64. */
    private fun exact(n: Long): ULong {
        val b = BigInteger.valueOf(n)
        val sum = (b - BigInteger.ONE) * b * (b.shiftLeft(1) - BigInteger.ONE) / BigInteger.valueOf(6)
        return sum.mod(BigInteger.ONE.shiftLeft(64)).toString().toULong()
    }

    @ParameterizedTest
    @CsvSource("0", "1", "4", "1000", "10000000")
    fun `sum of squares wraps as the exact sum mod 2^64`(n: Long) {
        assertEquals(exact(n), sumSquares(n))
    }

    @ParameterizedTest
    @CsvSource("1,1", "8,2", "3,5")
    fun `the pool's total is every task's sum`(tasks: Int, workers: Int) {
        assertEquals(exact(100_000) * tasks.toULong(), runBlocking { runCpu(tasks, 100_000, workers) })
    }

    @Test
    fun `the result line has the checksum as an unsigned number and every repetition`() {
        val result = measureCpu(8, 10_000_000, 2, 2)
        assertEquals("10335120052504567296", result.getValue("checksum").jsonPrimitive.content)
        assertEquals(2, result.getValue("seconds").jsonArray.size)
    }

    @ParameterizedTest
    @CsvSource("0,10,1,1,--tasks", "1025,10,1,1,--tasks", "1,-1,1,1,--n", "1,1000000001,1,1,--n", "1,10,0,1,--workers", "1,10,1,0,--repeat")
    fun `bad arguments are refused`(tasks: Int, n: Long, workers: Int, repeat: Int, flag: String) {
        val e = assertThrows<UsageException> { measureCpu(tasks, n, workers, repeat) }
        assert(e.reason.startsWith(flag)) { e.reason }
    }
}
