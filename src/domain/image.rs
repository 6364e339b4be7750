//! Product photos made safe to serve: a file is recognised by its content
//! (JPEG, PNG or WebP only), its size read from its header and refused
//! over the limits before any pixel is decoded (a few kilobytes can claim
//! 50,000 × 50,000 pixels), then decoded under an allocation cap, turned
//! upright, and encoded again as a large JPEG and a thumbnail. Encoding
//! again keeps the pixels only: EXIF, GPS and every other block of the
//! file are left behind. Pure: bytes in, bytes out.

use std::io::Cursor;

use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader, Limits, RgbImage};
use sha2::{Digest, Sha256};

use super::FieldError;
use super::limits::{IMAGE_PIXELS_MAX, IMAGE_SIDE_MAX};

/// The longest side of the large image the storefront shows, in pixels.
pub const LARGE_SIDE_PX: u32 = 1600;
/// The longest side of a thumbnail (lists, the gallery's buttons), in pixels.
pub const THUMBNAIL_SIDE_PX: u32 = 400;
/// JPEG quality of what is stored: small files, no visible loss on a phone.
pub const JPEG_QUALITY: u8 = 82;
/// What a decoder may allocate for one image: the largest image allowed,
/// four bytes a pixel, and room for the decoder's own buffers.
pub const DECODE_ALLOC_BYTES_MAX: u64 = IMAGE_PIXELS_MAX * 4 + 32 * 1024 * 1024;
/// The content type of everything stored: JPEG, whatever came in.
pub const STORED_CONTENT_TYPE: &str = "image/jpeg";
/// The extension of stored names, for their type.
pub const STORED_EXTENSION: &str = "jpg";

/// Why a file is not taken as a photo.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ImageRefusal {
    /// Not a JPEG, PNG or WebP by its content (a PDF, an SVG, text…),
    /// whatever its name says.
    NotAnImage,
    /// It starts like one but cannot be decoded: truncated or corrupt.
    Unreadable,
    /// Its header claims more pixels than the limits allow.
    TooLarge { width: u32, height: u32 },
}

impl ImageRefusal {
    /// The refusal as the field `file`'s error, in French and English.
    pub fn field_error(self) -> FieldError {
        match self {
            ImageRefusal::NotAnImage => FieldError::new(
                "file",
                "Ce fichier n'est pas une image JPEG, PNG ou WebP.",
                "This file is not a JPEG, PNG or WebP image.",
            ),
            ImageRefusal::Unreadable => FieldError::new(
                "file",
                "L'image est illisible ou tronquée.",
                "The image is unreadable or truncated.",
            ),
            ImageRefusal::TooLarge { width, height } => {
                let millions = IMAGE_PIXELS_MAX / 1_000_000;
                FieldError::new(
                    "file",
                    format!(
                        "L'image est trop grande : {width} × {height} pixels (au plus {IMAGE_SIDE_MAX} pixels de côté et {millions} millions de pixels en tout)."
                    ),
                    format!(
                        "The image is too large: {width} × {height} pixels (at most {IMAGE_SIDE_MAX} pixels a side and {millions} million pixels in all)."
                    ),
                )
            }
        }
    }
}

/// One encoded image, named by its content.
#[derive(Clone, PartialEq, Eq)]
pub struct Encoded {
    /// Hex SHA-256 of `bytes`, then `.jpg`: equal bytes, equal name.
    pub name: String,
    pub content_type: &'static str,
    pub bytes: Vec<u8>,
    pub width: u32,
    pub height: u32,
}

impl std::fmt::Debug for Encoded {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "Encoded({}, {}×{}, {} bytes)",
            self.name,
            self.width,
            self.height,
            self.bytes.len()
        )
    }
}

/// A photo as the shop keeps it: the large image and its thumbnail.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Photo {
    pub large: Encoded,
    pub thumbnail: Encoded,
}

/// Whether a name is one `process` could have given: 64 hex digits and the
/// stored extension. Anything else is not looked up.
pub fn is_media_name(name: &str) -> bool {
    name.strip_suffix(STORED_EXTENSION)
        .and_then(|rest| rest.strip_suffix('.'))
        .is_some_and(|hash| {
            hash.len() == 64 && hash.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
        })
}

/// Checks, decodes and encodes again the file `bytes`. CPU-bound: run it
/// off the async runtime.
pub fn process(bytes: &[u8]) -> Result<Photo, ImageRefusal> {
    let format = sniff(bytes)?;
    let (width, height) = header_dimensions(bytes, format)?;
    if !within_limits(width, height) {
        return Err(ImageRefusal::TooLarge { width, height });
    }
    let image = decode(bytes, format)?;
    let large = encode(&fit(&image, LARGE_SIDE_PX))?;
    let thumbnail = encode(&fit(&image, THUMBNAIL_SIDE_PX))?;
    Ok(Photo { large, thumbnail })
}

