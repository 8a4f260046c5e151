package tribench.userapi

import io.ktor.server.engine.connector
import io.ktor.server.engine.embeddedServer
import io.ktor.server.netty.Netty
import kotlin.system.exitProcess
import tribench.userapi.article.articleApi

/**
 * `serve --port P [--host 127.0.0.1] [--threads N] [--article]`: the canonical user
 * API (or, with --article, the article's variant) on Netty. N sizes Netty's event
 * loops and the call group to the CPU set the harness gives the server.
 */
fun main(args: Array<String>) {
    val opts = parseArgs(args) ?: run {
        System.err.println("usage: userapi serve --port P [--host 127.0.0.1] [--threads N] [--article]")
        exitProcess(2)
    }
    val store = UserStore()
    val server = embeddedServer(Netty, configure = {
        connector {
            host = opts.host
            port = opts.port
        }
        connectionGroupSize = opts.threads
        workerGroupSize = opts.threads
        callGroupSize = opts.threads
    }) {
        if (opts.article) articleApi() else userApi(store)
    }
    Runtime.getRuntime().addShutdownHook(Thread { server.stop(500, 5_000) })
    server.start(wait = true)
}

private data class Options(val host: String, val port: Int, val threads: Int, val article: Boolean)

private fun parseArgs(args: Array<String>): Options? {
    if (args.firstOrNull() != "serve") return null
    var host = "127.0.0.1"
    var port: Int? = null
    var threads = Runtime.getRuntime().availableProcessors()
    var article = false
    var i = 1
    while (i < args.size) {
        when (args[i]) {
            "--host" -> host = args.getOrNull(++i) ?: return null
            "--port" -> port = args.getOrNull(++i)?.toIntOrNull()?.takeIf { it in 1..65535 } ?: return null
            "--threads" -> threads = args.getOrNull(++i)?.toIntOrNull()?.takeIf { it >= 1 } ?: return null
            "--article" -> article = true
            else -> return null
        }
        i++
    }
    return Options(host, port ?: return null, threads, article)
}
