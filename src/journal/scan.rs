//! Reading the journal without reading all of it: its lines are appended in time order, so the
//! newest runs are read from the end backwards, and a run or a period is found by a binary search
//! on the records' times and read forward from there. Time and memory then grow with what is
//! asked for (20 runs, one run, two hours), not with the journal's length.
//!
//! Appends from runs writing at once can land a few milliseconds out of order, and a clock can be
//! set back: every search starts `SKEW` before the time asked for and filters exactly after.

use std::fs::File;
use std::io::{BufRead, BufReader, Read, Seek, SeekFrom};

use super::Record;

/// How far out of time order two records may be appended (concurrent runs, a clock set back).
const SKEW_SECONDS: u64 = 600;

/// How much of the file is read at a time when reading backwards.
const CHUNK: u64 = 64 * 1024;

/// Under this many bytes between the bounds, the binary search ends and the reading goes forward.
const CLOSE_ENOUGH: u64 = 16 * 1024;

/// The lines of `file` from its end to its start, each without its newline; a line that is not a
/// record (torn, not UTF-8, not JSON) is skipped by the caller as in a forward read.
pub struct Backwards<'a> {
    file: &'a File,
    /// Where the part not yet read ends.
    position: u64,
    /// The start of a line whose beginning is in the part not yet read.
    partial: Vec<u8>,
    /// Complete lines read, the last one first.
    ready: Vec<Vec<u8>>,
}

impl<'a> Backwards<'a> {
    pub fn new(file: &'a File) -> std::io::Result<Self> {
        Ok(Self { file, position: file.metadata()?.len(), partial: Vec::new(), ready: Vec::new() })
    }

    /// Reads the chunk before the part already read, and splits what it completes into lines.
    fn read_chunk(&mut self) -> std::io::Result<()> {
        let start = self.position.saturating_sub(CHUNK);
        let mut chunk = vec![0; (self.position - start) as usize];
        let mut file = self.file;
        file.seek(SeekFrom::Start(start))?;
        file.read_exact(&mut chunk)?;
        self.position = start;
        chunk.append(&mut self.partial);
        let mut pieces = chunk.split(|byte| *byte == b'\n');
        // The first piece may be the end of a line that starts in an earlier chunk.
        let first = pieces.next().unwrap_or_default().to_vec();
        self.ready = pieces.filter(|line| !line.is_empty()).map(<[u8]>::to_vec).collect();
        if start == 0 {
            if !first.is_empty() {
                self.ready.insert(0, first);
            }
        } else {
            self.partial = first;
        }
        Ok(())
    }
}

impl Iterator for Backwards<'_> {
    type Item = Vec<u8>;

    fn next(&mut self) -> Option<Vec<u8>> {
        loop {
            if let Some(line) = self.ready.pop() {
                return Some(line);
            }
            if self.position == 0 {
                return None;
            }
            self.read_chunk().ok()?;
        }
    }
}

/// The records of `file` from the first one (about) at `from` on: a reader positioned at the start
/// of a line at most `SKEW` before the first record at or after `from`.
pub fn forward_from(file: &File, from: &str) -> std::io::Result<impl Iterator<Item = Vec<u8>>> {
    let target = earlier_by_skew(from);
    let offset = search(file, &target)?;
    let mut reader = BufReader::new(file);
    reader.seek(SeekFrom::Start(offset))?;
    Ok(reader.split(b'\n').map_while(Result::ok))
}

/// The time `SKEW` before `time` (RFC 3339), or `time` itself if it is not one.
fn earlier_by_skew(time: &str) -> String {
    shifted(time, |at, skew| at.checked_sub(skew))
}

/// The time `SKEW` after `time` (RFC 3339, or a bound such as `start_window`'s), or `time`
/// itself if it is not one.
pub fn later_by_skew(time: &str) -> String {
    shifted(time, |at, skew| at.checked_add(skew))
}

fn shifted(
    time: &str,
    shift: impl Fn(std::time::SystemTime, std::time::Duration) -> Option<std::time::SystemTime>,
) -> String {
    let skew = std::time::Duration::from_secs(SKEW_SECONDS);
    humantime::parse_rfc3339_weak(time.trim_end_matches('Z'))
        .ok()
        .and_then(|at| shift(at, skew))
        .filter(|at| (std::time::UNIX_EPOCH..=latest_time()).contains(at))
        .map_or_else(|| time.to_string(), |at| humantime::format_rfc3339_millis(at).to_string())
}

/// The last time RFC 3339 can write (the end of year 9999).
fn latest_time() -> std::time::SystemTime {
    std::time::UNIX_EPOCH + std::time::Duration::from_secs(253_402_300_799)
}

/// The offset of a line start before which every record is earlier than `target`, found by a
/// binary search on the times of the lines around each middle.
fn search(file: &File, target: &str) -> std::io::Result<u64> {
    let mut low = 0;
    let mut high = file.metadata()?.len();
    while high - low > CLOSE_ENOUGH {
        let middle = low + (high - low) / 2;
        match time_after(file, middle, high)? {
            Some((_, time)) if time.as_str() < target => low = middle,
            _ => high = middle,
        }
    }
    line_start_at_or_after(file, low)
}

/// The first line starting after `offset` (and before `limit`) that is a record: its start and
/// its time.
fn time_after(file: &File, offset: u64, limit: u64) -> std::io::Result<Option<(u64, String)>> {
    let mut start = line_start_at_or_after(file, offset)?;
    let mut reader = BufReader::new(file);
    reader.seek(SeekFrom::Start(start))?;
    let mut line = Vec::new();
    while start < limit {
        line.clear();
        let read = reader.read_until(b'\n', &mut line)?;
        if read == 0 {
            return Ok(None);
        }
        if let Some(time) = time_of(&line) {
            return Ok(Some((start, time)));
        }
        start += read as u64;
    }
    Ok(None)
}