/// The format by the file's first bytes, never by its name.
fn sniff(bytes: &[u8]) -> Result<ImageFormat, ImageRefusal> {
    match image::guess_format(bytes) {
        Ok(format @ (ImageFormat::Jpeg | ImageFormat::Png | ImageFormat::WebP)) => Ok(format),
        _ => Err(ImageRefusal::NotAnImage),
    }
}

fn within_limits(width: u32, height: u32) -> bool {
    width > 0
        && height > 0
        && width <= IMAGE_SIDE_MAX
        && height <= IMAGE_SIDE_MAX
        && u64::from(width) * u64::from(height) <= IMAGE_PIXELS_MAX
}

/// What the header claims, read without decoding a pixel.
fn header_dimensions(bytes: &[u8], format: ImageFormat) -> Result<(u32, u32), ImageRefusal> {
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    reader.limits(decode_limits(None));
    reader
        .into_dimensions()
        .map_err(|_| ImageRefusal::Unreadable)
}

/// The decoder's own limits: the allocation cap, and, once the header was
/// read and found within them, the side limit too (checked twice).
fn decode_limits(side_max: Option<u32>) -> Limits {
    let mut limits = Limits::default();
    limits.max_image_width = side_max;
    limits.max_image_height = side_max;
    limits.max_alloc = Some(DECODE_ALLOC_BYTES_MAX);
    limits
}

/// The pixels, turned as the camera's EXIF orientation says.
fn decode(bytes: &[u8], format: ImageFormat) -> Result<DynamicImage, ImageRefusal> {
    if format == ImageFormat::Jpeg {
        return decode_jpeg(bytes);
    }
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    reader.limits(decode_limits(Some(IMAGE_SIDE_MAX)));
    let mut decoder = reader
        .into_decoder()
        .map_err(|_| ImageRefusal::Unreadable)?;
    let orientation = decoder
        .orientation()
        .unwrap_or(image::metadata::Orientation::NoTransforms);
    let mut image = DynamicImage::from_decoder(decoder).map_err(|_| ImageRefusal::Unreadable)?;
    image.apply_orientation(orientation);
    Ok(image)
}

/// A JPEG decoded in strict mode, which `image` does not offer: a file cut
/// short is refused, not shown with its missing part grey. Its size was
/// checked from its header; the decoder checks the sides again.
fn decode_jpeg(bytes: &[u8]) -> Result<DynamicImage, ImageRefusal> {
    use zune_core::bytestream::ZCursor;
    use zune_core::colorspace::ColorSpace;
    use zune_core::options::DecoderOptions;

    let side = IMAGE_SIDE_MAX as usize;
    let options = DecoderOptions::default()
        .set_strict_mode(true)
        .set_max_width(side)
        .set_max_height(side)
        .jpeg_set_out_colorspace(ColorSpace::RGB);
    let mut decoder = zune_jpeg::JpegDecoder::new_with_options(ZCursor::new(bytes), options);
    let pixels = decoder.decode().map_err(|_| ImageRefusal::Unreadable)?;
    let (width, height) = decoder.dimensions().ok_or(ImageRefusal::Unreadable)?;
    let orientation = decoder
        .exif()
        .and_then(|exif| image::metadata::Orientation::from_exif_chunk(exif))
        .unwrap_or(image::metadata::Orientation::NoTransforms);
    let (width, height) = (
        u32::try_from(width).map_err(|_| ImageRefusal::Unreadable)?,
        u32::try_from(height).map_err(|_| ImageRefusal::Unreadable)?,
    );
    let pixels = RgbImage::from_raw(width, height, pixels).ok_or(ImageRefusal::Unreadable)?;
    let mut image = DynamicImage::ImageRgb8(pixels);
    image.apply_orientation(orientation);
    Ok(image)
}

/// The image scaled down to fit `side` × `side`; never scaled up.
fn fit(image: &DynamicImage, side: u32) -> RgbImage {
    let fitted = if image.width() > side || image.height() > side {
        image.thumbnail(side, side)
    } else {
        image.clone()
    };
    on_white(&fitted)
}

/// JPEG has no transparency: a transparent PNG or WebP is laid on white
/// (a shop's background) rather than on black.
fn on_white(image: &DynamicImage) -> RgbImage {
    if !image.color().has_alpha() {
        return image.to_rgb8();
    }
    let rgba = image.to_rgba8();
    RgbImage::from_fn(rgba.width(), rgba.height(), |x, y| {
        let [r, g, b, a] = rgba.get_pixel(x, y).0;
        let over_white = |c: u8| {
            let (c, a) = (u32::from(c), u32::from(a));
            ((c * a + 255 * (255 - a) + 127) / 255) as u8
        };
        image::Rgb([over_white(r), over_white(g), over_white(b)])
    })
}

