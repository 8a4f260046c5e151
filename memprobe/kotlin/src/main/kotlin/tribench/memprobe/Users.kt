package tribench.memprobe

import java.security.MessageDigest

/** What the checksum reads from a user of any shape; an interface adds no field to an object. */
sealed interface UserRecord {
    val idNumber: Int
    val name: String
    val email: String
}

/** The `data` shape: a data class with an Int id. */
data class User(val id: Int, override val name: String, override val email: String) : UserRecord {
    override val idNumber: Int get() = id
}

/** The article's id type: a value class, stored as a bare Int inside [InlineIdUser]. */
@JvmInline
value class UserId(val id: Int)

/** The `inline-id` shape, the article's `data class User(userId: UserId, ...)`. */
data class InlineIdUser(val userId: UserId, override val name: String, override val email: String) : UserRecord {
    override val idNumber: Int get() = userId.id
}

/** The same id as a plain class: one more object per user, so what inlining saves shows. */
class BoxedUserId(val id: Int)

/** The `boxed-id` shape: [InlineIdUser] with a [BoxedUserId] reference instead. */
data class BoxedIdUser(val userId: BoxedUserId, override val name: String, override val email: String) : UserRecord {
    override val idNumber: Int get() = userId.id
}

/** The shapes the probe command accepts, by their command-line names. */
enum class Shape(val cliName: String, private val make: (Int, String, String) -> UserRecord) {
    DATA("data", ::User),
    INLINE_ID("inline-id", { id, name, email -> InlineIdUser(UserId(id), name, email) }),
    BOXED_ID("boxed-id", { id, name, email -> BoxedIdUser(BoxedUserId(id), name, email) }),
    ;

    /** Builds users 1..n into a list allocated once at its final size. */
    fun build(n: Int): ArrayList<UserRecord> {
        val users = ArrayList<UserRecord>(n)
        for (id in 1..n) {
            val name = userName(id)
            users.add(make(id, name, "$name@example.com"))
        }
        return users
    }

    companion object {
        /** The shape called [name], or a [UsageException] naming the known ones. */
        fun parse(name: String): Shape =
            entries.firstOrNull { it.cliName == name }
                ?: throw UsageException("unknown shape \"$name\" (known: ${entries.joinToString { it.cliName }})")
    }
}

/** user-%06d, without String.format's parsing of the pattern for every user. */
fun userName(id: Int): String = "user-" + id.toString().padStart(6, '0')

/** Hex SHA-256 of "id\tname\temail\n" for every user in id order. */
fun checksum(users: List<UserRecord>): String {
    val digest = MessageDigest.getInstance("SHA-256")
    for (u in users) {
        digest.update("${u.idNumber}\t${u.name}\t${u.email}\n".toByteArray(Charsets.UTF_8))
    }
    return digest.digest().joinToString("") { "%02x".format(it) }
}
