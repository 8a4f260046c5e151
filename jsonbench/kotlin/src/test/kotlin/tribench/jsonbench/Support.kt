package tribench.jsonbench

import kotlinx.serialization.json.Json
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.jsonObject
import kotlinx.serialization.json.jsonPrimitive
import org.junit.jupiter.api.Assumptions.assumeTrue
import java.io.File
import java.util.concurrent.TimeUnit

/** The repository root (Maven passes it as tribench.repo). */
val repo: File = File(System.getProperty("tribench.repo") ?: "../..").canonicalFile

/** The smoke profile's document and the generator's line (path, digest, counts), made by the Go generator if missing. */
val smoke: Pair<File, JsonObject>? by lazy {
    val cache = System.getenv("TRIBENCH_CACHE") ?: "${System.getProperty("user.home")}/.cache/tribench"
    val process = try {
        ProcessBuilder("go", "run", "./jsonbench/cmd/jsongen", "--profile", "smoke", "--cache", cache)
            .directory(repo).redirectError(ProcessBuilder.Redirect.DISCARD).start()
    } catch (e: java.io.IOException) {
        return@lazy null // no go on PATH
    }
    val out = process.inputStream.bufferedReader().readText()
    if (!process.waitFor(300, TimeUnit.SECONDS) || process.exitValue() != 0) return@lazy null
    val line = Json.parseToJsonElement(out).jsonObject
    File(line["path"]!!.jsonPrimitive.content) to line
}

/** The smoke document, or the test is skipped (no Go toolchain to generate it). */
fun smokeDocument(): Pair<File, JsonObject> {
    val s = smoke
    assumeTrue(s != null, "the Go generator could not make the smoke document")
    return s!!
}
