//! `sse-latency ADDR FILE [EDITS]`: time from saving a source file to the server's SSE event.
//!
//! Subscribes to `http://ADDR/api/events`, then `EDITS` times (default 50)
//! rewrites `FILE` with one extra task line and measures how long the next
//! event takes to arrive. Prints every sample and the median, p90 and maximum;
//! the file gets its original bytes back at the end. Loopback use only: plain
//! HTTP/1.1 over `std::net`, no dependencies.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

const USAGE: &str = "usage: sse-latency ADDR FILE [EDITS]";

/// How long one edit may wait for its event before it counts as missed.
const EVENT_TIMEOUT: Duration = Duration::from_secs(20);

/// Quiet time between edits, longer than any sensible debounce, so edits never merge.
const PAUSE: Duration = Duration::from_millis(400);

/// No new edit starts after this long, so a slow server cannot stretch the run unboundedly.
const BUDGET: Duration = Duration::from_secs(240);

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (addr, file, edits) = match args.as_slice() {
        [addr, file] => (addr.clone(), PathBuf::from(file), 50),
        [addr, file, edits] => match edits.parse::<usize>() {
            Ok(edits) if edits > 0 => (addr.clone(), PathBuf::from(file), edits),
            _ => return usage_error(&format!("EDITS must be a positive number, not '{edits}'")),
        },
        _ => return usage_error("expected ADDR and FILE"),
    };
    match run(&addr, &file, edits) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("sse-latency: {message}");
            ExitCode::FAILURE
        }
    }
}

fn usage_error(message: &str) -> ExitCode {
    eprintln!("sse-latency: {message}\n{USAGE}");
    ExitCode::from(2)
}

fn run(addr: &str, file: &Path, edits: usize) -> Result<(), String> {
    let original =
        std::fs::read(file).map_err(|error| format!("cannot read {}: {error}", file.display()))?;
    let events = subscribe(addr)?;
    // Let the subscription settle and drop whatever the server sends on connect.
    std::thread::sleep(Duration::from_millis(500));
    while events.try_recv().is_ok() {}

    let mut samples = Vec::with_capacity(edits);
    let mut missed = 0usize;
    let mut outcome = Ok(());
    let started = Instant::now();
    for edit in 0..edits {
        if started.elapsed() > BUDGET {
            println!("stopping after {edit} edits: time budget of {BUDGET:?} spent");
            break;
        }
        let mut bytes = original.clone();
        // A new milestone each time, so the roadmap really changes.
        bytes.extend_from_slice(
            format!("\n- [ ] **Latency probe {edit}** — edit number {edit} (owner: Platform).\n")
                .as_bytes(),
        );
        let saved_at = Instant::now();
        if let Err(error) = std::fs::write(file, &bytes) {
            outcome = Err(format!("cannot write {}: {error}", file.display()));
            break;
        }
        match next_event_after(&events, saved_at) {
            Ok(arrived) => {
                let millis = arrived.duration_since(saved_at).as_secs_f64() * 1000.0;
                println!("edit {edit:>3}: {millis:8.2} ms");
                samples.push(millis);
            }
            Err(RecvTimeoutError::Timeout) => {
                println!("edit {edit:>3}: no event within {EVENT_TIMEOUT:?}");
                missed += 1;
            }
            Err(RecvTimeoutError::Disconnected) => {
                outcome = Err("the event stream closed".to_owned());
                break;
            }
        }
        // Wait for quiet: a late or extra event must not count for the next edit.
        while events.recv_timeout(PAUSE).is_ok() {}
    }
    std::fs::write(file, &original)
        .map_err(|error| format!("cannot restore {}: {error}", file.display()))?;
    outcome?;

    samples.sort_by(f64::total_cmp);
    let (Some(median), Some(p90), Some(max)) = (
        percentile(&samples, 50.0),
        percentile(&samples, 90.0),
        samples.last(),
    ) else {
        return Err(format!("no event arrived for any of {edits} edits"));
    };
    println!(
        "sse-latency: {} edits timed, {missed} missed; median {median:.1} ms, p90 {p90:.1} ms, max {max:.1} ms",
        samples.len()
    );
    Ok(())
}

/// Waits for the first event that arrived after `saved_at`.
fn next_event_after(
    events: &Receiver<Instant>,
    saved_at: Instant,
) -> Result<Instant, RecvTimeoutError> {
    let deadline = saved_at + EVENT_TIMEOUT;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        let arrived = events.recv_timeout(left)?;
        if arrived >= saved_at {
            return Ok(arrived);
        }
    }
}

/// Nearest-rank percentile of sorted samples.
fn percentile(sorted: &[f64], percent: f64) -> Option<f64> {
    let rank = (percent / 100.0 * sorted.len() as f64).ceil() as usize;
    sorted.get(rank.saturating_sub(1)).copied()
}

