//! A million log lines filtered without memory growing with the stream: the peak memory of a run
//! over 1,000,000 lines stays close to that of a run over 100,000.

use std::process::Stdio;

use crate::harness::Test;

/// Runs `logs-staging` against a simulator streaming `lines` lines; the child's peak RSS in KiB.
/// The child is reaped with `wait4`, which also gives its resource usage.
#[allow(clippy::zombie_processes)]
fn peak_memory(lines: u64) -> (i64, String) {
    let count = lines.to_string();
    let test = Test::new().sim(&["--synthetic-log-lines", &count]);
    let child = test
        .command(&[
            "--output",
            "json",
            "run",
            "logs-staging",
            "-p",
            "filter=code=H12",
            "-p",
            "lines=100",
        ])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let pid = libc::pid_t::try_from(child.id()).unwrap();
    let reader = std::thread::spawn(move || {
        let mut stdout = child.stdout.unwrap();
        let mut text = String::new();
        std::io::Read::read_to_string(&mut stdout, &mut text).unwrap();
        text
    });
    let mut status = 0;
    // SAFETY: an all-zero rusage is a valid value for wait4 to fill in.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: waits for the child spawned above, which nothing else waits for.
    let waited = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    assert_eq!(waited, pid);
    assert!(libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0, "the run failed");
    let output = reader.join().unwrap();
    let summary = output
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .find(|event| event["event"] == "step_finished")
        .map(|event| event["summary"].as_str().unwrap_or_default().to_string())
        .unwrap_or_default();
    (usage.ru_maxrss, summary)
}

#[test]
fn memory_does_not_grow_with_the_stream() {
    let (small, small_summary) = peak_memory(100_000);
    let (large, large_summary) = peak_memory(1_000_000);
    assert_eq!(small_summary, "100000 lines read, 2000 matched (the last 100 shown); H12 x2000");
    assert_eq!(large_summary, "1000000 lines read, 20000 matched (the last 100 shown); H12 x20000");
    assert!(
        large < small * 3 / 2,
        "peak memory grew with the stream: {small} KiB for 100,000 lines, {large} KiB for 1,000,000"
    );
}
