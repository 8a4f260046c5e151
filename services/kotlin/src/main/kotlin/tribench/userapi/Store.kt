package tribench.userapi

import java.util.concurrent.locks.ReentrantReadWriteLock
import kotlin.concurrent.read
import kotlin.concurrent.write
import kotlinx.serialization.Serializable

/** A stored user, rendered as {"id","name","email"}. */
@Serializable
data class User(val id: Long, val name: String, val email: String)

/**
 * Users in id order. Ids are dense list positions (users are never deleted), so a
 * page is an O(limit) slice and a lookup an index; the email set makes the
 * duplicate check O(1). Check and insert happen under one write lock.
 */
class UserStore {
    private val lock = ReentrantReadWriteLock()
    private val users = ArrayList<User>()
    private val emails = HashSet<String>()

    init {
        create("Alice", "alice@example.com")
        create("Bob", "bob@example.com")
    }

    /** Adds a user with the next id, or returns null if the email is taken. */
    fun create(name: String, email: String): User? = lock.write {
        if (!emails.add(email)) return null
        User(users.size + 1L, name, email).also { users.add(it) }
    }

    fun get(id: Long): User? = lock.read {
        if (id in 1..users.size.toLong()) users[(id - 1).toInt()] else null
    }

    /** Users at positions [skip, skip+limit); limit is at most [MAX_LIMIT], so no overflow. */
    fun page(skip: Long, limit: Long): List<User> = lock.read {
        if (skip >= users.size) return emptyList()
        val from = skip.toInt()
        users.subList(from, minOf(users.size.toLong(), skip + limit).toInt()).toList()
    }
}
