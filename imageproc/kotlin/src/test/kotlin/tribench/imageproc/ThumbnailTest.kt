package tribench.imageproc

import org.junit.jupiter.params.ParameterizedTest
import org.junit.jupiter.params.provider.CsvSource
import kotlin.test.assertEquals

class ThumbnailTest {
    /** Each row read from Pillow 12.2's Image.thumbnail((800, 600)). */
    @ParameterizedTest
    @CsvSource(
        "1920,1080,800,450", "1080,1920,337,600", "1283,721,800,450", "999,1333,450,600",
        "3001,1999,800,533", "641,479,641,479", "1201,1199,601,600", "801,1,800,1",
        "1,5000,1,600", "800,601,799,600", "1000,1,800,1",
    )
    fun `sizes match Pillow`(w: Int, h: Int, wantW: Int, wantH: Int) {
        assertEquals(Size(wantW, wantH), thumbnailSize(Size(w, h), 800, 600))
    }
}
