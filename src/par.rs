//! Parallelism: the one module that starts threads.
//!
//! The domain says what may run at once (the second part of a big dossier file beside the other
//! files, the dossiers' findings beside the others, half of the findings put in words beside
//! the other half); this module says how:
//!
//! - [`join`]: two pieces of work at once, the second on a thread of its own;
//! - [`pipe`]: a stream of items made on a thread of its own and taken on this one as they come
//!   (a file's rows read and normalised while the rows before are being checked);
//! - [`in_turn`]: many pieces ([`spans`] of a long list, say) taken in turn by a few threads,
//!   their results in the pieces' order, whichever thread did them;
//! - [`background`]: work that outlives the call that starts it, joined through its handle (an
//!   import's rows written and synced to disk while the pass that makes them goes on);
//!   [`background_idle`] the same at the lowest priority, for work that fills the time a core
//!   would otherwise be idle (the git side of a report's provenance, from the moment the files
//!   are listed until a thread of the usual priority takes it over);
//! - [`free_meanwhile`] and [`leave_to_exit`]: a big value freed on a thread of its own while
//!   the work goes on, or not freed at all when the process is about to end.
//!
//! Every thread is joined before the call returns (but those of [`background`], joined when
//! their handle is waited for or dropped, and those of [`free_meanwhile`], which only free
//! memory), and a panic on any of them is resumed on the caller, as if the work had been done
//! there: so the results are those of one thread, only sooner.

use std::ops::Range;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Does `a` on this thread and `b` on a thread of its own, at once, and returns both results.
/// A panic in either is resumed here once both are done.
pub fn join<A, B, RA, RB>(a: A, b: B) -> (RA, RB)
where
    A: FnOnce() -> RA,
    B: FnOnce() -> RB + Send,
    RB: Send,
{
    std::thread::scope(|scope| {
        let b = scope.spawn(b);
        let a = a();
        let b = b
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (a, b)
    })
}

/// Runs `produce` on a thread of its own and `consume` on this one, at once: the items the first
/// hands to its `send` reach the second's iterator in order, at most `depth` of them waiting
/// between. `send` says `false` once `consume` has returned (it takes no more): `produce` should
/// stop then. Returns both results; a panic in either is resumed here once both are done.
pub fn pipe<T, P, C, RP, RC>(depth: usize, produce: P, consume: C) -> (RP, RC)
where
    T: Send,
    P: FnOnce(&mut dyn FnMut(T) -> bool) -> RP + Send,
    RP: Send,
    C: FnOnce(&mut dyn Iterator<Item = T>) -> RC,
{
    let (tx, rx) = std::sync::mpsc::sync_channel(depth);
    std::thread::scope(|scope| {
        let made = scope.spawn(move || produce(&mut |item| tx.send(item).is_ok()));
        let taken = consume(&mut rx.iter());
        // Whatever `consume` left is not waited for: `produce` learns it at its next item.
        drop(rx);
        let made = made
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (made, taken)
    })
}

/// The spans of `size` positions (the last one shorter) that make up `0..n`, in order: at least
/// one, empty when `n` is 0.
pub fn spans(n: usize, size: usize) -> impl Iterator<Item = Range<usize>> {
    let size = size.max(1);
    (0..n.div_ceil(size).max(1)).map(move |i| i * size..((i + 1) * size).min(n))
}

/// Does `work` on every item, the items taken in turn by `threads` threads (this one among
/// them; no more threads than items), and returns the results in the order of the items. Work
/// that bunches up in some stretch of the items is so shared evenly, where cutting the items in
/// `threads` blocks would leave one thread with most of it.
pub fn in_turn<T, R, F>(items: &[T], threads: usize, work: F) -> Vec<R>
where
    T: Sync,
    R: Send,
    F: Fn(&T) -> R + Sync,
{
    let next = AtomicUsize::new(0);
    let take = || {
        let mut done = Vec::new();
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            let Some(item) = items.get(i) else {
                return done;
            };
            done.push((i, work(item)));
        }
    };
    let helpers = threads.min(items.len()).saturating_sub(1);
    let mut done = std::thread::scope(|scope| {
        let others: Vec<_> = (0..helpers).map(|_| scope.spawn(take)).collect();
        let mut done = take();
        for other in others {
            done.extend(
                other
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
            );
        }
        done
    });
    done.sort_unstable_by_key(|(i, _)| *i);
    done.into_iter().map(|(_, r)| r).collect()
}

/// Starts `work` on a thread of its own and returns at once, for work that goes on beside what
/// the caller does next, across calls; [`Background::wait`] gives its result.
pub fn background<R, W>(work: W) -> Background<R>
where
    R: Send + 'static,
    W: FnOnce() -> R + Send + 'static,
{
    Background(Some(std::thread::spawn(work)))
}

/// [`background`] on a thread of the lowest priority ([`crate::os::lower_this_thread`]): it
/// runs when a core would otherwise be idle and takes little from the threads beside it, so it
/// can be started early, beside the work it must not slow. On a machine busy with other work
/// it may hardly run at all: what must be done in time is taken over by a thread of the usual
/// priority (as `cmd::report::DigestBeside` does), never waited for.
pub fn background_idle<R, W>(work: W) -> Background<R>
where
    R: Send + 'static,
    W: FnOnce() -> R + Send + 'static,
{
    background(move || {
        crate::os::lower_this_thread();
        work()
    })
}

/// Work begun by [`background`]. Dropped without [`Background::wait`], it is waited for all the
/// same (its result, or its panic, dropped): no thread outlives its handle.
pub struct Background<R>(Option<std::thread::JoinHandle<R>>);

