package tribench.userapi

import io.ktor.http.ContentType
import io.ktor.http.HttpHeaders
import io.ktor.http.HttpStatusCode
import io.ktor.server.application.Application
import io.ktor.server.application.ApplicationCall
import io.ktor.server.application.install
import io.ktor.server.plugins.statuspages.StatusPages
import io.ktor.server.request.receiveChannel
import io.ktor.server.response.header
import io.ktor.server.response.respondText
import io.ktor.server.routing.get
import io.ktor.server.routing.post
import io.ktor.server.routing.route
import io.ktor.server.routing.routing
import io.ktor.utils.io.readRemaining
import kotlinx.io.readByteArray
import kotlinx.serialization.Serializable
import kotlinx.serialization.SerializationException
import kotlinx.serialization.encodeToString
import kotlinx.serialization.json.Json
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive

@Serializable
private data class ErrorBody(val error: String, val timestamp: Long)

@Serializable
private data class Health(val status: String, val uptime: Double)

/** An error answered with the contract's error body. */
class ApiException(val status: HttpStatusCode, override val message: String) : RuntimeException(message)

private suspend fun ApplicationCall.respondJson(status: HttpStatusCode, text: String) =
    respondText(text, ContentType.Application.Json, status)

private suspend fun ApplicationCall.respondError(status: HttpStatusCode, message: String) =
    respondJson(status, Json.encodeToString(ErrorBody(message, System.currentTimeMillis() / 1000)))

private suspend fun ApplicationCall.methodNotAllowed(allow: String) {
    response.header(HttpHeaders.Allow, allow)
    respondError(HttpStatusCode.MethodNotAllowed, "method not allowed")
}

/** Installs the canonical user API (services/CONTRACT.md) over [store]. */
fun Application.userApi(store: UserStore) {
    val started = System.nanoTime()
    install(StatusPages) {
        exception<ApiException> { call, e -> call.respondError(e.status, e.message) }
        exception<Throwable> { call, e -> call.respondError(HttpStatusCode.InternalServerError, "internal error: ${e::class.simpleName}") }
        // Routing's own answers (no route, wrong method) get the error body too.
        status(HttpStatusCode.NotFound) { call, _ -> call.respondError(HttpStatusCode.NotFound, "not found") }
    }
    routing {
        route("/health") {
            get {
                val uptime = (System.nanoTime() - started) / 1e9
                call.respondJson(HttpStatusCode.OK, Json.encodeToString(Health("healthy", uptime)))
            }
            handle { call.methodNotAllowed("GET") }
        }
        route("/users") {
            get {
                val query = call.request.queryParameters
                val skip = query["skip"]?.let { parseDecimal(it) ?: throw ApiException(HttpStatusCode.BadRequest, "skip must be a decimal integer >= 0") } ?: 0L
                val limit = query["limit"]?.let { raw ->
                    parseDecimal(raw)?.takeIf { it in 1..MAX_LIMIT }
                        ?: throw ApiException(HttpStatusCode.BadRequest, "limit must be a decimal integer in 1..1000")
                } ?: DEFAULT_LIMIT
                call.respondJson(HttpStatusCode.OK, Json.encodeToString(store.page(skip, limit)))
            }
            post {
                val (name, email) = readUser(call)
                val user = store.create(name, email) ?: throw ApiException(HttpStatusCode.Conflict, "email already registered")
                call.respondJson(HttpStatusCode.Created, Json.encodeToString(user))
            }
            handle { call.methodNotAllowed("GET, POST") }
        }
        route("/users/{id}") {
            get {
                val id = parseDecimal(call.parameters["id"].orEmpty())?.takeIf { it > 0 }
                    ?: throw ApiException(HttpStatusCode.BadRequest, "id must be a decimal integer >= 1")
                val user = store.get(id) ?: throw ApiException(HttpStatusCode.NotFound, "user not found")
                call.respondJson(HttpStatusCode.OK, Json.encodeToString(user))
            }
            handle { call.methodNotAllowed("GET") }
        }
    }
}

/** Reads and validates a create request: 413, then 400, then 422. */
private suspend fun readUser(call: ApplicationCall): Pair<String, String> {
    val bytes = call.receiveChannel().readRemaining(MAX_BODY_BYTES + 1L).readByteArray()
    if (bytes.size > MAX_BODY_BYTES) throw ApiException(HttpStatusCode.PayloadTooLarge, "body larger than 1 MiB")
    val text = decodeUtf8(bytes) ?: throw ApiException(HttpStatusCode.BadRequest, "body is not valid UTF-8")
    // A tree first, fields by hand: the contract's precedence (400 before 422) and
    // exact key matching, with the last of duplicate keys winning.
    val document = try {
        Json.parseToJsonElement(text)
    } catch (e: SerializationException) {
        throw ApiException(HttpStatusCode.BadRequest, "body is not well-formed JSON")
    }
    val fields = document as? JsonObject ?: throw ApiException(HttpStatusCode.BadRequest, "body must be a JSON object")
    val name = (fields["name"] as? JsonPrimitive)?.takeIf { it.isString }?.content
    if (name == null || !validName(name)) throw ApiException(HttpStatusCode.UnprocessableEntity, "name must be a string of 2 to 50 code points")
    val email = (fields["email"] as? JsonPrimitive)?.takeIf { it.isString }?.content
    if (email == null || !validEmail(email)) throw ApiException(HttpStatusCode.UnprocessableEntity, "email must match ^[A-Za-z0-9_.-]+@[A-Za-z0-9_.-]+\\.[A-Za-z0-9_]+$")
    return name to email
}
