//! What is asked of the operating system and the processor beyond the standard library: the
//! one module with `unsafe` code. Five requests, none of which changes a result: huge pages
//! for the few tables that grow with a folder ([`advise`], [`zeroed`]), the lowest priority for
//! a thread whose work may wait ([`lower_this_thread`]), a cache line fetched ahead of its use
//! ([`prefetch`]), sixteen bytes of a record file compared at once ([`csv_marks`]), and two
//! SHA-256 worked out at once with the SHA instructions ([`sha256_two`]).
//!
//! A million dossiers fill a handful of vectors front to back (the dossier list, the ids'
//! entries, slots and texts, the split read's row log): most of a big folder's memory. With
//! the kernel's 4 KiB pages each of their ~30,000 pages costs a fault (a trap, a zeroed page,
//! a mapping), and the id table's lookups, which land at random, miss the TLB. Asked to back
//! such a vector with 2 MiB pages (`madvise(MADV_HUGEPAGE)`), Linux takes one fault per 512
//! pages and one TLB entry covers what 512 did: about 7 % of `check`'s time on a folder of a
//! million dossiers of another shape (README, "On other people's data").
//!
//! Only whole 2 MiB stretches inside a vector's allocation are advised, so a small vector is
//! left as it is, and a big one holds at most one huge page more than it fills (the one at its
//! end, once touched). Elsewhere than Linux, and where the kernel declines (transparent huge
//! pages turned off), nothing changes.

/// Asks for the allocation of `v` (its capacity, filled or not) to be backed by huge pages:
/// best done right after it is reserved, before it is filled.
pub fn advise<T>(v: &Vec<T>) {
    advise_range(v.as_ptr() as usize, v.capacity() * size_of::<T>());
}

/// A vector of `n` zeros, advised ([`advise`]) and then written, for a table that is read
/// before it is written (a hash table's slots: a lookup reads an empty slot, an addition then
/// writes it). `vec![0; n]` would hand over untouched pages: Linux maps the shared zero page
/// where such a page is first read, and the first write after copies it, a second fault whose
/// TLB flush interrupts every other core running the process. In a table written at random
/// that is nearly every page: on a million ids of another shape, `check` flushed the TLB some
/// 2,500-3,200 times (90 after) for about 3 % of its CPU time. Written here, front to back,
/// each page costs one fault.
pub fn zeroed<T: Copy + Default>(n: usize) -> Vec<T> {
    let mut v = Vec::with_capacity(n);
    advise(&v);
    v.resize(n, T::default());
    v
}

const HUGE_PAGE: usize = 2 << 20;

#[cfg(target_os = "linux")]
#[allow(unsafe_code)]
fn advise_range(start: usize, len: usize) {
    let from = start.next_multiple_of(HUGE_PAGE);
    let to = (start + len) / HUGE_PAGE * HUGE_PAGE;
    if to <= from {
        return;
    }
    // SAFETY: MADV_HUGEPAGE is advice on how to map the range: it changes neither the bytes
    // nor which addresses are valid, so no reference into the vector can tell. The range lies
    // inside the vector's own allocation; a kernel that declines returns an error, ignored.
    unsafe {
        libc::madvise(from as *mut libc::c_void, to - from, libc::MADV_HUGEPAGE);
    }
}

#[cfg(not(target_os = "linux"))]
fn advise_range(_start: usize, _len: usize) {}

/// Gives the calling thread the lowest priority (nice 19): it then runs when a core would
/// otherwise be idle, and takes little from threads of the usual priority. On Linux the nice
/// value is the thread's own, not the process's. Elsewhere, and where the kernel declines,
/// nothing changes.
#[cfg(target_os = "linux")]
#[allow(unsafe_code)]
pub fn lower_this_thread() {
    // SAFETY: `setpriority` takes no pointer and touches no memory of ours; `who` 0 is the
    // calling thread (Linux keeps a nice value per thread). A refusal leaves the priority as
    // it was, which is harmless.
    unsafe {
        libc::setpriority(libc::PRIO_PROCESS, 0, 19);
    }
}

#[cfg(not(target_os = "linux"))]
pub fn lower_this_thread() {}

