//! Image uploads (post covers now, profile photos later).
//!
//! Every image is judged by its bytes, not its name: the format is sniffed from the content,
//! must be PNG, JPEG or WebP, must match the file's extension, and must decode within pixel and
//! memory limits. It is then re-encoded (which drops EXIF data such as GPS positions and any
//! payload hidden after the image) and scaled down to a maximum width. Only then is anything
//! written, under `KRING_DATA_DIR/uploads/<folder>/<random>.<ext>`.
use std::{io::Cursor, path::Path};

use actix_multipart::Multipart;
use actix_web::web::Bytes;
use futures_util::StreamExt;
use image::{ImageDecoder, ImageFormat, ImageReader, Limits, imageops::FilterType};

use crate::error::{AppError, AppResult, Msg};

/// The largest file accepted.
pub const MAX_IMAGE_BYTES: usize = 5 * 1024 * 1024;
/// Images larger than this in either dimension are refused before decoding.
const MAX_DIMENSION: u32 = 8000;
/// Images with more pixels are refused before decoding: 40 megapixels is more than a phone's
/// usual photo (12–24) and a cover needs 1600 px across.
pub const MAX_PIXELS: u64 = 40_000_000;
/// Memory all image decoding on this node may use at once. Each upload reserves its estimated
/// peak (decoded pixels, the resizer's float buffer, the re-encoded copy) before it starts, so
/// eight huge uploads at once queue instead of taking gigabytes.
const DECODE_BUDGET_MIB: u32 = 384;

static DECODE_BUDGET: std::sync::LazyLock<tokio::sync::Semaphore> =
    std::sync::LazyLock::new(|| tokio::sync::Semaphore::new(DECODE_BUDGET_MIB as usize));

/// An image ready to be written.
pub struct Image {
    pub bytes: Vec<u8>,
    pub extension: &'static str,
    pub width: u32,
    pub height: u32,
}

fn format_name(format: ImageFormat) -> &'static str {
    match format {
        ImageFormat::Png => "PNG",
        ImageFormat::Jpeg => "JPEG",
        ImageFormat::WebP => "WebP",
        ImageFormat::Gif => "GIF",
        _ => "an unsupported format",
    }
}

/// What an upload's header says, once its size, type, extension and dimensions are checked.
struct Checked {
    format: ImageFormat,
    width: u32,
    height: u32,
    /// The decoded pixels, in bytes.
    decoded: u64,
}

