//! What a phase of the load test measured: each operation's latencies, errors,
//! throughput, and the server's memory.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// The latencies of one user's answered requests, by operation; errors counted.
#[derive(Default)]
pub struct Tally {
    pub latencies: BTreeMap<&'static str, Vec<Duration>>,
    pub errors: BTreeMap<&'static str, Vec<String>>,
}

impl Tally {
    pub fn record(&mut self, operation: &'static str, took: Duration, outcome: Result<(), String>) {
        match outcome {
            Ok(()) => self.latencies.entry(operation).or_default().push(took),
            Err(problem) => self.errors.entry(operation).or_default().push(problem),
        }
    }

    pub fn merge(&mut self, other: Tally) {
        for (op, mut l) in other.latencies {
            self.latencies.entry(op).or_default().append(&mut l);
        }
        for (op, mut e) in other.errors {
            self.errors.entry(op).or_default().append(&mut e);
        }
    }

    pub fn error_count(&self) -> usize {
        self.errors.values().map(Vec::len).sum()
    }
}

/// One operation's figures over a phase.
#[derive(Clone, Debug)]
pub struct Figures {
    pub operation: &'static str,
    pub count: usize,
    pub per_second: f64,
    pub p50: Duration,
    pub p99: Duration,
    pub errors: usize,
}

/// The `q`-quantile (nearest rank) of sorted latencies.
pub fn quantile(sorted: &[Duration], q: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = ((q * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    sorted[rank - 1]
}

/// Each operation's figures, and the whole phase's as "all".
pub fn figures(tally: &Tally, elapsed: Duration) -> Vec<Figures> {
    let seconds = elapsed.as_secs_f64();
    let line = |operation, mut l: Vec<Duration>, errors| {
        l.sort();
        Figures {
            operation,
            count: l.len(),
            per_second: l.len() as f64 / seconds,
            p50: quantile(&l, 0.50),
            p99: quantile(&l, 0.99),
            errors,
        }
    };
    let mut lines: Vec<Figures> = tally
        .latencies
        .iter()
        .map(|(op, l)| line(*op, l.clone(), tally.errors.get(op).map_or(0, Vec::len)))
        .collect();
    if lines.len() > 1 {
        let all = tally.latencies.values().flatten().copied().collect();
        lines.push(line("all", all, tally.error_count()));
    }
    lines
}

/// Samples a process's resident memory every 50 ms while it runs.
pub struct MemoryWatch {
    peak_kib: Arc<AtomicU64>,
    stop: Arc<AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl MemoryWatch {
    pub fn start(pid: u32) -> MemoryWatch {
        let peak_kib = Arc::new(AtomicU64::new(0));
        let stop = Arc::new(AtomicBool::new(false));
        let thread = {
            let (peak_kib, stop) = (peak_kib.clone(), stop.clone());
            std::thread::spawn(move || {
                while !stop.load(Ordering::Relaxed) {
                    if let Some(kib) = status_kib(pid, "VmRSS:") {
                        peak_kib.fetch_max(kib, Ordering::Relaxed);
                    }
                    std::thread::sleep(Duration::from_millis(50));
                }
            })
        };
        MemoryWatch { peak_kib, stop, thread: Some(thread) }
    }

    /// The highest resident memory sampled since the last call, in MiB.
    pub fn take_peak_mib(&self) -> f64 {
        self.peak_kib.swap(0, Ordering::Relaxed) as f64 / 1024.0
    }
}

impl Drop for MemoryWatch {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// A `/proc/PID/status` line in KiB: `VmRSS:` now, `VmHWM:` the peak of the
/// process's life.
pub fn status_kib(pid: u32, key: &str) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status.lines().find_map(|l| l.strip_prefix(key)?.trim().strip_suffix("kB")?.trim().parse().ok())
}

/// Runs `users` threads, each calling `work(user, tally, end)` until the phase
/// ends at `end`; returns the merged tally and the time the phase took.
pub fn run_users<U: Send + 'static>(
    users: Vec<U>,
    length: Duration,
    work: impl Fn(&mut U, &mut Tally, Instant) + Send + Sync + 'static,
) -> (Vec<U>, Tally, Duration) {
    let work = Arc::new(work);
    let started = Instant::now();
    let until = started + length;
    let merged = Arc::new(Mutex::new(Tally::default()));
    let threads: Vec<_> = users
        .into_iter()
        .map(|mut user| {
            let (work, merged) = (work.clone(), merged.clone());
            std::thread::Builder::new()
                .spawn(move || {
                    let mut tally = Tally::default();
                    while Instant::now() < until {
                        work(&mut user, &mut tally, until);
                    }
                    merged.lock().expect("tally").merge(tally);
                    user
                })
                .expect("a user thread")
        })
        .collect();
    let users = threads.into_iter().map(|t| t.join().expect("a user thread ends")).collect();
    let elapsed = started.elapsed();
    let tally = std::mem::take(&mut *merged.lock().expect("tally"));
    (users, tally, elapsed)
}
