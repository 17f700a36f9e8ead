//! Fuzzes the dataset validator, the JSON reader, the URL-state codec, the territory tables and the pack reader (see
//! `docs/FUZZING.md`). Deterministic and dependency-free; the harness lives in `tests/common/fuzz.rs`, shared with
//! the quick runs of `tests/regressions.rs`.
//!
//! ```text
//! cargo run --profile fuzz --example fuzz -- --iterations 10000000 --seed 1 --threads 2 [--target json|schema|url|territory|pack|all]
//! cargo run --profile fuzz --example fuzz -- --target schema --seed 1 --from 123456 --iterations 1   # replay one
//! ```
//!
//! `--profile fuzz` (Cargo.toml) is the release build with unwinding panics, overflow checks and debug
//! assertions; `--release` works too, but its `panic = "abort"` (for the wasm size) stops at the first crash,
//! after the panic hook has saved the input. Failing inputs are saved to `target/fuzz-crashes/`.

// Native only: the wasm32 build of the examples (`make lint`) gets an empty `main`.
#[cfg(target_arch = "wasm32")]
fn main() {}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    cli::main()
}

#[cfg(not(target_arch = "wasm32"))]
#[path = "../tests/common/fuzz.rs"]
mod fuzz;

/// Counts each thread's allocations, for the `pack` target's memory bound.
#[cfg(not(target_arch = "wasm32"))]
#[global_allocator]
static ALLOC: fuzz::CountingAlloc = fuzz::CountingAlloc;

#[cfg(not(target_arch = "wasm32"))]
mod cli {
    use std::io::Write;
    use std::path::PathBuf;
    use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
    use std::time::{Duration, Instant};

    use crate::fuzz::{self, Crash, Target};

    struct Args {
        iterations: u64,
        seed: u64,
        from: u64,
        threads: u64,
        target: Option<Target>,
    }

    fn usage() -> ! {
        eprintln!(
            "usage: fuzz [--iterations N] [--seed S] [--from I] [--threads T] [--target json|schema|url|territory|pack|all]"
        );
        std::process::exit(2)
    }

