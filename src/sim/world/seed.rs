//! The simulated apps' starting state: each app runs two web dynos and one worker.

use std::collections::BTreeMap;

use crate::heroku::types::{
    Account, Addon, AddonPlan, App, Dyno, DynoState, Formation, Identity, NamedReference, Price,
    Release, ReleaseReference,
};

use super::ids::{days_ago, now, uuid};
use super::logs::LogBuffer;
use super::state::{SimApp, SimDyno};

/// Process types and how many dynos of each every seeded app runs.
const FORMATION: &[(&str, u64, &str)] = &[
    ("web", 2, "gunicorn config.wsgi --log-file -"),
    ("worker", 1, "celery -A config worker --loglevel=info"),
];

pub fn apps(names: &[String]) -> Vec<SimApp> {
    names.iter().map(|name| app(name)).collect()
}

fn app(name: &str) -> SimApp {
    let created = now();
    let reference = NamedReference { id: uuid(), name: name.to_string() };
    let releases = releases();
    let release = ReleaseReference { id: releases[0].id.clone(), version: releases[0].version };
    let mut logs = LogBuffer::default();
    logs.seed_traffic(name);
    SimApp {
        config_vars: config_vars(name),
        addons: addons(&reference),
        logs,
        bad_slugs: Vec::new(),
        next_deploy_bad: false,
        slow_until: None,
        slow: false,
        crashing: Vec::new(),
        builds: Vec::new(),
        collaborators: Vec::new(),
        features: super::state::default_features(),
        app: app_record(&reference, &created),
        formation: formation(&reference, &created),
        dynos: dynos(&reference, &release),
        releases,
    }
}

fn app_record(reference: &NamedReference, created: &str) -> App {
    let name = &reference.name;
    App {
        id: reference.id.clone(),
        name: name.clone(),
        maintenance: false,
        web_url: Some(format!("https://{name}.herokuapp.com/")),
        git_url: Some(format!("https://git.heroku.com/{name}.git")),
        created_at: Some(created.to_string()),
        updated_at: Some(created.to_string()),
        released_at: Some(created.to_string()),
        region: Some(NamedReference { id: uuid(), name: "eu".into() }),
        stack: Some(NamedReference { id: uuid(), name: "heroku-24".into() }),
        build_stack: Some(NamedReference { id: uuid(), name: "heroku-24".into() }),
        owner: Some(Account { id: uuid(), email: OWNER.into() }),
        repo_size: None,
        slug_size: Some(68_450_304),
        acm: false,
        generation: Some(NamedReference { id: uuid(), name: "cedar".into() }),
        space: None,
        process_tier: Some("standard".into()),
    }
}

/// Who owns the seeded apps.
pub const OWNER: &str = "ops@lazona.example";

fn formation(reference: &NamedReference, created: &str) -> Vec<Formation> {
    FORMATION
        .iter()
        .map(|(kind, quantity, command)| Formation {
            id: uuid(),
            process_type: (*kind).into(),
            quantity: *quantity,
            size: "standard-1X".into(),
            command: (*command).into(),
            created_at: Some(created.to_string()),
            updated_at: Some(created.to_string()),
            app: Some(reference.clone()),
        })
        .collect()
}

/// The dynos of the formation, all up on `release`.
/// How long the seeded dynos have been up (Heroku cycles every dyno once a day).
const DYNOS_UP_FOR: std::time::Duration = std::time::Duration::from_secs(3600);

fn dynos(reference: &NamedReference, release: &ReleaseReference) -> Vec<SimDyno> {
    let created = super::ids::ago(DYNOS_UP_FOR);
    FORMATION
        .iter()
        .flat_map(|(kind, quantity, command)| {
            (1..=*quantity).map(move |number| (kind, number, command))
        })
        .map(move |(kind, number, command)| SimDyno {
            dyno: Dyno {
                id: uuid(),
                name: format!("{kind}.{number}"),
                process_type: (*kind).into(),
                state: DynoState::Up,
                command: (*command).into(),
                size: "standard-1X".into(),
                attach_url: None,
                created_at: Some(created.to_string()),
                updated_at: Some(created.to_string()),
                app: Some(reference.clone()),
                release: Some(release.clone()),
            },
            restarted_at: None,
        })
        .collect()
}

