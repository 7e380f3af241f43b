//! The measuring harness shared, byte for byte, by `bench/ours` and
//! `bench/peer-aws-sdk` (each includes this file with `#[path]`).
//!
//! Usage: `<program> <endpoint-url> once`
//!        `<program> <endpoint-url> seq <calls>`
//!        `<program> <endpoint-url> conc <calls> <concurrency>`
//!
//! `seq` and `conc` time `PutLifecycleHook` calls after a warm-up of 200 calls
//! (connections open, lazily compiled patterns ready) and print one line:
//! `RESULT impl=… mode=… calls=… concurrency=… wall_s=… cpu_s=… cpu_us_per_call=… calls_per_s=… maxrss_kb=…`.
//! CPU time is this process's user + system time (getrusage(RUSAGE_SELF),
//! every thread), so it is the client's alone: the server is another process.

use std::future::Future;
use std::pin::Pin;
use std::time::Instant;

pub type CallFuture = Pin<Box<dyn Future<Output = Result<(), String>> + Send>>;

const WARM_UP: usize = 200;

struct Usage {
    cpu_s: f64,
    maxrss_kb: i64,
}

fn usage() -> Usage {
    // SAFETY: getrusage only writes into the zeroed struct we pass.
    let mut ru: libc::rusage = unsafe { std::mem::zeroed() };
    let rc = unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut ru) };
    assert_eq!(rc, 0, "getrusage failed");
    let secs = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    Usage { cpu_s: secs(ru.ru_utime) + secs(ru.ru_stime), maxrss_kb: ru.ru_maxrss }
}

/// Runs the command line's mode. `call` makes one `PutLifecycleHook` call;
/// `once` runs every operation the program knows once and reports each.
pub async fn main<C>(
    name: &str,
    client: C,
    call: fn(C) -> CallFuture,
    once: fn(C) -> CallFuture,
) -> Result<(), String>
where
    C: Clone + Send + Sync + 'static,
{
    let args: Vec<String> = std::env::args().skip(2).collect();
    let num = |i: usize, what: &str| -> Result<usize, String> {
        args.get(i).and_then(|s| s.parse().ok()).filter(|&n| n > 0).ok_or(format!("expected {what}"))
    };
    let (mode, calls, concurrency) = match args.first().map(String::as_str) {
        Some("once") => return once(client).await,
        Some("seq") => ("seq", num(1, "a number of calls")?, 1),
        Some("conc") => ("conc", num(1, "a number of calls")?, num(2, "a concurrency")?),
        _ => return Err("usage: <program> <endpoint-url> once | seq <calls> | conc <calls> <concurrency>".into()),
    };
    for _ in 0..WARM_UP.min(calls) {
        call(client.clone()).await?;
    }
    // Open the concurrent connections before timing, as the warm-up did for one.
    if concurrency > 1 {
        run_concurrent(&client, call, concurrency, concurrency).await?;
    }
    let before = usage();
    let start = Instant::now();
    if concurrency == 1 {
        for _ in 0..calls {
            call(client.clone()).await?;
        }
    } else {
        run_concurrent(&client, call, calls, concurrency).await?;
    }
    let wall_s = start.elapsed().as_secs_f64();
    let after = usage();
    let cpu_s = after.cpu_s - before.cpu_s;
    println!(
        "RESULT impl={name} mode={mode} calls={calls} concurrency={concurrency} wall_s={wall_s:.4} cpu_s={cpu_s:.4} \
         cpu_us_per_call={:.2} calls_per_s={:.0} maxrss_kb={}",
        cpu_s * 1e6 / calls as f64,
        calls as f64 / wall_s,
        after.maxrss_kb
    );
    Ok(())
}

/// `calls` calls spread over `concurrency` tasks, each calling in sequence.
async fn run_concurrent<C>(client: &C, call: fn(C) -> CallFuture, calls: usize, concurrency: usize) -> Result<(), String>
where
    C: Clone + Send + Sync + 'static,
{
    let tasks: Vec<_> = (0..concurrency)
        .map(|i| {
            let client = client.clone();
            let share = calls / concurrency + usize::from(i < calls % concurrency);
            tokio::spawn(async move {
                for _ in 0..share {
                    call(client.clone()).await?;
                }
                Ok::<(), String>(())
            })
        })
        .collect();
    for task in tasks {
        task.await.map_err(|e| e.to_string())??;
    }
    Ok(())
}
