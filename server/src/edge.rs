//! The one HTTP edge every plain route goes through: who is calling (`Caller`, the same `Ctx`
//! server functions get), how a file leaves OCM (`Download`), and how a file arrives
//! (`multipart`, bounded before it is buffered). Routes are thin: extract, call `domain`, answer.

pub mod caller;
pub mod download;

pub use caller::Caller;
pub use download::Download;
