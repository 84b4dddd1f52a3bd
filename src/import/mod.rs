pub mod decode;
pub mod pass;
pub mod sheet;
