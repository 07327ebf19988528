//! One-off commands in the simulated world: what a command prints and its exit status, and a
//! detached dyno's run written to the app's log as Heroku writes it.

use super::scenario::Commands;
use super::state::SimApp;

/// Runs `command` (commands separated by `;` or `&&`), writing its output and exit status.
pub fn run_detached(app: &mut SimApp, dyno: &str, command: &str, declared: &Commands) {
    app.logs.write("heroku", dyno, &format!("Starting process with command `{command}`"));
    app.logs.write("heroku", dyno, "State changed from starting to up");
    let mut status = 0;
    let parts: Vec<&str> = match declared.contains_key(command.trim()) {
        true => vec![command.trim()],
        false => command.split(';').flat_map(|part| part.split("&&")).collect(),
    };
    for part in parts {
        let (output, code) = canned(part.trim(), declared);
        for line in output {
            app.logs.write("app", dyno, &line);
        }
        status = code;
        if status != 0 {
            break;
        }
    }
    app.logs.write("heroku", dyno, &format!("Process exited with status {status}"));
    app.logs.write("heroku", dyno, "State changed from up to complete");
}

/// What a command prints and its exit status: as a scenario declares it, as the simulator knows
/// it, or (any other command) a success whose output says it is simulated.
pub fn canned(command: &str, declared: &Commands) -> (Vec<String>, i32) {
    if let Some(known) = declared.get(command.trim()) {
        return (known.output.lines().map(String::from).collect(), known.status);
    }
    let words: Vec<&str> = command.split_whitespace().collect();
    match words.as_slice() {
        [] => (Vec::new(), 0),
        ["echo", rest @ ..] => (vec![rest.join(" ")], 0),
        ["exit", code] => (Vec::new(), code.parse().unwrap_or(2)),
        ["true"] => (Vec::new(), 0),
        ["false"] => (Vec::new(), 1),
        ["python", "manage.py", "check"] => {
            (vec!["System check identified no issues (0 silenced).".into()], 0)
        }
        ["python", "manage.py", "migrate"] => (
            vec![
                "Operations to perform:".into(),
                "  Apply all migrations: admin, auth, connector, contenttypes, sessions".into(),
                "Running migrations:".into(),
                "  No migrations to apply.".into(),
            ],
            0,
        ),
        ["bash"] | ["python", "manage.py", "shell"] => (Vec::new(), 0),
        ["python", "manage.py", "clearsessions"] => {
            (vec!["Deleted 1289 expired sessions.".into()], 0)
        }
        ["ls"] => (
            vec!["Procfile  config  connector  manage.py  requirements.txt  staticfiles".into()],
            0,
        ),
        ["pwd"] => (vec!["/app".into()], 0),
        ["whoami"] => (vec!["u12345".into()], 0),
        _ => (
            vec![format!(
                "(simulated: `{}` ran; its output is not simulated — a scenario's `commands:` can declare it)",
                command.trim()
            )],
            0,
        ),
    }
}
