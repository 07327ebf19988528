//! The starting points of a new runbook, in YAML and in Rhai; each passes `runbook check` and
//! runs as it is on the simulator.

use crate::runbook::Format;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Template {
    /// Look at the app, its formation and its dynos; changes nothing.
    ReadOnly,
    /// Restart the dynos (after a confirmation) and wait until they are up.
    Restart,
    /// Deploy a branch from the local git tree, then check the app answers.
    Deploy,
}

impl Template {
    pub const ALL: [Template; 3] = [Template::ReadOnly, Template::Restart, Template::Deploy];

    pub fn describe(self) -> &'static str {
        match self {
            Template::ReadOnly => "read-only: look at the app, its formation and its dynos",
            Template::Restart => "restart: confirm, restart the dynos, wait until they are up",
            Template::Deploy => {
                "deploy: confirm, build and release a branch, check the app answers"
            }
        }
    }

    /// The runbook's text.
    pub fn render(self, format: Format, description: &str, environments: &[String]) -> String {
        match format {
            Format::Yaml => format!(
                "description: {}\nenvironments: [{}]\n{}",
                yaml_string(description),
                environments.join(", "),
                self.yaml_body()
            ),
            Format::Rhai => format!(
                "//! {}\n//! environments: {}\n{}",
                description.replace('\n', " "),
                environments.join(", "),
                self.rhai_body()
            ),
        }
    }

    fn yaml_body(self) -> &'static str {
        match self {
            Template::ReadOnly => {
                "steps:\n  - id: info\n    name: App\n    do: heroku.app\n    with: { app: \"${app}\" }\n  - name: Formation\n    do: heroku.formation\n    with: { app: \"${app}\" }\n  - id: dynos\n    name: Dynos\n    do: heroku.dynos\n    with: { app: \"${app}\" }\n"
            }
            Template::Restart => {
                "params:\n  process_type: { type: string, required: false, enum: [web, worker], doc: \"only this process type\" }\nsteps:\n  - id: before\n    name: Current dynos\n    do: heroku.dynos\n    with: { app: \"${app}\", process_type: \"${process_type}\" }\n  - name: Restart\n    do: heroku.restart\n    with: { app: \"${app}\", process_type: \"${process_type}\" }\n    confirm: \"Restart ${before.len()} dynos of ${app}?\"\n  - name: Wait until every dyno is up\n    do: heroku.wait_dynos_up\n    with: { app: \"${app}\", process_type: \"${process_type}\", timeout: 2m }\n"
            }
            Template::Deploy => {
                "params:\n  branch: { type: string, default: main, doc: \"the branch to deploy\" }\n  directory: { type: string, default: \".\", doc: \"the git work tree\" }\n  watch: { type: duration, default: 5m, doc: \"how long to watch health after the release (rolled back if it turns bad)\" }\nsteps:\n  - name: Deploy\n    do: heroku.deploy\n    with: { app: \"${app}\", branch: \"${branch}\", directory: \"${directory}\", watch: \"${watch}\" }\n    confirm: \"Deploy ${branch} to ${app}?\"\n  - name: The app answers\n    do: heroku.check_app\n    with: { app: \"${app}\" }\n"
            }
        }
    }

    fn rhai_body(self) -> &'static str {
        match self {
            Template::ReadOnly => {
                "\nlet info = step(\"App\", || heroku::app(app));\nstep(\"Formation\", || heroku::formation(app));\nlet dynos = step(\"Dynos\", || heroku::dynos(app));\nprint(`${info.name}: ${dynos.len()} dynos`);\n"
            }
            Template::Restart => {
                "//! param process_type: string? -- only this process type\n\nlet before = step(\"Current dynos\", || heroku::dynos(app, process_type));\nconfirm(`Restart ${before.len()} dynos of ${app}?`);\nstep(\"Restart\", || heroku::restart(app, process_type));\nstep(\"Wait until every dyno is up\", || heroku::wait_dynos_up(app, process_type, \"2m\"));\n"
            }
            Template::Deploy => {
                "//! param branch: string = \"main\" -- the branch to deploy\n//! param directory: string = \".\" -- the git work tree\n//! param watch: duration = \"5m\" -- how long to watch health after the release (rolled back if it turns bad)\n\nconfirm(`Deploy ${branch} to ${app}?`);\nstep(\"Deploy\", || heroku::deploy(app, branch, directory, watch));\nstep(\"The app answers\", || heroku::check_app(app));\n"
            }
        }
    }
}

/// A YAML scalar that stays a string whatever it holds.
fn yaml_string(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_default()
}
