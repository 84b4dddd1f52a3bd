//! Files digested a piece at a time: the SHA-256 of each 16 KiB of a file, counted from its
//! start (the last piece shorter, an empty file none). Whoever reads a stretch of a file works
//! out the digests of the pieces it reads whole, on whichever thread, in whichever order; what
//! no reader gave is read again and hashed when the pieces are put together. A report's
//! provenance digest is made of them (`history::provenance`): the load's own reads give them
//! ([`Hashed`] around each file it reads, into one [`Found`]), so that the files are not read a
//! second time, and the two threads of a big file's split read hash their own parts. Pieces
//! read together are hashed two at a time ([`crate::os::sha256_two`]: a third less time than
//! one by one, where the processor has SHA instructions).

use std::collections::BTreeMap;
use std::io::{self, Read};
use std::sync::Mutex;

use sha2::Digest as _;

/// The size of a piece: small enough that a read of a few hundred kilobytes holds many whole
/// pieces, to be hashed two at a time.
pub const PIECE: u64 = 16 << 10;

/// A piece's SHA-256.
pub type PieceDigest = [u8; 32];

/// The SHA-256 of a piece's bytes.
pub fn digest(bytes: &[u8]) -> PieceDigest {
    sha2::Sha256::digest(bytes).into()
}

/// How many pieces a file of `len` bytes has.
pub fn count(len: u64) -> u64 {
    len.div_ceil(PIECE)
}

/// The pieces of a run of bytes read in order from some offset of a file: those it holds whole.
#[derive(Clone)]
pub struct Pieces {
    /// The offset of the next byte.
    at: u64,
    hasher: sha2::Sha256,
    /// Whether the piece under way was begun at its first byte (a run that starts inside a
    /// piece cannot give that one).
    whole: bool,
    /// The end of the file was met: no more bytes are taken.
    ended: bool,
    /// The pieces done, by their place in the file.
    done: Vec<(u64, PieceDigest)>,
}

impl Pieces {
    /// A run from byte `at` of a file.
    pub fn starting_at(at: u64) -> Pieces {
        Pieces {
            at,
            hasher: sha2::Sha256::new(),
            whole: at.is_multiple_of(PIECE),
            ended: false,
            done: Vec::new(),
        }
    }

    /// The next bytes of the run.
    pub fn update(&mut self, mut bytes: &[u8]) {
        if self.ended {
            return;
        }
        let size = PIECE as usize;
        while !bytes.is_empty() {
            // At a piece's start (a run that started inside a piece is at one after it), two
            // whole pieces are hashed at once when the processor can.
            if self.at.is_multiple_of(PIECE)
                && bytes.len() >= 2 * size
                && let Some(two) = crate::os::sha256_two(&bytes[..size], &bytes[size..2 * size])
            {
                let k = self.at / PIECE;
                self.done.extend([(k, two[0]), (k + 1, two[1])]);
                self.at += 2 * PIECE;
                bytes = &bytes[2 * size..];
                continue;
            }
            let room = PIECE - self.at % PIECE;
            let n = usize::try_from(room).map_or(bytes.len(), |room| room.min(bytes.len()));
            if self.whole {
                self.hasher.update(&bytes[..n]);
            }
            self.at += n as u64;
            bytes = &bytes[n..];
            if self.at.is_multiple_of(PIECE) {
                self.close();
            }
        }
    }

    /// The file ends where the run is: its last piece, shorter, is done too.
    pub fn end(&mut self) {
        if !self.ended && !self.at.is_multiple_of(PIECE) {
            self.close();
        }
        self.ended = true;
    }

    /// Where the run is: the offset of its next byte.
    pub fn at(&self) -> u64 {
        self.at
    }

    /// The pieces done since the last call, by their place in the file.
    pub fn take(&mut self) -> Vec<(u64, PieceDigest)> {
        std::mem::take(&mut self.done)
    }

    /// The piece under way ends at `at` (which is past at least one byte of it).
    fn close(&mut self) {
        if self.whole {
            let digest = self.hasher.finalize_reset().into();
            self.done.push(((self.at - 1) / PIECE, digest));
        }
        self.whole = true;
    }
}

/// The pieces the readers of a load found, per file (by its place in the load's list), and
/// where a reader met a file's end.
#[derive(Default)]
pub struct Found {
    files: Mutex<Vec<FileFound>>,
}

/// What [`Found`] holds of one file.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct FileFound {
    pub pieces: BTreeMap<u64, PieceDigest>,
    /// The file's length, where a reader met its end.
    pub end: Option<u64>,
}

impl Found {
    fn add(&self, file: usize, pieces: Vec<(u64, PieceDigest)>, end: Option<u64>) {
        let mut files = self.files.lock().unwrap_or_else(|p| p.into_inner());
        if files.len() <= file {
            files.resize_with(file + 1, FileFound::default);
        }
        let found = &mut files[file];
        found.pieces.extend(pieces);
        found.end = found.end.or(end);
    }

