pub mod decode;
pub mod sheet;
