package tribench.userapi.article

import io.ktor.http.HttpStatusCode
import io.ktor.serialization.kotlinx.json.json
import io.ktor.server.application.Application
import io.ktor.server.application.install
import io.ktor.server.plugins.contentnegotiation.ContentNegotiation
import io.ktor.server.plugins.statuspages.StatusPages
import io.ktor.server.request.receive
import io.ktor.server.response.respond
import io.ktor.server.routing.get
import io.ktor.server.routing.post
import io.ktor.server.routing.routing
import java.time.Instant
import java.util.concurrent.atomic.AtomicInteger
import kotlinx.serialization.Serializable
import kotlinx.serialization.json.Json

// The article's Kotlin service, reproduced as a variant: NOT canonical. It keeps the
// article's choices on purpose, faults included: validation by require() in the data
// class (so 400, and String.length in UTF-16 units), 400 for a duplicate email, an
// unsynchronised mutableList with an AtomicInteger counter, and /health responding
// with a Map<String, Any> holding an epoch-second "uptime", which kotlinx.serialization
// cannot serialize: /health answers 500, as the published code does when run. Its
// ErrorResponse gives timestamp a default and its Json leaves encodeDefaults off, so
// error bodies are {"error": ...} alone (see ErrorResponse).

private val EMAIL = Regex("^[\\w.-]+@[\\w.-]+\\.\\w+$")

@Serializable
data class CreateUserRequest(val name: String, val email: String)

@Serializable
data class ArticleUser(val id: Int, val name: String, val email: String) {
    init {
        require(name.length in 2..50) { "Name must be between 2 and 50 characters" }
        require(EMAIL.matches(email)) { "Invalid email format" }
    }
}

/**
 * The article's error body, declared as published. With encodeDefaults off, the
 * serializer the plugin generates writes timestamp only when it differs from its
 * default evaluated again at encoding time (Instant.now().epochSecond once more): the
 * body is {"error": ...} alone unless a second boundary passes between construction
 * and encoding.
 */
@Serializable
data class ErrorResponse(val error: String, val timestamp: Long = Instant.now().epochSecond)

/** The article's Json: ignoreUnknownKeys, every other setting (encodeDefaults) left at its default. */
val articleJson = Json { ignoreUnknownKeys = true }

/** Installs the article's user API. */
fun Application.articleApi() {
    val users = mutableListOf(ArticleUser(1, "Alice", "alice@example.com"), ArticleUser(2, "Bob", "bob@example.com"))
    val nextId = AtomicInteger(3)
    install(ContentNegotiation) { json(articleJson) }
    install(StatusPages) {
        exception<IllegalArgumentException> { call, e ->
            call.respond(HttpStatusCode.BadRequest, ErrorResponse(e.message ?: "Bad request"))
        }
        exception<NoSuchElementException> { call, e ->
            call.respond(HttpStatusCode.NotFound, ErrorResponse(e.message ?: "Not found"))
        }
    }
    routing {
        get("/health") { call.respond(mapOf("status" to "healthy", "uptime" to Instant.now().epochSecond)) }
        get("/users") {
            val skip = call.parameters["skip"]?.toInt() ?: 0
            val limit = call.parameters["limit"]?.toInt() ?: 10
            require(skip >= 0 && limit > 0) { "Invalid pagination parameters" }
            call.respond(users.drop(skip).take(limit))
        }
        post("/users") {
            val request = call.receive<CreateUserRequest>()
            require(users.none { it.email == request.email }) { "Email already exists" }
            val user = ArticleUser(nextId.getAndIncrement(), request.name, request.email)
            users.add(user)
            call.respond(HttpStatusCode.Created, user)
        }
        get("/users/{id}") {
            val id = call.parameters["id"]?.toIntOrNull() ?: throw IllegalArgumentException("Invalid user ID")
            require(id > 0) { "Invalid user ID" }
            call.respond(users.find { it.id == id } ?: throw NoSuchElementException("User not found"))
        }
    }
}
