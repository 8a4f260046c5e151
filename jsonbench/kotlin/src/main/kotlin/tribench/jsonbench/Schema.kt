package tribench.jsonbench

import kotlinx.serialization.SerialName
import kotlinx.serialization.Serializable

// The document's records (jsonbench/SCHEMA.md). No property has a default, so every
// key must be present; the nullable ones accept an explicit null. Unknown keys are
// refused (kotlinx's default).

/** One line of an order. */
@Serializable
data class Item(
    val sku: String,
    val title: String,
    val quantity: Long,
    @SerialName("unit_price") val unitPrice: Double,
    val discount: Double?,
    val weight: Double,
)

/** One of a user's orders. */
@Serializable
data class Order(
    val id: Long,
    val placed: String,
    val status: String,
    val currency: String,
    val total: Double,
    val coupon: String?,
    val items: List<Item>,
)

/** Where a user lives. */
@Serializable
data class Address(
    val street: String,
    val line2: String?,
    val city: String,
    val postcode: String,
    val country: String,
    val lat: Double,
    val lon: Double,
)

/** One element of the document's top-level array: a user. */
@Serializable
data class Record(
    val id: Long,
    val name: String,
    val email: String,
    val active: Boolean,
    val score: Double,
    val balance: Long,
    val created: String,
    val nickname: String?,
    val bio: String,
    val address: Address?,
    val tags: List<String>,
    val metadata: Map<String, String>,
    val orders: List<Order>,
)