/// Asks the processor to bring the cache line of `value` in, and goes on without waiting for
/// it: for a table read at random, the place of the next lookup fetched while the work before
/// it goes on. Where there is no prefetch instruction to hand (not x86-64), the value is read,
/// which fetches the line as well, waiting for it.
#[cfg(target_arch = "x86_64")]
#[allow(unsafe_code)]
pub fn prefetch<T: Copy>(value: &T) {
    use std::arch::x86_64::{_MM_HINT_T0, _mm_prefetch};
    // SAFETY: a prefetch is a hint: it reads nothing the program sees, writes nothing, and
    // does not fault even at an invalid address (this one is a reference's). SSE, which the
    // instruction belongs to, is part of every x86-64 processor.
    unsafe { _mm_prefetch::<_MM_HINT_T0>(std::ptr::from_ref(value).cast()) }
}

#[cfg(not(target_arch = "x86_64"))]
pub fn prefetch<T: Copy>(value: &T) {
    std::hint::black_box(*value);
}

/// Where the commas, the line feeds, and the quotes and carriage returns are among 16 bytes:
/// bit `k` of each mask is byte `k`. Record files are split a line at a time
/// ([`crate::records::scan`]); with SSE2, which every x86-64 processor has, one comparison
/// looks at all 16 bytes. Elsewhere the bytes are looked at one by one.
#[cfg(target_arch = "x86_64")]
#[allow(unsafe_code)]
#[inline(always)]
pub fn csv_marks(chunk: &[u8; 16]) -> [u32; 3] {
    use std::arch::x86_64::*;
    // SAFETY: an unaligned load of 16 bytes from a reference to 16 bytes, and comparisons of
    // them, with SSE2, which is part of every x86-64 processor.
    unsafe {
        let v = _mm_loadu_si128(chunk.as_ptr().cast());
        let is = |b: u8| _mm_cmpeq_epi8(v, _mm_set1_epi8(b as i8));
        [
            _mm_movemask_epi8(is(b',')) as u32,
            _mm_movemask_epi8(is(b'\n')) as u32,
            _mm_movemask_epi8(_mm_or_si128(is(b'"'), is(b'\r'))) as u32,
        ]
    }
}

#[cfg(not(target_arch = "x86_64"))]
#[inline(always)]
pub fn csv_marks(chunk: &[u8; 16]) -> [u32; 3] {
    csv_marks_bytewise(chunk)
}

/// [`csv_marks`] a byte at a time.
#[cfg_attr(all(target_arch = "x86_64", not(test)), allow(dead_code))]
pub(crate) fn csv_marks_bytewise(chunk: &[u8; 16]) -> [u32; 3] {
    let mut marks = [0; 3];
    for (k, &b) in chunk.iter().enumerate() {
        let which = match b {
            b',' => 0,
            b'\n' => 1,
            b'"' | b'\r' => 2,
            _ => continue,
        };
        marks[which] |= 1 << k;
    }
    marks
}

/// The SHA-256 of two messages of the same length, worked out at once with the processor's SHA
/// instructions, the rounds of one between those of the other: each round waits for the one
/// before it of its own message, so that one message leaves the SHA unit idle half the time
/// and two keep it busy (on this project's AMD EPYC, 2.1 GB/s for one message, 2.9 GB/s for
/// two). `None` where there are no such instructions to hand (a processor without them, not
/// x86-64): hash the messages one by one then.
pub fn sha256_two(a: &[u8], b: &[u8]) -> Option<[[u8; 32]; 2]> {
    if a.len() != b.len() {
        return None;
    }
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("sha")
        && std::arch::is_x86_feature_detected!("sse4.1")
        && std::arch::is_x86_feature_detected!("ssse3")
    {
        return Some(sha_ni::two(a, b));
    }
    None
}

/// [`sha256_two`] with the SHA instructions (after the processor's own reference code, as the
/// `sha2` crate has it for one message).
#[cfg(target_arch = "x86_64")]
#[allow(unsafe_code)]
mod sha_ni {
    use std::arch::x86_64::*;

    const K: [u32; 64] = [
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4,
        0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe,
        0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f,
        0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7,
        0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc,
        0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
        0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116,
        0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
        0xc67178f2,
    ];
    const IV: [u32; 8] = [
        0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab,
        0x5be0cd19,
    ];

