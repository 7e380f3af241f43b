//! The measuring harness shared, byte for byte, by `bench/ours`,
//! `bench/peer-aws-sdk` and `bench/floor-call` (each includes this file with
//! `#[path]`), with its allocator (bench/common/alloc.rs).
//!
//! Usage: `<program> <endpoint-url> once`
//!        `<program> <endpoint-url> seq <calls>`
//!        `<program> <endpoint-url> conc <calls> <concurrency>`
//!        `<program> <endpoint-url> large <op> <calls>`
//!
//! `seq` and `conc` time `PutLifecycleHook` calls after a warm-up of 200 calls
//! (connections open, lazily compiled patterns ready) and print one line:
//! `RESULT impl=… mode=… calls=… concurrency=… wall_s=… cpu_s=… cpu_us_per_call=… calls_per_s=… maxrss_kb=…`.
//! CPU time is this process's user + system time (getrusage(RUSAGE_SELF),
//! every thread), so it is the client's alone: the server is another process.
//!
//! `large` times calls of an operation whose answer is large (`op`:
//! `describe-lifecycle-hooks` or `list-hook-results`; bench/loopback-server
//! answers each with 10,000 items), after one warm-up call, then makes one
//! more call counting the heap, and prints one line:
//! `RESULT impl=… mode=large op=… calls=… items=… answer_bytes=… wall_s=… cpu_s=… cpu_us_per_call=… cpu_us_per_mb=… held_bytes=… held_per_answer_byte=… maxrss_kb=…`.
//! `answer_bytes` is the body's size as the server sends it (asked once,
//! unsigned, before timing); MB are 10^6 bytes. `held_bytes` is the peak of
//! live heap bytes during that one call above those live before it (every
//! thread), `held_per_answer_byte` the same divided by `answer_bytes`. Every call
//! must read all 10,000 items with every field set, or the run fails.

#[path = "alloc.rs"]
mod alloc;

use std::future::Future;
use std::pin::Pin;
use std::time::Instant;

pub type CallFuture = Pin<Box<dyn Future<Output = Result<(), String>> + Send>>;

/// A call with a large answer; it yields how many items it read with every field set.
pub type LargeFuture = Pin<Box<dyn Future<Output = Result<usize, String>> + Send>>;

/// The operations with a large answer a program knows: the `op` of the command line and a call.
pub type Large<C> = (&'static str, fn(C) -> LargeFuture);

/// How many items bench/loopback-server puts in each large answer.
pub const LARGE_ITEMS: usize = 10_000;

/// The large operations: `op`, and the form body that asks the loopback server for its answer.
const LARGE_OPS: [(&str, &str); 2] = [
    ("describe-lifecycle-hooks", "Action=DescribeLifecycleHooks&Version=2011-01-01"),
    ("list-hook-results", "Action=ListHookResults&Version=2010-05-15"),
];

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
/// `once` runs every operation the program knows once and reports each;
/// `large` lists the operations with a large answer it can call.
pub async fn main<C>(
    name: &str,
    client: C,
    call: fn(C) -> CallFuture,
    once: fn(C) -> CallFuture,
    large: &[Large<C>],
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
        Some("large") => {
            let op = args.get(1).map_or("", String::as_str);
            let known = || large.iter().map(|(op, _)| *op).collect::<Vec<_>>().join(", ");
            let Some(&(op, call)) = large.iter().find(|(name, _)| *name == op) else {
                return Err(format!("{name} has no large answer for {op:?} (it knows: {})", known()));
            };
            return run_large(name, client, op, call, num(2, "a number of calls")?).await;
        }
        _ => {
            return Err(
                "usage: <program> <endpoint-url> once | seq <calls> | conc <calls> <concurrency> | large <op> <calls>"
                    .into(),
            );
        }
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
async fn run_concurrent<C>(
    client: &C,
    call: fn(C) -> CallFuture,
    calls: usize,
    concurrency: usize,
) -> Result<(), String>
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

/// The `large` mode (see the module's documentation).
async fn run_large<C>(name: &str, client: C, op: &str, call: fn(C) -> LargeFuture, calls: usize) -> Result<(), String>
where
    C: Clone + Send + Sync + 'static,
{
    let url = std::env::args().nth(1).unwrap_or_default();
    let form = LARGE_OPS.iter().find(|(o, _)| *o == op).map(|(_, form)| *form).ok_or(format!("unknown op {op}"))?;
    let answer_bytes = answer_size(&url, form)?;
    let checked = |items: usize| {
        if items == LARGE_ITEMS {
            Ok(())
        } else {
            Err(format!("{op}: {items} complete items read, expected {LARGE_ITEMS}"))
        }
    };
    checked(call(client.clone()).await?)?;
    let before = usage();
    let start = Instant::now();
    for _ in 0..calls {
        checked(call(client.clone()).await?)?;
    }
    let wall_s = start.elapsed().as_secs_f64();
    let after = usage();
    let measure = alloc::Measure::start();
    let items = call(client.clone()).await;
    let held_bytes = measure.peak();
    checked(items?)?;
    let cpu_s = after.cpu_s - before.cpu_s;
    let cpu_us_per_call = cpu_s * 1e6 / calls as f64;
    println!(
        "RESULT impl={name} mode=large op={op} calls={calls} items={LARGE_ITEMS} answer_bytes={answer_bytes} \
         wall_s={wall_s:.4} cpu_s={cpu_s:.4} cpu_us_per_call={cpu_us_per_call:.1} cpu_us_per_mb={:.1} \
         held_bytes={held_bytes} held_per_answer_byte={:.2} maxrss_kb={}",
        cpu_us_per_call / (answer_bytes as f64 / 1e6),
        held_bytes as f64 / answer_bytes as f64,
        after.maxrss_kb
    );
    Ok(())
}

/// The size of the body the loopback server answers `form` with: one plain
/// HTTP/1.1 request (the server checks no signature), before anything is timed.
fn answer_size(url: &str, form: &str) -> Result<usize, String> {
    use std::io::{BufRead, BufReader, Read, Write};
    let authority = url.strip_prefix("http://").ok_or(format!("large: expected an http:// endpoint, not {url}"))?;
    let authority = authority.split('/').next().unwrap_or(authority);
    let e = |e: std::io::Error| format!("asking {url} for the answer's size: {e}");
    let mut stream = std::net::TcpStream::connect(authority).map_err(e)?;
    write!(
        stream,
        "POST / HTTP/1.1\r\nHost: {authority}\r\nContent-Type: application/x-www-form-urlencoded; charset=utf-8\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{form}",
        form.len()
    )
    .map_err(e)?;
    let mut reader = BufReader::new(stream);
    let (mut status, mut length, mut line) = (String::new(), None, String::new());
    reader.read_line(&mut status).map_err(e)?;
    while reader.read_line(&mut line).map_err(e)? > 0 && !line.trim_end().is_empty() {
        if let Some((k, v)) = line.split_once(':')
            && k.eq_ignore_ascii_case("content-length")
        {
            length = v.trim().parse::<usize>().ok();
        }
        line.clear();
    }
    let length = length.filter(|_| status.split(' ').nth(1) == Some("200"));
    let length = length.ok_or(format!("{url} answered {form:?} with {:?}, no length", status.trim_end()))?;
    let mut body = vec![0; length];
    reader.read_exact(&mut body).map_err(e)?;
    Ok(length)
}