/// Opens `GET /api/events` and returns a channel receiving each event's arrival time.
fn subscribe(addr: &str) -> Result<Receiver<Instant>, String> {
    let mut stream =
        TcpStream::connect(addr).map_err(|error| format!("cannot connect to {addr}: {error}"))?;
    stream
        .set_nodelay(true)
        .map_err(|error| format!("socket: {error}"))?;
    write!(
        stream,
        "GET /api/events HTTP/1.1\r\nHost: {addr}\r\nAccept: text/event-stream\r\nCache-Control: no-cache\r\n\r\n"
    )
    .map_err(|error| format!("cannot send the request: {error}"))?;
    let mut reader = BufReader::new(stream);
    let mut status = String::new();
    reader
        .read_line(&mut status)
        .map_err(|error| format!("cannot read the response: {error}"))?;
    if !status.starts_with("HTTP/1.1 200") && !status.starts_with("HTTP/1.0 200") {
        return Err(format!("/api/events answered '{}'", status.trim_end()));
    }
    let mut chunked = false;
    loop {
        let mut header = String::new();
        reader
            .read_line(&mut header)
            .map_err(|error| format!("cannot read the headers: {error}"))?;
        let header = header.trim_end();
        if header.is_empty() {
            break;
        }
        if let Some((name, value)) = header.split_once(':') {
            chunked |= name.eq_ignore_ascii_case("transfer-encoding")
                && value.trim().eq_ignore_ascii_case("chunked");
        }
    }
    let (sender, receiver) = mpsc::channel();
    std::thread::spawn(move || {
        let mut events = EventSplitter::default();
        let mut body = Vec::new();
        loop {
            body.clear();
            let read = if chunked {
                read_chunk(&mut reader, &mut body)
            } else {
                read_some(&mut reader, &mut body)
            };
            // End of stream or a broken connection: dropping the sender tells the main thread.
            if !matches!(read, Ok(true)) {
                return;
            }
            let arrived = Instant::now();
            for _ in 0..events.feed(&body) {
                if sender.send(arrived).is_err() {
                    return;
                }
            }
        }
    });
    Ok(receiver)
}

/// Reads one chunk of a chunked body into `out`; false at the last chunk.
fn read_chunk(reader: &mut BufReader<TcpStream>, out: &mut Vec<u8>) -> std::io::Result<bool> {
    let mut size_line = String::new();
    if reader.read_line(&mut size_line)? == 0 {
        return Ok(false);
    }
    let size_text = size_line.trim().split(';').next().unwrap_or_default();
    let size = usize::from_str_radix(size_text, 16)
        .map_err(|error| std::io::Error::new(std::io::ErrorKind::InvalidData, error))?;
    if size == 0 {
        return Ok(false);
    }
    out.resize(size, 0);
    reader.read_exact(out)?;
    let mut crlf = [0u8; 2];
    reader.read_exact(&mut crlf)?;
    Ok(true)
}

/// Reads whatever is available of a close-delimited body; false at its end.
fn read_some(reader: &mut BufReader<TcpStream>, out: &mut Vec<u8>) -> std::io::Result<bool> {
    let available = reader.fill_buf()?;
    if available.is_empty() {
        return Ok(false);
    }
    out.extend_from_slice(available);
    let taken = available.len();
    reader.consume(taken);
    Ok(true)
}

/// Splits an SSE byte stream into events: a blank line ends an event that had a
/// field; comment-only blocks (keep-alives) are not events.
#[derive(Default)]
struct EventSplitter {
    line: Vec<u8>,
    has_field: bool,
}

impl EventSplitter {
    /// Feeds bytes; returns how many events they completed.
    fn feed(&mut self, bytes: &[u8]) -> usize {
        let mut completed = 0;
        for &byte in bytes {
            if byte != b'\n' {
                self.line.push(byte);
                continue;
            }
            if self.line.last() == Some(&b'\r') {
                self.line.pop();
            }
            if self.line.is_empty() {
                if self.has_field {
                    completed += 1;
                }
                self.has_field = false;
            } else if !self.line.starts_with(b":") {
                self.has_field = true;
            }
            self.line.clear();
        }
        completed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_end_at_blank_lines_and_keep_alives_are_not_events() {
        let mut splitter = EventSplitter::default();
        assert_eq!(splitter.feed(b": keep-alive\n\n"), 0);
        assert_eq!(splitter.feed(b"event: reload\ndata: {\"revision\":"), 0);
        assert_eq!(splitter.feed(b"2}\n\ndata: 3\r\n\r\n"), 2);
    }

    #[test]
    fn percentiles_use_the_nearest_rank() {
        let samples: Vec<f64> = (1..=10).map(f64::from).collect();
        assert_eq!(percentile(&samples, 50.0), Some(5.0));
        assert_eq!(percentile(&samples, 90.0), Some(9.0));
        assert_eq!(percentile(&[], 50.0), None);
    }
}
