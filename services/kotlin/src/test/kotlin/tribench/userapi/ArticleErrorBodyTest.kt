package tribench.userapi

import java.time.Instant
import kotlin.test.assertEquals
import kotlin.test.fail
import org.junit.jupiter.api.Test
import tribench.userapi.article.ErrorResponse
import tribench.userapi.article.articleJson

// The article's ErrorResponse(error, timestamp = Instant.now().epochSecond) under its
// Json (encodeDefaults off). The generated serializer compares timestamp with its
// default evaluated again at encoding time, so what the published service sends
// depends on whether a second boundary passes between construction and encoding.
class ArticleErrorBodyTest {
    @Test
    fun `an error body built and encoded within one second is the error alone`() {
        // A second boundary may fall inside an attempt; that attempt proves nothing.
        repeat(5) {
            val before = Instant.now().epochSecond
            val body = articleJson.encodeToString(ErrorResponse.serializer(), ErrorResponse("Invalid user ID"))
            if (Instant.now().epochSecond == before) {
                assertEquals("""{"error":"Invalid user ID"}""", body)
                return
            }
        }
        fail("every attempt straddled a second boundary")
    }

    @Test
    fun `an error body encoded after a second boundary carries its timestamp`() {
        val response = ErrorResponse("User not found")
        val nextSecond = (response.timestamp + 1) * 1000
        Thread.sleep(maxOf(0, nextSecond - System.currentTimeMillis()) + 5)
        val body = articleJson.encodeToString(ErrorResponse.serializer(), response)
        assertEquals("""{"error":"User not found","timestamp":${response.timestamp}}""", body)
    }
}