    /// What was found of file `file` (nothing, if no reader read it).
    pub fn file(&self, file: usize) -> FileFound {
        let files = self.files.lock().unwrap_or_else(|p| p.into_inner());
        files.get(file).cloned().unwrap_or_default()
    }
}

/// A reader of a file from byte `at` on that hands the pieces it reads whole to a [`Found`]
/// when dropped (with the file's length, if it met the end); without one, only a reader.
pub struct Hashed<'a, R> {
    inner: R,
    into: Option<(Pieces, &'a Found, usize)>,
}

impl<'a, R: Read> Hashed<'a, R> {
    /// `inner`, which is at byte `at` of file `file`, its pieces for `into`.
    pub fn new(inner: R, at: u64, into: Option<(&'a Found, usize)>) -> Hashed<'a, R> {
        Hashed {
            inner,
            into: into.map(|(found, file)| (Pieces::starting_at(at), found, file)),
        }
    }
}

impl<R: Read> Read for Hashed<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        if let Some((pieces, _, _)) = &mut self.into {
            match n {
                0 if !buf.is_empty() => pieces.end(),
                _ => pieces.update(&buf[..n]),
            }
        }
        Ok(n)
    }
}

impl<R> Drop for Hashed<'_, R> {
    fn drop(&mut self) {
        if let Some((mut pieces, found, file)) = self.into.take() {
            let end = pieces.ended.then_some(pieces.at);
            found.add(file, pieces.take(), end);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Bytes that differ from piece to piece.
    fn bytes(n: u64) -> Vec<u8> {
        (0..n)
            .map(|i| (i % 251) as u8 ^ (i / PIECE) as u8)
            .collect()
    }

    /// The pieces of `all`, hashed one by one.
    fn expected(all: &[u8]) -> BTreeMap<u64, PieceDigest> {
        (all.chunks(PIECE as usize).enumerate())
            .map(|(k, piece)| (k as u64, digest(piece)))
            .collect()
    }

    #[test]
    fn a_run_from_the_start_to_the_end_gives_every_piece() {
        for n in [0, 1, PIECE - 1, PIECE, PIECE + 1, 3 * PIECE + 17] {
            let all = bytes(n);
            // Read in odd steps that straddle the pieces' bounds.
            let mut run = Pieces::starting_at(0);
            for step in all.chunks(300_007) {
                run.update(step);
            }
            run.end();
            run.end();
            run.update(b"after the end");
            let got: BTreeMap<_, _> = run.take().into_iter().collect();
            assert_eq!(got, expected(&all), "{n} bytes");
            assert_eq!(got.len() as u64, count(n));
        }
    }

    #[test]
    fn a_run_gives_only_the_pieces_it_holds_whole() {
        let all = bytes(4 * PIECE + 5);
        let want = expected(&all);
        // From inside piece 1 to inside piece 3: piece 2 only.
        let mut run = Pieces::starting_at(PIECE + 10);
        run.update(&all[(PIECE + 10) as usize..(3 * PIECE + 7) as usize]);
        assert_eq!(run.take(), vec![(2, want[&2])]);
        // From the start of piece 3 to the end: pieces 3 and 4, the last one short.
        let mut run = Pieces::starting_at(3 * PIECE);
        run.update(&all[3 * PIECE as usize..]);
        assert_eq!(run.take(), vec![(3, want[&3])]);
        run.end();
        assert_eq!(run.take(), vec![(4, want[&4])]);
        // A run that stops inside a piece without meeting the end gives none of it.
        let mut run = Pieces::starting_at(0);
        run.update(&all[..PIECE as usize / 2]);
        assert_eq!(run.take(), vec![]);
    }

    /// Readers of overlapping stretches on two threads, as a split read has them, give what a
    /// reader of the whole gives, but for the pieces no one held whole.
    #[test]
    fn readers_of_stretches_hand_their_pieces_to_one_place() {
        let all = bytes(5 * PIECE + 123);
        let found = Found::default();
        // `len` bytes from `from` on, or (`None`) to the end.
        let read = |from: u64, len: Option<u64>| {
            let mut r = Hashed::new(
                std::io::Cursor::new(&all[from as usize..]),
                from,
                Some((&found, 1)),
            );
            match len {
                Some(len) => r.read_exact(&mut vec![0; len as usize]).unwrap(),
                None => _ = std::io::copy(&mut r, &mut std::io::sink()).unwrap(),
            }
        };
        std::thread::scope(|s| {
            s.spawn(|| read(0, Some(2 * PIECE + 9)));
            s.spawn(|| read(2 * PIECE + 3, None));
        });
        let got = found.file(1);
        let mut want = expected(&all);
        want.remove(&2);
        assert_eq!(got.pieces, want);
        assert_eq!(got.end, Some(all.len() as u64));
        assert_eq!(found.file(0), FileFound::default());
        // Without a place for them, a plain reader.
        let mut r = Hashed::new(std::io::Cursor::new(&all[..]), 0, None);
        assert_eq!(
            std::io::copy(&mut r, &mut std::io::sink()).unwrap(),
            all.len() as u64
        );
    }
}