/// The sizes an upload will be scaled to.
#[derive(Clone, Copy)]
enum Output {
    /// Scaled down to at most this width.
    MaxWidth(u32),
    /// Squares of these sizes, cropped to fill.
    Squares(&'static [u32]),
}

impl Checked {
    /// The peak memory of decoding, scaling and re-encoding, in MiB: the decoded pixels, the
    /// resizer's float buffer (source width × target height × 16 bytes) and its output, and
    /// the RGB copy a JPEG is encoded from.
    fn peak_mib(&self, output: Output, file_bytes: usize) -> u32 {
        let (w, h) = (u64::from(self.width), u64::from(self.height));
        let scaled = |ow: u64, oh: u64| w * oh * 16 + ow * oh * (8 + 3);
        let work = match output {
            Output::MaxWidth(max) if w > u64::from(max) => {
                let ow = u64::from(max);
                scaled(ow, (h * ow).div_ceil(w.max(1)))
            }
            Output::MaxWidth(_) => w * h * 3,
            Output::Squares(sizes) => sizes
                .iter()
                .map(|&s| {
                    let s = u64::from(s);
                    let fill_h = if w >= h {
                        s
                    } else {
                        (h * s).div_ceil(w.max(1))
                    };
                    scaled(s.max((w * fill_h).div_ceil(h.max(1))), fill_h)
                })
                .max()
                .unwrap_or(0),
        };
        let bytes = self.decoded + work + 2 * file_bytes as u64 + (8 << 20);
        u32::try_from(bytes.div_ceil(1 << 20)).unwrap_or(u32::MAX)
    }
}

/// Checks an upload's size, type (sniffed from the bytes), extension and, from its header
/// alone, dimensions and pixel count.
fn check(bytes: &[u8], filename: &str) -> AppResult<Checked> {
    let field = "file";
    if bytes.is_empty() {
        return Err(AppError::validation(field, Msg::new("err-upload-empty")));
    }
    if bytes.len() > MAX_IMAGE_BYTES {
        return Err(AppError::validation(
            field,
            Msg::new("err-upload-too-large").arg("max", MAX_IMAGE_BYTES / 1024 / 1024),
        ));
    }
    let not_image = || AppError::validation(field, Msg::new("err-upload-not-image"));
    let format = image::guess_format(bytes).map_err(|_| not_image())?;
    let allowed: &[&str] = match format {
        ImageFormat::Png => &["png"],
        ImageFormat::Jpeg => &["jpg", "jpeg"],
        ImageFormat::WebP => &["webp"],
        other => {
            return Err(AppError::validation(
                field,
                Msg::new("err-upload-format").arg("format", format_name(other)),
            ));
        }
    };
    let extension = Path::new(filename)
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    if !allowed.contains(&extension.as_str()) {
        return Err(AppError::validation(
            field,
            Msg::new("err-upload-extension")
                .arg("format", format_name(format))
                .arg(
                    "extension",
                    if extension.is_empty() {
                        "(none)".to_owned()
                    } else {
                        format!(".{extension}")
                    },
                ),
        ));
    }
    let decoder = ImageReader::with_format(Cursor::new(bytes), format)
        .into_decoder()
        .map_err(|_| not_image())?;
    let (width, height) = decoder.dimensions();
    let pixels = u64::from(width) * u64::from(height);
    if width > MAX_DIMENSION || height > MAX_DIMENSION || pixels > MAX_PIXELS {
        return Err(AppError::validation(
            field,
            Msg::new("err-upload-too-many-pixels")
                .arg("width", width)
                .arg("height", height)
                .arg("max", MAX_PIXELS / 1_000_000),
        ));
    }
    Ok(Checked {
        format,
        width,
        height,
        decoded: decoder.total_bytes(),
    })
}

/// Decodes a checked upload, allocating at most its decoded size (plus slack for the decoder).
fn decode(bytes: &[u8], checked: &Checked) -> AppResult<image::DynamicImage> {
    let mut reader = ImageReader::with_format(Cursor::new(bytes), checked.format);
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_DIMENSION);
    limits.max_image_height = Some(MAX_DIMENSION);
    limits.max_alloc = Some(checked.decoded + (16 << 20));
    reader.limits(limits);
    reader
        .decode()
        .map_err(|_| AppError::validation("file", Msg::new("err-upload-not-image")))
}

/// Checks and re-encodes an uploaded image; `max_width` scales wider images down.
pub fn process(bytes: &[u8], filename: &str, max_width: u32) -> AppResult<Image> {
    let checked = check(bytes, filename)?;
    scale(bytes, &checked, max_width)
}

fn scale(bytes: &[u8], checked: &Checked, max_width: u32) -> AppResult<Image> {
    let mut decoded = decode(bytes, checked)?;
    if decoded.width() > max_width {
        decoded = decoded.resize(max_width, MAX_DIMENSION, FilterType::Lanczos3);
    }
    encode(&decoded, checked.format)
}

/// Checks an upload and makes square versions of it (cropped to fill), one per size.
pub fn squares(bytes: &[u8], filename: &str, sizes: &[u32]) -> AppResult<Vec<(u32, Image)>> {
    let checked = check(bytes, filename)?;
    make_squares(bytes, &checked, sizes)
}

fn make_squares(bytes: &[u8], checked: &Checked, sizes: &[u32]) -> AppResult<Vec<(u32, Image)>> {
    let decoded = decode(bytes, checked)?;
    sizes
        .iter()
        .map(|&size| {
            let square = decoded.resize_to_fill(size, size, FilterType::Lanczos3);
            Ok((size, encode(&square, checked.format)?))
        })
        .collect()
}

/// Checks an upload, waits until its peak memory fits in the node's decoding budget, then
/// runs `work` on the blocking pool (never on the threads that answer requests).
async fn within_budget<T: Send + 'static>(
    bytes: Bytes,
    filename: &str,
    output: Output,
    work: impl FnOnce(&[u8], &Checked) -> AppResult<T> + Send + 'static,
) -> AppResult<T> {
    let checked = check(&bytes, filename)?;
    let peak = checked.peak_mib(output, bytes.len()).min(DECODE_BUDGET_MIB);
    let _reserved = DECODE_BUDGET
        .acquire_many(peak)
        .await
        .map_err(|e| anyhow::anyhow!("the decoding budget is closed: {e}"))?;
    tokio::task::spawn_blocking(move || work(&bytes, &checked))
        .await
        .map_err(|e| anyhow::anyhow!("image task failed: {e}"))?
}

