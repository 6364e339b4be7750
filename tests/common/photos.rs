//! Real image files made by the tests, byte by byte where a test needs
//! what no encoder writes (an EXIF block with GPS tags, a PNG header that
//! lies about its size), and the `multipart/form-data` body of an upload.

#![allow(dead_code)]

use image::{ImageEncoder, Rgb, RgbImage};

/// Text put in the GPS block of [`jpeg_with_gps`], to look for afterwards.
pub const GPS_MARKER: &[u8] = b"STOCKROOM-GPS-TEST";

/// A JPEG of `width` × `height` pixels, a gradient (so it compresses like
/// a photo, not like a flat colour).
pub fn jpeg(width: u32, height: u32) -> Vec<u8> {
    let image = RgbImage::from_fn(width, height, |x, y| {
        Rgb([
            (x * 255 / width.max(1)) as u8,
            (y * 255 / height.max(1)) as u8,
            120,
        ])
    });
    let mut bytes = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut bytes, 90)
        .encode_image(&image)
        .expect("a jpeg");
    bytes
}

/// A PNG of `width` × `height` pixels.
pub fn png(width: u32, height: u32) -> Vec<u8> {
    let image = RgbImage::from_fn(width, height, |x, y| Rgb([x as u8, y as u8, 60]));
    let mut bytes = Vec::new();
    image::codecs::png::PngEncoder::new(&mut bytes)
        .write_image(
            image.as_raw(),
            width,
            height,
            image::ExtendedColorType::Rgb8,
        )
        .expect("a png");
    bytes
}

/// A WebP of `width` × `height` pixels, its left half transparent.
pub fn webp_half_transparent(width: u32, height: u32) -> Vec<u8> {
    let image = image::RgbaImage::from_fn(width, height, |x, _| {
        image::Rgba([20, 110, 70, if x < width / 2 { 0 } else { 255 }])
    });
    let mut bytes = Vec::new();
    image::codecs::webp::WebPEncoder::new_lossless(&mut bytes)
        .write_image(
            image.as_raw(),
            width,
            height,
            image::ExtendedColorType::Rgba8,
        )
        .expect("a webp");
    bytes
}

/// A JPEG as a phone takes it: an EXIF block (APP1) right after the start
/// of image, saying "turn 90° clockwise" (orientation 6) and where the
/// photo was taken (GPS latitude N 5° 20′ 0″, and `GPS_MARKER` as the map
/// datum).
pub fn jpeg_with_gps(width: u32, height: u32) -> Vec<u8> {
    let plain = jpeg(width, height);
    let tiff = exif_tiff();
    let mut app1 = b"Exif\0\0".to_vec();
    app1.extend_from_slice(&tiff);
    let length = u16::try_from(app1.len() + 2).expect("a small block");
    let mut bytes = plain[..2].to_vec(); // FF D8: start of image
    bytes.extend_from_slice(&[0xff, 0xe1]);
    bytes.extend_from_slice(&length.to_be_bytes());
    bytes.extend_from_slice(&app1);
    bytes.extend_from_slice(&plain[2..]);
    bytes
}

/// A big-endian TIFF structure: IFD0 with the orientation and a pointer
/// to the GPS IFD, which holds the latitude and the map datum.
fn exif_tiff() -> Vec<u8> {
    let entry = |tag: u16, kind: u16, count: u32, value: [u8; 4]| {
        let mut e = tag.to_be_bytes().to_vec();
        e.extend_from_slice(&kind.to_be_bytes());
        e.extend_from_slice(&count.to_be_bytes());
        e.extend_from_slice(&value);
        e
    };
    let (short, long, ascii, rational) = (3, 4, 2, 5);
    // Offsets from the TIFF header: header 8, IFD0 (2 + 2×12 + 4) = 30,
    // so the GPS IFD starts at 38; it has 3 entries (2 + 36 + 4 = 42),
    // then the latitude (3 rationals, 24 bytes) at 80 and the datum at 104.
    let gps_ifd = 38_u32;
    let latitude = 80_u32;
    let datum = 104_u32;
    let mut tiff = b"MM\0\x2a".to_vec();
    tiff.extend_from_slice(&8_u32.to_be_bytes());
    tiff.extend_from_slice(&2_u16.to_be_bytes());
    tiff.extend(entry(0x0112, short, 1, [0, 6, 0, 0]));
    tiff.extend(entry(0x8825, long, 1, gps_ifd.to_be_bytes()));
    tiff.extend_from_slice(&0_u32.to_be_bytes());
    assert_eq!(tiff.len() as u32, gps_ifd);
    tiff.extend_from_slice(&3_u16.to_be_bytes());
    tiff.extend(entry(0x0001, ascii, 2, *b"N\0\0\0"));
    tiff.extend(entry(0x0002, rational, 3, latitude.to_be_bytes()));
    let datum_len = GPS_MARKER.len() as u32 + 1;
    tiff.extend(entry(0x0012, ascii, datum_len, datum.to_be_bytes()));
    tiff.extend_from_slice(&0_u32.to_be_bytes());
    assert_eq!(tiff.len() as u32, latitude);
    for (numerator, denominator) in [(5_u32, 1_u32), (20, 1), (0, 1)] {
        tiff.extend_from_slice(&numerator.to_be_bytes());
        tiff.extend_from_slice(&denominator.to_be_bytes());
    }
    assert_eq!(tiff.len() as u32, datum);
    tiff.extend_from_slice(GPS_MARKER);
    tiff.push(0);
    tiff
}