    /// One message's state as the SHA instructions hold it: (ABEF, CDGH).
    #[derive(Clone, Copy)]
    struct State(__m128i, __m128i);

    pub(super) fn two(a: &[u8], b: &[u8]) -> [[u8; 32]; 2] {
        // The last blocks: the bytes after the whole blocks, 0x80, zeros, the length in bits
        // (one block, or two when the length does not fit after the bytes).
        let tail = |m: &[u8]| -> Vec<u8> {
            let rest = &m[m.len() / 64 * 64..];
            let n = if rest.len() + 9 <= 64 { 64 } else { 128 };
            let mut t = vec![0u8; n];
            t[..rest.len()].copy_from_slice(rest);
            t[rest.len()] = 0x80;
            t[n - 8..].copy_from_slice(&((m.len() as u64) * 8).to_be_bytes());
            t
        };
        let (ta, tb) = (tail(a), tail(b));
        let whole = a.len() / 64 * 64;
        // SAFETY: the caller found the SHA, SSE4.1 and SSSE3 instructions on this processor;
        // every load reads 16 bytes inside a 64-byte block of a slice, every store writes into
        // a local array.
        unsafe {
            let (mut x, mut y) = (load(&IV), load(&IV));
            blocks(&mut x, &mut y, &a[..whole], &b[..whole]);
            blocks(&mut x, &mut y, &ta, &tb);
            [store(x), store(y)]
        }
    }

    #[target_feature(enable = "sse4.1")]
    unsafe fn load(state: &[u32; 8]) -> State {
        unsafe {
            let p: *const __m128i = state.as_ptr().cast();
            let (dcba, hgfe) = (_mm_loadu_si128(p), _mm_loadu_si128(p.add(1)));
            let cdab = _mm_shuffle_epi32(dcba, 0xB1);
            let efgh = _mm_shuffle_epi32(hgfe, 0x1B);
            State(
                _mm_alignr_epi8(cdab, efgh, 8),
                _mm_blend_epi16(efgh, cdab, 0xF0),
            )
        }
    }

    #[target_feature(enable = "sse4.1")]
    unsafe fn store(State(abef, cdgh): State) -> [u8; 32] {
        let mut words = [0u32; 8];
        unsafe {
            let feba = _mm_shuffle_epi32(abef, 0x1B);
            let dchg = _mm_shuffle_epi32(cdgh, 0xB1);
            let p: *mut __m128i = words.as_mut_ptr().cast();
            _mm_storeu_si128(p, _mm_blend_epi16(feba, dchg, 0xF0));
            _mm_storeu_si128(p.add(1), _mm_alignr_epi8(dchg, feba, 8));
        }
        let mut out = [0u8; 32];
        for (o, w) in out.chunks_exact_mut(4).zip(words) {
            o.copy_from_slice(&w.to_be_bytes());
        }
        out
    }

    // The helpers below carry the block function's instructions, so that the intrinsics inline
    // into them and they into it whatever the optimiser decides elsewhere; and the block's
    // sixteen words are named variables, not an array indexed modulo four, so that they stay in
    // registers. (With `#[inline(always)]` helpers without the instructions and the words in an
    // array, an unrelated change elsewhere in the crate once left the array in memory: 239
    // stack accesses in the block function instead of 55, the SHA 2.3 times slower, year JSON
    // 15 % slower; now 6, and no calls.)

    /// Four rounds of one message (`r`: which four), with its schedule words `w` added to the
    /// round constants.
    #[inline]
    #[target_feature(enable = "sha,sse4.1,ssse3")]
    fn rounds4(r: usize, s: &mut State, w: __m128i) {
        let k = &K[4 * r..4 * r + 4];
        // SAFETY: 16 bytes read from a slice of four words.
        let k = unsafe { _mm_loadu_si128(k.as_ptr().cast()) };
        let t1 = _mm_add_epi32(w, k);
        s.1 = _mm_sha256rnds2_epu32(s.1, s.0, t1);
        s.0 = _mm_sha256rnds2_epu32(s.0, s.1, _mm_shuffle_epi32(t1, 0x0E));
    }

