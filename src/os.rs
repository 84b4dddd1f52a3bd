//! What is asked of the operating system and the processor beyond the standard library: the
//! one module with `unsafe` code. Three requests, none of which changes a result: huge pages
//! for the few tables that grow with a folder ([`advise`], [`zeroed`]), the lowest priority for
//! a thread whose work may wait ([`lower_this_thread`]), and a cache line fetched ahead of its
//! use ([`prefetch`]).
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
