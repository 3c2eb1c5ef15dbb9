//! The one HTTP edge every plain route goes through: who is calling (`Caller`, the same `Ctx`
//! server functions get; `Watcher` for event streams), how a file leaves OCM (`Download`; the
//! report exports in `report_export`), and how a file arrives (`multipart`, bounded before it is
//! buffered). Routes are thin: extract, call `domain`, answer.

pub mod api;
pub mod caller;
pub mod download;
pub mod multipart;
pub mod report_export;

pub use caller::{Caller, Watcher};
pub use download::Download;