/// The last five deploys, newest first; v42 is current.
fn releases() -> Vec<Release> {
    let deploys = [
        (42, "Deploy 9f3c2d1"),
        (41, "Deploy 4be81a7"),
        (40, "Set SENTRY_DSN config vars"),
        (39, "Deploy 17c0d5e"),
        (38, "Deploy a02f6b3"),
    ];
    // Made oldest first, so that their ids sort as their versions do; kept newest first.
    let mut made: Vec<Release> = deploys
        .iter()
        .enumerate()
        .rev()
        .map(|(age_in_days, (version, description))| Release {
            id: uuid(),
            version: *version,
            description: (*description).to_string(),
            status: "succeeded".into(),
            current: *version == 42,
            created_at: Some(days_ago(age_in_days as u64 * 3 + 2)),
            slug: Some(Identity { id: uuid() }),
            user: Some(Account { id: uuid(), email: "deploys@lazona.example".into() }),
            eligible_for_rollback: true,
            addon_plan_names: ADDONS.iter().map(|(_, plan, _)| plan.to_string()).collect(),
            output_stream_url: None,
        })
        .collect();
    made.reverse();
    made
}

/// Papertrail, Sentry and Scout APM, the three add-ons of the operations guide, with their plans'
/// monthly prices in cents.
const ADDONS: &[(&str, &str, u64)] = &[
    ("papertrail", "papertrail:choklad", 0),
    ("sentry", "sentry:f1", 2600),
    ("scout", "scout:chair", 3900),
];

fn addons(app: &NamedReference) -> Vec<Addon> {
    ADDONS.iter().map(|(service, plan, cents)| addon(app, service, plan, *cents)).collect()
}

/// An add-on of `service` on `plan` (`service:plan`), provisioned on `app`.
pub fn addon(app: &NamedReference, service: &str, plan: &str, cents: u64) -> Addon {
    let id = uuid();
    let price = Price { cents, unit: "month".into(), contract: false };
    Addon {
        web_url: Some(format!("https://addons-sso.heroku.com/apps/{}/addons/{id}", app.id)),
        name: format!("{service}-{}", &id[id.len() - 8..]),
        id,
        addon_service: NamedReference { id: uuid(), name: service.to_string() },
        plan: AddonPlan { id: uuid(), name: plan.to_string(), price: Some(price.clone()) },
        state: "provisioned".into(),
        app: Some(app.clone()),
        billed_price: Some(price),
    }
}

/// Config vars like a Django app on Heroku has, with fresh random secrets for every start.
fn config_vars(app: &str) -> BTreeMap<String, String> {
    let secret = || uuid::Uuid::new_v4().simple().to_string();
    let database = format!(
        "postgres://u{}:p{}@ec2-0-0-0-0.eu-west-1.compute.amazonaws.com:5432/d{}",
        &secret()[..8],
        secret(),
        &secret()[..8]
    );
    [
        ("DATABASE_URL", database),
        ("DJANGO_SETTINGS_MODULE", "config.settings.production".to_string()),
        ("SECRET_KEY", secret()),
        ("SENTRY_DSN", format!("https://{}@o0.ingest.sentry.io/{}", secret(), &secret()[..6])),
        ("PAPERTRAIL_API_TOKEN", secret()),
        ("SCOUT_KEY", secret()),
        ("SCOUT_NAME", app.to_string()),
        ("WEB_CONCURRENCY", "3".to_string()),
    ]
    .into_iter()
    .map(|(name, value)| (name.to_string(), value))
    .collect()
}

/// Gives every app a bare repository under `root` as its `git_url` (best effort: without git on
/// the machine the apps keep their Heroku URL, and a push fails as it would offline).
pub fn git_remotes(apps: &mut [SimApp], root: &std::path::Path) {
    for app in apps {
        let repository = root.join(format!("{}.git", app.app.name));
        let created = std::fs::create_dir_all(root).is_ok()
            && std::process::Command::new("git")
                .args(["init", "--bare", "--quiet", "--initial-branch=main"])
                .arg(&repository)
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::null())
                .status()
                .is_ok_and(|status| status.success());
        if created {
            app.app.git_url = Some(repository.display().to_string());
        }
    }
}
