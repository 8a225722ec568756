//! Saves generated text or bytes as a file through the browser's download.

use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Blob, BlobPropertyBag, HtmlAnchorElement, Url};

/// Offers `text` as a download named `file_name`.
pub fn download(file_name: &str, mime: &str, text: &str) -> Result<(), String> {
    download_parts(file_name, mime, &js_sys::Array::of1(&JsValue::from_str(text)))
}

/// Offers `bytes` (kept on the JavaScript side) as a download named `file_name`.
pub fn download_bytes(file_name: &str, mime: &str, bytes: &js_sys::Uint8Array) -> Result<(), String> {
    download_parts(file_name, mime, &js_sys::Array::of1(bytes))
}

fn download_parts(file_name: &str, mime: &str, parts: &js_sys::Array) -> Result<(), String> {
    let options = BlobPropertyBag::new();
    options.set_type(mime);
    let blob = Blob::new_with_u8_array_sequence_and_options(parts, &options)
        .map_err(|_| "cannot create the file")?;
    let url = Url::create_object_url_with_blob(&blob).map_err(|_| "cannot create the file")?;
    let document = gloo::utils::document();
    let anchor: HtmlAnchorElement =
        document.create_element("a").map_err(|_| "cannot create a link")?.unchecked_into();
    anchor.set_href(&url);
    anchor.set_download(file_name);
    anchor.click();
    let _ = Url::revoke_object_url(&url);
    Ok(())
}
