//! Downloads: requests aborted with their widget, bodies read a piece at a time under a size limit and left in the
//! browser's memory ([`JsPiece`]), and the browser's turn between two pieces of work ([`next_task`]).

use js_sys::{Date, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortController, ReadableStreamDefaultReader, Response};

use super::window;
use crate::load::{Piece, Received};
use crate::report::LoadError;
use crate::schema::Source;

/// A piece of a downloaded file, left in the browser's memory: the wasm memory never shrinks, so it must not keep
/// a 100 MB file's bytes once the file is read.
pub(super) struct JsPiece(pub Uint8Array);

impl Piece for JsPiece {
    fn len(&self) -> usize {
        self.0.length() as usize
    }
    fn copy_to(&self, range: std::ops::Range<usize>, out: &mut [u8]) {
        self.0.subarray(range.start as u32, range.end as u32).copy_to(out);
    }
}

/// Sends a request now (Rust futures only run when awaited; the browser's `fetch` starts at once), aborted with the
/// widget's `downloads`.
pub(super) fn start_fetch(downloads: Option<&AbortController>, url: &str) -> JsFuture {
    let init = web_sys::RequestInit::new();
    init.set_signal(downloads.map(|d| d.signal()).as_ref());
    JsFuture::from(window().fetch_with_str_and_init(url, &init))
}

/// The body of a request started by [`start_fetch`], in this memory.
pub(super) async fn fetch_bytes(request: JsFuture, url: &str, max_bytes: u64) -> Result<Vec<u8>, LoadError> {
    let mut file = Received::default();
    fetch_body(request, url, max_bytes, &mut |piece| file.push(piece)).await?;
    let mut bytes = Vec::new();
    file.read(0..file.len(), &mut bytes);
    Ok(bytes)
}

/// Reads the body of a request started by [`start_fetch`], giving each piece to `on_piece` as it arrives, and
/// stops as soon as it passes `max_bytes`: a server that sends no length (or a wrong one) cannot make the widget
/// download and keep an unbounded file.
pub(super) async fn fetch_body(
    request: JsFuture,
    url: &str,
    max_bytes: u64,
    on_piece: &mut dyn FnMut(JsPiece),
) -> Result<(), LoadError> {
    let network = |e: JsValue| LoadError::Network {
        url: url.to_owned(),
        detail: e
            .dyn_ref::<js_sys::Error>()
            .map(|e| String::from(e.message()))
            .or_else(|| e.as_string())
            .unwrap_or_else(|| "fetch failed".into()),
    };
    let resp: Response = request.await.map_err(network)?.unchecked_into();
    if !resp.ok() {
        return Err(LoadError::Http { url: url.to_owned(), status: resp.status() });
    }
    let too_large = |bytes: Option<u64>| LoadError::TooLarge { url: url.to_owned(), bytes, limit: max_bytes };
    let declared = resp.headers().get("content-length").ok().flatten().and_then(|l| l.parse::<u64>().ok());
    let Some(body) = resp.body() else { return Ok(()) };
    if let Some(len) = declared.filter(|&len| len > max_bytes) {
        let _ = body.cancel();
        return Err(too_large(Some(len)));
    }
    let reader: ReadableStreamDefaultReader = body.get_reader().unchecked_into();
    let mut size = 0u64;
    let mut since = Date::now();
    loop {
        // Pieces that have already arrived come one after the other without a task in between: the browser gets its
        // turn after 40 ms of such work. A read that had to wait for the network already gave it (a needless timer
        // costs a second in a background tab).
        if Date::now() - since > 40.0 {
            next_task().await;
            since = Date::now();
        }
        let asked = Date::now();
        let chunk = JsFuture::from(reader.read()).await.map_err(network)?;
        if Date::now() - asked >= 1.0 {
            since = Date::now();
        }
        if js_sys::Reflect::get(&chunk, &"done".into()).map_or(true, |d| d.is_truthy()) {
            return Ok(());
        }
        let value: Uint8Array = js_sys::Reflect::get(&chunk, &"value".into()).map_err(network)?.unchecked_into();
        size += u64::from(value.length());
        if size > max_bytes {
            let _ = reader.cancel();
            return Err(too_large(None));
        }
        if value.length() > 0 {
            on_piece(JsPiece(value));
        }
    }
}

/// Waits for the browser's next task (after it has painted and handled input if it needed to).
pub(super) async fn next_task() {
    let tick = js_sys::Promise::new(&mut |resolve, _| {
        let _ = window().set_timeout_with_callback(&resolve);
    });
    let _ = JsFuture::from(tick).await;
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::*;

    wasm_bindgen_test_configure!(run_in_browser);

    #[wasm_bindgen_test]
    fn a_file_left_in_the_browser_in_pieces_reads_any_range_as_the_whole_file() {
        let whole: Vec<u8> = (0..1000u32).map(|i| (i * 7 % 251) as u8).collect();
        let mut file = Received::default();
        for piece in [0..1, 1..8, 8..300, 300..301, 301..999, 999..1000] {
            file.push(JsPiece(Uint8Array::from(&whole[piece])));
        }
        assert_eq!(file.len(), 1000);
        let mut out = vec![42];
        for start in (0..=1000).step_by(7) {
            for end in (start..=1000).step_by(11).chain([1000]) {
                file.read(start..end, &mut out);
                assert_eq!(out, whole[start..end], "{start}..{end}");
            }
        }
    }
}
