//! The JSON Schema of the YAML format: generated (not stale), accepting every shipped runbook and
//! rejecting what the loader rejects.

use serde_json::Value;

use crate::harness::{Test, shipped_runbooks};

/// The schema as the binary prints it, parsed from its bytes (not UTF-8 made lossy).
fn schema() -> Value {
    let output =
        Test::new().command(&["schema"]).stdin(std::process::Stdio::null()).output().unwrap();
    assert_eq!(output.status.code(), Some(0));
    serde_json::from_slice(&output.stdout).unwrap()
}

fn as_json(yaml: &str) -> Value {
    serde_saphyr::from_str(yaml).unwrap()
}

#[test]
fn docs_runbook_schema_json_is_not_stale() {
    let shipped =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/runbook.schema.json"))
            .unwrap();
    let shipped: Value = serde_json::from_str(&shipped).unwrap();
    assert!(
        shipped == schema(),
        "docs/runbook.schema.json is stale: run `cargo run -- schema > docs/runbook.schema.json`"
    );
}

#[test]
fn every_shipped_yaml_runbook_is_valid_against_the_schema() {
    let validator = jsonschema::validator_for(&schema()).unwrap();
    let mut checked = 0;
    for entry in std::fs::read_dir(shipped_runbooks()).unwrap() {
        let path = entry.unwrap().path();
        let is_runbook = path.extension().is_some_and(|extension| extension == "yaml")
            && path.file_name().unwrap() != "environments.yaml";
        if !is_runbook {
            continue;
        }
        let document = as_json(&std::fs::read_to_string(&path).unwrap());
        let errors: Vec<String> =
            validator.iter_errors(&document).map(|error| error.to_string()).collect();
        assert!(errors.is_empty(), "{}: {errors:?}", path.display());
        checked += 1;
    }
    assert_eq!(checked, 13);
}

#[test]
fn the_schema_rejects_what_the_loader_rejects() {
    let validator = jsonschema::validator_for(&schema()).unwrap();
    for (broken, why) in [
        (
            "description: x\nsteps:\n  - do: heroku.dynos\n    wiht: { app: my-app }\n",
            "an unknown key",
        ),
        ("description: x\nsteps:\n  - do: heroku.dynoz\n", "an unknown operation"),
        ("description: x\nsteps:\n  - do: heroku.dynos\n    concurrency: many\n", "a wrong type"),
        ("description: x\nparams:\n  p: { type: float }\nsteps: []\n", "an unknown param type"),
        ("description: x\n", "no steps"),
        (
            "description: x\nsteps:\n  - do: heroku.dynos\n    retry: { attempts: 2, tries: 3 }\n",
            "an unknown retry key",
        ),
        (
            "description: x\nsteps:\n  - do: heroku.dynos\n    with: { ap: a }\n",
            "an unknown argument",
        ),
        ("description: x\nsteps:\n  - do: heroku.dynos\n", "a missing required argument"),
        (
            "description: x\nsteps:\n  - do: heroku.scale\n    with: { app: my-app, process_type: web, quantity: many }\n",
            "an argument of the wrong type",
        ),
    ] {
        assert!(!validator.is_valid(&as_json(broken)), "the schema accepts {why}: {broken}");
    }
    for valid in [
        "description: x\nsteps:\n  - do: heroku.dynos\n    with: { app: my-app }\n",
        "description: x\nsteps:\n  - do: heroku.scale\n    with: { app: my-app, process_type: web, quantity: \"${count}\" }\n",
        "description: x\nsteps:\n  - do: heroku.scale\n    with: { app: my-app, process_type: web, quantity: 2 }\n",
        "description: x\nsteps:\n  - run: restart\n    with: { anything: goes }\n",
    ] {
        assert!(validator.is_valid(&as_json(valid)), "rejected: {valid}");
    }
}