/// The start of the first line that begins at or after `offset`.
fn line_start_at_or_after(file: &File, offset: u64) -> std::io::Result<u64> {
    if offset == 0 {
        return Ok(0);
    }
    let mut reader = BufReader::new(file);
    reader.seek(SeekFrom::Start(offset - 1))?;
    let mut skipped = Vec::new();
    let read = reader.read_until(b'\n', &mut skipped)?;
    Ok(offset - 1 + read as u64)
}

/// Only the time of a journal line, without reading its event.
pub fn time_of(line: &[u8]) -> Option<String> {
    #[derive(serde::Deserialize)]
    struct Stamp {
        time: String,
    }
    serde_json::from_slice::<Stamp>(line).ok().map(|stamp| stamp.time)
}

/// A journal line as a record, or `None` for a line that is not one.
pub fn record(line: &[u8]) -> Option<Record> {
    serde_json::from_slice(line).ok()
}

/// Bounds of the time a run whose id starts with `prefix` started at, as strings that compare
/// with the records' times: `20261206-0617` started from `2026-12-06T06:17:00` and before
/// `2026-12-06T06:17:99.999Z`. `None` if `prefix` does not start like a run id.
pub fn start_window(prefix: &str) -> Option<(String, String)> {
    let digits: String = prefix
        .chars()
        .take_while(|character| character.is_ascii_digit() || *character == '-')
        .filter(char::is_ascii_digit)
        .take(14)
        .collect();
    if digits.len() < 4 {
        return None;
    }
    let pad = |filler: char| -> String {
        let mut all = digits.clone();
        while all.len() < 14 {
            all.push(filler);
        }
        format!(
            "{}-{}-{}T{}:{}:{}",
            &all[0..4],
            &all[4..6],
            &all[6..8],
            &all[8..10],
            &all[10..12],
            &all[12..14]
        )
    };
    Some((pad('0'), format!("{}.999Z", pad('9'))))
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;

    fn journal(lines: &[String]) -> (tempfile::NamedTempFile, File) {
        let mut file = tempfile::NamedTempFile::new().unwrap();
        for line in lines {
            writeln!(file, "{line}").unwrap();
        }
        let reopened = file.reopen().unwrap();
        (file, reopened)
    }

    fn line_at(second: u64) -> String {
        let time = humantime::format_rfc3339_millis(
            std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_800_000_000 + second),
        );
        format!(r#"{{"run_id":"r{second}","time":"{time}","event":{{"event":"x"}}}}"#)
    }

    #[test]
    fn backwards_yields_every_line_last_first_across_chunks() {
        let lines: Vec<String> = (0..5000).map(line_at).collect();
        let (_kept, file) = journal(&lines);
        let read: Vec<String> =
            Backwards::new(&file).unwrap().map(|line| String::from_utf8(line).unwrap()).collect();
        let expected: Vec<String> = lines.into_iter().rev().collect();
        assert_eq!(read, expected);
    }

    #[test]
    fn the_search_lands_at_most_the_skew_before_the_time_asked_for() {
        let lines: Vec<String> = (0..20_000).map(line_at).collect();
        let (_kept, file) = journal(&lines);
        let from = humantime::format_rfc3339_millis(
            std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_800_000_000 + 15_000),
        )
        .to_string();
        let first = forward_from(&file, &from).unwrap().next().unwrap();
        let first: serde_json::Value = serde_json::from_slice(&first).unwrap();
        let second: u64 = first["run_id"].as_str().unwrap()[1..].parse().unwrap();
        assert!(
            (15_000 - SKEW_SECONDS - 400..=15_000 - SKEW_SECONDS).contains(&second),
            "{second}"
        );
    }

    #[test]
    fn torn_lines_do_not_stop_the_search() {
        let mut lines: Vec<String> = (0..3000).map(line_at).collect();
        for index in (0..3000).step_by(3) {
            lines[index] = "{\"torn".into();
        }
        let (_kept, file) = journal(&lines);
        let from = humantime::format_rfc3339_millis(
            std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_800_000_000 + 2_900),
        )
        .to_string();
        let first = forward_from(&file, &from).unwrap().find_map(|line| time_of(&line)).unwrap();
        let expected = humantime::format_rfc3339_millis(
            std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_800_000_000 + 2_300),
        )
        .to_string();
        assert!(first.as_str() <= expected.as_str(), "{first}");
        let lower = humantime::format_rfc3339_millis(
            std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_800_000_000 + 1_900),
        )
        .to_string();
        assert!(first.as_str() >= lower.as_str(), "{first}");
    }

    #[test]
    fn a_shift_past_either_end_of_the_calendar_leaves_the_time_as_it_is() {
        assert_eq!(earlier_by_skew("1970-01-01T00:00:00.000Z"), "1970-01-01T00:00:00.000Z");
        assert_eq!(later_by_skew("9999-12-31T23:59:00.000Z"), "9999-12-31T23:59:00.000Z");
        assert_eq!(later_by_skew("not a time"), "not a time");
        assert_eq!(later_by_skew("2026-12-06T06:17:00.000Z"), "2026-12-06T06:27:00.000Z");
    }

    #[test]
    fn a_run_id_prefix_gives_the_window_it_started_in() {
        assert_eq!(
            start_window("20261206-0617"),
            Some(("2026-12-06T06:17:00".into(), "2026-12-06T06:17:99.999Z".into()))
        );
        assert_eq!(start_window("abc"), None);
        assert_eq!(start_window("20"), None);
    }
}