/// Encodes `image` as JPEG and names it by its bytes. JPEG's encoder here
/// writes the pixels and a JFIF header, nothing else.
fn encode(image: &RgbImage) -> Result<Encoded, ImageRefusal> {
    let mut bytes = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut bytes, JPEG_QUALITY)
        .encode_image(image)
        // Encoding pixels just decoded fails only on a bug; the file is the
        // one thing the caller can be told about.
        .map_err(|_| ImageRefusal::Unreadable)?;
    let name = format!("{}.{STORED_EXTENSION}", hex::encode(Sha256::digest(&bytes)));
    Ok(Encoded {
        name,
        content_type: STORED_CONTENT_TYPE,
        bytes,
        width: image.width(),
        height: image.height(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::{ImageEncoder, Rgba, RgbaImage};

    fn png(width: u32, height: u32) -> Vec<u8> {
        let image = RgbaImage::from_pixel(width, height, Rgba([200, 30, 30, 255]));
        let mut bytes = Vec::new();
        image::codecs::png::PngEncoder::new(&mut bytes)
            .write_image(
                image.as_raw(),
                width,
                height,
                image::ExtendedColorType::Rgba8,
            )
            .expect("a png");
        bytes
    }

    /// PNG's CRC-32 (ISO 3309), bit by bit: a test's few bytes.
    fn crc32(bytes: &[u8]) -> u32 {
        let mut crc = !0_u32;
        for &byte in bytes {
            crc ^= u32::from(byte);
            for _ in 0..8 {
                crc = if crc & 1 == 1 {
                    (crc >> 1) ^ 0xedb8_8320
                } else {
                    crc >> 1
                };
            }
        }
        !crc
    }

    #[test]
    fn a_large_png_becomes_a_large_jpeg_and_a_thumbnail_within_their_sides() {
        let photo = process(&png(2000, 1000)).expect("a photo");
        assert_eq!((photo.large.width, photo.large.height), (1600, 800));
        assert_eq!((photo.thumbnail.width, photo.thumbnail.height), (400, 200));
        assert!(photo.large.bytes.starts_with(&[0xff, 0xd8]));
        assert!(is_media_name(&photo.large.name));
        assert_ne!(photo.large.name, photo.thumbnail.name);
    }

    #[test]
    fn a_small_image_is_never_scaled_up() {
        let photo = process(&png(300, 200)).expect("a photo");
        assert_eq!((photo.large.width, photo.large.height), (300, 200));
        assert_eq!(photo.large.name, photo.thumbnail.name);
    }

    #[test]
    fn a_header_claiming_too_many_pixels_is_refused_before_decoding() {
        let mut bytes = png(1, 1);
        // IHDR's width and height sit at bytes 16..24, its CRC at 29..33.
        bytes[16..20].copy_from_slice(&50_000_u32.to_be_bytes());
        bytes[20..24].copy_from_slice(&50_000_u32.to_be_bytes());
        let crc = crc32(&bytes[12..29]);
        bytes[29..33].copy_from_slice(&crc.to_be_bytes());
        assert_eq!(
            process(&bytes),
            Err(ImageRefusal::TooLarge {
                width: 50_000,
                height: 50_000
            })
        );
    }

    #[test]
    fn a_pdf_or_an_svg_is_not_an_image() {
        assert_eq!(process(b"%PDF-1.4\n1 0 obj"), Err(ImageRefusal::NotAnImage));
        let svg = b"<svg xmlns=\"http://www.w3.org/2000/svg\"/>";
        assert_eq!(process(svg), Err(ImageRefusal::NotAnImage));
        assert_eq!(process(b""), Err(ImageRefusal::NotAnImage));
    }

    #[test]
    fn a_truncated_png_is_unreadable() {
        let bytes = png(64, 64);
        assert_eq!(process(&bytes[..60]), Err(ImageRefusal::Unreadable));
    }

    #[test]
    fn a_truncated_jpeg_is_unreadable() {
        let image = RgbImage::from_fn(256, 256, |x, y| {
            image::Rgb([x as u8, y as u8, (x ^ y) as u8])
        });
        let mut bytes = Vec::new();
        image::codecs::jpeg::JpegEncoder::new_with_quality(&mut bytes, 90)
            .encode_image(&image)
            .expect("a jpeg");
        assert!(process(&bytes).is_ok());
        let half = bytes.len() / 2;
        assert_eq!(process(&bytes[..half]), Err(ImageRefusal::Unreadable));
    }

    #[test]
    fn transparency_is_laid_on_white() {
        let image = DynamicImage::ImageRgba8(RgbaImage::from_pixel(2, 2, Rgba([0, 0, 0, 0])));
        assert_eq!(on_white(&image).get_pixel(0, 0).0, [255, 255, 255]);
    }

    #[test]
    fn media_names_are_a_hash_and_the_extension() {
        assert!(is_media_name(&format!("{}.jpg", "a".repeat(64))));
        assert!(!is_media_name(&format!("{}.png", "a".repeat(64))));
        assert!(!is_media_name(&format!("{}.jpg", "A".repeat(64))));
        assert!(!is_media_name("../etc/passwd.jpg"));
    }
}
