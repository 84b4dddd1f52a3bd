//! The floor of the benchmark: a minimal pass over a plan folder's record files that reads
//! every CSV record into one reused `csv::ByteRecord` and only counts them. Whatever kehoach
//! does on top of reading is measured against this.
//!
//! `cargo run --release --example floor -- DIR [DIR…]` (many folders: the rollup's floor,
//! read one after the other on one thread).

use std::path::Path;

fn count(path: &Path) -> u64 {
    let file = std::fs::File::open(path).expect("open");
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .from_reader(std::io::BufReader::with_capacity(256 * 1024, file));
    let mut record = csv::ByteRecord::new();
    let mut n = 0;
    while rdr.read_byte_record(&mut record).expect("read") {
        n += 1;
    }
    n
}

fn main() {
    let dirs: Vec<String> = std::env::args().skip(1).collect();
    assert!(!dirs.is_empty(), "usage: floor DIR [DIR…]");
    let mut total = 0;
    for dir in dirs {
        let mut entries: Vec<_> = std::fs::read_dir(Path::new(&dir).join("records"))
            .expect("records/")
            .map(|e| e.expect("entry").path())
            .filter(|p| p.extension().is_some_and(|e| e == "csv"))
            .collect();
        entries.sort();
        for path in entries {
            total += count(&path);
        }
    }
    println!("{total}");
}