/// PNG stays PNG (transparency); everything else becomes JPEG.
fn encode(decoded: &image::DynamicImage, format: ImageFormat) -> AppResult<Image> {
    let mut out = Cursor::new(Vec::new());
    let extension = if format == ImageFormat::Png {
        decoded
            .write_to(&mut out, ImageFormat::Png)
            .map_err(|e| anyhow::anyhow!("cannot encode PNG: {e}"))?;
        "png"
    } else {
        let rgb = image::DynamicImage::ImageRgb8(decoded.to_rgb8());
        let encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 85);
        rgb.write_with_encoder(encoder)
            .map_err(|e| anyhow::anyhow!("cannot encode JPEG: {e}"))?;
        "jpg"
    };
    Ok(Image {
        bytes: out.into_inner(),
        extension,
        width: decoded.width(),
        height: decoded.height(),
    })
}

/// Reads the file field `name` from a multipart form into memory, refusing more than the limit
/// without reading further. Other fields are skipped.
pub async fn read_file_field(mut form: Multipart, name: &str) -> AppResult<(String, Bytes)> {
    while let Some(field) = form.next().await {
        let mut field = field.map_err(|e| AppError::BadRequest(format!("invalid upload: {e}")))?;
        if field.name() != Some(name) {
            while let Some(chunk) = field.next().await {
                chunk.map_err(|e| AppError::BadRequest(format!("invalid upload: {e}")))?;
            }
            continue;
        }
        let filename = field
            .content_disposition()
            .and_then(|cd| cd.get_filename())
            .unwrap_or_default()
            .to_owned();
        let mut bytes = Vec::new();
        while let Some(chunk) = field.next().await {
            let chunk = chunk.map_err(|e| AppError::BadRequest(format!("invalid upload: {e}")))?;
            if bytes.len() + chunk.len() > MAX_IMAGE_BYTES {
                return Err(AppError::validation(
                    "file",
                    Msg::new("err-upload-too-large").arg("max", MAX_IMAGE_BYTES / 1024 / 1024),
                ));
            }
            bytes.extend_from_slice(&chunk);
        }
        return Ok((filename, Bytes::from(bytes)));
    }
    Err(AppError::validation("file", Msg::new("err-upload-empty")))
}

/// Checks, re-encodes and stores an upload; returns its path relative to the uploads folder.
pub async fn store_image(
    data_dir: &Path,
    folder: &'static str,
    filename: String,
    bytes: Bytes,
    max_width: u32,
) -> AppResult<String> {
    let image = within_budget(
        bytes,
        &filename,
        Output::MaxWidth(max_width),
        move |b, c| scale(b, c, max_width),
    )
    .await?;
    let name = format!(
        "{}.{}",
        hex::encode(rand::random::<[u8; 16]>()),
        image.extension
    );
    let dir = data_dir.join("uploads").join(folder);
    tokio::fs::create_dir_all(&dir)
        .await
        .map_err(|e| anyhow::anyhow!("cannot create {}: {e}", dir.display()))?;
    tokio::fs::write(dir.join(&name), &image.bytes)
        .await
        .map_err(|e| anyhow::anyhow!("cannot write an upload: {e}"))?;
    Ok(format!("{folder}/{name}"))
}

/// Checks an upload and stores square versions of it, one per size, as
/// `<folder>/<random>-<size>.<ext>`; returns the key `<folder>/<random>.<ext>` (see [`variant`]).
pub async fn store_squares(
    data_dir: &Path,
    folder: &'static str,
    filename: String,
    bytes: Bytes,
    sizes: &'static [u32],
) -> AppResult<String> {
    let images = within_budget(bytes, &filename, Output::Squares(sizes), move |b, c| {
        make_squares(b, c, sizes)
    })
    .await?;
    let name = hex::encode(rand::random::<[u8; 16]>());
    let dir = data_dir.join("uploads").join(folder);
    tokio::fs::create_dir_all(&dir)
        .await
        .map_err(|e| anyhow::anyhow!("cannot create {}: {e}", dir.display()))?;
    let mut extension = "jpg";
    for (size, image) in images {
        extension = image.extension;
        tokio::fs::write(dir.join(format!("{name}-{size}.{extension}")), &image.bytes)
            .await
            .map_err(|e| anyhow::anyhow!("cannot write an upload: {e}"))?;
    }
    Ok(format!("{folder}/{name}.{extension}"))
}

/// The stored file of one size of a key made by [`store_squares`].
pub fn variant(key: &str, size: u32) -> String {
    match key.rsplit_once('.') {
        Some((stem, extension)) => format!("{stem}-{size}.{extension}"),
        None => format!("{key}-{size}"),
    }
}

