package jsonbench

// Word pools of the generated text, in several scripts, so that strings hold
// ASCII, two- and three-byte UTF-8 and (through the emoji) astral-plane
// characters. Escapes are added by the writer, not stored here, except where a
// value really holds a quote, a backslash or a control character.

var givenNames = [][]string{
	{"Alice", "Bob", "Carol", "David", "Emma", "Frank", "Grace", "Henry", "Isla", "Jack", "Kate", "Liam", "Mia", "Noah", "Olivia", "Peter"},
	{"José", "Zoë", "François", "Jürgen", "Søren", "Łukasz", "Ángel", "Chloé", "Dagný", "Émile", "Åsa", "Ümit"},
	{"Иван", "Мария", "Алексей", "Ольга", "Дмитрий", "Анна"},
	{"Γιώργος", "Ελένη", "Νίκος", "Μαρία"},
	{"太郎", "花子", "美咲", "翔太", "伟", "芳"},
	{"محمد", "فاطمة", "علي", "ليلى"},
	{"राहुल", "प्रिया", "अमित", "सुनीता"},
}

var familyNames = [][]string{
	{"Smith", "Jones", "Taylor", "Brown", "Wilson", "O'Brien", "Clarke", "Walker", "Hughes", "Green"},
	{"García", "Müller", "Dubois", "Nørgaard", "Wiśniewski", "Ólafsdóttir", "Łęcki", "Çelik", "Šimić", "Ferrão"},
	{"Иванов", "Смирнова", "Кузнецов", "Попова"},
	{"Παπαδόπουλος", "Γεωργίου", "Οικονόμου"},
	{"佐藤", "鈴木", "高橋", "王", "李"},
	{"الحسن", "العلي", "الخطيب"},
	{"शर्मा", "वर्मा", "गुप्ता"},
}

// nameScripts weighs the name pools above (percent, summing to 100).
var nameScripts = []int{50, 20, 8, 5, 7, 5, 5}

var emailDomains = []string{"example.com", "example.org", "mail.example.net", "corp.example", "example.co.uk"}

var handles = []string{"neo", "trinity", "zed", "pixel", "ghost", "nova", "echo", "fox", "kiwi", "mango", "ñandú", "ёжик", "忍者", "🦊fox", "🚀rocket", "hello\tworld"}

var streets = []string{"Baker Street", "Hauptstraße", "Rue de la Paix", "Calle Mayor", "Via Roma", "ул. Ленина", "Öresundsvägen", "Kungsgatan", "銀座通り", "Rua Augusta", "Główna", "Main St."}

var cities = []string{"London", "Zürich", "São Paulo", "Kraków", "München", "Москва", "東京", "Αθήνα", "Reykjavík", "Montréal", "القاهرة", "मुंबई", "Paris", "New York", "Oslo", "Dublin"}

var countries = []string{"GB", "CH", "BR", "PL", "DE", "RU", "JP", "GR", "IS", "CA", "EG", "IN", "FR", "US", "NO", "IE"}

var words = []string{
	"the", "quick", "brown", "fox", "jumps", "over", "lazy", "dog", "data", "stream", "parser",
	"benchmark", "latency", "throughput", "coffee", "garden", "music", "travel", "weekend",
	"café", "naïve", "façade", "jalapeño", "smörgåsbord", "crème", "brûlée", "Straße",
	"привет", "мир", "данные", "γεια", "κόσμος", "こんにちは", "世界", "数据", "مرحبا", "नमस्ते",
	"😀", "🚀", "🎉", "👍🏽", "🧪", "𝄞", "🐍", "☕",
}

var punctuation = []string{".", "!", "?", "…", ";"}

var quirks = []string{
	`"quoted"`, `C:\Users\bench`, "line one\nline two", "tab\tseparated", "a/b/c", "50% off",
	"back\\slash", "bell\u0007", "form\ffeed", "carriage\rreturn", "back\bspace", "<tag attr='x'>",
}

var tagPool = []string{"vip", "beta", "newsletter", "mobile", "desktop", "café", "ünïcödé", "日本", "🚀launch", "early-adopter", "b2b", "churn-risk", "premium", "trial", "λ", "east/west"}

var metadataKeys = []string{"source", "campaign", "referrer", "locale", "segment", "device", "ab_test", "plan", "timezone", "färg", "ключ", "🔑"}

var metadataValues = []string{"web", "ios", "android", "spring-sale", "en-GB", "de-CH", "pt-BR", "ja-JP", "control", "variant-b", "Europe/Zürich", "Asia/東京", "https://example.com/?q=json&x=1", "✓", ""}

var orderStatuses = []string{"pending", "paid", "shipped", "delivered", "cancelled", "refunded"}

var currencies = []string{"EUR", "USD", "GBP", "CHF", "JPY", "BRL", "PLN"}

var coupons = []string{"WELCOME10", "SPRING-25", "FREESHIP", "VIP\u00a0GOLD", "ÉTÉ2024", "😀SMILE"}

var products = []string{
	"USB-C cable 2 m", "Mechanical keyboard", "Noise-cancelling headphones", "Espresso beans 1 kg",
	"Thé vert bio", "Kaffeemühle", "Чайник электрический", "ノートパソコンスタンド", "Câble HDMI 4K",
	"Wireless mouse", "Standing desk", "Monitor 27\" 4K", "Paper notebook A5", "Bluetooth speaker 🔊",
	"Ψηφιακή ζυγαριά", "Книга \"Война и мир\"", "Café crème capsules ×50", "Yoga mat",
}
