package tribench.userapi

import java.time.Instant
import kotlinx.serialization.SerializationException
import kotlinx.serialization.json.Json
import kotlinx.serialization.serializer
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows

// The article's /health responds with this map; kotlinx.serialization has no
// serializer for Any, so the published service answers /health with 500.
class ArticleHealthTest {
    @Test
    fun `the article's health map cannot be serialized`() {
        val health: Map<String, Any> = mapOf("status" to "healthy", "uptime" to Instant.now().epochSecond)
        assertThrows<SerializationException> { Json.encodeToString(serializer<Map<String, Any>>(), health) }
    }
}
