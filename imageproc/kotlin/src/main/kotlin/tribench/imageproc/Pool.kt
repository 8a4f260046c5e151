package tribench.imageproc

import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.async
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.runBlocking
import kotlinx.serialization.Serializable
import java.io.File
import java.io.IOException
import java.nio.file.Files

/** One input's failure in the result line. */
@Serializable
data class FileError(val file: String, val error: String)

/** The resize command's result line. */
@Serializable
data class Result(
    val runtime: String,
    val workers: Int,
    val total: Int,
    val succeeded: Int,
    val failed: Int,
    val seconds: Double,
    val output_bytes: Long,
    val decoded_pixels: Long,
    val errors: List<FileError>,
)

/** A folder that cannot be used: one line on stderr, exit 1. */
class FolderException(message: String) : Exception(message)

/**
 * The regular files of [input], sorted, after checking both folders: the input must hold
 * a file, the output is made if missing, must take a file and must not be the input.
 */
fun inputs(input: File, output: File): List<String> {
    if (!input.isDirectory) throw FolderException("input folder $input does not exist or is not a folder")
    val names = input.listFiles()?.filter { it.isFile }?.map { it.name }?.sorted().orEmpty()
    if (names.isEmpty()) throw FolderException("input folder $input holds no files")
    if (!output.isDirectory && !output.mkdirs()) throw FolderException("output folder $output cannot be made")
    if (output.canonicalFile == input.canonicalFile) throw FolderException("output folder $output is the input folder")
    try {
        Files.delete(Files.createTempFile(output.toPath(), ".write-test-", ""))
    } catch (e: IOException) {
        throw FolderException("output folder $output cannot be written: ${e.message}")
    }
    return names
}

/**
 * Thumbnails every file of [input] into [output] with coroutines on a dispatcher limited
 * to [workers] threads (Dispatchers.IO's elastic pool, so N may exceed the cores), timing
 * the work alone.
 */
fun resizeFolder(input: File, output: File, workers: Int, s: Settings): Result {
    val names = inputs(input, output)
    val dispatcher = Dispatchers.IO.limitedParallelism(workers)
    val start = System.nanoTime()
    val outcomes = runBlocking {
        names.map { name ->
            async(dispatcher) {
                try {
                    val data = try {
                        File(input, name).readBytes()
                    } catch (e: IOException) {
                        throw FileFailure("io", e.message ?: "read failed")
                    }
                    val t = thumbnail(name, data, s)
                    try {
                        File(output, name).writeBytes(t.bytes) // a bare name: never outside output
                    } catch (e: IOException) {
                        throw FileFailure("io", e.message ?: "write failed")
                    }
                    Triple(name, t, null)
                } catch (e: FileFailure) {
                    Triple(name, null, e.message)
                }
            }
        }.awaitAll()
    }
    val seconds = (System.nanoTime() - start) / 1e9
    val errors = outcomes.mapNotNull { (name, _, error) -> error?.let { FileError(name, it) } }
    val done = outcomes.mapNotNull { it.second }
    return Result(
        runtime = runtimeName(), workers = workers, total = names.size, succeeded = done.size, failed = errors.size,
        seconds = seconds, output_bytes = done.sumOf { it.bytes.size.toLong() },
        decoded_pixels = done.sumOf { it.decodedPixels }, errors = errors,
    )
}
