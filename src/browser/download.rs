//! Saves generated text as a file through the browser's download.

use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Blob, BlobPropertyBag, HtmlAnchorElement, Url};

/// Offers `text` as a download named `file_name`.
pub fn download(file_name: &str, mime: &str, text: &str) -> Result<(), String> {
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    let options = BlobPropertyBag::new();
    options.set_type(mime);
    let blob =
        Blob::new_with_str_sequence_and_options(&parts, &options).map_err(|_| "cannot create the file")?;
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
