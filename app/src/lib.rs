//! OCM's Leptos application: pages, components and server functions compiled for the server
//! (`ssr`) and the browser (`hydrate`). Server functions call the `domain` crate (ssr only);
//! `guard` is the one place that reads the Leptos context.

pub use types::{error, model};

pub mod components;
pub mod pages;
pub mod root;
pub mod server_fns;

#[cfg(feature = "ssr")]
pub mod guard;

/// Browser entry point: attaches the client to the server-rendered page.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(root::App);
    // Lets end-to-end tests (and curious people) know the page is interactive.
    if let Some(body) = leptos::prelude::document().body() {
        let _ = body.set_attribute("data-hydrated", "true");
    }
}