    fn parse_args() -> Args {
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get() as u64);
        let mut args = Args { iterations: 100_000, seed: 1, from: 0, threads, target: None };
        let mut it = std::env::args().skip(1);
        while let Some(flag) = it.next() {
            let mut value = || it.next().unwrap_or_else(|| usage());
            let number = |v: String| v.replace('_', "").parse::<u64>().unwrap_or_else(|_| usage());
            match flag.as_str() {
                "--iterations" | "-n" => args.iterations = number(value()),
                "--seed" | "-s" => args.seed = number(value()),
                "--from" => args.from = number(value()),
                "--threads" | "-j" => args.threads = number(value()).max(1),
                "--target" | "-t" => {
                    let v = value();
                    args.target = match v.as_str() {
                        "all" => None,
                        name => Some(Target::from_name(name).unwrap_or_else(|| usage())),
                    }
                }
                "--help" | "-h" => usage(),
                _ => usage(),
            }
        }
        args
    }

    fn crash_dir() -> PathBuf {
        // `target/` of this package, wherever cargo is run from.
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target").join("fuzz-crashes")
    }

    /// Saves a failing input and prints it (escaped, cut if long). Returns the file written.
    fn save(target: &str, seed: u64, index: u64, message: &str, input: &[u8]) -> PathBuf {
        let dir = crash_dir();
        let _ = std::fs::create_dir_all(&dir);
        let path = dir.join(format!("{target}-seed{seed}-{index}.bin"));
        let _ = std::fs::write(&path, input);
        let shown = String::from_utf8_lossy(input);
        let shown: String = shown.chars().take(2_000).collect();
        eprintln!(
        "\nCRASH target={target} seed={seed} index={index}: {message}\n  input ({} bytes, saved to {}): {shown:?}\n  \
         replay: cargo run --profile fuzz --example fuzz -- --target {target} --seed {seed} --from {index} --iterations 1\n",
        input.len(),
        path.display(),
    );
        path
    }

    thread_local! {
        /// Target, seed and index of the execution running on this thread, for the panic hook.
        static RUNNING: std::cell::Cell<(Option<Target>, u64, u64)> = const { std::cell::Cell::new((None, 0, 0)) };
    }

    static QUIET: AtomicBool = AtomicBool::new(false);

    pub fn main() {
        let args = parse_args();
        // With `panic = "abort"` (`--release`) nothing unwinds: the hook saves the input before the abort. With
        // unwinding, `fuzz::execute` catches the panic and `main` saves it; the hook only prints the location.
        let default_hook = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if cfg!(panic = "abort") {
                default_hook(info);
                let (target, seed, index) = RUNNING.with(|r| r.get());
                let name = target.map_or("unknown", Target::name);
                save(name, seed, index, &info.to_string(), &fuzz::current_input());
            } else if !QUIET.load(Ordering::Relaxed) {
                eprintln!("panic: {info}");
            }
        }));

        let to = args.from.saturating_add(args.iterations);
        let counters: Vec<AtomicU64> = (0..Target::ALL.len()).map(|_| AtomicU64::new(0)).collect();
        let done = AtomicBool::new(false);
        let started = Instant::now();
        println!(
            "fuzz: target={} seed={} executions {}..{} on {} thread(s), profile {}",
            args.target.map_or("all", Target::name),
            args.seed,
            args.from,
            to,
            args.threads,
            if cfg!(debug_assertions) { "with debug assertions" } else { "without debug assertions" },
        );

        let outcomes: Vec<fuzz::Outcome> = std::thread::scope(|scope| {
            let workers: Vec<_> = (0..args.threads)
                .map(|t| {
                    let counters = &counters;
                    let args = &args;
                    scope.spawn(move || {
                        let mut tick = |target: Target| {
                            counters[target.slot()].fetch_add(1, Ordering::Relaxed);
                        };
                        // One execution at a time, so that the panic hook knows which one is running.
                        let mut total = fuzz::Outcome::default();
                        let mut i = args.from + t;
                        while i < to {
                            let target = args.target.unwrap_or_else(|| Target::of_mixed(i));
                            RUNNING.with(|r| r.set((Some(target), args.seed, i)));
                            let o = fuzz::run(Some(target), args.seed, i, i + 1, 1, &mut tick);
                            for (a, b) in total.execs.iter_mut().zip(o.execs) {
                                *a += b;
                            }
                            for (a, b) in total.kinds.iter_mut().zip(o.kinds) {
                                *a += b;
                            }
                            total.crashes.extend(o.crashes);
                            total.slow.extend(o.slow);
                            i += args.threads;
                        }
                        total
                    })
                })
                .collect();
            // Progress every 10 s.
            let reporter = scope.spawn(|| {
                let mut last = Instant::now();
                while !done.load(Ordering::Relaxed) {
                    std::thread::sleep(Duration::from_millis(200));
                    if last.elapsed() >= Duration::from_secs(10) {
                        last = Instant::now();
                        let n: Vec<u64> = counters.iter().map(|c| c.load(Ordering::Relaxed)).collect();
                        let total: u64 = n.iter().sum();
                        let secs = started.elapsed().as_secs_f64();
                        println!(
                            "  {:>7.0} s  {total:>11} execs ({:.0}/s)  json {}  schema {}  url {}  territory {}  pack {}",
                            secs,
                            total as f64 / secs,
                            n[0],
                            n[1],
                            n[2],
                            n[3],
                            n[4]
                        );
                        let _ = std::io::stdout().flush();
                    }
                }
            });
            let outcomes = workers.into_iter().map(|w| w.join().expect("a fuzzing thread died")).collect();
            done.store(true, Ordering::Relaxed);
            reporter.join().expect("the progress thread died");
            outcomes
        });
        QUIET.store(true, Ordering::Relaxed);

        let elapsed = started.elapsed();
        let mut execs = [0u64; 5];
        let mut crashes: Vec<Crash> = Vec::new();
        let mut slow = Vec::new();
        let mut kinds = [0u64; fuzz::KINDS_N];
        for o in outcomes {
            for (a, b) in execs.iter_mut().zip(o.execs) {
                *a += b;
            }
            for (a, b) in kinds.iter_mut().zip(o.kinds) {
                *a += b;
            }
            crashes.extend(o.crashes);
            slow.extend(o.slow);
        }
        crashes.sort_by_key(|c| c.index);
        for c in &crashes {
            save(c.target.name(), c.seed, c.index, &c.message, &c.input);
        }
        for (t, i, d) in &slow {
            println!("SLOW target={} seed={} index={i}: {d:?}", t.name(), args.seed);
        }
        let total: u64 = execs.iter().sum();
        let answers: Vec<String> =
            fuzz::Kind::ALL.iter().zip(kinds).map(|(k, n)| format!("{}={n}", k.name())).collect();
        println!("fuzz outcomes: {}", answers.join(" "));
        println!(
            "fuzz summary: seed={} executions={total} (json={} schema={} url={} territory={} pack={}) time={:.1}s \
         ({:.0}/s) threads={} crashes={} slow={}",
            args.seed,
            execs[0],
            execs[1],
            execs[2],
            execs[3],
            execs[4],
            elapsed.as_secs_f64(),
            total as f64 / elapsed.as_secs_f64().max(1e-9),
            args.threads,
            crashes.len(),
            slow.len(),
        );
        if !crashes.is_empty() {
            std::process::exit(1);
        }
    }
}