/// A decompression bomb: a PNG whose header says `side` × `side` pixels,
/// with a few kilobytes of data after it. Decoded, it would take
/// `side`² × 3 bytes (7.5 GB for 50,000).
pub fn png_bomb(side: u32) -> Vec<u8> {
    let mut bytes = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut header = side.to_be_bytes().to_vec();
    header.extend_from_slice(&side.to_be_bytes());
    header.extend_from_slice(&[8, 2, 0, 0, 0]); // 8 bits, RGB, deflate, no filter, no interlace
    chunk(&mut bytes, b"IHDR", &header);
    chunk(&mut bytes, b"IDAT", &[0x78, 0x9c].repeat(2048));
    chunk(&mut bytes, b"IEND", &[]);
    bytes
}

fn chunk(png: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    png.extend_from_slice(&(data.len() as u32).to_be_bytes());
    let mut covered = kind.to_vec();
    covered.extend_from_slice(data);
    png.extend_from_slice(&covered);
    png.extend_from_slice(&crc32(&covered).to_be_bytes());
}

/// PNG's CRC-32 (ISO 3309), bit by bit: a test's few bytes.
pub fn crc32(bytes: &[u8]) -> u32 {
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

/// Where `needle` first appears in `haystack`.
pub fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// One part of an upload's form.
pub enum Part<'a> {
    /// A file: its name, the type the client claims, its bytes.
    File(&'a str, &'a str, &'a [u8]),
    /// A text field: its name and value.
    Text(&'a str, &'a str),
}

/// The boundary of [`form`]'s bodies; no test file contains it.
pub const BOUNDARY: &str = "stockroom-test-boundary-7MA4YWxkTrZu0gW";

/// A `multipart/form-data` body whose file parts are all named `file`,
/// and its content type.
pub fn form(parts: &[Part<'_>]) -> (String, Vec<u8>) {
    let mut body = Vec::new();
    for part in parts {
        body.extend_from_slice(format!("--{BOUNDARY}\r\n").as_bytes());
        match part {
            Part::File(name, content_type, bytes) => {
                body.extend_from_slice(
                    format!(
                        "Content-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: {content_type}\r\n\r\n"
                    )
                    .as_bytes(),
                );
                body.extend_from_slice(bytes);
            }
            Part::Text(name, value) => {
                body.extend_from_slice(
                    format!("Content-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}")
                        .as_bytes(),
                );
            }
        }
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={BOUNDARY}"), body)
}

/// A JPEG that looks like a photo of a wax-print fabric: rings on a grid
/// in the three colours of `palette`, softly lit from the top left. For
/// the pages' tests and their screenshots.
pub fn fabric(width: u32, height: u32, palette: [[u8; 3]; 3]) -> Vec<u8> {
    let cell = (width.min(height) / 5).max(8) as f32;
    let image = RgbImage::from_fn(width, height, |x, y| {
        let (fx, fy) = (x as f32, y as f32);
        let (cx, cy) = ((fx / cell).floor(), (fy / cell).floor());
        let dx = fx - (cx + 0.5) * cell;
        let dy = fy - (cy + 0.5) * cell;
        let ring = ((dx * dx + dy * dy).sqrt() / (cell / 6.0)) as usize;
        let [r, g, b] = palette[(ring + (cx + cy) as usize) % 3];
        let light = 1.1 - 0.3 * (fx / width as f32 + fy / height as f32) / 2.0;
        let lit = |c: u8| (f32::from(c) * light).min(255.0) as u8;
        Rgb([lit(r), lit(g), lit(b)])
    });
    let mut bytes = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut bytes, 88)
        .encode_image(&image)
        .expect("a jpeg");
    bytes
}

/// Three palettes of wax prints: orange and indigo, green and gold, red and cream.
pub const PALETTES: [[[u8; 3]; 3]; 3] = [
    [[232, 106, 23], [36, 52, 120], [245, 222, 179]],
    [[20, 110, 70], [222, 170, 30], [250, 240, 220]],
    [[180, 30, 40], [250, 236, 210], [30, 30, 30]],
];
