//! Integration tests: the real `kehoach` binary on fixture folders in temporary directories.
//! One test binary; one module per command.

mod harness;

mod amend;
mod architecture;
mod bounded;
mod check;
mod counter;
mod crash;
mod cron;
mod docs;
mod documents;
mod duties;
mod entry;
mod excel;
mod export;
mod history;
mod hostile;
mod i18n;
mod letters;
mod onestop;
mod plan;
mod ratings;
mod report;
mod robust;
mod rollup;
mod safety;
mod sample;
mod scale;
mod work;
