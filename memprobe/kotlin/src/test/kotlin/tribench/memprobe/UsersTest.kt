package tribench.memprobe

import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows
import org.junit.jupiter.params.ParameterizedTest
import org.junit.jupiter.params.provider.CsvSource
import org.junit.jupiter.params.provider.EnumSource
import org.junit.jupiter.params.provider.ValueSource
import kotlin.test.assertEquals

class UsersTest {
    @ParameterizedTest
    @CsvSource("1,user-000001", "42,user-000042", "999999,user-999999", "1000000,user-1000000")
    fun `names are user- and the id in six digits or more`(id: Int, name: String) {
        assertEquals(name, userName(id))
        assertEquals("user-%06d".format(id), userName(id))
    }

    @ParameterizedTest
    @EnumSource(Shape::class)
    fun `every shape builds users in id order with the hand-computed checksum`(shape: Shape) {
        val users = shape.build(3)
        assertEquals(listOf(1, 2, 3), users.map { it.idNumber })
        assertEquals("user-000002@example.com", users[1].email)
        // printf '1\tuser-000001\tuser-000001@example.com\n2\t...\n3\t...\n' | sha256sum
        assertEquals("750aff4bd156e1d566bb23dc3e4d0d9a5909e2b58cbc33b0b75a6f02641e1a92", checksum(users))
        assertEquals("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", checksum(shape.build(0)))
    }

    @Test
    fun `shapes are the classes their names say`() {
        assertEquals(User::class, Shape.DATA.build(1)[0]::class)
        assertEquals(InlineIdUser::class, Shape.INLINE_ID.build(1)[0]::class)
        assertEquals(BoxedIdUser::class, Shape.BOXED_ID.build(1)[0]::class)
        // The value class is a bare int field in the JVM class; the plain class a reference.
        assertEquals(Int::class.javaPrimitiveType, InlineIdUser::class.java.getDeclaredField("userId").type)
        assertEquals(BoxedUserId::class.java, BoxedIdUser::class.java.getDeclaredField("userId").type)
    }

    @ParameterizedTest
    @ValueSource(strings = ["", "Data", "dict", "structs", "inline"])
    fun `unknown shapes are refused`(name: String) {
        val e = assertThrows<UsageException> { Shape.parse(name) }
        assertEquals("unknown shape \"$name\" (known: data, inline-id, boxed-id)", e.reason)
    }
}
