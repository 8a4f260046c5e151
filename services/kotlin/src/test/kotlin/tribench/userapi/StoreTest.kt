package tribench.userapi

import java.util.concurrent.ConcurrentLinkedQueue
import java.util.concurrent.CountDownLatch
import java.util.concurrent.Executors
import java.util.concurrent.TimeUnit
import kotlin.test.assertEquals
import kotlin.test.assertNull
import org.junit.jupiter.api.Test

class StoreTest {
    @Test
    fun `seed users and pages`() {
        val store = UserStore()
        repeat(8) { assertEquals(3L + it, store.create("User $it", "u$it@example.com")?.id) }
        assertEquals(listOf(1L, 2L), store.page(0, 2).map { it.id })
        assertEquals(listOf(9L, 10L), store.page(8, 10).map { it.id })
        assertEquals(emptyList(), store.page(Long.MAX_VALUE, MAX_LIMIT))
        assertEquals(User(1, "Alice", "alice@example.com"), store.get(1))
        assertNull(store.get(0))
        assertNull(store.get(11))
        assertNull(store.create("Again", "alice@example.com"))
    }

    @Test
    fun `concurrent creates are atomic`() {
        val store = UserStore()
        val pool = Executors.newFixedThreadPool(16)
        val start = CountDownLatch(1)
        val ids = ConcurrentLinkedQueue<Long>()
        val sameEmailWins = ConcurrentLinkedQueue<Long>()
        repeat(400) { i -> pool.execute { start.await(); store.create("Parallel", "p$i@example.com")?.let { ids.add(it.id) } } }
        repeat(32) { pool.execute { start.await(); store.create("Same", "same@example.com")?.let { sameEmailWins.add(it.id) } } }
        start.countDown()
        pool.shutdown()
        pool.awaitTermination(30, TimeUnit.SECONDS)
        assertEquals(400, ids.toSet().size, "N creates give N distinct ids")
        assertEquals(1, sameEmailWins.size, "exactly one same-email create succeeds")
        assertEquals((1L..403L).toList(), store.page(0, MAX_LIMIT).map { it.id })
    }
}
