//! Reading the file chosen in an `<input type="file">` as text, in the browser only, refusing a
//! file over `max_bytes` before reading it (the server checks again).

/// Reads the chosen file and hands `(name, text)` to `done`, or a message to `failed`.
pub fn read_chosen_file(
    ev: leptos::ev::Event,
    max_bytes: u64,
    done: impl FnOnce(String, String) + 'static,
    failed: impl FnOnce(String) + 'static,
) {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        let file = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
            .and_then(|input| input.files())
            .and_then(|files| files.get(0));
        let Some(file) = file else { return };
        let name = file.name();
        if file.size() > max_bytes as f64 {
            failed(format!("{name} is larger than {} KiB.", max_bytes / 1024));
            return;
        }
        leptos::task::spawn_local(async move {
            let read = wasm_bindgen_futures::JsFuture::from(file.text()).await;
            match read.ok().and_then(|text| text.as_string()) {
                Some(text) => done(name, text),
                None => failed(format!("Could not read {name}.")),
            }
        });
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (ev, max_bytes, done, failed);
}