impl<R> Background<R> {
    /// The work's result, once it is done; a panic in it is resumed here.
    pub fn wait(mut self) -> R {
        let handle = self
            .0
            .take()
            .expect("a background handle is waited for once");
        handle
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
    }
}

impl<R> Drop for Background<R> {
    fn drop(&mut self) {
        if let Some(handle) = self.0.take() {
            let _ = handle.join();
        }
    }
}

/// Frees a big value (a million dossiers, a report's template data) on a thread of its own,
/// while this one goes on: a report is built and written with less memory, and no sooner or
/// later. Nobody waits for it: the process may end first, and the system then takes the rest.
pub fn free_meanwhile<T: Send + 'static>(value: T) {
    std::thread::spawn(move || drop(value));
}

/// Leaves a value to the end of the process, which must be near: the system takes back all of
/// its memory at once, where freeing it one allocation at a time (a hundred thousand
/// activities, tens of thousands of findings) would take a noticeable while. Only for what a
/// command holds when it has written everything and is about to return: nothing is written,
/// flushed or closed by dropping it (files and writers are flushed and closed before).
pub fn leave_to_exit<T>(value: T) {
    std::mem::forget(value);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn background_work_is_waited_for_by_its_handle_even_when_dropped() {
        assert_eq!(background(|| 6 * 7).wait(), 42);
        let done = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let flag = std::sync::Arc::clone(&done);
        drop(background(move || {
            std::thread::sleep(std::time::Duration::from_millis(50));
            flag.store(true, Ordering::SeqCst);
        }));
        assert!(
            done.load(Ordering::SeqCst),
            "the drop returned before the work ended"
        );
        let panicked = std::panic::catch_unwind(|| background(|| panic!("in the work")).wait());
        assert!(panicked.is_err());
    }

    #[test]
    fn a_pipe_hands_every_item_in_order_and_stops_the_maker_when_the_taker_stops() {
        let (made, taken) = pipe(
            2,
            |send| (0..1000).take_while(|&i| send(i)).count(),
            |items| items.collect::<Vec<_>>(),
        );
        assert_eq!(made, 1000);
        assert_eq!(taken, (0..1000).collect::<Vec<_>>());
        // The taker stops after three items: the maker is told, and does not run to the end.
        let (made, taken) = pipe(
            1,
            |send| (0..1_000_000).take_while(|&i| send(i)).count(),
            |items| items.take(3).sum::<i32>(),
        );
        assert_eq!(taken, 3);
        assert!(made < 1_000_000, "{made}");
    }

    #[test]
    fn join_returns_both_results_each_from_its_work() {
        let words = ["một", "hai"];
        let (a, b) = join(|| words[0].len(), || words[1].to_uppercase());
        assert_eq!((a, b.as_str()), ("một".len(), "HAI"));
        // The first runs on the calling thread, the second on another.
        let here = std::thread::current().id();
        let (a, b) = join(
            || std::thread::current().id(),
            || std::thread::current().id(),
        );
        assert_eq!(a, here);
        assert_ne!(b, here);
    }

    #[test]
    fn join_resumes_a_panic_of_either_side_on_the_caller() {
        let second = std::panic::catch_unwind(|| join(|| 1, || -> u8 { panic!("second side") }));
        let payload = second.unwrap_err();
        assert_eq!(payload.downcast_ref::<&str>(), Some(&"second side"));
        let first = std::panic::catch_unwind(|| join(|| -> u8 { panic!("first side") }, || 2));
        assert!(first.is_err());
    }

    #[test]
    fn spans_cover_the_positions_in_order_and_are_never_none() {
        let all: Vec<Range<usize>> = spans(10, 4).collect();
        assert_eq!(all, vec![0..4, 4..8, 8..10]);
        assert_eq!(spans(8, 4).collect::<Vec<_>>(), vec![0..4, 4..8]);
        assert_eq!(spans(0, 4).collect::<Vec<_>>(), vec![0..0]);
        assert_eq!(spans(3, 0).count(), 3);
    }

    #[test]
    fn in_turn_gives_the_results_in_the_order_of_the_items() {
        let items: Vec<u64> = (0..1000).collect();
        for threads in [0, 1, 2, 3, 8] {
            let out = in_turn(&items, threads, |&i| {
                // Uneven work, so that the threads finish out of order.
                if i % 7 == 0 {
                    std::thread::yield_now();
                }
                i * i
            });
            assert_eq!(out, items.iter().map(|i| i * i).collect::<Vec<_>>());
        }
        assert!(in_turn(&[] as &[u8], 2, |&b| b).is_empty());
    }

    #[test]
    fn in_turn_shares_the_items_among_the_threads() {
        let items: Vec<usize> = (0..64).collect();
        let ids = in_turn(&items, 2, |_| {
            // Long enough for the second thread to take some.
            std::thread::sleep(std::time::Duration::from_millis(2));
            std::thread::current().id()
        });
        let here = std::thread::current().id();
        assert!(ids.contains(&here));
        assert!(ids.iter().any(|id| *id != here));
    }

    #[test]
    fn in_turn_resumes_a_panic_of_a_helper_thread() {
        let items: Vec<usize> = (0..64).collect();
        let here = std::thread::current().id();
        let out = std::panic::catch_unwind(|| {
            in_turn(&items, 2, |_| {
                std::thread::sleep(std::time::Duration::from_millis(1));
                assert_eq!(std::thread::current().id(), here, "a helper's panic");
            })
        });
        assert!(out.is_err());
    }
}
