package tribench.imageproc

import com.twelvemonkeys.image.ResampleOp
import com.twelvemonkeys.imageio.metadata.jpeg.JPEG
import com.twelvemonkeys.imageio.metadata.jpeg.JPEGSegmentUtil
import com.twelvemonkeys.imageio.metadata.tiff.TIFF
import com.twelvemonkeys.imageio.metadata.tiff.TIFFReader
import java.awt.image.BufferedImage
import java.io.ByteArrayInputStream
import java.io.ByteArrayOutputStream
import java.io.IOException
import javax.imageio.IIOImage
import javax.imageio.ImageIO
import javax.imageio.ImageWriteParam
import javax.imageio.stream.ImageInputStream

/** One input's failure, reported as "[kind]: [reason]" (unsupported, corrupt, too-large, io). */
class FileFailure(val kind: String, reason: String) : Exception("$kind: $reason")

/** The formats the canonical resize reads and writes, by lower-case extension. */
val FORMATS = mapOf("jpg" to "jpeg", "jpeg" to "jpeg", "png" to "png")

/** What every file is resized to: the box and the JPEG quality (1..100). */
data class Settings(val width: Int, val height: Int, val quality: Int)

/** A thumbnail: its encoded bytes and how many pixels were decoded to make it. */
class Thumbnail(val bytes: ByteArray, val decodedPixels: Long)

/**
 * The canonical resize of one file's bytes with ImageIO and TwelveMonkeys: refused past
 * [MAX_PIXELS] from the header, decoded at full size with every reader warning a failure,
 * converted to RGB, shrunk with TwelveMonkeys' Lanczos ResampleOp, oriented by the EXIF
 * tag, and encoded in the format [name]'s extension names.
 */
fun thumbnail(name: String, data: ByteArray, s: Settings): Thumbnail {
    val format = FORMATS[name.substringAfterLast('.', "").lowercase()]
        ?: throw FileFailure("unsupported", "extension \".${name.substringAfterLast('.', "")}\" is not .jpg, .jpeg or .png")
    val (decoded, pixels) = decode(data)
    val orientation = orientation(data)
    val stored = Size(decoded.width, decoded.height)
    val upright = if (orientation >= 5) stored.swapped() else stored
    val target = thumbnailSize(upright, s.width, s.height).let { if (orientation >= 5) it.swapped() else it }
    val small = if (target == stored) decoded else ResampleOp(target.width, target.height, ResampleOp.FILTER_LANCZOS).filter(decoded, null)
    return Thumbnail(encode(orient(toRgb(small), orientation), format, s.quality), pixels)
}

private fun decode(data: ByteArray): Pair<BufferedImage, Long> {
    val stream = ImageIO.createImageInputStream(ByteArrayInputStream(data))
    stream.use {
        val reader = ImageIO.getImageReaders(stream).asSequence().firstOrNull()
            ?: throw FileFailure("corrupt", "no ImageIO reader knows this format")
        try {
            reader.setInput(stream, true, false)
            val w = reader.getWidth(0)
            val h = reader.getHeight(0)
            val pixels = w.toLong() * h
            if (pixels > MAX_PIXELS) throw FileFailure("too-large", "${w}x$h is $pixels pixels, over the limit of $MAX_PIXELS")
            val warnings = mutableListOf<String>()
            reader.addIIOReadWarningListener { _, warning -> warnings += warning }
            // A CMYK or YCCK JPEG comes back as RGB: TwelveMonkeys converts it (with the
            // embedded ICC profile if any; without one, as Pillow's plain formula does).
            val image = toRgb(reader.read(0))
            // ImageIO only warns on a truncated or corrupt stream and returns the image
            // patched up; the contract refuses it. TwelveMonkeys' notices about colour
            // profiles (a CMYK JPEG without one) say nothing about the data and pass.
            val broken = warnings.filterNot { it.contains("ICC") }
            if (broken.isNotEmpty()) throw FileFailure("corrupt", "ImageIO warning, a failure here: ${broken.first()}")
            return image to pixels
        } catch (e: IOException) {
            throw FileFailure("corrupt", e.message ?: e.javaClass.simpleName)
        } catch (e: IllegalArgumentException) {
            throw FileFailure("corrupt", e.message ?: e.javaClass.simpleName)
        } finally {
            reader.dispose()
        }
    }
}

/** The EXIF orientation of a JPEG (1..8) from TwelveMonkeys' metadata readers; 1 if none. */
fun orientation(data: ByteArray): Int {
    if (data.size < 2 || data[0] != 0xFF.toByte() || data[1] != 0xD8.toByte()) return 1
    return try {
        ImageIO.createImageInputStream(ByteArrayInputStream(data)).use { stream ->
            val exif = JPEGSegmentUtil.readSegments(stream, JPEG.APP1, "Exif").firstOrNull() ?: return 1
            val tiff = exif.data()
            tiff.read() // the pad byte after "Exif\0"
            ImageIO.createImageInputStream(tiff).use { t: ImageInputStream ->
                val value = TIFFReader().read(t).getEntryById(TIFF.TAG_ORIENTATION)?.value
                ((value as? Number)?.toInt() ?: 1).takeIf { it in 1..8 } ?: 1
            }
        }
    } catch (e: IOException) {
        1 // a broken EXIF block: the image is still decoded, as every library here does
    }
}

private fun encode(img: BufferedImage, format: String, quality: Int): ByteArray {
    val out = ByteArrayOutputStream()
    val writer = ImageIO.getImageWritersByFormatName(format).next()
    try {
        ImageIO.createImageOutputStream(out).use { stream ->
            writer.output = stream
            val param = writer.defaultWriteParam
            if (format == "jpeg") {
                param.compressionMode = ImageWriteParam.MODE_EXPLICIT
                param.compressionQuality = quality / 100f
            }
            writer.write(null, IIOImage(img, null, null), param)
        }
    } finally {
        writer.dispose()
    }
    return out.toByteArray()
}