/// Removes a stored upload; a missing file is not an error.
pub async fn remove(data_dir: &Path, relative: &str) {
    if let Some(path) = resolve(data_dir, relative) {
        let _ = tokio::fs::remove_file(path).await;
    }
}

/// The file of an upload path, if the path has the shape `store_image` gives (no `..`, no
/// other folders).
pub fn resolve(data_dir: &Path, relative: &str) -> Option<std::path::PathBuf> {
    let (folder, name) = relative.split_once('/')?;
    let folder_ok = matches!(folder, "covers" | "avatars");
    let name_ok = name.len() <= 40
        && name.split_once('.').is_some_and(|(stem, ext)| {
            // `<hex>` or, for the sizes of a square image, `<hex>-<size>`.
            let (hex, size) = stem.split_once('-').unwrap_or((stem, "0"));
            hex.chars().all(|c| c.is_ascii_hexdigit())
                && size.chars().all(|c| c.is_ascii_digit())
                && matches!(ext, "jpg" | "png")
        });
    (folder_ok && name_ok).then(|| data_dir.join("uploads").join(folder).join(name))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(width: u32, height: u32) -> Vec<u8> {
        let img = image::RgbaImage::from_pixel(width, height, image::Rgba([10, 120, 80, 255]));
        let mut out = Cursor::new(Vec::new());
        img.write_to(&mut out, ImageFormat::Png).unwrap();
        out.into_inner()
    }

    #[test]
    fn a_png_is_re_encoded_and_scaled_down() {
        let image = process(&png(3000, 1500), "Cover.PNG", 1600).unwrap();
        assert_eq!(
            (image.width, image.height, image.extension),
            (1600, 800, "png")
        );
        assert_eq!(image::guess_format(&image.bytes).unwrap(), ImageFormat::Png);
    }

    #[test]
    fn bad_uploads_are_refused_with_a_reason() {
        let code = |r: AppResult<Image>| match r {
            Err(AppError::Validation { msg, .. }) => msg.key,
            Err(other) => panic!("{other:?}"),
            Ok(_) => panic!("accepted"),
        };
        assert_eq!(
            code(process(b"%PDF-1.7 not an image", "x.png", 1600)),
            "err-upload-not-image"
        );
        assert_eq!(
            code(process(&png(10, 10), "photo.jpg", 1600)),
            "err-upload-extension"
        );
        assert_eq!(
            code(process(&png(10, 10), "noextension", 1600)),
            "err-upload-extension"
        );
        let mut truncated = png(50, 50);
        truncated.truncate(60);
        assert_eq!(
            code(process(&truncated, "x.png", 1600)),
            "err-upload-not-image"
        );
        assert_eq!(
            code(process(&vec![0u8; MAX_IMAGE_BYTES + 1], "x.png", 1600)),
            "err-upload-too-large"
        );
        assert_eq!(
            code(process(
                b"GIF89a\x01\x00\x01\x00\x00\x00\x00;",
                "x.gif",
                1600
            )),
            "err-upload-format"
        );
        assert_eq!(
            code(process(&png(7000, 7000), "huge.png", 1600)),
            "err-upload-too-many-pixels"
        );
    }

    #[test]
    fn the_peak_estimate_counts_every_buffer() {
        let checked = check(&png(6000, 6000), "big.png").unwrap();
        assert_eq!(checked.decoded, 6000 * 6000 * 4);
        // 137 MiB of pixels, 6000 x 1600 floats (146 MiB), the scaled copies (27 MiB), slack.
        let cover = checked.peak_mib(Output::MaxWidth(1600), 0);
        assert!((300..=330).contains(&cover), "{cover}");
        let avatar = checked.peak_mib(Output::Squares(&[64, 256]), 0);
        assert!(avatar < cover && avatar > 137, "{avatar}");
        let small = check(&png(800, 600), "small.png").unwrap();
        assert!(small.peak_mib(Output::MaxWidth(1600), 0) < 20);
    }

    #[test]
    fn only_generated_names_resolve() {
        let dir = Path::new("/data");
        assert!(resolve(dir, "covers/0123abcd.jpg").is_some());
        for bad in [
            "../secret_key",
            "covers/../../x.jpg",
            "covers/x.exe",
            "other/abc.jpg",
            "covers/ab/c.jpg",
        ] {
            assert!(resolve(dir, bad).is_none(), "{bad}");
        }
    }
}