    /// The next four schedule words of a block, from the last sixteen (`w0` the oldest four).
    #[inline]
    #[target_feature(enable = "sha,sse4.1,ssse3")]
    fn schedule(w0: __m128i, w1: __m128i, w2: __m128i, w3: __m128i) -> __m128i {
        let t = _mm_sha256msg1_epu32(w0, w1);
        let t = _mm_add_epi32(t, _mm_alignr_epi8(w3, w2, 4));
        _mm_sha256msg2_epu32(t, w3)
    }

    /// The block's sixteen words, big-endian, four to a register.
    #[inline]
    #[target_feature(enable = "sha,sse4.1,ssse3")]
    fn words(block: &[u8; 64]) -> [__m128i; 4] {
        let mask = _mm_set_epi64x(0x0C0D_0E0F_0809_0A0B, 0x0405_0607_0001_0203);
        let p: *const __m128i = block.as_ptr().cast();
        // SAFETY: four loads of 16 bytes inside the block's 64.
        let load = |i: usize| _mm_shuffle_epi8(unsafe { _mm_loadu_si128(p.add(i)) }, mask);
        [load(0), load(1), load(2), load(3)]
    }

    /// The blocks of `a` and `b` (as many of each, whole), into `x` and `y`, a round of one
    /// then of the other.
    #[target_feature(enable = "sha,sse4.1,ssse3")]
    unsafe fn blocks(x: &mut State, y: &mut State, a: &[u8], b: &[u8]) {
        for (ba, bb) in a.as_chunks::<64>().0.iter().zip(b.as_chunks::<64>().0) {
            let (x0, y0) = (*x, *y);
            let [mut a0, mut a1, mut a2, mut a3] = words(ba);
            let [mut b0, mut b1, mut b2, mut b3] = words(bb);
            let mut both = |r: usize, wa: __m128i, wb: __m128i| {
                rounds4(r, x, wa);
                rounds4(r, y, wb);
            };
            both(0, a0, b0);
            both(1, a1, b1);
            both(2, a2, b2);
            both(3, a3, b3);
            for r in [4, 8, 12] {
                (a0, b0) = (schedule(a0, a1, a2, a3), schedule(b0, b1, b2, b3));
                both(r, a0, b0);
                (a1, b1) = (schedule(a1, a2, a3, a0), schedule(b1, b2, b3, b0));
                both(r + 1, a1, b1);
                (a2, b2) = (schedule(a2, a3, a0, a1), schedule(b2, b3, b0, b1));
                both(r + 2, a2, b2);
                (a3, b3) = (schedule(a3, a0, a1, a2), schedule(b3, b0, b1, b2));
                both(r + 3, a3, b3);
            }
            *x = State(_mm_add_epi32(x.0, x0.0), _mm_add_epi32(x.1, x0.1));
            *y = State(_mm_add_epi32(y.0, y0.0), _mm_add_epi32(y.1, y0.1));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The flags of the mapping that holds `addr`, from /proc/self/smaps.
    #[cfg(target_os = "linux")]
    fn flags_at(addr: usize) -> Option<String> {
        let smaps = std::fs::read_to_string("/proc/self/smaps").ok()?;
        let mut inside = false;
        for line in smaps.lines() {
            if let Some((range, _)) = line.split_once(' ')
                && let Some((lo, hi)) = range.split_once('-')
                && let (Ok(lo), Ok(hi)) =
                    (usize::from_str_radix(lo, 16), usize::from_str_radix(hi, 16))
            {
                inside = (lo..hi).contains(&addr);
            } else if inside && let Some(flags) = line.strip_prefix("VmFlags:") {
                return Some(flags.trim().to_string());
            }
        }
        None
    }

    /// Two messages hashed at once give what each gives alone, whatever their length (the
    /// last block's padding takes one block or two), where the processor has SHA instructions.
    #[test]
    fn two_digests_at_once_are_each_ones_own() {
        use sha2::Digest as _;
        let bytes: Vec<u8> = (0..70_000u32).map(|i| (i * 31 % 257) as u8).collect();
        for n in (0..=200).chain([1000, 16_384, 16_447, 65_536, 69_999]) {
            let (a, b) = (&bytes[..n], &bytes[1..=n]);
            let want: [[u8; 32]; 2] = [
                sha2::Sha256::digest(a).into(),
                sha2::Sha256::digest(b).into(),
            ];
            match sha256_two(a, b) {
                Some(got) => assert_eq!(got, want, "{n} bytes"),
                #[cfg(target_arch = "x86_64")]
                None => assert!(!std::arch::is_x86_feature_detected!("sha")),
                #[cfg(not(target_arch = "x86_64"))]
                None => {}
            }
        }
        assert_eq!(sha256_two(b"ab", b"abc"), None);
    }

    #[test]
    #[cfg(target_os = "linux")]
    fn a_big_vector_is_advised_and_keeps_its_contents() {
        if !std::path::Path::new("/sys/kernel/mm/transparent_hugepage").exists() {
            return; // A kernel without transparent huge pages: nothing to advise.
        }
        let mut v: Vec<u64> = Vec::with_capacity(3 * HUGE_PAGE / 8);
        v.extend(0..1000);
        let inner = (v.as_ptr() as usize).next_multiple_of(HUGE_PAGE);
        let before = flags_at(inner).expect("the vector's mapping");
        assert!(!before.split(' ').any(|f| f == "hg"), "{before}");
        advise(&v);
        let after = flags_at(inner).expect("the vector's mapping");
        assert!(after.split(' ').any(|f| f == "hg"), "{after}");
        v.extend(1000..200_000);
        assert!(v.iter().enumerate().all(|(i, &x)| x == i as u64));
    }

    /// How many of the pages from `start` for `len` bytes are in memory.
    #[cfg(target_os = "linux")]
    #[allow(unsafe_code)]
    fn resident_pages(start: usize, len: usize) -> (usize, usize) {
        let page = 4096;
        let from = start / page * page;
        let pages = (start + len - from).div_ceil(page);
        let mut flags = vec![0u8; pages];
        // SAFETY: mincore only reads the page tables of the range, which lies inside one live
        // allocation (rounded down to its page), and writes one byte per page into `flags`.
        let rc = unsafe {
            libc::mincore(
                from as *mut libc::c_void,
                pages * page,
                flags.as_mut_ptr().cast(),
            )
        };
        assert_eq!(rc, 0, "mincore: {}", std::io::Error::last_os_error());
        (flags.iter().filter(|&&f| f & 1 != 0).count(), pages)
    }

    #[test]
    #[cfg(target_os = "linux")]
    fn a_zeroed_table_is_in_memory_before_it_is_read() {
        let v: Vec<u32> = zeroed(3 << 20);
        assert_eq!(v.len(), 3 << 20);
        let (resident, pages) = resident_pages(v.as_ptr() as usize, v.len() * 4);
        assert_eq!(resident, pages);
        assert!(v.iter().all(|&x| x == 0));
        assert!(zeroed::<u64>(0).is_empty());
    }

    #[test]
    fn small_and_empty_ones_are_left_alone() {
        let v: Vec<u8> = Vec::new();
        advise(&v);
        let v = vec![1u8; 100];
        advise(&v);
        assert_eq!(v, vec![1u8; 100]);
    }

    /// The nice value of the calling thread, from /proc/thread-self/stat (the 19th field).
    #[cfg(target_os = "linux")]
    fn nice_of_this_thread() -> i64 {
        let stat = std::fs::read_to_string("/proc/thread-self/stat").expect("reading the stat");
        // The command name, in parentheses, may hold spaces: the fields count from its end.
        let after_name = &stat[stat.rfind(')').expect("a command name") + 2..];
        let field = after_name.split(' ').nth(19 - 3).expect("a nice field");
        field.parse().expect("a number")
    }

    #[test]
    #[cfg(target_os = "linux")]
    fn a_lowered_thread_runs_at_nice_19_and_the_others_keep_theirs() {
        let before = nice_of_this_thread();
        let lowered = std::thread::spawn(|| {
            lower_this_thread();
            nice_of_this_thread()
        })
        .join()
        .expect("the thread ends");
        assert_eq!(lowered, 19);
        assert_eq!(nice_of_this_thread(), before);
    }
}
